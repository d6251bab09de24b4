import { ClosedError, InvalidOptionError } from "./errors.js";

export interface EchoRegistryOptions {
  /** How long a sent id counts as ours. @default 30_000 */
  readonly ttlMs?: number;
  /** Oldest ids are dropped beyond this many, so a send burst cannot grow memory without bound. @default 10_000 */
  readonly maxEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Remembers the provider ids of messages we sent so their inbound echoes can be dropped.
 * One sweep timer runs only while ids are remembered; `close()` clears it.
 */
export class EchoRegistry {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Insertion order is expiry order because the TTL is fixed. */
  readonly #expiresAt = new Map<string, number>();
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: EchoRegistryOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isFinite(this.#ttlMs) || this.#ttlMs <= 0) throw new InvalidOptionError("ttlMs", "a positive number of milliseconds", options.ttlMs);
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) throw new InvalidOptionError("maxEntries", "an integer >= 1", options.maxEntries);
  }

  /** Record ids from a `Receipt` (`providerMessageIds`). */
  remember(channel: string, accountId: string, chatId: string, messageIds: string | readonly string[]): void {
    if (this.#closed) throw new ClosedError("EchoRegistry");
    const expiresAt = this.#now() + this.#ttlMs;
    for (const id of typeof messageIds === "string" ? [messageIds] : messageIds) {
      const key = echoKey(channel, accountId, chatId, id);
      this.#expiresAt.delete(key);
      this.#expiresAt.set(key, expiresAt);
    }
    while (this.#expiresAt.size > this.#maxEntries) {
      const oldest = this.#expiresAt.keys().next();
      if (oldest.done === true) break;
      this.#expiresAt.delete(oldest.value);
    }
    this.#ensureSweep();
  }

  /** True while `messageId` is one we sent in this chat within the TTL. */
  isEcho(channel: string, accountId: string, chatId: string, messageId: string): boolean {
    const expiresAt = this.#expiresAt.get(echoKey(channel, accountId, chatId, messageId));
    return expiresAt !== undefined && expiresAt > this.#now();
  }

  get size(): number {
    return this.#expiresAt.size;
  }

  close(): void {
    this.#closed = true;
    this.#stopSweep();
    this.#expiresAt.clear();
  }

  #ensureSweep(): void {
    if (this.#sweepTimer !== undefined || this.#expiresAt.size === 0) return;
    this.#sweepTimer = setInterval(() => this.#sweep(), this.#ttlMs);
    // Echo bookkeeping alone should never keep the process alive.
    this.#sweepTimer.unref?.();
  }

  #stopSweep(): void {
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, expiresAt] of this.#expiresAt) {
      if (expiresAt > now) break;
      this.#expiresAt.delete(key);
    }
    if (this.#expiresAt.size === 0) this.#stopSweep();
  }
}

function echoKey(channel: string, accountId: string, chatId: string, messageId: string): string {
  return JSON.stringify([channel, accountId, chatId, messageId]);
}
