/** Why a model provider request failed; stable, so callers can branch on it. */
export type ProviderErrorCode =
  /** HTTP 429: the provider asked us to slow down (`retryAfterMs` says how long, when known). */
  | "rate_limited"
  /** Any other non-2xx answer, or an error event inside the stream. */
  | "http"
  /** HTTP 401/403: the API key is missing, wrong or lacks access. */
  | "auth"
  /** The request never got an answer (DNS, refused, reset before headers). */
  | "network"
  /** The body ended or broke before the provider's end marker; earlier events were already delivered. */
  | "stream_cut"
  /** The request's `signal` was aborted. */
  | "aborted"
  /** The provider answered with something we cannot read (not SSE, not JSON, no body). */
  | "bad_response";

export interface ProviderErrorOptions {
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** @default true for rate_limited, network, stream_cut and http 408/409/5xx; false otherwise */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/** A model provider request failed; `withRetry` retries it when `retryable` and nothing was streamed yet. */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? defaultRetryable(code, options.status);
  }
}

function defaultRetryable(code: ProviderErrorCode, status: number | undefined): boolean {
  switch (code) {
    // A cut is only retried by withRetry when nothing was streamed, so a replay is safe.
    case "rate_limited":
    case "network":
    case "stream_cut":
      return true;
    case "http":
      // The statuses the official Anthropic and OpenAI SDKs retry.
      return status !== undefined && (status === 408 || status === 409 || status >= 500);
    default:
      return false;
  }
}

/** `submit` after `close()`: the runtime takes no new runs while it shuts down. */
export class RuntimeClosedError extends Error {
  readonly code = "RUNTIME_CLOSED";
  constructor() {
    super("agent runtime is shut down");
    this.name = "RuntimeClosedError";
  }
}

/** A session asked for a model (`sessions.patch {model}`) that no configured provider serves. */
export class ModelUnavailableError extends Error {
  readonly code = "MODEL_UNAVAILABLE";
  constructor(
    readonly modelRef: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`model "${modelRef}" is not available: ${reason}; patch the session to another model (sessions.patch {model}) or configure that provider`, options);
    this.name = "ModelUnavailableError";
  }
}
