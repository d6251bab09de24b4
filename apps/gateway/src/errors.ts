// The CLI's errors. Each has a stable `code`: with `--json` the entry file prints
// `{ ok: false, error: { code, message, details } }`, so scripts switch on the code.

/** A command that failed in a way the user can fix; the message says how. */
export class CliError extends Error {
  /** Stable and machine-readable; a gateway's refusal keeps its wire code (`INVALID_REQUEST`, …). */
  readonly code: string;
  /** Structured facts behind the message (a gateway refusal's `details`, the ids a prefix matched). */
  readonly details: unknown;
  /** The command already printed its outcome (a report with failures in it); only the exit code is left to give. */
  readonly reported: boolean;

  constructor(
    message: string,
    readonly exitCode = 1,
    options: { cause?: unknown; code?: string; details?: unknown; reported?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? "CLI_ERROR";
    this.details = options.details;
    this.reported = options.reported ?? false;
  }
}

/** Nothing answers at the URL the CLI resolved; `details` say where the URL came from. */
export class GatewayUnreachableError extends CliError {
  constructor(message: string, details: { url: string; urlSource: string }, options: { cause?: unknown } = {}) {
    super(message, 1, { ...options, code: "GATEWAY_UNREACHABLE", details });
  }
}

/** The CLI found a gateway URL but no token or password to present to it. */
export class MissingCredentialsError extends CliError {
  constructor(message: string, details: { url: string; urlSource: string }) {
    super(message, 1, { code: "NO_CREDENTIALS", details });
  }
}

/** A command that draws on the terminal (`openclaw tui`) was started with stdin or stdout not a terminal. */
export class NotATerminalError extends CliError {
  constructor(command: string, instead: string) {
    super(`openclaw ${command} needs a terminal; use \`${instead}\` in scripts`, 1, { code: "NOT_A_TERMINAL" });
  }
}

/** An id (or id prefix) given on the command line matches nothing the gateway lists. */
export class UnknownIdError extends CliError {
  constructor(message: string, details: { kind: string; input: string }) {
    super(message, 1, { code: "ID_NOT_FOUND", details });
  }
}

/** An id prefix matches more than one id, or is too short to be taken as one. */
export class AmbiguousIdError extends CliError {
  constructor(message: string, details: { kind: string; input: string; matches: readonly string[] }) {
    super(message, 1, { code: "ID_AMBIGUOUS", details });
  }
}

/** An external command (systemctl, loginctl, launchctl) failed; the message names the command line and quotes its stderr. */
export class ExternalCommandError extends CliError {
  override readonly code = "EXTERNAL_COMMAND_FAILED";

  constructor(
    /** The command line as a user would type it. */
    readonly commandLine: string,
    /** How it ended: `exit 1`, `killed by SIGTERM`, or `timed out after 30 s`. */
    readonly outcome: string,
    readonly stderr: string,
    /** What the user can do about it, printed after the command's own words. */
    hint?: string,
  ) {
    const said = stderr.trim() === "" ? "(nothing on stderr)" : stderr.trim();
    super(`\`${commandLine}\` failed (${outcome}): ${said}${hint ? `\n${hint}` : ""}`);
    this.name = "ExternalCommandError";
  }
}

/** A command the CLI needs is not on PATH. */
export class CommandNotFoundError extends CliError {
  override readonly code = "COMMAND_NOT_FOUND";

  constructor(
    readonly command: string,
    options?: { cause?: unknown; hint?: string | undefined },
  ) {
    super(`\`${command}\` was not found on PATH${options?.hint ? `\n${options.hint}` : ""}`, 1, options);
    this.name = "CommandNotFoundError";
  }
}

/** There is no service manager to hand the gateway to: no systemctl or launchctl, or no user session to reach. */
export class SupervisorUnavailableError extends CliError {
  override readonly code = "SUPERVISOR_UNAVAILABLE";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.name = "SupervisorUnavailableError";
  }
}
