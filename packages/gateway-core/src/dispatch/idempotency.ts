import { DEDUPE_MAX, DEDUPE_TTL_MS, ErrorCodes, type ErrorShape } from "@openclaw/protocol";
import type { CachedOutcome } from "./frames.js";

export type { CachedOutcome } from "./frames.js";

interface Entry<T> {
  readonly createdAt: number;
  /** What the first call asked for; a repeat must ask for the same. */
  readonly fingerprint: string;
  outcome: T | undefined;
  readonly settled: Promise<T>;
}

/** The answer to a repeat of an idempotency key with other params. */
export function reusedKeyError(method: string, key: string): ErrorShape {
  return {
    code: ErrorCodes.INVALID_REQUEST,
    message: `idempotencyKey "${key}" was already used for a different ${method} request in the last few minutes; send a new key for a new request`,
    details: { reason: "idempotency-key-reused", method },
  };
}

/**
 * Short-lived dedupe of side-effecting calls. The dispatcher keys entries by caller, method and
 * idempotency key, so one caller can never receive another's answer. A repeat of a finished
 * call returns its cached outcome; a repeat of a call still in flight waits for the same outcome
 * instead of running it twice; a repeat with other params (another fingerprint) gets `conflict`.
 */
export class IdempotencyCache<T = CachedOutcome> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = DEDUPE_TTL_MS,
    private readonly maxEntries = DEDUPE_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live entry for a key: settled outcome, or the promise of one. */
  lookup(key: string): { readonly outcome: T | undefined; readonly settled: Promise<T>; readonly fingerprint: string } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.createdAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Run `work` once for `key`; concurrent and later repeats with the same fingerprint share its outcome. */
  run(key: string, fingerprint: string, work: () => Promise<T>, conflict: () => T): Promise<T> {
    const existing = this.lookup(key);
    if (existing) return existing.fingerprint === fingerprint ? existing.settled : Promise.resolve(conflict());
    const entry: Entry<T> = {
      createdAt: this.now(),
      fingerprint,
      outcome: undefined,
      settled: work().then(
        (outcome) => {
          entry.outcome = outcome;
          return outcome;
        },
        (error: unknown) => {
          // A failure is not an answer to replay: the next repeat runs the work again.
          if (this.entries.get(key) === entry) this.entries.delete(key);
          throw error;
        },
      ),
    };
    this.entries.set(key, entry);
    this.evictOverflow();
    return entry.settled;
  }

  /** Drop expired entries; the maintenance timer calls this. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.createdAt > this.ttlMs && entry.outcome !== undefined) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    // Map iteration is insertion order, so the first keys are the oldest.
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (entry.outcome !== undefined) this.entries.delete(key);
    }
  }
}
