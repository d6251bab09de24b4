import { ProviderError } from "../errors.js";
import { abortedError } from "./http.js";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "./types.js";

/** Waits `ms`; rejects with an `aborted` ProviderError as soon as `signal` aborts. */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  readonly maxRetries?: number;
  /** First backoff step; doubles per attempt. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap on any wait. A `retry-after` longer than this is not waited out: the error is raised. @default 20_000 */
  readonly maxDelayMs?: number;
  /** @default a timer that is cleared on abort */
  readonly sleep?: SleepFunction;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Told before each wait, e.g. to log "rate limited, retrying in 2s". */
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly error: ProviderError }) => void;
}

/**
 * Wraps a provider so that retryable failures (429, 5xx, network, a cut before any output) are
 * retried with backoff. Only failures before the first event are retried: once text has been
 * streamed to the user, replaying the request would duplicate it, so the error is raised instead.
 */
export function withRetry(provider: ModelProvider, options: RetryOptions = {}): ModelProvider {
  const maxRetries = options.maxRetries ?? 2;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, signal, provider.id));
  const random = options.random ?? Math.random;

  async function* stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    for (let attempt = 0; ; attempt++) {
      let started = false;
      try {
        for await (const event of provider.stream(request)) {
          started = true;
          yield event;
        }
        return;
      } catch (error) {
        if (started || attempt >= maxRetries || !(error instanceof ProviderError) || !error.retryable) throw error;
        if (request.signal?.aborted) throw abortedError(provider.id, request.signal);
        const delayMs = error.retryAfterMs ?? backoffDelay(attempt, { baseDelayMs, maxDelayMs, random });
        if (delayMs > maxDelayMs) throw error;
        options.onRetry?.({ attempt: attempt + 1, delayMs, error });
        await sleep(delayMs, request.signal);
      }
    }
  }

  return {
    id: provider.id,
    label: provider.label,
    stream,
    ...(provider.thinking ? { thinking: provider.thinking.bind(provider) } : {}),
    ...(provider.supportsImages ? { supportsImages: provider.supportsImages.bind(provider) } : {}),
    ...(provider.listModels ? { listModels: provider.listModels.bind(provider) } : {}),
  };
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so retries
 * from many sessions spread out but never fire immediately. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, options: { baseDelayMs: number; maxDelayMs: number; random?: () => number }): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  const random = options.random ?? Math.random;
  return Math.round(step / 2 + (step / 2) * random());
}

/** The default SleepFunction: a timer that is cleared when the signal aborts. */
export function delay(ms: number, signal?: AbortSignal, providerId = "provider"): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(abortedError(providerId, signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(providerId, signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
