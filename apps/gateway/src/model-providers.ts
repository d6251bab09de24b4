import { createAnthropicProvider, createOfflineProvider, createOpenAiCompatibleProvider, withRetry, type ModelProvider } from "@openclaw/agent";
import type { CatalogProvider, GatewaySettings } from "@openclaw/gateway-core";
import { CliError } from "./errors.js";

/** The embedded default: works with no network and no key, and says it is offline. */
export const DEFAULT_MODEL_REF = "offline/echo";

/** The offline modes a config can name: `script` and `tool` need a script or a tool, which only code can give. */
const OFFLINE_MODES = ["echo"] as const;

export interface ResolvedModel {
  readonly provider: ModelProvider;
  readonly model: string;
  readonly ref: string;
}

/**
 * Turn `agents.defaults.model` ("provider/model") into a provider: `offline/<mode>`,
 * `openai/<model>` (OPENAI_API_KEY), `anthropic/<model>` (ANTHROPIC_API_KEY), or a
 * provider declared under `models.providers.<id>`. The provider's id is the ref's
 * provider, so sessions and `models.list` name it as config does.
 */
export function resolveModel(settings: GatewaySettings, env: NodeJS.ProcessEnv): ResolvedModel {
  const ref = settings.resolved.agents.defaults.model ?? DEFAULT_MODEL_REF;
  const slash = ref.indexOf("/");
  const providerId = ref.slice(0, slash);
  const model = ref.slice(slash + 1);
  const declared = declaredProvider(settings, providerId, env);
  if (declared) return { provider: declared, model, ref };
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
      return { provider: named("openai", withRetry(createOpenAiCompatibleProvider({ baseUrl: "https://api.openai.com/v1", apiKey }))), model, ref };
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

/**
 * What `models.list` offers: every provider declared under `models.providers` with the models
 * listed there, and the default model's provider with that model. Each provider's server is asked
 * for the rest.
 */
export function catalogProviders(settings: GatewaySettings, env: NodeJS.ProcessEnv, defaultModel: ResolvedModel): CatalogProvider[] {
  const defaultProvider = defaultModel.ref.slice(0, defaultModel.ref.indexOf("/"));
  const sources: CatalogProvider[] = Object.entries(settings.resolved.models.providers).map(([name, declared]) => ({
    name,
    provider: name === defaultProvider ? defaultModel.provider : declaredProvider(settings, name, env)!,
    models: declared.models ?? [],
  }));
  const own = sources.find((source) => source.name === defaultProvider);
  if (own === undefined) sources.unshift({ name: defaultProvider, provider: defaultModel.provider, models: [{ id: defaultModel.model }] });
  else if (!own.models.some((model) => model.id === defaultModel.model))
    sources[sources.indexOf(own)] = { ...own, models: [{ id: defaultModel.model }, ...own.models] };
  return sources;
}

/** The provider `models.providers.<providerId>` declares, if it declares one. */
function declaredProvider(settings: GatewaySettings, providerId: string, env: NodeJS.ProcessEnv): ModelProvider | undefined {
  const declared = settings.resolved.models.providers[providerId];
  if (!declared) return undefined;
  const reasoning = declared.reasoningModels ? { reasoningModels: declared.reasoningModels } : {};
  // Models that say what they take decide whether they get images; the others follow the provider's rule.
  const inputs = (declared.models ?? []).flatMap((model) => (model.input ? [[model.id, model.input] as const] : []));
  const modelInput = inputs.length > 0 ? { modelInput: Object.fromEntries(inputs) } : {};
  const provider =
    declared.api === "anthropic"
      ? createAnthropicProvider({
          apiKey: declared.apiKey ?? env["ANTHROPIC_API_KEY"] ?? "",
          ...(declared.baseUrl ? { baseUrl: declared.baseUrl } : {}),
          ...reasoning,
          ...modelInput,
        })
      : createOpenAiCompatibleProvider({
          baseUrl: declared.baseUrl ?? "https://api.openai.com/v1",
          ...(declared.apiKey ? { apiKey: declared.apiKey } : {}),
          ...reasoning,
          ...modelInput,
        });
  return named(providerId, withRetry(provider));
}

/** The provider under the name refs give it (`ollama/llama3` runs on a provider whose id is `ollama`). */
function named(id: string, provider: ModelProvider): ModelProvider {
  return provider.id === id ? provider : { ...provider, id };
}

/** The provider's model list, or a rejection when it has not answered within `timeoutMs` (its timer cleared either way). */
export async function listModelsWithin(provider: ModelProvider, timeoutMs: number): Promise<Awaited<ReturnType<NonNullable<ModelProvider["listModels"]>>>> {
  if (!provider.listModels) throw new Error(`${provider.label} cannot list its models`);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      provider.listModels(),
      new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
