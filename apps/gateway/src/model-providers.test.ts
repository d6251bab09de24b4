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
