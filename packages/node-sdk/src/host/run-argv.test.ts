import { basename, delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
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
    const spawnGrandchild = `require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "inherit" }); console.log("up")`;
    const started = Date.now();
    const result = await runArgv({ argv: [node, "-e", spawnGrandchild], timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: "up\n" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

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
