import type { MethodResult } from "@openclaw/protocol";
import type { ModelProvider } from "@openclaw/agent";

/** One entry of `models.list`. */
export type ModelEntry = MethodResult<"models.list">["models"][number];

/** A model config names for a provider. */
export interface ConfiguredModel {
  readonly id: string;
  readonly name?: string;
  readonly contextWindow?: number;
}

/** One provider as `models.list` shows it. */
export interface CatalogProvider {
  /** The provider's name in model refs (`<name>/<model>`), as config spells it. */
  readonly name: string;
  /** Asked for its models (an OpenAI-compatible server's `GET /v1/models`) and for each model's thinking levels. */
  readonly provider: Pick<ModelProvider, "listModels" | "thinking">;
  /** The models config names for it (`agents.defaults.model`'s, `models.providers.<name>.models`): listed even when its server cannot be asked. */
  readonly models: readonly ConfiguredModel[];
}

export interface ModelCatalogOptions {
  readonly providers: readonly CatalogProvider[];
  /** How long a provider's server has to list its models. @default 5000 */
  readonly timeoutMs?: number;
  /** How long a server's list, or its failure, is reused before the server is asked again. @default 60000 */
  readonly cacheMs?: number;
  /** A server's list could not be read; its configured models are listed without it. */
  readonly onListFailed?: (provider: string, error: Error) => void;
  readonly now?: () => number;
}

/**
 * `models.list`: the configured models of every provider, plus what each provider's server says it
 * serves. Servers are asked at most once per `cacheMs`, concurrent callers share the question, and a
 * server that fails or is slower than `timeoutMs` costs only its discovered models.
 */
export class ModelCatalog {
  private readonly asked = new Map<string, { readonly at: number; readonly models: Promise<readonly ConfiguredModel[]> }>();
  private readonly now: () => number;

  constructor(private readonly options: ModelCatalogOptions) {
    this.now = options.now ?? Date.now;
  }

  async list(): Promise<ModelEntry[]> {
    const lists = await Promise.all(this.options.providers.map((source) => this.entries(source)));
    return lists.flat();
  }

  private async entries(source: CatalogProvider): Promise<ModelEntry[]> {
    const byId = new Map<string, ConfiguredModel>();
    for (const model of source.models) byId.set(model.id, { ...byId.get(model.id), ...model });
    // What config says about a model wins over what its server says.
    for (const model of await this.discovered(source)) byId.set(model.id, { ...model, ...byId.get(model.id) });
    return [...byId.values()].map((model) => ({
      id: model.id,
      name: model.name ?? model.id,
      provider: source.name,
      ...(model.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
      reasoning: takesThinkingLevels(source.provider, model.id),
    }));
  }

  private discovered(source: CatalogProvider): Promise<readonly ConfiguredModel[]> {
    const { provider } = source;
    if (!provider.listModels) return Promise.resolve([]);
    const now = this.now();
    const cached = this.asked.get(source.name);
    if (cached && now - cached.at < (this.options.cacheMs ?? 60_000)) return cached.models;
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    const models = withTimeout(provider.listModels(), timeoutMs, `provider ${source.name} did not list its models within ${timeoutMs} ms`).catch(
      (error: unknown) => {
        this.options.onListFailed?.(source.name, error instanceof Error ? error : new Error(String(error)));
        return [];
      },
    );
    this.asked.set(source.name, { at: now, models });
    return models;
  }
}

function takesThinkingLevels(provider: CatalogProvider["provider"], model: string): boolean {
  try {
    return (provider.thinking?.(model).levels.length ?? 0) > 0;
  } catch {
    return false;
  }
}

/** `promise`, or a rejection saying `message` once `ms` have passed; the timer never outlives the race. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    // A slow server must not hold the gateway's shutdown.
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
