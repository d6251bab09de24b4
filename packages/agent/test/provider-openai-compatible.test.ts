import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../src/errors.js";
import { createOpenAiCompatibleProvider } from "../src/providers/openai-compatible.js";
import { withRetry } from "../src/providers/retry.js";
import type { ModelRequest } from "../src/providers/types.js";
import { startOpenAiFake, type FakeServer, type OpenAiFakeOptions } from "@openclaw/testing";
import { collect, recordingSleep, textOf } from "./providers/collect.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: OpenAiFakeOptions) {
  fake = await startOpenAiFake(options);
  return { fake, provider: createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1`, apiKey: "sk-test" }) };
}

const hello: ModelRequest = { model: "gpt-test", messages: [{ role: "user", content: "Hi" }] };

describe("openai-compatible provider", () => {
  it("streams text deltas, then done with the stop reason and usage", async () => {
    const { provider } = await start({ script: [{ kind: "text", chunks: ["Hel", "lo ", "wörld 👋"], usage: { prompt: 7, completion: 3 } }] });
    const { events, error } = await collect(provider.stream(hello));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo " },
      { type: "text", delta: "wörld 👋" },
      { type: "done", stopReason: "end", usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
  });

  it("maps messages, tools, limits and auth into the request", async () => {
    fake = await startOpenAiFake({ script: [{ kind: "text", chunks: ["ok"] }] });
    const provider = createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1/`, apiKey: "sk-test", headers: { "X-Title": "OpenClaw" } });
    await collect(
      provider.stream({
        model: "gpt-test",
        maxTokens: 256,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Weather?" },
          { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Oslo"}' }] },
          { role: "tool", content: "12°C", toolCallId: "call_1", name: "weather" },
        ],
        tools: [{ name: "weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      }),
    );
    const [request] = fake.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(request?.headers["x-title"]).toBe("OpenClaw");
    expect(request?.body).toEqual({
      model: "gpt-test",
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "12°C" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
        },
      ],
    });
  });

  it("assembles tool calls streamed in fragments, one event per call", async () => {
    const { provider } = await start({
      script: [
        {
          kind: "tool_calls",
          text: ["Checking."],
          calls: [
            { id: "call_a", name: "weather", argumentChunks: ['{"ci', 'ty":', '"Oslo"}'] },
            { id: "call_b", name: "time", argumentChunks: [] },
          ],
        },
      ],
    });
    const { events, error } = await collect(provider.stream(hello));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "text", delta: "Checking." },
      { type: "tool_call", call: { id: "call_a", name: "weather", arguments: '{"city":"Oslo"}' } },
      { type: "tool_call", call: { id: "call_b", name: "time", arguments: "{}" } },
      { type: "done", stopReason: "tool_calls", usage: { inputTokens: 20, outputTokens: 9 } },
    ]);
  });

  it("maps finish_reason length to max_tokens", async () => {
    const { provider } = await start({ script: [{ kind: "text", chunks: ["trunc"], finishReason: "length" }] });
    const { events } = await collect(provider.stream(hello));
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "max_tokens" });
  });

  it("retries a 429 after the retry-after delay, then streams", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "rate_limited", retryAfter: "2" },
        { kind: "text", chunks: ["after wait"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep }).stream(hello));
    expect(error).toBeUndefined();
    expect(delays).toEqual([2000]);
    expect(textOf(events)).toBe("after wait");
    expect(fake.requests).toHaveLength(2);
  });

  it("prefers retry-after-ms over retry-after", async () => {
    const { provider } = await start({
      script: [
        { kind: "rate_limited", retryAfter: "2", retryAfterMs: "150" },
        { kind: "text", chunks: ["ok"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    await collect(withRetry(provider, { sleep }).stream(hello));
    expect(delays).toEqual([150]);
  });

  it("retries a 500 with backoff and gives up after maxRetries", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "error", status: 500 },
        { kind: "error", status: 502 },
        { kind: "error", status: 503 },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep, random: () => 0.5, baseDelayMs: 100 }).stream(hello));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: "http", status: 503, retryable: true });
    expect(delays).toEqual([75, 150]);
    expect(fake.requests).toHaveLength(3);
  });

  it("raises stream_cut after the partial text when the body ends without [DONE], and does not retry", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "cut", chunks: ["partial ", "answ"] },
        { kind: "text", chunks: ["never"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep }).stream(hello));
    expect(events).toEqual([
      { type: "text", delta: "partial " },
      { type: "text", delta: "answ" },
    ]);
    expect(error).toMatchObject({ name: "ProviderError", code: "stream_cut" });
    expect((error as Error).message).toContain("stream broke off");
    expect(delays).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("raises stream_cut when the body ends cleanly but without [DONE]", async () => {
    const { provider } = await start({ script: [{ kind: "cut", chunks: ["so far"], graceful: true }] });
    const { events, error } = await collect(provider.stream(hello));
    expect(events).toEqual([{ type: "text", delta: "so far" }]);
    expect(error).toMatchObject({ code: "stream_cut", message: expect.stringContaining("before [DONE]") });
  });

  it("stops the HTTP request when aborted mid-stream", async () => {
    const { fake, provider } = await start({ script: [{ kind: "hang", chunks: ["thinking…"] }] });
    const controller = new AbortController();
    const events = [];
    let error: unknown;
    try {
      for await (const event of provider.stream({ ...hello, signal: controller.signal })) {
        events.push(event);
        controller.abort(new Error("user pressed stop"));
      }
    } catch (caught) {
      error = caught;
    }
    expect(events).toEqual([{ type: "text", delta: "thinking…" }]);
    expect(error).toMatchObject({ code: "aborted", retryable: false });
    expect(await fake.requests[0]?.closed).toEqual({ early: true });
  });

  it("closes the HTTP request when the consumer stops iterating", async () => {
    const { fake, provider } = await start({ script: [{ kind: "hang", chunks: ["a"] }] });
    for await (const event of provider.stream(hello)) if (event.type === "text") break;
    expect(await fake.requests[0]?.closed).toEqual({ early: true });
  });

  it("reports a wrong API key as auth and does not retry it", async () => {
    fake = await startOpenAiFake({ apiKey: "sk-right", script: [{ kind: "text", chunks: ["no"] }] });
    const { sleep, delays } = recordingSleep();
    const provider = withRetry(createOpenAiCompatibleProvider({ baseUrl: fake.url, apiKey: "sk-wrong" }), { sleep });
    const { error } = await collect(provider.stream(hello));
    expect(error).toMatchObject({ code: "auth", status: 401, retryable: false });
    expect((error as Error).message).toContain("Incorrect API key provided");
    expect(delays).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an unreachable server as a retryable network error", async () => {
    const closed = await startOpenAiFake({ script: [] });
    await closed.close();
    const provider = createOpenAiCompatibleProvider({ baseUrl: closed.url });
    const { error } = await collect(provider.stream(hello));
    expect(error).toMatchObject({ code: "network", retryable: true });
  });

  it("lists models from GET /models", async () => {
    const { provider } = await start({ script: [], models: ["llama3", "qwen"] });
    expect(await provider.listModels?.()).toEqual([
      { id: "llama3", name: "llama3" },
      { id: "qwen", name: "qwen" },
    ]);
  });

  it("rejects a baseUrl that is not an http URL", () => {
    expect(() => createOpenAiCompatibleProvider({ baseUrl: "localhost:11434" })).toThrow(/baseUrl must be an absolute http\(s\) URL/);
  });
});

describe("openai-compatible provider and images", () => {
  const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

  it("sends a user message with images as a text part and one image_url data URL per image", async () => {
    const { fake, provider } = await start({ script: [{ kind: "text", chunks: ["A cat."] }] });
    await collect(
      provider.stream({
        model: "gpt-4o",
        messages: [
          { role: "user", content: "earlier" },
          { role: "user", content: "What is this?", images: [{ mime: "image/png", data: PNG }] },
        ],
      }),
    );
    expect((fake.requests[0]?.body as { messages: unknown }).messages).toEqual([
      { role: "user", content: "earlier" },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
    ]);
  });

  it("takes images on gpt-4o, gpt-4.1 and gpt-5 models, prefixed or not, and not on others", async () => {
    const { provider } = await start({ script: [] });
    const takes = (model: string) => provider.supportsImages?.(model);
    expect(["gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "gpt-5", "openai/gpt-5-mini"].map(takes)).toEqual([true, true, true, true, true]);
    expect(["gpt-3.5-turbo", "gpt-4o-audio-preview", "gpt-4o-realtime-preview", "llama3", "o3-mini"].map(takes)).toEqual([false, false, false, false, false]);
  });

  it("follows modelInput for the models it names and the built-in rule for the rest", async () => {
    const provider = createOpenAiCompatibleProvider({ baseUrl: "http://127.0.0.1:9/v1", modelInput: { "llava:13b": ["text", "image"], "gpt-4o": ["text"] } });
    expect(provider.supportsImages?.("llava:13b")).toBe(true);
    expect(provider.supportsImages?.("gpt-4o")).toBe(false);
    expect(provider.supportsImages?.("gpt-4.1")).toBe(true);
    expect(provider.supportsImages?.("constructor")).toBe(false);
  });
});
