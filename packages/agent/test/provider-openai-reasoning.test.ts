import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "../src/providers/openai-compatible.js";
import type { ModelRequest } from "../src/providers/types.js";
import { startOpenAiFake, type FakeServer, type OpenAiFakeStep } from "@openclaw/testing";
import { collect } from "./providers/collect.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(script: readonly OpenAiFakeStep[], reasoningModels?: readonly string[]) {
  fake = await startOpenAiFake({ script });
  return { fake, provider: createOpenAiCompatibleProvider({ baseUrl: fake.url, ...(reasoningModels ? { reasoningModels } : {}) }) };
}

const ask = (model: string, thinkingLevel?: string): ModelRequest => ({
  model,
  messages: [{ role: "user", content: "2+2?" }],
  ...(thinkingLevel === undefined ? {} : { thinkingLevel }),
});

const provider = createOpenAiCompatibleProvider({ baseUrl: "http://127.0.0.1:1/v1" });

describe("openai-compatible reasoning levels", () => {
  it("offers minimal, low, medium, high on gpt-5, gpt-5-mini and gpt-5-nano", () => {
    for (const model of ["gpt-5", "gpt-5-mini", "gpt-5-nano-2025-08-07", "openai/gpt-5"]) {
      expect(provider.thinking?.(model), model).toEqual({ levels: ["minimal", "low", "medium", "high"] });
    }
  });

  it("offers low, medium, high on the o-series and later gpt-5 models", () => {
    for (const model of ["o1", "o3", "o3-mini", "o4-mini", "openai/o3", "gpt-5.1", "gpt-5-codex"]) {
      expect(provider.thinking?.(model), model).toEqual({ levels: ["low", "medium", "high"] });
    }
  });

  it("offers no levels on models that do not take reasoning_effort, and says why", () => {
    for (const model of ["gpt-4o", "gpt-4.1-mini", "o1-mini", "o1-preview", "gpt-5-chat-latest", "llama3.1:8b"]) {
      expect(provider.thinking?.(model), model).toEqual({
        levels: [],
        reason: `model ${model} does not take reasoning_effort; OpenAI's o1, o3, o4-mini and gpt-5 models do (list others in the provider's reasoningModels)`,
      });
    }
  });

  it("lets a reasoningModels list replace the rule: listed unknown models take low, medium, high", () => {
    const listed = createOpenAiCompatibleProvider({ baseUrl: "http://127.0.0.1:1/v1", reasoningModels: ["qwen3*", "gpt-5"] });
    expect(listed.thinking?.("qwen3:32b")).toEqual({ levels: ["low", "medium", "high"] });
    expect(listed.thinking?.("gpt-5")).toEqual({ levels: ["minimal", "low", "medium", "high"] });
    expect(listed.thinking?.("o3")).toEqual({ levels: [], reason: "model o3 is not on this provider's reasoningModels list" });
    const all = createOpenAiCompatibleProvider({ baseUrl: "http://127.0.0.1:1/v1", reasoningModels: ["*"] });
    expect(all.thinking?.("deepseek-r1").levels).toEqual(["low", "medium", "high"]);
  });
});

describe("openai-compatible reasoning requests", () => {
  it("sends the level as reasoning_effort only to models that take that level", async () => {
    const requests: [string, string | undefined, string | undefined][] = [
      ["o3", "high", "high"],
      ["gpt-5", "minimal", "minimal"],
      ["o3", "minimal", undefined],
      ["o3", "off", undefined],
      ["o3", undefined, undefined],
      ["gpt-4o", "high", undefined],
    ];
    const { fake, provider } = await start(requests.map((): OpenAiFakeStep => ({ kind: "text", chunks: ["4"] })));
    for (const [model, level] of requests) await collect(provider.stream(ask(model, level)));
    expect(fake.requests.map((request) => (request.body as { reasoning_effort?: string }).reasoning_effort)).toEqual(requests.map(([, , sent]) => sent));
    expect(fake.requests[5]?.body).not.toHaveProperty("reasoning_effort");
  });

  it("streams delta.reasoning_content and delta.reasoning as thinking events", async () => {
    const { provider } = await start([
      { kind: "text", reasoning: ["Two ", "plus two."], chunks: ["4"] },
      { kind: "text", reasoning: ["Adding."], reasoningField: "reasoning", chunks: ["4"] },
    ]);
    const deepseek = await collect(provider.stream(ask("deepseek-reasoner")));
    expect(deepseek.events.slice(0, 3)).toEqual([
      { type: "thinking", delta: "Two " },
      { type: "thinking", delta: "plus two." },
      { type: "text", delta: "4" },
    ]);
    const openrouter = await collect(provider.stream(ask("openai/o3", "low")));
    expect(openrouter.events.slice(0, 2)).toEqual([
      { type: "thinking", delta: "Adding." },
      { type: "text", delta: "4" },
    ]);
  });
});
