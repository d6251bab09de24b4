import { InvalidOptionError } from "./errors.js";

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. @default 1_000 */
  readonly initialDelayMs: number;
  /** Largest delay ever returned. @default 60_000 */
  readonly maxDelayMs: number;
  /** Growth of the ceiling per attempt. @default 2 */
  readonly multiplier: number;
  /** Floor under the jittered delay, so a low random draw cannot cause a tight loop. @default 100 */
  readonly minDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 60_000, multiplier: 2, minDelayMs: 100 };

/** The largest delay for `attempt` (1-based): `min(max, initial * multiplier^(attempt-1))`. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new InvalidOptionError("attempt", "an integer >= 1", attempt);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
}

/**
 * Delay before retry `attempt` (1-based), with full jitter: uniform in
 * `[minDelayMs, ceiling]`. Pure: the same inputs give the same delay.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, policy);
  const floor = Math.min(policy.minDelayMs, ceiling);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(floor + draw * (ceiling - floor));
}
