import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, backoffCeiling, backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  it("grows the ceiling exponentially up to the cap", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((attempt) => backoffCeiling(attempt))).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
  });

  it("applies full jitter between the floor and the ceiling", () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(100);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 1)).toBe(4_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(2_050);
    for (let i = 0; i < 1_000; i += 1) {
      const delay = backoffDelay(1 + (i % 12));
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });

  it("is pure", () => {
    const policy = { initialDelayMs: 500, maxDelayMs: 5_000, multiplier: 3, minDelayMs: 0 };
    expect(backoffDelay(2, policy, () => 0.25)).toBe(backoffDelay(2, policy, () => 0.25));
    expect(backoffDelay(2, policy, () => 0.25)).toBe(375);
  });

  it("rejects attempts below 1", () => {
    expect(() => backoffDelay(0)).toThrow(/option attempt/);
  });
});
