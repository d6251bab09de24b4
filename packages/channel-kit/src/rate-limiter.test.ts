import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClosedError } from "./errors.js";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track(promise: Promise<void>, label: string, log: string[]): Promise<void> {
    return promise.then(() => void log.push(label));
  }

  it("paces one chat by its bucket and keeps order", async () => {
    const limiter = new RateLimiter({ perChat: { capacity: 1, refillPerSecond: 1 } });
    const log: string[] = [];
    const done = Promise.all(["a", "b", "c"].map((label) => track(limiter.acquire("acct", "chat"), label, log)));
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(["a"]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(1_000);
    await done;
    expect(log).toEqual(["a", "b", "c"]);
    expect(vi.getTimerCount()).toBe(0);
    limiter.close();
  });

  it("needs a token from the account bucket too", async () => {
    const limiter = new RateLimiter({ perAccount: { capacity: 2, refillPerSecond: 1 }, perChat: { capacity: 10, refillPerSecond: 10 } });
    const log: string[] = [];
    void track(limiter.acquire("acct", "c1"), "c1", log);
    void track(limiter.acquire("acct", "c2"), "c2", log);
    void track(limiter.acquire("acct", "c3"), "c3", log);
    void track(limiter.acquire("other", "c3"), "other", log);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(["c1", "c2", "other"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(["c1", "c2", "other", "c3"]);
    limiter.close();
  });

  it("sends nothing on a penalized chat until retry_after has passed", async () => {
    const limiter = new RateLimiter({ perChat: { capacity: 5, refillPerSecond: 5 } });
    await limiter.acquire("acct", "chat");
    limiter.penalize("acct", "chat", 7_000);
    const log: string[] = [];
    void track(limiter.acquire("acct", "chat"), "blocked", log);
    void track(limiter.acquire("acct", "other"), "other-chat", log);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(log).toEqual(["other-chat"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(["other-chat", "blocked"]);
    limiter.close();
  });

  it("a penalty on the account blocks every chat, and a later penalty extends a waiter already sleeping", async () => {
    const limiter = new RateLimiter();
    const log: string[] = [];
    limiter.penalize("acct", undefined, 1_000);
    void track(limiter.acquire("acct", "a"), "a", log);
    await vi.advanceTimersByTimeAsync(500);
    limiter.penalize("acct", undefined, 2_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(["a"]);
    limiter.close();
  });

  it("holds at most one timer per chat queue and clears them all on close", async () => {
    const limiter = new RateLimiter();
    await limiter.acquire("acct", "c1");
    await limiter.acquire("acct", "c2");
    const pending = [limiter.acquire("acct", "c1"), limiter.acquire("acct", "c1"), limiter.acquire("acct", "c2")];
    for (const promise of pending) promise.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(2);
    limiter.close();
    expect(vi.getTimerCount()).toBe(0);
    for (const promise of pending) await expect(promise).rejects.toBeInstanceOf(ClosedError);
    await expect(limiter.acquire("acct", "c3")).rejects.toBeInstanceOf(ClosedError);
  });

  it("lets a waiter abort, passing its place to the next", async () => {
    const limiter = new RateLimiter();
    await limiter.acquire("acct", "c");
    const controller = new AbortController();
    const first = limiter.acquire("acct", "c", { signal: controller.signal });
    const log: string[] = [];
    void track(limiter.acquire("acct", "c"), "second", log);
    controller.abort(new Error("shutting down"));
    await expect(first).rejects.toThrow("shutting down");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(["second"]);
    expect(vi.getTimerCount()).toBe(0);
    limiter.close();
  });

  it("rejects nonsensical options", () => {
    expect(() => new RateLimiter({ perChat: { capacity: 0, refillPerSecond: 1 } })).toThrow(/perChat.capacity/);
    expect(() => new RateLimiter().penalize("a", undefined, -1)).toThrow(/retryAfterMs/);
  });
});
