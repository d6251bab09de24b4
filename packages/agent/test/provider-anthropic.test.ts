import { afterEach, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../src/providers/anthropic.js";
import { withRetry } from "../src/providers/retry.js";
import type { ModelRequest } from "../src/providers/types.js";
import { startAnthropicFake, type AnthropicFakeOptions, type FakeServer } from "@openclaw/testing";
import { collect, recordingSleep, textOf } from "./providers/collect.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: AnthropicFakeOptions) {
  fake = await startAnthropicFake(options);
  return { fake, provider: createAnthropicProvider({ baseUrl: fake.url, apiKey: "sk-ant-test" }) };
}

const hello: ModelRequest = { model: "claude-test", messages: [{ role: "user", content: "Hi" }] };

describe("anthropic provider", () => {
  it("streams text deltas, then done with the stop reason and usage", async () => {
    const { provider } = await start({ script: [{ kind: "text", chunks: ["Hel", "lo ", "wörld 👋"], usage: { input: 11, output: 4 } }] });
    const { events, error } = await collect(provider.stream(hello));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo " },
      { type: "text", delta: "wörld 👋" },
      { type: "done", stopReason: "end", usage: { inputTokens: 11, outputTokens: 4 } },
    ]);
  });

  it("sends system on top, tool calls as tool_use and results as one user turn of tool_result blocks", async () => {
    const { fake, provider } = await start({ script: [{ kind: "text", chunks: ["ok"] }] });
    await collect(
      provider.stream({
        model: "claude-test",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Weather and time?" },
          {
            role: "assistant",
            content: "Checking.",
            toolCalls: [
              { id: "toolu_1", name: "weather", arguments: '{"city":"Oslo"}' },
              { id: "toolu_2", name: "time", arguments: "{}" },
            ],
          },
          { role: "tool", content: "12°C", toolCallId: "toolu_1", name: "weather" },
          { role: "tool", content: "09:00", toolCallId: "toolu_2", name: "time" },
          { role: "user", content: "Thanks" },
        ],
        tools: [{ name: "weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      }),
    );
    const [request] = fake.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe("sk-ant-test");
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.body).toEqual({
      model: "claude-test",
      max_tokens: 4096,
      stream: true,
      system: "Be brief.",
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather and time?" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Oslo" } },
            { type: "tool_use", id: "toolu_2", name: "time", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "12°C" },
            { type: "tool_result", tool_use_id: "toolu_2", content: "09:00" },
            { type: "text", text: "Thanks" },
          ],
        },
      ],
      tools: [{ name: "weather", description: "Current weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
    });
  });

  it("assembles tool_use input from input_json_delta fragments and emits the call at content_block_stop", async () => {
    const { provider } = await start({
      script: [
        {
          kind: "tool_use",
          text: ["Let me check."],
          calls: [
            { id: "toolu_a", name: "weather", jsonChunks: ['{"ci', 'ty": "Os', 'lo"}'] },
            { id: "toolu_b", name: "time", jsonChunks: [] },
          ],
        },
      ],
    });
    const { events, error } = await collect(provider.stream(hello));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "text", delta: "Let me check." },
      { type: "tool_call", call: { id: "toolu_a", name: "weather", arguments: '{"city": "Oslo"}' } },
      { type: "tool_call", call: { id: "toolu_b", name: "time", arguments: "{}" } },
      { type: "done", stopReason: "tool_calls", usage: { inputTokens: 25, outputTokens: 30 } },
    ]);
  });

  it("maps stop reasons", async () => {
    const { provider } = await start({
      script: [
        { kind: "text", chunks: ["cut"], stopReason: "max_tokens" },
        { kind: "text", chunks: ["no"], stopReason: "refusal" },
      ],
    });
    expect((await collect(provider.stream(hello))).events.at(-1)).toMatchObject({ stopReason: "max_tokens" });
    expect((await collect(provider.stream(hello))).events.at(-1)).toMatchObject({ stopReason: "refusal" });
  });

  it("retries a 429 after the retry-after delay, then streams", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "rate_limited", retryAfter: "3" },
        { kind: "text", chunks: ["after wait"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep }).stream(hello));
    expect(error).toBeUndefined();
    expect(delays).toEqual([3000]);
    expect(textOf(events)).toBe("after wait");
    expect(fake.requests).toHaveLength(2);
  });

  it("honours a retry-after given as an HTTP date", async () => {
    const { provider } = await start({ script: [{ kind: "rate_limited", retryAfter: new Date(Date.now() + 60_000).toUTCString() }] });
    const { error } = await collect(provider.stream(hello));
    expect(error).toMatchObject({ code: "rate_limited", status: 429 });
    const wait = (error as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it("retries a 500, then streams", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "error", status: 500 },
        { kind: "text", chunks: ["recovered"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events } = await collect(withRetry(provider, { sleep, random: () => 0 }).stream(hello));
    expect(textOf(events)).toBe("recovered");
    expect(delays).toEqual([250]);
    expect(fake.requests).toHaveLength(2);
  });

  it("retries an overloaded error event that arrives before any output", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "error_event", errorType: "overloaded_error" },
        { kind: "text", chunks: ["fine now"] },
      ],
    });
    const { sleep, delays } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep }).stream(hello));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe("fine now");
    expect(delays).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it("raises an error event after output without retrying", async () => {
    const { fake, provider } = await start({
      script: [
        { kind: "error_event", chunks: ["half"], errorType: "overloaded_error", message: "Overloaded" },
        { kind: "text", chunks: ["x"] },
      ],
    });
    const { sleep } = recordingSleep();
    const { events, error } = await collect(withRetry(provider, { sleep }).stream(hello));
    expect(events).toEqual([{ type: "text", delta: "half" }]);
    expect(error).toMatchObject({ code: "http", status: 529 });
    expect((error as Error).message).toContain("overloaded_error: Overloaded");
    expect(fake.requests).toHaveLength(1);
  });

  it("raises stream_cut after the partial text when the body ends without message_stop", async () => {
    const { provider } = await start({ script: [{ kind: "cut", chunks: ["partial ", "answ"] }] });
    const { events, error } = await collect(provider.stream(hello));
    expect(events).toEqual([
      { type: "text", delta: "partial " },
      { type: "text", delta: "answ" },
    ]);
    expect(error).toMatchObject({ name: "ProviderError", code: "stream_cut" });
  });

  it("raises stream_cut when the body ends cleanly but without message_stop", async () => {
    const { provider } = await start({ script: [{ kind: "cut", chunks: ["so far"], graceful: true }] });
    const { events, error } = await collect(provider.stream(hello));
    expect(events).toEqual([{ type: "text", delta: "so far" }]);
    expect(error).toMatchObject({ code: "stream_cut", message: expect.stringContaining("before message_stop") });
  });

  it("stops the HTTP request when aborted mid-stream", async () => {
    const { fake, provider } = await start({ script: [{ kind: "hang", chunks: ["thinking…"] }] });
    const controller = new AbortController();
    const events = [];
    let error: unknown;
    try {
      for await (const event of provider.stream({ ...hello, signal: controller.signal })) {
        events.push(event);
        controller.abort();
      }
    } catch (caught) {
      error = caught;
    }
    expect(events).toEqual([{ type: "text", delta: "thinking…" }]);
    expect(error).toMatchObject({ code: "aborted" });
    expect(await fake.requests[0]?.closed).toEqual({ early: true });
  });

  it("reports a wrong API key as auth and does not retry it", async () => {
    fake = await startAnthropicFake({ apiKey: "sk-ant-right", script: [] });
    const { sleep, delays } = recordingSleep();
    const provider = withRetry(createAnthropicProvider({ baseUrl: fake.url, apiKey: "sk-ant-wrong" }), { sleep });
    const { error } = await collect(provider.stream(hello));
    expect(error).toMatchObject({ code: "auth", status: 401, retryable: false });
    expect((error as Error).message).toContain("invalid x-api-key");
    expect(delays).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("lists models from GET /v1/models", async () => {
    const { provider } = await start({ script: [], models: [{ id: "claude-x", displayName: "Claude X" }] });
    expect(await provider.listModels?.()).toEqual([{ id: "claude-x", name: "Claude X" }]);
  });
});

describe("anthropic provider and images", () => {
  const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0);

  it("sends a user message with images as base64 image blocks before its text block", async () => {
    const { fake, provider } = await start({ script: [{ kind: "text", chunks: ["A dog."] }] });
    await collect(
      provider.stream({
        model: "claude-sonnet-4-5",
        messages: [
          { role: "user", content: "Look", images: [{ mime: "image/jpeg", data: JPEG }] },
          { role: "user", content: "", images: [{ mime: "image/jpeg", data: JPEG }] },
        ],
      }),
    );
    const image = { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4A==" } };
    expect((fake.requests[0]?.body as { messages: unknown }).messages).toEqual([{ role: "user", content: [image, { type: "text", text: "Look" }, image] }]);
  });

  it("takes images on Claude 3 and later, and follows modelInput for the models it names", () => {
    const provider = createAnthropicProvider({ apiKey: "k", modelInput: { "claude-sonnet-4-5": ["text"] } });
    expect(["claude-3-5-haiku-latest", "claude-opus-4-1", "anthropic/claude-3-opus"].map((model) => provider.supportsImages?.(model))).toEqual([
      true,
      true,
      true,
    ]);
    expect(["claude-2.1", "claude-instant-1.2", "claude-sonnet-4-5"].map((model) => provider.supportsImages?.(model))).toEqual([false, false, false]);
  });
});
