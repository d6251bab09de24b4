import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compare two secrets in constant time, whatever their lengths: both are hashed
 * first, so neither the length nor the first differing byte leaks through timing.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** The stored form of a device token: never the token itself. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
