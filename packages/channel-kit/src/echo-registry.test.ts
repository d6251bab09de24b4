import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EchoRegistry } from "./echo-registry.js";
import { ClosedError, InvalidOptionError } from "./errors.js";

describe("EchoRegistry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports our own ids as echoes for 30 s by default", () => {
    const registry = new EchoRegistry();
    registry.remember("telegram", "default", "chat-1", ["m1", "m2"]);
    expect(registry.isEcho("telegram", "default", "chat-1", "m1")).toBe(true);
    expect(registry.isEcho("telegram", "default", "chat-1", "m2")).toBe(true);
    vi.advanceTimersByTime(29_999);
    expect(registry.isEcho("telegram", "default", "chat-1", "m1")).toBe(true);
    vi.advanceTimersByTime(1);
    expect(registry.isEcho("telegram", "default", "chat-1", "m1")).toBe(false);
    registry.close();
  });

  it("scopes ids by channel, account and chat", () => {
    const registry = new EchoRegistry();
    registry.remember("slack", "a", "c", "m1");
    expect(registry.isEcho("slack", "a", "c", "m1")).toBe(true);
    expect(registry.isEcho("discord", "a", "c", "m1")).toBe(false);
    expect(registry.isEcho("slack", "b", "c", "m1")).toBe(false);
    expect(registry.isEcho("slack", "a", "d", "m1")).toBe(false);
    registry.close();
  });

  it("honours a configured TTL and sweeps expired ids with its one timer", () => {
    const registry = new EchoRegistry({ ttlMs: 1_000 });
    expect(vi.getTimerCount()).toBe(0);
    registry.remember("x", "a", "c", "m1");
    registry.remember("x", "a", "c", "m2");
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(registry.size).toBe(0);
    // The sweep stops itself once nothing is left.
    expect(vi.getTimerCount()).toBe(0);
    registry.close();
  });

  it("close() clears the sweep timer and refuses new ids", () => {
    const registry = new EchoRegistry();
    registry.remember("x", "a", "c", "m1");
    expect(vi.getTimerCount()).toBe(1);
    registry.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(registry.isEcho("x", "a", "c", "m1")).toBe(false);
    expect(() => registry.remember("x", "a", "c", "m2")).toThrow(ClosedError);
  });

  it("stays bounded under a send burst", () => {
    const registry = new EchoRegistry({ maxEntries: 3 });
    for (let i = 0; i < 10; i += 1) registry.remember("x", "a", "c", `m${i}`);
    expect(registry.size).toBe(3);
    expect(registry.isEcho("x", "a", "c", "m9")).toBe(true);
    expect(registry.isEcho("x", "a", "c", "m0")).toBe(false);
    registry.close();
  });

  it("rejects a nonsensical TTL", () => {
    expect(() => new EchoRegistry({ ttlMs: 0 })).toThrow(InvalidOptionError);
  });
});
