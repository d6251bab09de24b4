import { GatewayClientError, GatewayRequestError } from "./errors.js";

/** How the client waits between reconnect attempts. */
export interface ReconnectPolicy {
  /** Delay before the first attempt. @default 1000 */
  readonly initialMs: number;
  /** Ceiling of any delay, jitter included. @default 30000 */
  readonly maxMs: number;
  /** Growth per attempt. @default 2 */
  readonly factor: number;
  /** Spread as a fraction of the delay (0.2 = ±20%), so clients restarted together do not reconnect together. @default 0.2 */
  readonly jitter: number;
  /** Attempts before giving up with status `closed`. @default Infinity */
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.2, maxAttempts: Infinity };

/**
 * The delay before reconnect attempt `attempt` (1-based): exponential from `initialMs`,
 * spread by ±`jitter`, never above `maxMs`. Pure: `random` returns a number in [0, 1).
 */
export function backoffDelay(attempt: number, policy: ReconnectPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter;
  const delay = base - spread + 2 * spread * random();
  return Math.round(Math.min(policy.maxMs, Math.max(0, delay)));
}

/** `retryAfterMs` hints of a starting gateway are clamped to this range (the reference client does the same). */
export const UNAVAILABLE_RETRY_CLAMP = { minMs: 100, maxMs: 2000 } as const;

/** Auth failures whose recommended next step is a human change, not a retry. */
const STOP_STEPS = new Set(["update_auth_configuration", "update_auth_credentials", "review_auth_configuration"]);

/**
 * Whether a failure ends the reconnect loop. A refused `connect` is terminal unless the
 * gateway says to come back (`UNAVAILABLE`, or `retryable`); pairing waits (`pauseReconnect`),
 * auth and protocol mismatches need a person. TLS, protocol and config errors never heal.
 */
export function isTerminalFailure(error: Error): boolean {
  if (error instanceof GatewayRequestError) {
    const details = (error.details ?? {}) as { pauseReconnect?: unknown; recommendedNextStep?: unknown };
    if (details.pauseReconnect === true) return true;
    if (typeof details.recommendedNextStep === "string" && STOP_STEPS.has(details.recommendedNextStep)) return true;
    return !(error.retryable || error.code === "UNAVAILABLE");
  }
  if (error instanceof GatewayClientError) return !error.retryable;
  return false;
}

/**
 * The delay before attempt `attempt`, given why the last one failed: a gateway's own
 * `UNAVAILABLE` hint wins (clamped), other hints stretch the backoff up to `maxMs`.
 */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, lastError: Error, random: () => number = Math.random): number {
  const backoff = backoffDelay(attempt, policy, random);
  if (!(lastError instanceof GatewayRequestError) || lastError.retryAfterMs === undefined) return backoff;
  if (lastError.code === "UNAVAILABLE") return Math.min(UNAVAILABLE_RETRY_CLAMP.maxMs, Math.max(UNAVAILABLE_RETRY_CLAMP.minMs, lastError.retryAfterMs));
  return Math.max(backoff, Math.min(policy.maxMs, lastError.retryAfterMs));
}
