import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { TailscaleError } from "../errors.js";

/** How long one `tailscale` command may run before it is killed. */
export const DEFAULT_TAILSCALE_TIMEOUT_MS = 10_000;

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  // Windows spells it `Path`; the lookup must not depend on the case.
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `tailscale` CLI on `env.PATH` (with `PATHEXT` on Windows), as a shell would find it;
 * undefined when it is not installed there.
 */
export function findTailscaleBinary(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const directories = (envValue(env, "PATH") ?? "").split(platform === "win32" ? ";" : delimiter).filter((entry) => entry.length > 0);
  const extensions = platform === "win32" ? (envValue(env, "PATHEXT") ?? ".EXE;.CMD;.BAT").split(";").filter((ext) => ext.length > 0) : [""];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = join(directory, `tailscale${extension}`);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface TailscaleCommandOptions {
  /** The CLI's path, from {@link findTailscaleBinary}. */
  readonly binary: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
  /** Aborting kills the child; the promise then rejects once it has exited. */
  readonly signal?: AbortSignal;
  /** The child's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Output of a `tailscale` command that exited 0. */
export interface TailscaleOutput {
  readonly stdout: string;
  readonly stderr: string;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim() ?? "";
}

/**
 * Run `tailscale <args>` directly (no shell, so nothing in `args` is interpreted), killed after
 * `timeoutMs` or when `signal` aborts.
 * @throws TailscaleError when it cannot start, times out, is aborted or exits non-zero.
 */
export function runTailscale(args: readonly string[], options: TailscaleCommandOptions): Promise<TailscaleOutput> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TAILSCALE_TIMEOUT_MS;
  const command = `tailscale ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      options.binary,
      [...args],
      {
        encoding: "utf8",
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 1024 * 1024,
        windowsHide: true,
        ...(options.env ? { env: options.env } : {}),
      },
      (error, stdout, stderr) => {
        options.signal?.removeEventListener("abort", abort);
        if (error === null) return resolve({ stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number | null };
        let reason: string;
        if (options.signal?.aborted) reason = "was stopped because the gateway is shutting down";
        else if (failure.code === "ENOENT") reason = `could not start: ${options.binary} does not exist`;
        else if (failure.killed) reason = `did not finish within ${timeoutMs} ms`;
        else
          reason = `exited with ${typeof failure.code === "number" ? `code ${failure.code}` : String(failure.code ?? "an error")}${firstLine(stderr) ? `: ${firstLine(stderr)}` : ""}`;
        reject(new TailscaleError(`${command} ${reason}`, { cause: error, details: { args: [...args], stderr: stderr.slice(0, 2000) } }));
      },
    );
    // Killed here rather than through execFile's own signal option, so the promise settles only
    // once the process has exited: a caller that awaited it knows nothing is left running.
    const abort = () => child.kill("SIGKILL");
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener("abort", abort, { once: true });
  });
}
