import { createAnthropicProvider, createOfflineProvider, createOpenAiCompatibleProvider, withRetry, type ModelProvider } from "@openclaw/agent";
import type { GatewaySettings } from "@openclaw/gateway-core";
import { CliError } from "./errors.js";

/** The embedded default: works with no network and no key, and says it is offline. */
export const DEFAULT_MODEL_REF = "offline/echo";

const OFFLINE_MODES = ["echo", "script", "tool"] as const;

export interface ResolvedModel {
  readonly provider: ModelProvider;
  readonly model: string;
  readonly ref: string;
}

/**
 * Turn `agents.defaults.model` ("provider/model") into a provider: `offline/<mode>`,
 * `openai/<model>` (OPENAI_API_KEY), `anthropic/<model>` (ANTHROPIC_API_KEY), or a
 * provider declared under `models.providers.<id>`.
 */
export function resolveModel(settings: GatewaySettings, env: NodeJS.ProcessEnv): ResolvedModel {
  const ref = settings.resolved.agents.defaults.model ?? DEFAULT_MODEL_REF;
  const slash = ref.indexOf("/");
  const providerId = ref.slice(0, slash);
  const model = ref.slice(slash + 1);
  const declared = settings.resolved.models.providers[providerId];
  if (declared) {
    const provider =
      declared.api === "anthropic"
        ? createAnthropicProvider({ apiKey: declared.apiKey ?? env["ANTHROPIC_API_KEY"] ?? "", ...(declared.baseUrl ? { baseUrl: declared.baseUrl } : {}) })
        : createOpenAiCompatibleProvider({ baseUrl: declared.baseUrl ?? "https://api.openai.com/v1", ...(declared.apiKey ? { apiKey: declared.apiKey } : {}) });
    return { provider: withRetry(provider), model, ref };
  }
  switch (providerId) {
    case "offline": {
      const mode = (OFFLINE_MODES as readonly string[]).includes(model) ? (model as (typeof OFFLINE_MODES)[number]) : undefined;
      if (!mode)
        throw new CliError(`config key agents.defaults.model: offline models are ${OFFLINE_MODES.map((m) => `offline/${m}`).join(", ")}, got "${ref}"`);
      return { provider: createOfflineProvider({ mode }), model, ref };
    }
    case "openai": {
      const apiKey = env["OPENAI_API_KEY"];
      if (!apiKey)
        throw new CliError(`config key agents.defaults.model is "${ref}" but OPENAI_API_KEY is not set (or declare models.providers.openai with an apiKey)`);
      return { provider: withRetry(createOpenAiCompatibleProvider({ baseUrl: "https://api.openai.com/v1", apiKey })), model, ref };
    }
    case "anthropic": {
      const apiKey = env["ANTHROPIC_API_KEY"];
      if (!apiKey)
        throw new CliError(
          `config key agents.defaults.model is "${ref}" but ANTHROPIC_API_KEY is not set (or declare models.providers.anthropic with an apiKey)`,
        );
      return { provider: withRetry(createAnthropicProvider({ apiKey })), model, ref };
    }
    default:
      throw new CliError(
        `config key agents.defaults.model: unknown provider "${providerId}" in "${ref}"; use offline/echo, openai/<model>, anthropic/<model>, or declare models.providers.${providerId}`,
      );
  }
}
