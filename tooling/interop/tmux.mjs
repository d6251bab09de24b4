// Drives a full-screen terminal program in a detached tmux session: start it at a fixed size,
// read the screen (`capture-pane -p`), type (`send-keys`), and wait for text by polling the
// screen with a bounded timeout. Used by run-tui-interop.mjs for the real `openclaw tui`.
//
// Every session gets its own tmux server (a socket in the caller's temp dir, no user config),
// so a run never touches the user's tmux server or ~/.tmux.conf.
//
// Plain Node ESM with node: built-ins only, so it runs on the repo's Node 20.
import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { sleep } from "./lib.mjs";

const run = promisify(execFile);

/** `tmux -V` of the tmux on PATH (e.g. "tmux 3.3a"), or undefined when there is none. */
export async function tmuxVersion(tmux = "tmux") {
  try {
    const { stdout } = await run(tmux, ["-V"], { timeout: 5000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

// status off: the whole window is the program's screen. remain-on-exit: a program that exits
// leaves its pane behind (#{pane_dead} = 1) with its last screen still readable.
const SERVER_CONFIG = ["set -g status off", "set -g remain-on-exit on", "set -g history-limit 10000", ""].join("\n");

// tmux 3.3a's #{pane_dead_status} is sometimes empty for a program that did exit (seen for
// `sh -c "exit 5"`, one run in two), so a wrapper shell writes the exit status to a file: "$0"
// is the file, "$@" the program (its child, so a crash or signal n shows too, as 128+n).
const RECORD_EXIT_STATUS = '"$@"; echo $? > "$0"';

/**
 * Starts `argv` in a new detached tmux session of `cols`×`rows` on a private server whose
 * socket, config and exit-status file live in `dir`. The tmux server (and so the program) gets
 * exactly `env`. Returns a TmuxSession.
 */
export async function startTmuxSession({ tmux = "tmux", dir, name, cols, rows, cwd, env, argv }) {
  const socket = path.join(dir, "tmux.sock");
  const config = path.join(dir, "tmux.conf");
  const statusFile = path.join(dir, "tmux-exit-status");
  await writeFile(config, SERVER_CONFIG);
  const base = ["-S", socket, "-f", config];
  const command = ["/bin/sh", "-c", RECORD_EXIT_STATUS, statusFile, ...argv];
  await run(tmux, [...base, "new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), "-c", cwd, "--", ...command], {
    env,
    timeout: 10_000,
  });
  const session = new TmuxSession({ tmux, base, name, env, statusFile });
  const [serverPid, panePid] = (await session.format("#{pid} #{pane_pid}")).trim().split(" ").map(Number);
  Object.assign(session, { serverPid, panePid });
  return session;
}

/** Lines of a screen, trailing blanks trimmed, empty lines dropped: what a failure message shows. */
export function compactScreen(screen) {
  return screen
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .join("\n");
}

function countMatches(text, pattern) {
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  return [...text.matchAll(global)].length;
}

export class TmuxSession {
  constructor({ tmux, base, name, env, statusFile }) {
    this.tmux = tmux;
    this.base = base;
    this.name = name;
    this.env = env;
    this.statusFile = statusFile;
    this.serverPid = undefined;
    this.panePid = undefined;
    this.lastScreen = "";
    this.killed = false;
  }

  async #tmux(args) {
    try {
      if (this.killed) throw new Error("tmux session killed");
      const { stdout } = await run(this.tmux, [...this.base, ...args], { env: this.env, timeout: 10_000, maxBuffer: 4 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      // killSync ran from a signal handler while a step was waiting: the process is on its way
      // out, so park the step instead of reporting the vanished server as a failed check.
      if (this.killed) return new Promise(() => {});
      throw error;
    }
  }

  /** A tmux format string (`#{pane_dead}` …) evaluated for the session's pane. */
  format(text) {
    return this.#tmux(["display-message", "-p", "-t", this.name, text]);
  }

  /** The visible screen as plain text (no escape sequences), one line per row. */
  async capture() {
    this.lastScreen = await this.#tmux(["capture-pane", "-p", "-t", this.name]);
    return this.lastScreen;
  }

  /** Types `text` literally (no key names), then presses Enter. */
  async typeLine(text) {
    await this.#tmux(["send-keys", "-t", this.name, "-l", "--", text]);
    await this.#tmux(["send-keys", "-t", this.name, "Enter"]);
  }

  /**
   * `{ dead: false }` while the program runs, `{ dead: true, status }` after it exited (`status`
   * is its exit code, 128+n for signal n, undefined when the wrapper shell was killed too).
   */
  async paneState() {
    if ((await this.format("#{pane_dead}")).trim() !== "1") return { dead: false };
    const recorded = (await readFile(this.statusFile, "utf8").catch(() => "")).trim();
    return { dead: true, status: recorded === "" ? undefined : Number(recorded) };
  }

  /** How often each of `patterns` matches the screen now; pass it to waitForScreen as `baseline`. */
  async counts(patterns) {
    const screen = await this.capture();
    return patterns.map((pattern) => countMatches(screen, pattern));
  }

  /**
   * Polls the screen until `pass` (a RegExp, or a function of the screen returning a truthy
   * value) holds, one of `fail` (RegExps) matches, the program exits, or `timeoutMs` passes.
   * `baseline` (from counts([pass, ...fail]), RegExp `pass` only) makes a match count only when
   * it is new: a pattern must match more often than it did then, so text left on the screen by
   * an earlier step is not taken for this step's answer.
   * Returns `{ outcome: "pass" | "fail" | "exited" | "timeout", match?, screen, ms, pane? }`.
   */
  async waitForScreen({ pass, fail = [], timeoutMs, everyMs = 150, baseline }) {
    const started = Date.now();
    const isNew = (pattern, index, screen) => countMatches(screen, pattern) > (baseline?.[index] ?? 0);
    for (;;) {
      const screen = await this.capture();
      const ms = Date.now() - started;
      if (typeof pass === "function") {
        const value = pass(screen);
        if (value) return { outcome: "pass", match: value, screen, ms };
      } else if (isNew(pass, 0, screen)) {
        return { outcome: "pass", match: screen.match(pass), screen, ms };
      }
      const failed = fail.findIndex((pattern, index) => isNew(pattern, index + 1, screen));
      if (failed !== -1) return { outcome: "fail", match: screen.match(fail[failed]), screen, ms };
      const pane = await this.paneState();
      if (pane.dead) return { outcome: "exited", pane, screen, ms };
      if (ms >= timeoutMs) return { outcome: "timeout", screen, ms };
      await sleep(everyMs);
    }
  }

  /**
   * Ends the tmux server (its panes get SIGHUP; by pid if its socket is gone), then SIGKILLs the
   * pane's process group (the wrapper shell and the program) if it is still alive a moment
   * later. Synchronous, so it can run from a signal handler. Safe to call twice; afterwards the
   * session's other methods never settle.
   */
  killSync() {
    this.killed = true;
    try {
      execFileSync(this.tmux, [...this.base, "kill-server"], { env: this.env, stdio: "ignore", timeout: 5000 });
    } catch {
      signal(this.serverPid, "SIGTERM");
    }
    // Up to ~2 s for the SIGHUP to take effect; Atomics.wait is a synchronous sleep.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; waited < 2000 && signal(this.panePid, 0); waited += 100) Atomics.wait(pause, 0, 0, 100);
    signal(-this.panePid, "SIGKILL"); // tmux makes each pane's first process a group leader
  }
}

/** `process.kill` that reports whether the signal was delivered instead of throwing. */
function signal(pid, name) {
  if (!Number.isInteger(pid) || pid === 0 || Number.isNaN(pid)) return false;
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
