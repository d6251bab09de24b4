import { afterEach, describe, expect, it } from "vitest";
import { MemoryTranscriptStore } from "../src/memory-transcript-store.js";
import { createAnthropicProvider } from "../src/providers/anthropic.js";
import { createOpenAiCompatibleProvider } from "../src/providers/openai-compatible.js";
import type { ModelProvider, ModelRequest } from "../src/providers/types.js";
import type { RunEvent } from "../src/run.js";
import { AgentRuntime, type ToolHost } from "../src/runtime.js";
import type { SessionOptions } from "../src/transcript.js";
import { startAnthropicFake, startOpenAiFake, type AnthropicFakeStep, type FakeServer, type OpenAiFakeStep } from "@openclaw/testing";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const KEY = "agent:main:main";

/** A runtime on `provider`/`model` whose session already carries `options`; it records every event. */
function runtimeWith(provider: ModelProvider, model: string, options: SessionOptions, tools?: ToolHost) {
  const store = new MemoryTranscriptStore();
  store.ensureSession(KEY, "main", 1);
  store.patchSession(KEY, { options }, 2);
  const events: RunEvent[] = [];
  const runtime = new AgentRuntime({ store, resolveModel: () => ({ provider, model }), onEvent: (event) => events.push(event), ...(tools ? { tools } : {}) });
  closers.push(() => runtime.close());
  const run = async (message: string) => runtime.submit({ runId: `run-${message}`, sessionKey: KEY, agentId: "main", message }).run.done;
  return { store, events, run };
}

async function anthropic(script: readonly AnthropicFakeStep[]): Promise<{ fake: FakeServer; provider: ModelProvider }> {
  const fake = await startAnthropicFake({ script });
  closers.push(() => fake.close());
  return { fake, provider: createAnthropicProvider({ baseUrl: fake.url, apiKey: "k" }) };
}

async function openAi(script: readonly OpenAiFakeStep[]): Promise<{ fake: FakeServer; provider: ModelProvider }> {
  const fake = await startOpenAiFake({ script });
  closers.push(() => fake.close());
  return { fake, provider: createOpenAiCompatibleProvider({ baseUrl: fake.url }) };
}

const thinkingEvents = (events: readonly RunEvent[]) => events.filter((event) => event.stream === "thinking").map((event) => event.data);
const streams = (events: readonly RunEvent[]) => events.map((event) => event.stream);
const bodyOf = (fake: FakeServer, index = 0) => fake.requests[index]?.body as Record<string, unknown>;

const weatherTool: ToolHost = {
  tools: () => [{ name: "weather", description: "weather", parameters: { type: "object" } }],
  call: async () => ({ text: "12°C" }),
};

describe("session thinking through the runtime, against the Anthropic fake", () => {
  it("asks for the session's level as a thinking budget and streams the thinking as agent events", async () => {
    const { fake, provider } = await anthropic([{ kind: "text", thinking: ["Blue light ", "scatters more."], chunks: ["Rayleigh scattering."] }]);
    const { events, run } = runtimeWith(provider, "claude-sonnet-4-5", { thinkingLevel: "high", reasoningLevel: "stream" });
    expect(await run("why blue")).toMatchObject({ status: "ok", text: "Rayleigh scattering." });
    expect(bodyOf(fake)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 16_000 }, max_tokens: 20_096 });
    expect(thinkingEvents(events)).toEqual([
      { text: "Blue light ", delta: "Blue light " },
      { text: "Blue light scatters more.", delta: "scatters more." },
    ]);
    expect(streams(events)).toEqual(["lifecycle", "thinking", "thinking", "assistant", "lifecycle"]);
  });

  it("emits thinking with reasoningLevel on too", async () => {
    const { provider } = await anthropic([{ kind: "text", thinking: ["Hm."], chunks: ["Yes."] }]);
    const { events, run } = runtimeWith(provider, "claude-opus-4-1", { thinkingLevel: "low", reasoningLevel: "on" });
    await run("q");
    expect(thinkingEvents(events)).toEqual([{ text: "Hm.", delta: "Hm." }]);
  });

  it("still thinks at the session's level with reasoning off, but emits no thinking", async () => {
    const { fake, provider } = await anthropic([{ kind: "text", thinking: ["secret"], chunks: ["Done."] }]);
    const { events, run } = runtimeWith(provider, "claude-sonnet-4-5", { thinkingLevel: "medium", reasoningLevel: "off" });
    expect(await run("q")).toMatchObject({ status: "ok", text: "Done." });
    expect(bodyOf(fake)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 10_000 } });
    expect(streams(events)).toEqual(["lifecycle", "assistant", "lifecycle"]);
  });

  it("sends no thinking field for a model without extended thinking, and the run succeeds", async () => {
    const { fake, provider } = await anthropic([{ kind: "text", chunks: ["Old model."] }]);
    const { run } = runtimeWith(provider, "claude-3-5-sonnet-20241022", { thinkingLevel: "high", reasoningLevel: "stream" });
    expect(await run("q")).toMatchObject({ status: "ok", text: "Old model." });
    expect(bodyOf(fake)).not.toHaveProperty("thinking");
  });

  it("drops a level the model does not take instead of failing the run", async () => {
    const { fake, provider } = await anthropic([{ kind: "text", chunks: ["Fine."] }]);
    const { run } = runtimeWith(provider, "claude-sonnet-4-5", { thinkingLevel: "ultra" });
    expect(await run("q")).toMatchObject({ status: "ok", text: "Fine." });
    expect(bodyOf(fake)).not.toHaveProperty("thinking");
  });

  it("keeps thinking on across a tool round: the continuation carries the signed thinking block", async () => {
    const { fake, provider } = await anthropic([
      { kind: "tool_use", thinking: ["Need weather."], calls: [{ id: "toolu_9", name: "weather", jsonChunks: ["{}"] }] },
      { kind: "text", thinking: ["Mild."], chunks: ["12°C in Oslo."] },
    ]);
    const { events, run } = runtimeWith(provider, "claude-sonnet-4-5", { thinkingLevel: "low", reasoningLevel: "stream" }, weatherTool);
    // The fake answers 400 to a continuation that lacks the block, which would fail the run.
    expect(await run("weather")).toMatchObject({ status: "ok", text: "12°C in Oslo." });
    expect(bodyOf(fake, 1)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 4096 } });
    expect((bodyOf(fake, 1)["messages"] as { content: unknown[] }[])[1]?.content[0]).toEqual({
      type: "thinking",
      thinking: "Need weather.",
      signature: "sig_fake_1",
    });
    expect(thinkingEvents(events)).toEqual([
      { text: "Need weather.", delta: "Need weather." },
      { text: "Need weather.Mild.", delta: "Mild." },
    ]);
  });
});

describe("session thinking through the runtime, against the OpenAI-compatible fake", () => {
  it("sends the session's level as reasoning_effort and streams the server's reasoning as agent events", async () => {
    const { fake, provider } = await openAi([{ kind: "text", reasoning: ["2+2 ", "is 4."], chunks: ["4"] }]);
    const { events, run } = runtimeWith(provider, "o3", { thinkingLevel: "high", reasoningLevel: "stream" });
    expect(await run("2+2")).toMatchObject({ status: "ok", text: "4" });
    expect(bodyOf(fake)).toMatchObject({ reasoning_effort: "high" });
    expect(thinkingEvents(events)).toEqual([
      { text: "2+2 ", delta: "2+2 " },
      { text: "2+2 is 4.", delta: "is 4." },
    ]);
  });

  it("sends no reasoning_effort to a model that does not take it, and emits nothing with reasoning off", async () => {
    const { fake, provider } = await openAi([{ kind: "text", reasoning: ["thinking anyway"], reasoningField: "reasoning", chunks: ["4"] }]);
    const { events, run } = runtimeWith(provider, "gpt-4o", { thinkingLevel: "high" });
    expect(await run("2+2")).toMatchObject({ status: "ok", text: "4" });
    expect(bodyOf(fake)).not.toHaveProperty("reasoning_effort");
    expect(thinkingEvents(events)).toEqual([]);
  });

  it("reads the session's options as each model turn starts, so a change during a tool call applies to the next turn", async () => {
    const { fake, provider } = await openAi([
      { kind: "tool_calls", calls: [{ id: "call_1", name: "weather", argumentChunks: ["{}"] }] },
      { kind: "text", reasoning: ["Now thinking."], chunks: ["12°C."] },
    ]);
    let patch: () => void = () => undefined;
    const tools: ToolHost = { ...weatherTool, call: async () => (patch(), { text: "12°C" }) };
    const { store, events, run } = runtimeWith(provider, "gpt-5", {}, tools);
    patch = () => void store.patchSession(KEY, { options: { thinkingLevel: "minimal", reasoningLevel: "stream" } }, 3);
    expect(await run("weather")).toMatchObject({ status: "ok", text: "12°C." });
    expect(bodyOf(fake, 0)).not.toHaveProperty("reasoning_effort");
    expect(bodyOf(fake, 1)).toMatchObject({ reasoning_effort: "minimal" });
    expect(thinkingEvents(events)).toEqual([{ text: "Now thinking.", delta: "Now thinking." }]);
  });
});

describe("the level a turn asks for", () => {
  /** A provider whose model thinks at `low` unless told otherwise; it records the level of each request. */
  function defaultingProvider(): ModelProvider & { levels: (string | undefined)[] } {
    const levels: (string | undefined)[] = [];
    return {
      id: "defaulting",
      label: "defaulting (test)",
      levels,
      thinking: () => ({ levels: ["low", "high"], default: "low" }),
      async *stream(request: ModelRequest) {
        levels.push(request.thinkingLevel);
        yield { type: "text", delta: "ok" };
        yield { type: "done", stopReason: "end" };
      },
    };
  }

  it("is the model's default when the session sets none or one the model lacks, and none for off", async () => {
    const cases: [SessionOptions, string | undefined][] = [
      [{}, "low"],
      [{ thinkingLevel: "high" }, "high"],
      [{ thinkingLevel: "xhigh" }, "low"],
      [{ thinkingLevel: "off" }, undefined],
    ];
    for (const [options, expected] of cases) {
      const provider = defaultingProvider();
      const { run } = runtimeWith(provider, "m", options);
      await run("q");
      expect(provider.levels, JSON.stringify(options)).toEqual([expected]);
    }
  });
});
