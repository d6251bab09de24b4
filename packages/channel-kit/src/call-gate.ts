import { ChannelSendError, ClosedError } from "./errors.js";
import { RateLimiter, type RateLimiterOptions } from "./rate-limiter.js";

export interface CallGateOptions extends RateLimiterOptions {
  readonly accountId: string;
  /** Names the account in errors ("telegram account work is stopping"). */
  readonly channel: string;
  /** Penalty for a 429 that carried no retry delay. @default 1000 */
  readonly rateLimitFallbackMs?: number;
}

/**
 * Every provider call of one account goes through here: it waits for the chat's turn in the rate
 * limiter, classifies a failure, honours a 429's delay for that chat, and stays in the in-flight
 * set until it settles, so `stop()` can wait for sends that already left.
 */
export class CallGate {
  #limiter: RateLimiter;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #options: CallGateOptions;

  constructor(options: CallGateOptions) {
    this.#options = options;
    this.#limiter = new RateLimiter(options);
  }

  /** Calls in flight now. */
  get size(): number {
    return this.#inFlight.size;
  }

  /**
   * Runs `work` once the chat may send. A failure goes through `classify` (a provider error becomes
   * a `ChannelSendError`); a `rate_limited` one blocks the chat for its `retryAfterMs`.
   */
  run<T>(chatId: string, work: () => Promise<T>, classify: (error: unknown) => unknown = (error) => error): Promise<T> {
    const { accountId } = this.#options;
    return this.track(
      (async () => {
        await this.#limiter.acquire(accountId, chatId).catch((error: unknown) => {
          if (error instanceof ClosedError)
            throw new ChannelSendError("transient", `${this.#options.channel} account ${accountId} is stopping`, { cause: error });
          throw error;
        });
        try {
          return await work();
        } catch (error) {
          const failure = classify(error);
          if (failure instanceof ChannelSendError && failure.kind === "rate_limited") {
            this.#limiter.penalize(accountId, chatId, failure.retryAfterMs ?? this.#options.rateLimitFallbackMs ?? 1_000);
          }
          throw failure;
        }
      })(),
    );
  }

  /** Keeps `promise` in the in-flight set until it settles. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    void promise.then(
      () => this.#inFlight.delete(promise),
      () => this.#inFlight.delete(promise),
    );
    return promise;
  }

  /** Resolves once every call in flight now has settled (whatever its outcome). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Rejects waiting calls and clears the limiter's timers. */
  close(): void {
    this.#limiter.close();
  }

  /** A fresh limiter for an account that starts again after `close()`. */
  reopen(): void {
    this.#limiter.close();
    this.#limiter = new RateLimiter(this.#options);
  }
}
