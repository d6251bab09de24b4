import { createParser, type EventSourceMessage } from "eventsource-parser";
import { ProviderError } from "../errors.js";

/** What the HTTP providers need from `fetch`; tests and proxies can pass their own. */
export type FetchFunction = typeof globalThis.fetch;

export interface ProviderHttpRequest {
  /** Names the provider in error messages. */
  readonly providerId: string;
  readonly fetch: FetchFunction;
  readonly url: string;
  readonly headers: Headers;
  readonly signal?: AbortSignal | undefined;
}

/**
 * POSTs `body` as JSON and yields the answer's server-sent events until the body ends.
 * Ending is not success: each provider checks for its own end marker and raises `stream_cut`
 * when the body ends without one. Stopping the iteration early aborts the HTTP request.
 */
export async function* postForEvents(request: ProviderHttpRequest, body: unknown): AsyncGenerator<EventSourceMessage> {
  const { providerId, signal } = request;
  if (signal?.aborted) throw abortedError(providerId, signal);
  // Our own controller so that a consumer that stops iterating also closes the connection.
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    const headers = new Headers(request.headers);
    headers.set("content-type", "application/json");
    headers.set("accept", "text/event-stream");
    let response: Response;
    try {
      response = await request.fetch(request.url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
    } catch (error) {
      throw signal?.aborted ? abortedError(providerId, signal) : networkError(request, error);
    }
    if (!response.ok) throw await errorFromResponse(providerId, request.url, response);
    const contentType = response.headers.get("content-type") ?? "";
    // A server that ignores `stream: true` answers JSON; say so instead of reporting a cut.
    if (response.body === null || contentType.startsWith("application/json")) {
      throw new ProviderError(
        "bad_response",
        `${providerId}: expected an event stream from ${request.url}, got ${contentType || "no body"}; check that the server supports streaming`,
        { status: response.status },
      );
    }
    yield* readEvents(response.body, providerId, signal);
  } finally {
    signal?.removeEventListener("abort", forwardAbort);
    controller.abort();
  }
}

/** GETs a JSON document (model lists); errors are mapped like `postForEvents`. */
export async function getJson(request: ProviderHttpRequest): Promise<unknown> {
  const { providerId, signal } = request;
  if (signal?.aborted) throw abortedError(providerId, signal);
  let response: Response;
  try {
    response = await request.fetch(request.url, { method: "GET", headers: request.headers, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw signal?.aborted ? abortedError(providerId, signal) : networkError(request, error);
  }
  if (!response.ok) throw await errorFromResponse(providerId, request.url, response);
  const text = await response.text();
  return parseJson(providerId, text, request.url);
}

async function* readEvents(body: ReadableStream<Uint8Array>, providerId: string, signal: AbortSignal | undefined): AsyncGenerator<EventSourceMessage> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const read = async () => {
    try {
      return await reader.read();
    } catch (error) {
      if (signal?.aborted) throw abortedError(providerId, signal);
      throw new ProviderError("stream_cut", `${providerId}: the response stream broke off (${describe(error)}); retry the request`, { cause: error });
    }
  };
  try {
    for (;;) {
      const chunk = await read();
      // A trailing event without its blank line is incomplete; SSE says to drop it.
      if (chunk.done) return;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      for (const message of pending.splice(0)) yield message;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** Turns a non-2xx answer into a ProviderError, using the provider's own error message when it sent one. */
export async function errorFromResponse(providerId: string, url: string, response: Response): Promise<ProviderError> {
  const detail = await response.text().then(errorDetail, () => "");
  const retryAfterMs = parseRetryAfter(response.headers);
  return errorForStatus(providerId, response.status, `HTTP ${response.status} from ${url}${detail ? `: ${detail}` : ""}`, retryAfterMs);
}

/** Maps an HTTP status (also one reported inside a stream) to a ProviderError with advice. */
export function errorForStatus(providerId: string, status: number, what: string, retryAfterMs?: number): ProviderError {
  const prefix = `${providerId}: ${what}`;
  if (status === 401 || status === 403) return new ProviderError("auth", `${prefix}; check the API key and its access to this model`, { status });
  if (status === 429) {
    const advice = retryAfterMs === undefined ? "slow down and retry later" : `the provider asks to retry after ${Math.ceil(retryAfterMs / 1000)}s`;
    return new ProviderError("rate_limited", `${prefix}; ${advice}`, { status, retryAfterMs });
  }
  if (status === 404) return new ProviderError("http", `${prefix}; check baseUrl and the model name`, { status });
  if (status >= 500) return new ProviderError("http", `${prefix}; the provider failed, retrying may help`, { status, retryAfterMs });
  return new ProviderError("http", prefix, { status, retryAfterMs });
}

/**
 * How long a 429/503 asks us to wait: `retry-after-ms` (OpenAI) wins over `retry-after`,
 * which is either seconds or an HTTP date.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && milliseconds.trim() !== "") {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses one JSON payload from the provider; garbage is a `bad_response`, not a crash. */
export function parseJson(providerId: string, text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError("bad_response", `${providerId}: invalid JSON from ${where}: ${truncate(text)}`, { cause: error });
  }
}

export function abortedError(providerId: string, signal: AbortSignal): ProviderError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "aborted";
  return new ProviderError("aborted", `${providerId}: request aborted (${detail})`, { cause: reason });
}

function networkError(request: ProviderHttpRequest, error: unknown): ProviderError {
  return new ProviderError(
    "network",
    `${request.providerId}: could not reach ${request.url} (${describe(error)}); check baseUrl and that the server is running`,
    {
      cause: error,
    },
  );
}

/** OpenAI, Anthropic and OpenRouter nest `error.message`; Ollama sends `error` as a string. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === "string") return body.error;
    if (typeof body.error?.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return truncate(text);
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`.
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
