export interface RateLimitPolicy {
  /** Failures allowed within `windowMs` before lockout. @default 10 */
  readonly maxAttempts: number;
  /** @default 60000 */
  readonly windowMs: number;
  /** @default 300000 */
  readonly lockoutMs: number;
  /** Loopback peers without an Origin are never locked out (they are still slowed down). @default true */
  readonly exemptLoopback: boolean;
  /** Wait before the attempt after the first failure; it doubles with each further failure. @default 250 */
  readonly delayBaseMs?: number;
  /** The longest wait between two attempts of one key and credential class. @default 5000 */
  readonly delayMaxMs?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = {
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
  exemptLoopback: true,
  delayBaseMs: 250,
  delayMaxMs: 5_000,
};

/** Credential classes keep separate buckets, so one kind of failure cannot lock out another. */
export type CredentialClass = "shared-secret" | "device-token" | "bootstrap-token" | "dashboard-code";

/** Who an attempt is counted against: the peer address, or a browser origin on loopback. */
export interface AttemptSource {
  readonly address: string;
  readonly loopback: boolean;
  /** The `Origin` header of a browser connection; browsers are never exempt. */
  readonly origin?: string | undefined;
}

/** What an attempt must do before its credential is checked; `release` ends a let-through attempt. */
export type AttemptGate =
  { readonly kind: "locked"; readonly retryAfterMs: number } | { readonly kind: "wait"; readonly waitMs: number; readonly release: () => void };

interface Bucket {
  /** Failure times inside the window, for the lockout. */
  failures: number[];
  lockedUntil: number;
  /** Consecutive failures since the last success: the length of the next wait. */
  streak: number;
  lastFailureAt: number;
  /** The earliest time the next attempt may be checked. */
  nextSlotAt: number;
  /** An attempt of this key is waiting or being checked: after a failure, one at a time. */
  busy: boolean;
}

function bucketKey(source: AttemptSource, kind: CredentialClass): string {
  // From loopback every browser tab shares the address, so the origin tells attackers apart.
  const who = source.loopback && source.origin !== undefined ? `browser-origin:${source.origin.toLowerCase()}` : source.address;
  return `${kind}|${who}`;
}

/**
 * Failed-auth limiter keyed by source and credential class. Only wrong credentials count; a
 * success clears that class's bucket. Two defences: every failure makes the next attempt of the
 * same key wait longer (250 ms, 0.5 s, 1 s … 5 s, loopback included), and `maxAttempts` failures
 * in the window lock a non-exempt key out for `lockoutMs`.
 */
export class FailedAuthLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly delayBaseMs: number;
  private readonly delayMaxMs: number;

  constructor(
    private readonly policy: RateLimitPolicy = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.delayBaseMs = policy.delayBaseMs ?? DEFAULT_RATE_LIMIT.delayBaseMs!;
    this.delayMaxMs = policy.delayMaxMs ?? DEFAULT_RATE_LIMIT.delayMaxMs!;
  }

  /** The wait that follows `streak` consecutive failures. */
  delayAfter(streak: number): number {
    if (streak <= 0) return 0;
    return Math.min(this.delayMaxMs, this.delayBaseMs * 2 ** Math.min(streak - 1, 30));
  }

  /** Milliseconds until the key may try again, or 0 when it is not locked out. */
  retryAfterMs(source: AttemptSource, kind: CredentialClass): number {
    const bucket = this.bucket(source, kind);
    if (!bucket) return 0;
    return Math.max(0, bucket.lockedUntil - this.now());
  }

  /**
   * Asked before a credential is checked. A locked-out key is refused. After a failure the key
   * gets one attempt at a time, each after the current delay: a second attempt while one is
   * waiting or being checked is refused with the time to retry, so parallel guessing gains
   * nothing and waiting attempts never pile up. The attempt calls `release` when it is decided.
   */
  gate(source: AttemptSource, kind: CredentialClass): AttemptGate {
    const lockedFor = this.retryAfterMs(source, kind);
    if (lockedFor > 0) return { kind: "locked", retryAfterMs: lockedFor };
    const bucket = this.bucket(source, kind);
    if (bucket === undefined || bucket.streak === 0) return { kind: "wait", waitMs: 0, release: () => undefined };
    const waitMs = Math.max(0, bucket.nextSlotAt - this.now());
    if (bucket.busy) return { kind: "locked", retryAfterMs: Math.max(waitMs, this.delayAfter(bucket.streak)) };
    bucket.busy = true;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      bucket.busy = false;
    };
    return { kind: "wait", waitMs, release };
  }

  /** Record a wrong credential; returns the lockout left (0 while still under the limit or exempt). */
  recordFailure(source: AttemptSource, kind: CredentialClass): number {
    const key = bucketKey(source, kind);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { failures: [], lockedUntil: 0, streak: 0, lastFailureAt: 0, nextSlotAt: 0, busy: false };
    this.buckets.set(key, bucket);
    bucket.streak += 1;
    bucket.lastFailureAt = now;
    bucket.nextSlotAt = now + this.delayAfter(bucket.streak);
    const exempt = source.loopback && source.origin === undefined && this.policy.exemptLoopback;
    if (exempt) return 0;
    bucket.failures = bucket.failures.filter((at) => now - at < this.policy.windowMs);
    bucket.failures.push(now);
    if (bucket.failures.length >= this.policy.maxAttempts) {
      bucket.lockedUntil = now + this.policy.lockoutMs;
      bucket.failures = [];
    }
    return Math.max(0, bucket.lockedUntil - now);
  }

  recordSuccess(source: AttemptSource, kind: CredentialClass): void {
    this.buckets.delete(bucketKey(source, kind));
  }

  /** Drop buckets with nothing left to remember; run from the maintenance timer. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      const quiet = now - bucket.lastFailureAt >= this.policy.windowMs && bucket.nextSlotAt <= now && !bucket.busy;
      if (quiet && bucket.lockedUntil <= now) this.buckets.delete(key);
    }
  }

  /** A key that failed nothing for a whole window starts over: the delay decays with time. */
  private bucket(source: AttemptSource, kind: CredentialClass): Bucket | undefined {
    const key = bucketKey(source, kind);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return undefined;
    const now = this.now();
    if (now - bucket.lastFailureAt >= this.policy.windowMs && bucket.nextSlotAt <= now && bucket.lockedUntil <= now && !bucket.busy) {
      this.buckets.delete(key);
      return undefined;
    }
    return bucket;
  }
}
