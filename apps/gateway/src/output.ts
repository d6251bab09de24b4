// What every command prints through: JSON, failures, a node's command review. Colors, tables and the
// spinner are in terminal.ts, so the entry file (and the gateway's start) does not load their libraries.
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
