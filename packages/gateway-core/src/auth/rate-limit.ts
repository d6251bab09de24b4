export interface RateLimitPolicy {
  /** Failures allowed within `windowMs` before lockout. @default 10 */
  readonly maxAttempts: number;
  /** @default 60000 */
  readonly windowMs: number;
  /** @default 300000 */
  readonly lockoutMs: number;
  /** Loopback peers are never locked out. @default true */
  readonly exemptLoopback: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true };

/** Credential classes keep separate buckets, so one kind of failure cannot lock out another. */
export type CredentialClass = "shared-secret" | "device-token" | "bootstrap-token";

interface Bucket {
  failures: number[];
  lockedUntil: number;
}

/**
 * Failed-auth limiter keyed by client address and credential class. Only wrong
 * credentials count; a success clears that class's bucket.
 */
export class FailedAuthLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly policy: RateLimitPolicy = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it is not locked out. */
  retryAfterMs(address: string, kind: CredentialClass): number {
    const bucket = this.buckets.get(`${kind}|${address}`);
    if (!bucket) return 0;
    return Math.max(0, bucket.lockedUntil - this.now());
  }

  /** Record a wrong credential; returns the lockout left (0 while still under the limit). */
  recordFailure(address: string, kind: CredentialClass, loopback: boolean): number {
    if (loopback && this.policy.exemptLoopback) return 0;
    const key = `${kind}|${address}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { failures: [], lockedUntil: 0 };
    bucket.failures = bucket.failures.filter((at) => now - at < this.policy.windowMs);
    bucket.failures.push(now);
    if (bucket.failures.length >= this.policy.maxAttempts) {
      bucket.lockedUntil = now + this.policy.lockoutMs;
      bucket.failures = [];
    }
    this.buckets.set(key, bucket);
    return Math.max(0, bucket.lockedUntil - now);
  }

  recordSuccess(address: string, kind: CredentialClass): void {
    this.buckets.delete(`${kind}|${address}`);
  }

  /** Drop buckets with nothing left to remember; run from the maintenance timer. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      const recent = bucket.failures.some((at) => now - at < this.policy.windowMs);
      if (!recent && bucket.lockedUntil <= now) this.buckets.delete(key);
    }
  }
}
