import Table from "cli-table3";
import pc from "picocolors";
import yoctoSpinner from "yocto-spinner";
import type { NodeCommandReview } from "@openclaw/protocol";
import { CliError } from "./errors.js";
import type { CommandIo } from "./io.js";

/** Pretty JSON, the `--json` output of every command. */
export function printJson(io: CommandIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The `--json` shape of a failed command, printed on stdout. */
export interface JsonError {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/**
 * How the entry file reports a failed command: with `json`, `{ ok: false, error }` on stdout (what a
 * script parses); otherwise one line on stderr, and with `verbose` the stack and its cause.
 */
export function renderFailure(
  error: unknown,
  options: { readonly json: boolean; readonly verbose: boolean },
): { stdout: string; stderr: string; exitCode: number } {
  const message = error instanceof Error ? error.message : String(error);
  const exitCode = error instanceof CliError ? error.exitCode : 1;
  if (error instanceof CliError && error.reported) return { stdout: "", stderr: "", exitCode };
  if (options.json) {
    const code = error instanceof CliError ? error.code : "INTERNAL_ERROR";
    const details = error instanceof CliError ? error.details : undefined;
    const body: JsonError = { ok: false, error: { code, message, ...(details !== undefined ? { details } : {}) } };
    return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: "", exitCode };
  }
  const [first, ...more] = failureLines(error);
  let stderr = `openclaw: ${first}\n${more.map((line) => `  ${line}\n`).join("")}`;
  // Stack traces and causes only when asked for: the one line above says what to do.
  if (options.verbose && error instanceof Error) {
    stderr += `${error.stack ?? ""}\n`;
    if (error.cause !== undefined) stderr += `caused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}\n`;
  }
  return { stdout: "", stderr, exitCode };
}

/** Colors only on a terminal. */
export function colors(io: CommandIo) {
  return pc.createColors(io.stdout.isTTY === true && !io.env["NO_COLOR"]);
}

/** A plain table; borders are drawn only on a terminal so output stays greppable. */
export function printTable(io: CommandIo, head: string[], rows: (string | number | boolean | undefined)[][]): void {
  if (rows.length === 0) {
    io.stdout.write("(none)\n");
    return;
  }
  const tty = io.stdout.isTTY === true;
  const table = new Table({
    head: tty ? head.map((cell) => pc.bold(cell)) : head,
    style: { head: [], border: [] },
    ...(tty
      ? {}
      : {
          chars: {
            top: "",
            "top-mid": "",
            "top-left": "",
            "top-right": "",
            bottom: "",
            "bottom-mid": "",
            "bottom-left": "",
            "bottom-right": "",
            left: "",
            "left-mid": "",
            mid: "",
            "mid-mid": "",
            right: "",
            "right-mid": "",
            middle: "  ",
          },
        }),
  });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? "" : String(cell))));
  io.stdout.write(`${table.toString()}\n`);
}

/** A spinner on stderr while waiting on a long call; nothing when stderr is not a terminal. */
export async function withSpinner<T>(io: CommandIo, text: string, work: () => Promise<T>): Promise<T> {
  const stream = io.stderr as NodeJS.WriteStream;
  if (stream.isTTY !== true) return work();
  const spinner = yoctoSpinner({ text, stream }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}

/** Which of a node's declared commands an approval opened, and which stay refused with the fix for each. */
export function printCommandReview(io: CommandIo, review: NodeCommandReview): void {
  io.stdout.write(`Commands approved: ${review.approved.length > 0 ? review.approved.join(", ") : "(none)"}\n`);
  if (review.withheld.length === 0) return;
  io.stdout.write("Commands not approved:\n");
  for (const withheld of review.withheld) io.stdout.write(`  ${withheld.command} (reason ${withheld.reason}): ${withheld.remediationHint}\n`);
}

/**
 * The lines a failed command prints: its message, then the reason and the fix a gateway put in
 * the error's details (`details.reason`, `details.remediationHint` or `details.hint`) when the
 * message does not already say them.
 */
export function failureLines(error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const lines = [message];
  const own = error instanceof CliError ? error.details : undefined;
  const source = own === undefined && error instanceof Error && error.cause !== undefined ? error.cause : error;
  const details = (source as { details?: unknown } | null | undefined)?.details;
  if (typeof details !== "object" || details === null) return lines;
  const { reason, remediationHint, hint } = details as { reason?: unknown; remediationHint?: unknown; hint?: unknown };
  if (typeof reason === "string" && !message.includes(reason)) lines.push(`reason: ${reason}`);
  const fix = typeof remediationHint === "string" ? remediationHint : typeof hint === "string" ? hint : undefined;
  if (fix !== undefined && !message.includes(fix)) lines.push(`fix: ${fix}`);
  return lines;
}
