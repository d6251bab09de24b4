import { ClosedError, InvalidOptionError } from "./errors.js";

export interface BucketPolicy {
  /** Tokens available in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

export interface RateLimiterOptions {
  /** One bucket per account (bot token). @default { capacity: 30, refillPerSecond: 30 } */
  readonly perAccount?: BucketPolicy;
  /** One bucket per chat of an account. @default { capacity: 1, refillPerSecond: 1 } */
  readonly perChat?: BucketPolicy;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** No token is handed out before this time (a provider's `retry_after`). */
  blockedUntil: number;
}

interface Waiter {
  readonly account: string;
  readonly chat: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function validatePolicy(name: string, policy: BucketPolicy): BucketPolicy {
  if (!(policy.capacity >= 1) || !Number.isFinite(policy.capacity)) throw new InvalidOptionError(`${name}.capacity`, "a number >= 1", policy.capacity);
  if (!(policy.refillPerSecond > 0) || !Number.isFinite(policy.refillPerSecond)) {
    throw new InvalidOptionError(`${name}.refillPerSecond`, "a positive number", policy.refillPerSecond);
  }
  return policy;
}

/**
 * Token buckets per account and per chat. A send needs a token from both. Waiters for one chat
 * are served in order (so chunks stay in order), and only the head of each chat's queue holds
 * a timer.
 */
export class RateLimiter {
  readonly #perAccount: BucketPolicy;
  readonly #perChat: BucketPolicy;
  readonly #now: () => number;
  readonly #accounts = new Map<string, Bucket>();
  readonly #chats = new Map<string, Bucket>();
  readonly #queues = new Map<string, Waiter[]>();
  #closed = false;

  constructor(options: RateLimiterOptions = {}) {
    this.#perAccount = validatePolicy("perAccount", options.perAccount ?? { capacity: 30, refillPerSecond: 30 });
    this.#perChat = validatePolicy("perChat", options.perChat ?? { capacity: 1, refillPerSecond: 1 });
    this.#now = options.now ?? Date.now;
  }

  /** Resolves when a send to `chat` on `account` may go out. Rejects with `ClosedError` after `close()`, or the signal's reason. */
  acquire(account: string, chat: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError("RateLimiter"));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = chatKey(account, chat);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        account,
        chat,
        resolve,
        reject,
        signal,
        timer: undefined,
        onAbort: () => {
          this.#remove(key, waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      const queue = this.#queues.get(key) ?? [];
      queue.push(waiter);
      this.#queues.set(key, queue);
      if (queue.length === 1) this.#pump(key);
    });
  }

  /** Honour a provider's `retry_after`: no token for the account (or only this chat) until it has passed. */
  penalize(account: string, chat: string | undefined, retryAfterMs: number): void {
    if (!(retryAfterMs >= 0) || !Number.isFinite(retryAfterMs)) throw new InvalidOptionError("retryAfterMs", "a non-negative number", retryAfterMs);
    const until = this.#now() + retryAfterMs;
    const bucket =
      chat === undefined ? this.#bucket(this.#accounts, account, this.#perAccount) : this.#bucket(this.#chats, chatKey(account, chat), this.#perChat);
    if (until > bucket.blockedUntil) {
      bucket.blockedUntil = until;
      // Exactly one send may go at `until`; no burst builds up during the penalty.
      bucket.tokens = 1;
      bucket.updatedAt = until;
    }
  }

  /** Reject every waiter with `ClosedError` and clear every timer. */
  close(): void {
    this.#closed = true;
    const error = new ClosedError("RateLimiter");
    for (const queue of this.#queues.values()) {
      for (const waiter of queue) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.reject(error);
      }
    }
    this.#queues.clear();
  }

  #bucket(map: Map<string, Bucket>, key: string, policy: BucketPolicy): Bucket {
    let bucket = map.get(key);
    if (!bucket) {
      bucket = { tokens: policy.capacity, updatedAt: this.#now(), blockedUntil: 0 };
      map.set(key, bucket);
    }
    return bucket;
  }

  /** Milliseconds until `bucket` can give a token (0 = now), after refilling it. */
  #waitFor(bucket: Bucket, policy: BucketPolicy, now: number): number {
    if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(policy.capacity, bucket.tokens + ((now - bucket.updatedAt) * policy.refillPerSecond) / 1000);
      bucket.updatedAt = now;
    }
    if (bucket.blockedUntil > now) return bucket.blockedUntil - now;
    if (bucket.tokens >= 1) return 0;
    return Math.ceil(((1 - bucket.tokens) * 1000) / policy.refillPerSecond);
  }

  #pump(key: string): void {
    const queue = this.#queues.get(key);
    const head = queue?.[0];
    if (!queue || !head) {
      this.#queues.delete(key);
      return;
    }
    if (head.timer !== undefined) return;
    const now = this.#now();
    const account = this.#bucket(this.#accounts, head.account, this.#perAccount);
    const chat = this.#bucket(this.#chats, key, this.#perChat);
    const waitMs = Math.max(this.#waitFor(account, this.#perAccount, now), this.#waitFor(chat, this.#perChat, now));
    if (waitMs > 0) {
      head.timer = setTimeout(() => {
        head.timer = undefined;
        this.#pump(key);
      }, waitMs);
      return;
    }
    account.tokens -= 1;
    chat.tokens -= 1;
    queue.shift();
    head.signal?.removeEventListener("abort", head.onAbort);
    head.resolve();
    this.#pump(key);
  }

  #remove(key: string, waiter: Waiter): void {
    const queue = this.#queues.get(key);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index === -1) return;
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    queue.splice(index, 1);
    if (index === 0) this.#pump(key);
  }
}

function chatKey(account: string, chat: string): string {
  return JSON.stringify([account, chat]);
}
