import type { ErrorShape } from "@openclaw/protocol";

/** Base of every error the SDK raises. `code` is stable: switch on it, not on the message. */
export abstract class GatewayClientError extends Error {
  abstract readonly code: string;
  /** Whether trying again (the same call, or a new connection) can succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The gateway answered a request with `ok: false`. `code` is the wire code (`INVALID_REQUEST`, `UNAVAILABLE`, …). */
export class GatewayRequestError extends GatewayClientError {
  readonly code: string;
  readonly retryable: boolean;
  /** The method that failed, `connect` for handshake refusals. */
  readonly method: string;
  /** Structured details, usually with their own `code` (`AUTH_TOKEN_MISMATCH`, `MISSING_SCOPE`, …). */
  readonly details: unknown;
  /** `details.code` when the details carry one. */
  readonly detailCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** A payload sent alongside the error (the `agent` final failure carries one). */
  readonly payload: unknown;

  constructor(method: string, error: ErrorShape, options: { payload?: unknown; cause?: unknown } = {}) {
    super(`${method} failed: ${error.message}`, options);
    this.method = method;
    this.code = error.code;
    this.details = error.details;
    const detailCode = (error.details as { code?: unknown } | null | undefined)?.code;
    this.detailCode = typeof detailCode === "string" ? detailCode : undefined;
    this.retryable = error.retryable ?? false;
    this.retryAfterMs = error.retryAfterMs;
    this.payload = options.payload;
  }
}

/** The socket closed, or the client was closed, before an answer arrived. */
export class GatewayClosedError extends GatewayClientError {
  readonly code = "GATEWAY_CLOSED";
  readonly retryable: boolean;
  /** The WebSocket close code (1006 when the socket failed without one). */
  readonly closeCode: number;
  readonly reason: string;

  constructor(closeCode: number, reason: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(`gateway closed (${closeCode}): ${reason || "no reason"}`, options);
    this.closeCode = closeCode;
    this.reason = reason;
    this.retryable = options.retryable ?? true;
  }
}

/** No answer within the time allowed. The request may still have run on the gateway. */
export class GatewayTimeoutError extends GatewayClientError {
  readonly code = "GATEWAY_TIMEOUT";
  readonly retryable = true;
  readonly method: string;
  readonly timeoutMs: number;

  constructor(method: string, timeoutMs: number) {
    super(`${method} timed out after ${timeoutMs} ms`);
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}

/** The gateway sent something this client cannot read as protocol v4. */
export class GatewayProtocolError extends GatewayClientError {
  readonly code = "GATEWAY_PROTOCOL_ERROR";
  readonly retryable = false;
}

/** The server certificate does not match the pinned fingerprint; nothing was sent. */
export class GatewayTlsError extends GatewayClientError {
  readonly code = "GATEWAY_TLS_ERROR";
  readonly retryable = false;
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string, options?: { cause?: unknown }) {
    super(`certificate fingerprint mismatch: expected ${expected}, got ${actual || "no certificate"}`, options);
    this.expected = expected;
    this.actual = actual;
  }
}

/** The options cannot work as given; the message says what to change. */
export class GatewayConfigError extends GatewayClientError {
  readonly code = "GATEWAY_CONFIG_ERROR";
  readonly retryable = false;
}
