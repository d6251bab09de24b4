import { afterEach, describe, expect, it } from "vitest";
import { createAnthropicProvider, type AnthropicOptions } from "../src/providers/anthropic.js";
import type { ModelMessage, ModelRequest } from "../src/providers/types.js";
import { startAnthropicFake, type AnthropicFakeStep, type FakeServer } from "@openclaw/testing";
import { collect } from "./providers/collect.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(script: readonly AnthropicFakeStep[], options: Partial<AnthropicOptions> = {}) {
  fake = await startAnthropicFake({ script });
  return { fake, provider: createAnthropicProvider({ baseUrl: fake.url, apiKey: "sk-ant-test", ...options }) };
}

const ask = (model: string, thinkingLevel?: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model,
  messages: [{ role: "user", content: "Why is the sky blue?" }],
  ...(thinkingLevel === undefined ? {} : { thinkingLevel }),
  ...extra,
});

const bodyOf = (server: FakeServer, index = 0) => server.requests[index]?.body as Record<string, unknown>;

describe("anthropic thinking levels", () => {
  it("offers minimal … xhigh on claude-3-7-sonnet and Claude 4 and later, whatever the prefix", () => {
    const provider = createAnthropicProvider({ apiKey: "k" });
    for (const model of [
      "claude-3-7-sonnet-20250219",
      "claude-sonnet-4-20250514",
      "claude-opus-4-1-20250805",
      "claude-sonnet-4-5",
      "claude-haiku-4-5-20251001",
      "claude-opus-5",
      "anthropic/claude-sonnet-4",
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "claude-sonnet-4@20250514",
    ]) {
      expect(provider.thinking?.(model), model).toEqual({ levels: ["minimal", "low", "medium", "high", "xhigh"] });
    }
  });

  it("offers no levels on older models, and says why", () => {
    const provider = createAnthropicProvider({ apiKey: "k" });
    for (const model of ["claude-3-5-sonnet-20241022", "claude-3-5-haiku-latest", "claude-3-opus-20240229", "claude-2.1", "claude-instant-1.2"]) {
      const support = provider.thinking?.(model);
      expect(support?.levels, model).toEqual([]);
      expect(support?.reason).toBe(`model ${model} has no extended thinking; Anthropic offers it on claude-3-7-sonnet and Claude 4 models and later`);
    }
  });

  it("lets a reasoningModels list replace the rule: exact ids, prefix*, and [] for none", () => {
    const listed = createAnthropicProvider({ apiKey: "k", reasoningModels: ["claude-proxy-think*", "my-model"] });
    expect(listed.thinking?.("claude-proxy-think-v2").levels).toHaveLength(5);
    expect(listed.thinking?.("my-model").levels).toHaveLength(5);
    expect(listed.thinking?.("claude-sonnet-4-5")).toEqual({ levels: [], reason: "model claude-sonnet-4-5 is not on this provider's reasoningModels list" });
    expect(createAnthropicProvider({ apiKey: "k", reasoningModels: [] }).thinking?.("claude-opus-4").levels).toEqual([]);
  });
});

describe("anthropic thinking requests", () => {
  it("sends a level as thinking.budget_tokens with max_tokens the budget plus the reply tokens", async () => {
    const { fake, provider } = await start([
      { kind: "text", chunks: ["ok"] },
      { kind: "text", chunks: ["ok"] },
      { kind: "text", chunks: ["ok"] },
    ]);
    await collect(provider.stream(ask("claude-sonnet-4-5", "high")));
    await collect(provider.stream(ask("claude-sonnet-4-5", "minimal", { maxTokens: 500 })));
    await collect(provider.stream(ask("claude-opus-4-1", "xhigh")));
    expect(bodyOf(fake, 0)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 16_000 }, max_tokens: 20_096 });
    expect(bodyOf(fake, 1)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 1524 });
    // Within the 32000 output tokens of Opus 4.1.
    expect(bodyOf(fake, 2)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 24_000 }, max_tokens: 28_096 });
  });

  it("sends no thinking field for off, no level, a level the model lacks, or a model without thinking", async () => {
    const { fake, provider } = await start(Array.from({ length: 4 }, (): AnthropicFakeStep => ({ kind: "text", chunks: ["ok"] })));
    await collect(provider.stream(ask("claude-sonnet-4-5", "off")));
    await collect(provider.stream(ask("claude-sonnet-4-5")));
    await collect(provider.stream(ask("claude-sonnet-4-5", "ultra")));
    await collect(provider.stream(ask("claude-3-5-sonnet-20241022", "high")));
    for (const request of fake.requests) {
      expect(request.body).not.toHaveProperty("thinking");
      expect(request.body).toMatchObject({ max_tokens: 4096 });
    }
  });

  it("streams thinking_delta as thinking events before the text, and never the signature", async () => {
    const { provider } = await start([{ kind: "text", thinking: ["Rayleigh ", "scattering…"], chunks: ["Short ", "waves scatter."] }]);
    const { events, error } = await collect(provider.stream(ask("claude-sonnet-4-5", "low")));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "thinking", delta: "Rayleigh " },
      { type: "thinking", delta: "scattering…" },
      { type: "text", delta: "Short " },
      { type: "text", delta: "waves scatter." },
      { type: "done", stopReason: "end", usage: { inputTokens: 25, outputTokens: 2 } },
    ]);
  });
});

describe("anthropic thinking in tool loops", () => {
  const toolTurn: AnthropicFakeStep = {
    kind: "tool_use",
    thinking: ["I need the weather."],
    calls: [{ id: "toolu_1", name: "weather", jsonChunks: ['{"city":"Oslo"}'] }],
  };
  const history = (content = ""): ModelMessage[] => [
    { role: "user", content: "Weather in Oslo?" },
    { role: "assistant", content, toolCalls: [{ id: "toolu_1", name: "weather", arguments: '{"city":"Oslo"}' }] },
    { role: "tool", content: "12°C", toolCallId: "toolu_1", name: "weather" },
  ];
  const weatherTool = [{ name: "weather", description: "weather", parameters: { type: "object" } }];

  it("starts the tool-calling assistant turn with its signed thinking block when the loop continues", async () => {
    const { fake, provider } = await start([toolTurn, { kind: "text", thinking: ["12°C is mild."], chunks: ["It is 12°C."] }]);
    await collect(provider.stream({ ...ask("claude-sonnet-4-5", "medium"), tools: weatherTool }));
    const { events, error } = await collect(provider.stream({ model: "claude-sonnet-4-5", messages: history(), tools: weatherTool, thinkingLevel: "medium" }));
    expect(error).toBeUndefined();
    expect(events.filter((event) => event.type === "text")).toEqual([{ type: "text", delta: "It is 12°C." }]);
    const continuation = bodyOf(fake, 1);
    expect(continuation["thinking"]).toEqual({ type: "enabled", budget_tokens: 10_000 });
    expect((continuation["messages"] as unknown[])[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "I need the weather.", signature: "sig_fake_1" },
        { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Oslo" } },
      ],
    });
  });

  it("sends a continuation whose thinking blocks it does not know without thinking, which the API accepts", async () => {
    // A fresh provider (a restart) never saw the reply that called the tool.
    const { fake, provider } = await start([{ kind: "text", thinking: ["unused"], chunks: ["It is 12°C."] }]);
    const { events, error } = await collect(
      provider.stream({ model: "claude-sonnet-4-5", messages: history("Checking."), tools: weatherTool, thinkingLevel: "high" }),
    );
    expect(error).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual(["text", "done"]);
    expect(bodyOf(fake)).not.toHaveProperty("thinking");
    expect(bodyOf(fake)).toMatchObject({ max_tokens: 4096 });
  });

  it("the fake refuses, as the API does, a continuation with thinking on that lacks the blocks", async () => {
    const { fake } = await start([{ kind: "text", chunks: ["never"] }]);
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-sonnet-4-5",
        max_tokens: 20_000,
        thinking: { type: "enabled", budget_tokens: 16_000 },
        messages: [
          { role: "user", content: [{ type: "text", text: "Weather?" }] },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "weather", input: {} }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "12°C" }] },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("a final `assistant` message must start with a thinking block");
  });
});
