import { CliError } from "./io.js";

/** An external command (systemctl, loginctl, launchctl) failed; the message names the command line and quotes its stderr. */
export class ExternalCommandError extends CliError {
  readonly code = "EXTERNAL_COMMAND_FAILED";

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
  readonly code = "COMMAND_NOT_FOUND";

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
  readonly code = "SUPERVISOR_UNAVAILABLE";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.name = "SupervisorUnavailableError";
  }
}
