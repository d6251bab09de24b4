import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A command running on a real terminal: a tmux session on its own server socket, driven by keys and read from the screen. */
export interface Terminal {
  /** Keys by tmux name (`Enter`, `Down`, `BSpace`, `C-c`). */
  keys(...names: string[]): Promise<void>;
  /** Text typed as is. */
  type(text: string): Promise<void>;
  /** The screen as text, scrollback included. */
  screen(): Promise<string>;
  /** Waits until the screen shows `text` (at least `count` times), and returns the screen. */
  shows(text: string | RegExp, count?: number): Promise<string>;
  close(): Promise<void>;
}

/** Runs `command` (a shell line) in a new tmux session, `columns`×`rows`, with exactly `env`. */
export async function openTerminal(command: string, env: Record<string, string>, size = { columns: 120, rows: 50 }): Promise<Terminal> {
  const socket = `openclaw-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args], { env: { PATH: process.env["PATH"] ?? "" } });
  const assignments = Object.entries({ TERM: "xterm-256color", ...env }).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  // The history limit applies to panes made after it is set, so it comes first, in the same call.
  await tmux(
    "-f",
    "/dev/null",
    "start-server",
    ";",
    "set-option",
    "-g",
    "history-limit",
    "5000",
    ";",
    "new-session",
    "-d",
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `env -i ${assignments.join(" ")} ${command}`,
  );
  const screen = async () => (await tmux("capture-pane", "-p", "-S", "-5000")).stdout;
  const occurrences = (text: string, pattern: string | RegExp) =>
    typeof pattern === "string" ? text.split(pattern).length - 1 : (text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? []).length;
  return {
    keys: async (...names) => void (await tmux("send-keys", ...names)),
    type: async (text) => void (await tmux("send-keys", "-l", text)),
    screen,
    async shows(text, count = 1) {
      // Generous: the 2-core box may be busy with other suites; this bounds a hang, it measures nothing.
      const deadline = Date.now() + 30_000;
      let last = "";
      while (Date.now() < deadline) {
        last = await screen();
        if (occurrences(last, text) >= count) return last;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the terminal never showed ${String(text)}; it shows:\n${last}`);
    },
    close: async () => void (await tmux("kill-server").catch(() => undefined)),
  };
}
