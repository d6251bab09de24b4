import { spawn, type ChildProcess } from "node:child_process";
import type { SystemRunResult } from "../commands.js";
import { NodeCommandError } from "../errors.js";

/** @default 30 s */
export const DEFAULT_RUN_TIMEOUT_MS = 30_000;
/** Per stream. @default 200 KiB */
export const DEFAULT_MAX_OUTPUT_BYTES = 200 * 1024;
/** What a run sees of the host's environment: enough to find programs and format text, no secrets. */
export const DEFAULT_ENV_ALLOWLIST: readonly string[] = ["PATH", "HOME", "LANG", "LC_*", "TZ"];

export interface RunArgvOptions {
  /** argv[0] is looked up on the run's PATH; no shell is involved. */
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Variables set for this run on top of the allowlisted ones (the caller asked for them explicitly). */
  readonly env?: Readonly<Record<string, string>>;
  /** The environment the allowlist picks from. @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Names passed through from `baseEnv`; `PREFIX*` matches a prefix. @default DEFAULT_ENV_ALLOWLIST */
  readonly allowEnv?: readonly string[];
  /** SIGKILL to the process group after this long. @default DEFAULT_RUN_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Bytes kept of each of stdout and stderr; the rest is read and dropped. @default DEFAULT_MAX_OUTPUT_BYTES */
  readonly maxOutputBytes?: number;
  /** Aborting kills the process group. */
  readonly signal?: AbortSignal;
}

/** The variables of `base` whose names the allowlist matches. */
export function filterEnv(base: NodeJS.ProcessEnv, allow: readonly string[]): Record<string, string> {
  const matches = (name: string) => allow.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined && matches(name)) env[name] = value;
  return env;
}

/** Keeps the first `max` bytes of a stream and remembers whether more came. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const room = this.max - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Kill the whole process group, so grandchildren holding the pipes die too. */
function killTree(child: ChildProcess, grouped: boolean): void {
  try {
    if (grouped && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/**
 * Run an argv without a shell: bounded in time (SIGKILL on expiry) and output (per stream),
 * with only allowlisted environment variables. Never rejects for the program's own failures:
 * a program that cannot start gives `exitCode: null` and `error`.
 */
export function runArgv(options: RunArgvOptions): Promise<SystemRunResult> {
  const [file, ...args] = options.argv;
  if (file === undefined || file === "")
    return Promise.reject(new NodeCommandError("INVALID_PARAMS", 'command must be a non-empty argv array, e.g. ["ls", "-la"]'));
  const env = { ...filterEnv(options.baseEnv ?? process.env, options.allowEnv ?? DEFAULT_ENV_ALLOWLIST), ...options.env };
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new CappedOutput(max);
  const stderr = new CappedOutput(max);
  // A separate process group lets a kill reach everything the command started (not on Windows).
  const grouped = process.platform !== "win32";
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd: options.cwd, env, shell: false, stdio: ["ignore", "pipe", "pipe"], detached: grouped, windowsHide: true });
    } catch (error) {
      // Only malformed arguments (a NUL byte in argv or env) throw here; missing programs arrive as "error".
      reject(
        new NodeCommandError("INVALID_PARAMS", `cannot run ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        }),
      );
      return;
    }
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, grouped);
    }, options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    const onAbort = () => killTree(child, grouped);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const settle = (exitCode: number | null, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({
        exitCode,
        timedOut,
        success: exitCode === 0 && !timedOut,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        ...(error ? { error: `${file}: ${error.message}` } : {}),
      });
    };
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.once("error", (error) => settle(null, error));
    child.once("close", (code) => settle(code));
  });
}
