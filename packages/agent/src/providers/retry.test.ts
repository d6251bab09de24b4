import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderError } from "../errors.js";
import { backoffDelay, delay, withRetry } from "./retry.js";
import type { ModelProvider, ModelStreamEvent } from "./types.js";

/** A provider that plays one outcome per call: events, then optionally an error. */
function scripted(outcomes: { events?: ModelStreamEvent[]; error?: unknown }[]): ModelProvider & { calls: number } {
  const provider = {
    id: "scripted",
    label: "scripted",
    calls: 0,
    async *stream() {
      const outcome = outcomes[provider.calls++] ?? {};
      for (const event of outcome.events ?? []) yield event;
      if (outcome.error !== undefined) throw outcome.error;
    },
  };
  return provider;
}

async function drain(stream: AsyncIterable<ModelStreamEvent>) {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

const request = { model: "m", messages: [] };
const done: ModelStreamEvent = { type: "done", stopReason: "end" };

describe("withRetry", () => {
  it("never retries once an event was yielded", async () => {
    const provider = scripted([{ events: [{ type: "text", delta: "hi" }], error: new ProviderError("http", "boom", { status: 500 }) }, { events: [done] }]);
    const { events, error } = await drain(withRetry(provider, { sleep: () => Promise.resolve() }).stream(request));
    expect(events).toEqual([{ type: "text", delta: "hi" }]);
    expect(error).toMatchObject({ code: "http" });
    expect(provider.calls).toBe(1);
  });

  it("does not retry errors that are not retryable, nor foreign errors", async () => {
    for (const error of [new ProviderError("auth", "no"), new ProviderError("http", "bad", { status: 400 }), new Error("bug")]) {
      const provider = scripted([{ error }, { events: [done] }]);
      expect((await drain(withRetry(provider).stream(request))).error).toBe(error);
      expect(provider.calls).toBe(1);
    }
  });

  it("raises a rate limit whose retry-after exceeds maxDelayMs instead of waiting it out", async () => {
    const limited = new ProviderError("rate_limited", "slow", { status: 429, retryAfterMs: 60_000 });
    const provider = scripted([{ error: limited }, { events: [done] }]);
    const delays: number[] = [];
    const { error } = await drain(withRetry(provider, { sleep: async (ms) => void delays.push(ms) }).stream(request));
    expect(error).toBe(limited);
    expect(delays).toEqual([]);
  });

  it("reports each retry and passes the attempt number", async () => {
    const provider = scripted([{ error: new ProviderError("network", "down") }, { events: [done] }]);
    const seen: number[] = [];
    const wrapped = withRetry(provider, { sleep: () => Promise.resolve(), random: () => 1, onRetry: ({ attempt, delayMs }) => seen.push(attempt, delayMs) });
    expect((await drain(wrapped.stream(request))).events).toEqual([done]);
    expect(seen).toEqual([1, 500]);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("stops waiting and clears its timer when the request is aborted during the backoff", async () => {
    vi.useFakeTimers();
    const provider = scripted([{ error: new ProviderError("network", "down") }, { events: [done] }]);
    const controller = new AbortController();
    // Aborts once the default sleep has armed its timer.
    const onRetry = () => queueMicrotask(() => controller.abort());
    const stream = withRetry(provider, { baseDelayMs: 60_000, maxDelayMs: 60_000, onRetry }).stream({ ...request, signal: controller.signal });
    const { error } = await drain(stream);
    expect(error).toMatchObject({ code: "aborted" });
    expect(vi.getTimerCount()).toBe(0);
    expect(provider.calls).toBe(1);
  });
});

describe("withRetry and the wrapped provider's other members", () => {
  it("answers thinking levels as the wrapped provider does, and omits them when it has none", () => {
    const inner: ModelProvider = {
      id: "inner",
      label: "inner",
      stream: () => (async function* () {})(),
      thinking: (model) => ({ levels: model === "deep" ? ["low", "high"] : [], default: "low" }),
    };
    expect(withRetry(inner).thinking?.("deep")).toEqual({ levels: ["low", "high"], default: "low" });
    expect(withRetry({ id: "bare", label: "bare", stream: inner.stream }).thinking).toBeUndefined();
  });

  it("answers whether a model takes images as the wrapped provider does", () => {
    const inner: ModelProvider = { id: "inner", label: "inner", stream: () => (async function* () {})(), supportsImages: (model) => model === "eyes" };
    expect(withRetry(inner).supportsImages?.("eyes")).toBe(true);
    expect(withRetry(inner).supportsImages?.("blind")).toBe(false);
    expect(withRetry({ id: "bare", label: "bare", stream: inner.stream }).supportsImages).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles per attempt within [step/2, step] and caps at maxDelayMs", () => {
    const options = { baseDelayMs: 500, maxDelayMs: 20_000 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(250);
    expect(backoffDelay(0, { ...options, random: () => 1 })).toBe(500);
    expect(backoffDelay(3, { ...options, random: () => 1 })).toBe(4000);
    expect(backoffDelay(10, { ...options, random: () => 1 })).toBe(20_000);
  });
});

describe("delay", () => {
  it("rejects at once when the signal is already aborted", async () => {
    await expect(delay(10_000, AbortSignal.abort())).rejects.toMatchObject({ code: "aborted" });
  });
});
