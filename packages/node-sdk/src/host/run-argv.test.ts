import { existsSync, mkdtempSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { filterEnv, runArgv } from "./run-argv.js";
import { findExecutable, whichBins } from "./which.js";

const node = process.execPath;

describe("runArgv", () => {
  it("reports a program that cannot start instead of rejecting", async () => {
    const result = await runArgv({ argv: ["surely-not-a-program-0xdead"], baseEnv: { PATH: "/nonexistent" } });
    expect(result).toMatchObject({ exitCode: null, success: false, timedOut: false });
    expect(result.error).toContain("ENOENT");
  });

  it("rejects an empty argv with INVALID_PARAMS", async () => {
    await expect(runArgv({ argv: [] })).rejects.toMatchObject({ code: "INVALID_PARAMS" });
  });

  it("kills the whole process group on timeout, so a grandchild holding the pipes cannot keep it alive", async () => {
    // The grandchild never exits by itself and holds the pipes: the run can only end if the kill reaches it. The
    // timeout is a fake clock's, moved on once the grandchild is up, so a slow start cannot race it.
    const dir = mkdtempSync(join(tmpdir(), "openclaw-run-argv-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const upFile = join(dir, "grandchild-up");
    const grandchild = `require("fs").writeFileSync(${JSON.stringify(upFile)}, ""); setInterval(() => {}, 1 << 30)`;
    const spawnGrandchild = `require("child_process").spawn(process.execPath, ["-e", ${JSON.stringify(grandchild)}], { stdio: "inherit" }); console.log("up")`;
    const up = new Promise<void>((resolve) => {
      const watcher = watch(dir, () => existsSync(upFile) && (watcher.close(), resolve()));
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    const running = runArgv({ argv: [node, "-e", spawnGrandchild], timeoutMs: 300 });
    await up;
    vi.advanceTimersByTime(300);
    expect(await running).toMatchObject({ timedOut: true, exitCode: null, stdout: "up\n" });
  }, 30_000);

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const running = runArgv({ argv: [node, "-e", "setTimeout(() => {}, 60000)"], signal: controller.signal });
    controller.abort();
    expect(await running).toMatchObject({ exitCode: null, timedOut: false, success: false });
  });

  it("keeps only the first maxOutputBytes of a stream", async () => {
    const result = await runArgv({ argv: [node, "-e", "process.stdout.write('abcdef')"], maxOutputBytes: 4 });
    expect(result).toMatchObject({ stdout: "abcd", truncated: true, exitCode: 0 });
  });
});

describe("filterEnv", () => {
  it("keeps exact names and PREFIX* matches only", () => {
    expect(filterEnv({ PATH: "/bin", LC_ALL: "C", LCX: "no", SECRET: "s", TZ: undefined }, ["PATH", "LC_*", "TZ"])).toEqual({ PATH: "/bin", LC_ALL: "C" });
  });
});

describe("which", () => {
  it("finds executables on absolute PATH entries and refuses paths as names", async () => {
    const dir = dirname(node);
    const name = basename(node);
    expect(await findExecutable(name, ["relative/dir", dir].join(delimiter))).toBe(join(dir, name));
    expect(await findExecutable(join("..", dir, name), dir)).toBeUndefined();
    expect(await whichBins([name, name, "nope-0xdead"], dir)).toEqual({ [name]: join(dir, name) });
  });
});
