import { ErrorCodes, type ErrorShape } from "@openclaw/protocol";

/** A method failed with a specific wire error; the dispatcher sends `shape` as is. */
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

  static invalidRequest(message: string, details?: unknown): MethodError {
    return new MethodError({ code: ErrorCodes.INVALID_REQUEST, message, ...(details === undefined ? {} : { details }) });
  }

  static unavailable(message: string, details?: unknown): MethodError {
    return new MethodError({ code: ErrorCodes.UNAVAILABLE, message, ...(details === undefined ? {} : { details }) });
  }
}

/** The config file is invalid or could not be read; the message names the key and the reason. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Another gateway already owns this state dir or port. */
export class GatewayLockedError extends Error {
  readonly code = "GATEWAY_LOCKED";
  constructor(
    message: string,
    readonly holder: { pid: number; port: number | undefined },
  ) {
    super(message);
    this.name = "GatewayLockedError";
  }
}

/** JavaScript's own failures (a stack overflow, a bad property read) are bugs, not answers. */
const INTERNAL_ERRORS = [RangeError, ReferenceError, SyntaxError, TypeError, EvalError, URIError];

/**
 * Normalize anything thrown by a handler to the wire shape. A domain error keeps its text; a
 * JavaScript engine error becomes "internal error" (the log keeps the real one), so no stack
 * detail or internals reach a client.
 */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof MethodError) return error.shape;
  if (INTERNAL_ERRORS.some((kind) => (error as { constructor?: unknown } | null)?.constructor === kind)) return { code: ErrorCodes.UNAVAILABLE, message: "internal error (see the gateway log)" };
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCodes.UNAVAILABLE, message: message.length > 0 ? message : "unavailable" };
}
