import { ErrorCodes, type ErrorShape } from "@openclaw/protocol";

/** Every error gateway-core raises on purpose has one of these codes; switch on it, not on the message. */
export type GatewayErrorCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAVAILABLE"
  | "NODE_COMMAND_FAILED"
  | "NODE_COMMAND_NOT_ALLOWED"
  | "APPROVAL_NOT_FOUND"
  | "CONFIG_INVALID"
  | "GATEWAY_LOCKED"
  | "STORE_VERSION_UNSUPPORTED"
  | "STORE_MIGRATION_FAILED"
  | "CRON_INVALID_JOB"
  | "CRON_UNKNOWN_JOB"
  | "TAILSCALE_FAILED"
  | "TRANSCRIPTION_FAILED";

/** Base of gateway-core's errors: a stable `code`, optional structured `details`, and the `cause` kept. */
export abstract class GatewayError extends Error {
  abstract readonly code: GatewayErrorCode;
  /** Structured facts a client can act on (sent as the wire error's `details`). */
  readonly details: unknown;

  constructor(message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
  }
}

/** The caller asked for something that cannot be done as asked; the message says what to change. */
export class InvalidInputError extends GatewayError {
  readonly code = "INVALID_INPUT";
}

/** The caller named something that does not exist (a request id, device, node, session). */
export class NotFoundError extends GatewayError {
  readonly code = "NOT_FOUND";
}

/** The caller lacks a scope this particular request needs. */
export class ForbiddenError extends GatewayError {
  readonly code = "FORBIDDEN";

  /** From protocol's ready-made wire error (e.g. `WireErrors.missingScope`), keeping its message and details. */
  static fromWire(shape: ErrorShape): ForbiddenError {
    return new ForbiddenError(shape.message, { details: shape.details });
  }
}

/** Something the request depends on is not ready or failed; trying later may work. */
export class UnavailableError extends GatewayError {
  readonly code = "UNAVAILABLE";
}

/** A node answered `node.invoke` with a failure, disconnected or timed out; `details.nodeError` says which. */
export class NodeCommandError extends GatewayError {
  readonly code = "NODE_COMMAND_FAILED";
}

/** The command policy refuses a `node.invoke`; `details` say why (`reason`) and what opens it (`remediationHint`). */
export class NodeCommandNotAllowedError extends GatewayError {
  readonly code = "NODE_COMMAND_NOT_ALLOWED";

  /** From protocol's `WireErrors.nodeCommandNotAllowed`, keeping its message and details. */
  static fromWire(shape: ErrorShape): NodeCommandNotAllowedError {
    return new NodeCommandNotAllowedError(shape.message, { details: shape.details });
  }
}

/** No pending exec approval has this id. */
export class ApprovalNotFoundError extends GatewayError {
  readonly code = "APPROVAL_NOT_FOUND";
}

/** The config file is invalid or could not be read; the message names the key and the reason. */
export class ConfigError extends GatewayError {
  readonly code = "CONFIG_INVALID";
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, { ...options, details: issues.length > 0 ? { issues } : undefined });
  }
}

/** Another gateway already owns this state dir or port. */
export class GatewayLockedError extends GatewayError {
  readonly code = "GATEWAY_LOCKED";
  constructor(
    message: string,
    readonly holder: { pid: number; port: number | undefined },
  ) {
    super(message);
  }
}

/** The database was written by a newer gateway; opening it could corrupt data that code relies on. */
export class StoreVersionError extends GatewayError {
  readonly code = "STORE_VERSION_UNSUPPORTED";
  constructor(
    readonly path: string,
    readonly foundVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `database ${path} has schema version ${foundVersion}, but this gateway only knows versions up to ${supportedVersion}; ` +
        "upgrade openclaw, or point OPENCLAW_STATE_DIR at another state dir",
    );
  }
}

/** A migration step threw; its transaction was rolled back and `user_version` is unchanged. */
export class MigrationError extends GatewayError {
  readonly code = "STORE_MIGRATION_FAILED";
  constructor(
    readonly version: number,
    readonly migrationName: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`store migration ${version} (${migrationName}) failed and was rolled back: ${reason}`, options);
  }
}

/** A job definition or patch the scheduler cannot accept; the message says which field and why. */
export class InvalidCronJobError extends GatewayError {
  readonly code = "CRON_INVALID_JOB";
}

/** No job has this id (never added, or removed). */
export class UnknownCronJobError extends GatewayError {
  readonly code = "CRON_UNKNOWN_JOB";
  constructor(readonly jobId: string) {
    super(`unknown cron job: ${jobId}`);
  }
}

/** The `tailscale` CLI is missing, timed out or exited with an error; the message says which command and why. */
export class TailscaleError extends GatewayError {
  readonly code = "TAILSCALE_FAILED";
}

/** A speech-to-text server refused, failed or timed out; `details.status` is its HTTP status when it answered. */
export class TranscriptionError extends GatewayError {
  readonly code = "TRANSCRIPTION_FAILED";
}

/**
 * A method handler's answer in wire terms, for the few handlers that must send a specific wire
 * shape (a payload beside the error, a wire-only code). Everything else throws a GatewayError.
 */
export class MethodError extends Error {
  readonly code: string;
  /** Sent beside the error, as `agent`'s final failure does. */
  readonly payload: unknown;
  constructor(
    readonly shape: ErrorShape,
    options?: { cause?: unknown; payload?: unknown },
  ) {
    super(shape.message, options);
    this.payload = options?.payload;
    this.name = "MethodError";
    this.code = shape.code;
  }
}

/** The one table from gateway-core's codes to wire codes, used at the dispatch boundary. */
const WIRE_CODES: Readonly<Record<GatewayErrorCode, string>> = {
  INVALID_INPUT: ErrorCodes.INVALID_REQUEST,
  NOT_FOUND: ErrorCodes.INVALID_REQUEST,
  FORBIDDEN: ErrorCodes.FORBIDDEN,
  UNAVAILABLE: ErrorCodes.UNAVAILABLE,
  NODE_COMMAND_FAILED: ErrorCodes.UNAVAILABLE,
  NODE_COMMAND_NOT_ALLOWED: ErrorCodes.INVALID_REQUEST,
  APPROVAL_NOT_FOUND: ErrorCodes.APPROVAL_NOT_FOUND,
  CONFIG_INVALID: ErrorCodes.INVALID_REQUEST,
  GATEWAY_LOCKED: ErrorCodes.UNAVAILABLE,
  STORE_VERSION_UNSUPPORTED: ErrorCodes.UNAVAILABLE,
  STORE_MIGRATION_FAILED: ErrorCodes.UNAVAILABLE,
  CRON_INVALID_JOB: ErrorCodes.INVALID_REQUEST,
  CRON_UNKNOWN_JOB: ErrorCodes.INVALID_REQUEST,
  TAILSCALE_FAILED: ErrorCodes.UNAVAILABLE,
  TRANSCRIPTION_FAILED: ErrorCodes.UNAVAILABLE,
};

/** JavaScript's own failures (a stack overflow, a bad property read) are bugs, not answers. */
const INTERNAL_ERRORS = [RangeError, ReferenceError, SyntaxError, TypeError, EvalError, URIError];

/**
 * Normalize anything thrown by a handler to the wire shape. A GatewayError maps through the table
 * above with its message and details; a MethodError is sent as it is; a JavaScript engine error
 * becomes "internal error" (the log keeps the real one), so no stack detail or internals reach a
 * client; any other error keeps its text as `UNAVAILABLE`.
 */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof MethodError) return error.shape;
  if (error instanceof GatewayError) {
    return { code: WIRE_CODES[error.code], message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  }
  if (INTERNAL_ERRORS.some((kind) => (error as { constructor?: unknown } | null)?.constructor === kind)) {
    return { code: ErrorCodes.UNAVAILABLE, message: "internal error (see the gateway log)" };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCodes.UNAVAILABLE, message: message.length > 0 ? message : "unavailable" };
}
