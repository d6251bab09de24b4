import { describe, expect, it } from "vitest";
import { run, start } from "../install-test/processes.mjs";

const env = { PATH: process.env["PATH"] ?? "" };
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the install test's processes", () => {
  it("waitFor resolves with what the test finds in the output", async () => {
    const proc = start(process.execPath, ["-e", 'setTimeout(() => console.log("connected as abc123;"), 50); setInterval(() => {}, 1000)'], { env });
    expect(await proc.waitFor((output: string) => /connected as (\w+);/.exec(output)?.[1], "connection", 10_000)).toBe("abc123");
    expect(await proc.stop()).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("waitFor rejects as soon as the process exits without it, keeping what it printed", async () => {
    const proc = start(process.execPath, ["-e", 'console.error("Cannot find module"); process.exit(1)'], { env });
    await expect(proc.waitFor((output: string) => output.includes("connected"), "connection", 60_000)).rejects.toThrow("exited before connection");
    expect(proc.output()).toContain("Cannot find module");
    expect(await proc.exited).toEqual({ code: 1, signal: null });
  });

  it("stop() ends the whole process group: a shell and what it started", async () => {
    const proc = start("sh", ["-c", "sleep 300 & echo $!; wait"], { env });
    const child = Number(await proc.waitFor((output: string) => /^\d+$/m.exec(output)?.[0], "the child's pid", 10_000));
    expect(alive(child)).toBe(true);
    await proc.stop();
    // The signal reached the group: the sleep is gone, or at worst a zombie of the exited shell being reaped.
    await expect.poll(() => alive(child), { timeout: 5_000 }).toBe(false);
  });

  it("run() reports the exit code and output, and kills a command that overruns its time", async () => {
    const done = await run(process.execPath, ["-e", 'console.log("out"); console.error("err"); process.exit(2)'], { env });
    expect(done).toMatchObject({ code: 2, stdout: "out\n", stderr: "err\n", timedOut: false });
    const slow = await run(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { env, timeoutMs: 200 });
    expect(slow).toMatchObject({ code: null, signal: "SIGKILL", timedOut: true });
  });
});
