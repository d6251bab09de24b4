import { describe, expect, it, vi } from "vitest";
import { DEFAULT_RECONNECT, abortableSleep, supervisorPolicy } from "./reconnect-policy.js";

describe("supervisorPolicy", () => {
  it("takes the account's reconnect keys over the channel's defaults, key by key", () => {
    expect(supervisorPolicy(undefined)).toEqual({ backoff: { initialDelayMs: 1_000, maxDelayMs: 60_000 }, maxRestartsPerHour: 30 });
    expect(supervisorPolicy({ maxMs: 5_000 }, { ...DEFAULT_RECONNECT, maxRestartsPerHour: 60 })).toEqual({
      backoff: { initialDelayMs: 1_000, maxDelayMs: 5_000 },
      maxRestartsPerHour: 60,
    });
    expect(supervisorPolicy({ initialMs: 50, maxMs: 100, maxRestartsPerHour: 3 })).toEqual({
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
      maxRestartsPerHour: 3,
    });
  });
});

describe("abortableSleep", () => {
  it("resolves after the delay, or at once on abort, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      void abortableSleep(1_000, new AbortController().signal).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);

      const controller = new AbortController();
      const aborted = abortableSleep(60_000, controller.signal);
      controller.abort();
      await aborted;
      expect(vi.getTimerCount()).toBe(0);
      await abortableSleep(60_000, controller.signal);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
