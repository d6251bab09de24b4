// The install test's processes: commands run to completion, long-running ones (the gateway, the README's
// node) watched through their output, and the clean-up that stops them all.
import { spawn } from "node:child_process";
import net from "node:net";

const running = new Set();

/** A free TCP port on 127.0.0.1, chosen by the kernel, so never the gateway's default 18789 unless by chance. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `command args` with its output collected. `waitFor(test, what, ms)` resolves with the first
 * truthy `test(output)`, and rejects when the process exits first or the time runs out.
 */
export function start(command, args, { env, cwd = process.cwd() }) {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
  running.add(child);
  let stdout = "";
  let stderr = "";
  const listeners = new Set();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout.on("data", (chunk) => ((stdout += chunk), notify()));
  child.stderr.on("data", (chunk) => ((stderr += chunk), notify()));
  // Set before the listeners run, so a waiter sees the exit that woke it.
  let done = false;
  const exited = new Promise((resolve) => {
    const end = (result) => {
      done = true;
      running.delete(child);
      resolve(result);
      notify();
    };
    child.once("error", (error) => ((stderr += `${error.message}\n`), end({ code: null, signal: null })));
    child.once("close", (code, signal) => end({ code, signal }));
  });
  const output = () => `${stdout}${stderr ? `${stdout && !stdout.endsWith("\n") ? "\n" : ""}${stderr}` : ""}`;

  function waitFor(test, what, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = test(output());
        if (found) finish(() => resolve(found));
        else if (done) finish(() => reject(new Error(`exited before ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs / 1000} s`))), timeoutMs);
      const finish = (settle) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  }

  /** SIGTERM, then SIGKILL to the whole process group if it is still there after `graceMs`. */
  async function stop(graceMs = 10_000) {
    if (!done) signal(child, "SIGTERM");
    const timer = setTimeout(() => signal(child, "SIGKILL"), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }

  return { child, exited, stdout: () => stdout, stderr: () => stderr, output, waitFor, stop };
}

function signal(child, name) {
  try {
    // The group: npm and sh start children of their own.
    if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, name);
    else child.kill(name);
  } catch {}
}

/** Runs a command to completion; fails after `timeoutMs` with a kill. */
export async function run(command, args, { env, cwd = process.cwd(), timeoutMs = 120_000 }) {
  const proc = start(command, args, { env, cwd });
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), signal(proc.child, "SIGKILL")), timeoutMs);
  const { code, signal: killedBy } = await proc.exited;
  clearTimeout(timer);
  return { code, signal: killedBy, stdout: proc.stdout(), stderr: proc.stderr(), output: proc.output(), timedOut };
}

/** Kills everything still running (the runner's last resort, also on SIGINT/SIGTERM). */
export function killAll() {
  for (const child of running) signal(child, "SIGKILL");
}
