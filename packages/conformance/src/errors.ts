// The kit's own errors. A gateway that does not conform is a failed check, never one of these.

/** Base class: every error of this package has a stable `code`. */
export class ConformanceError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The gateway could not be reached at all (no WebSocket upgrade). */
export class GatewayUnreachableError extends ConformanceError {
  constructor(url: string, why: string, options?: { cause?: unknown }) {
    super("GATEWAY_UNREACHABLE", `cannot open a WebSocket to ${url}: ${why} (is the gateway running, and is --url right?)`, options);
  }
}

/** The command line was wrong. */
export class UsageError extends ConformanceError {
  constructor(message: string) {
    super("USAGE", message);
  }
}
