import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { CommandNotFoundError, ExternalCommandError } from "../errors.js";

/** How an external command ended. `status` is null when it was killed. */
export interface ExternalResult {
  readonly commandLine: string;
  readonly status: number | null;
  readonly outcome: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one external command to its end; every call is also echoed to the user as `$ <command line>`. */
export type RunExternal = (command: string, args: readonly string[]) => Promise<ExternalResult>;

// systemctl and launchctl answer in well under a second; a minute means something waits on a prompt that nobody sees.
const COMMAND_TIMEOUT_MS = 60_000;

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line a user could paste into a shell. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArg).join(" ");
}

/** The first executable called `name` on the env's PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * A runner that spawns commands with `env` (its PATH decides which binary runs), stdin closed so that
 * nothing can wait on a prompt, and stdout/stderr captured. A command that is not on PATH rejects with
 * {@link CommandNotFoundError}; a non-zero exit resolves, and {@link requireSuccess} turns it into an error.
 */
export function externalRunner(env: NodeJS.ProcessEnv, echo: (line: string) => void): RunExternal {
  return (command, args) =>
    new Promise((resolve, reject) => {
      const commandLine = formatCommandLine(command, args);
      echo(commandLine);
      const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], timeout: COMMAND_TIMEOUT_MS });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.once("error", (error: NodeJS.ErrnoException) => {
        reject(error.code === "ENOENT" ? new CommandNotFoundError(command, { cause: error }) : error);
      });
      child.once("close", (status, signal) => {
        const outcome =
          status !== null ? `exit ${status}` : signal === "SIGTERM" ? `timed out after ${COMMAND_TIMEOUT_MS / 1000} s` : `killed by ${signal ?? "a signal"}`;
        resolve({ commandLine, status, outcome, stdout, stderr });
      });
    });
}

/** The result of a command that must succeed, or an {@link ExternalCommandError} with its stderr and `hint`. */
export function requireSuccess(result: ExternalResult, hint?: string): ExternalResult {
  if (result.status !== 0) throw new ExternalCommandError(result.commandLine, result.outcome, result.stderr, hint);
  return result;
}
