import type { ChildProcess } from "node:child_process";

/**
 * The first match of `pattern` in what `child` printed (`output()` is the caller's running copy of its stdout and
 * stderr), as soon as it appears; rejects with the output if the child ends first. It waits on the child's own output
 * and close events and has no deadline of its own: the test's timeout bounds it, so a busy machine is only slower.
 */
export function printed(child: ChildProcess, output: () => string, pattern: RegExp | string): Promise<RegExpMatchArray> {
  const regex = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
  return new Promise((resolve, reject) => {
    const stop = () => {
      child.stdout?.off("data", check);
      child.stderr?.off("data", check);
      child.off("close", ended);
    };
    // Listeners run in the order they were added, so the caller's copy already holds the chunk that woke this one.
    function check(): boolean {
      const match = output().match(regex);
      if (match) {
        stop();
        resolve(match);
      }
      return match !== null;
    }
    function ended(): void {
      if (check()) return;
      stop();
      reject(new Error(`the process ended (${child.exitCode ?? child.signalCode}) without printing ${regex}:\n${output()}`));
    }
    if (check()) return;
    const closed = (child.exitCode !== null || child.signalCode !== null) && (child.stdout?.closed ?? true) && (child.stderr?.closed ?? true);
    if (closed) return ended();
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("close", ended);
  });
}
