import { describe, expect, it } from "vitest";
import { resolveGatewaySettings, validateConfig, type GatewayConfig } from "@openclaw/gateway-core";
import { resolveModel } from "./model-providers.js";

const modelFrom = (config: GatewayConfig) => resolveModel(resolveGatewaySettings({ config, env: {} }), {});

describe("models.providers.<id>.reasoningModels", () => {
  it("replaces the built-in thinking rule of a declared openai-compatible provider", () => {
    const { provider } = modelFrom({
      agents: { defaults: { model: "local/qwen3:32b" } },
      models: { providers: { local: { api: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", reasoningModels: ["qwen3*"] } } },
    });
    expect(provider.thinking?.("qwen3:32b").levels).toEqual(["low", "medium", "high"]);
    expect(provider.thinking?.("o3").levels).toEqual([]);
  });

  it("replaces the built-in thinking rule of a declared anthropic provider; without it the rule applies", () => {
    const listed = modelFrom({
      agents: { defaults: { model: "proxy/claude-sonnet-4-5" } },
      models: { providers: { proxy: { api: "anthropic", apiKey: "k", reasoningModels: [] } } },
    });
    expect(listed.provider.thinking?.("claude-sonnet-4-5").levels).toEqual([]);
    const unlisted = modelFrom({
      agents: { defaults: { model: "proxy/claude-sonnet-4-5" } },
      models: { providers: { proxy: { api: "anthropic", apiKey: "k" } } },
    });
    expect(unlisted.provider.thinking?.("claude-sonnet-4-5").levels).toEqual(["minimal", "low", "medium", "high", "xhigh"]);
  });

  it("is validated as a list of non-empty model ids", () => {
    const issues = (reasoningModels: unknown) => {
      const result = validateConfig({ models: { providers: { local: { api: "openai-compatible", reasoningModels } } } }, {});
      return result.ok ? [] : result.issues;
    };
    expect(issues(["qwen3*", "*"])).toEqual([]);
    expect(issues(true)).toEqual([{ path: "models.providers.local.reasoningModels", message: "expected array, got true" }]);
    expect(issues([""])).toEqual([{ path: "models.providers.local.reasoningModels[0]", message: 'expected non-empty string, got ""' }]);
  });
});

describe("models.providers.<id>.models[].input", () => {
  it("a model declared with image input gets images, one declared text-only gets none, and the rest follow the built-in rule", () => {
    const local = modelFrom({
      agents: { defaults: { model: "local/llava:13b" } },
      models: {
        providers: {
          local: {
            api: "openai-compatible",
            baseUrl: "http://127.0.0.1:11434/v1",
            models: [{ id: "llava:13b", input: ["text", "image"] }, { id: "gpt-4o", input: ["text"] }, { id: "llama3" }],
          },
        },
      },
    });
    expect(["llava:13b", "gpt-4o", "llama3", "gpt-4.1"].map((model) => local.provider.supportsImages?.(model))).toEqual([true, false, false, true]);
    const proxy = modelFrom({
      agents: { defaults: { model: "proxy/claude-sonnet-4-5" } },
      models: { providers: { proxy: { api: "anthropic", apiKey: "k", models: [{ id: "claude-haiku-text", input: ["text"] }] } } },
    });
    expect(["claude-sonnet-4-5", "claude-haiku-text"].map((model) => proxy.provider.supportsImages?.(model))).toEqual([true, false]);
  });

  it("the offline default takes no images", () => {
    expect(modelFrom({}).provider.supportsImages?.("echo")).toBe(false);
  });

  it("is validated as a non-empty list of text and image", () => {
    const issues = (input: unknown) => {
      const result = validateConfig({ models: { providers: { local: { api: "openai-compatible", models: [{ id: "m", input }] } } } }, {});
      return result.ok ? [] : result.issues.map((issue) => issue.path);
    };
    expect(issues(["text", "image"])).toEqual([]);
    expect(issues(["video"])).toEqual(["models.providers.local.models[0].input[0]"]);
    expect(issues([])).toEqual(["models.providers.local.models[0].input"]);
  });
});
