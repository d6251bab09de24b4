/** Base of every error channel-kit raises. `code` is stable: switch on it, not on the message. */
export abstract class ChannelKitError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option is out of range; the message names the option, the expected value and what was given. */
export class InvalidOptionError extends ChannelKitError {
  readonly code = "CHANNEL_KIT_INVALID_OPTION";

  constructor(
    readonly option: string,
    expected: string,
    received: unknown,
  ) {
    super(`option ${option}: expected ${expected}, got ${JSON.stringify(received) ?? String(received)}`);
  }
}

/** An error's message, or the value as text: what goes into logs and `lastError`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A component was used after `close()`/`stop()`; create a new one instead. */
export class ClosedError extends ChannelKitError {
  readonly code = "CHANNEL_KIT_CLOSED";

  constructor(readonly component: string) {
    super(`${component} is closed; create a new ${component} to use it again`);
  }
}

/**
 * A connection failure that retrying cannot fix (logged out, replaced by another session).
 * Thrown by a supervised `connect` or used to reject `closed`, it moves the supervisor to `failed`.
 */
export class TerminalConnectionError extends ChannelKitError {
  readonly code = "CHANNEL_CONNECTION_TERMINAL";
}

/** `start()` was called on an account that is already running; stop it first. */
export class AlreadyRunningError extends ChannelKitError {
  readonly code = "CHANNEL_ALREADY_RUNNING";

  constructor(
    readonly channel: string,
    readonly accountId: string,
  ) {
    super(`${channel} account ${accountId} is already running`);
  }
}

/** The provider refused the account's credentials (a bad or revoked token); fix the config, then start again. */
export class ProviderAuthError extends ChannelKitError {
  readonly code = "CHANNEL_PROVIDER_AUTH";
}

/** The provider could not be reached or answered unusably while starting or while a connection ran; retried by the supervisor. */
export class ProviderConnectionError extends ChannelKitError {
  readonly code = "CHANNEL_PROVIDER_CONNECTION";
}

/** Two accounts (or two processes) claim one provider session or token; only one may hold it. */
export class ProviderConflictError extends ChannelKitError {
  readonly code = "CHANNEL_PROVIDER_CONFLICT";
}

/** The account is not ready for this request yet (no socket, not running); retry once it is connected. */
export class ProviderNotReadyError extends ChannelKitError {
  readonly code = "CHANNEL_PROVIDER_NOT_READY";
}

/** Stored provider state (auth files, cursors) could not be read or written. */
export class ProviderStateError extends ChannelKitError {
  readonly code = "CHANNEL_PROVIDER_STATE";
}

/** `start()` was called on a supervisor in the `failed` state. */
export class SupervisorFailedError extends ChannelKitError {
  readonly code = "CHANNEL_SUPERVISOR_FAILED";

  constructor(readonly reason: string) {
    super(`reconnect supervisor failed (${reason}); call reset() before start()`);
  }
}

/**
 * How a failed send should be treated by the outbox:
 * - `rate_limited`: the provider refused with 429; nothing was sent; retry after `retryAfterMs`.
 * - `permanent`: a 4xx other than 429 (bad chat, blocked, too long); retrying cannot help, so dead-letter it.
 * - `transient`: provably not delivered (connection refused, 5xx answer); retry with backoff.
 * - `ambiguous`: the request may have reached the provider (timeout or reset after the body was sent);
 *   never replayed blindly.
 */
export type SendFailureKind = "rate_limited" | "permanent" | "transient" | "ambiguous";

/** What an adapter's `send` throws when the provider did not confirm the message. */
export class ChannelSendError extends ChannelKitError {
  readonly code = "CHANNEL_SEND_FAILED";
  readonly kind: SendFailureKind;
  /** The provider's HTTP status (or close code), when there was one. */
  readonly status: number | undefined;
  /** For `rate_limited`: how long the provider asked us to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: SendFailureKind, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Maps an HTTP status from a provider to a failure kind (429 → rate_limited, other 4xx → permanent, else transient). */
export function sendFailureKindForStatus(status: number): SendFailureKind {
  if (status === 429) return "rate_limited";
  if (status >= 400 && status < 500) return "permanent";
  return "transient";
}

/** System error codes of a request that never reached the provider: refused, or its host unknown or unreachable. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

/** The system error code (`ECONNREFUSED`, …) of a failed request: `fetch` puts it on `cause`, other clients on the error. */
export function systemErrorCode(error: unknown): string | undefined {
  const failure = error as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  const code = failure?.cause?.code ?? failure?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A send that failed without an answer from `provider`, for the outbox: refused or unresolvable
 * means nothing was sent (`transient`); anything else (a timeout, a reset after the body went out)
 * may have been (`ambiguous`). `code` is where the provider's client put the system error code.
 */
export function networkSendFailure(provider: string, error: unknown, code: string | undefined = systemErrorCode(error)): ChannelSendError {
  const kind = code !== undefined && NOT_SENT_CODES.has(code) ? "transient" : "ambiguous";
  return new ChannelSendError(kind, `${provider} ${kind === "transient" ? "unreachable" : "request failed"}: ${describeError(error)}`, { cause: error });
}
