import type { ModelProvider } from "@openclaw/agent";
import { ModelCatalog, type GatewayLogger, type GatewaySettings, type ModelEntry } from "@openclaw/gateway-core";
import { catalogProviders, resolveModel, type ResolvedModel } from "../model-providers.js";

type Logger = GatewayLogger["logger"];

interface Built {
  readonly settings: GatewaySettings;
  readonly model: ResolvedModel;
  readonly catalog: ModelCatalog;
}

/**
 * The agent's default model and the `models.list` catalog, from `agents.defaults.model` and
 * `models.providers`. A changed config replaces both at once; turns already running finish on the
 * provider they started with.
 */
export class AgentModels {
  private built: Built;

  constructor(
    settings: GatewaySettings,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {
    this.built = this.build(settings);
  }

  /** Throws a CliError naming the key when `settings` name a model this gateway cannot serve. */
  static check(settings: GatewaySettings, env: NodeJS.ProcessEnv): void {
    catalogProviders(settings, env, resolveModel(settings, env));
  }

  get model(): ResolvedModel {
    return this.built.model;
  }

  /** A changed `agents.defaults.model` or `models.providers`. */
  update(settings: GatewaySettings): void {
    this.built = this.build(settings);
  }

  list(): Promise<ModelEntry[]> {
    return this.built.catalog.list();
  }

  /** A model named elsewhere (a cron agentTurn's, a patched session's), resolved like agents.defaults.model. */
  resolveRef(ref: string): { provider: ModelProvider; model: string } {
    const { settings, model } = this.built;
    if (ref === model.ref) return { provider: model.provider, model: model.model };
    try {
      const other = resolveModel(
        { ...settings, resolved: { ...settings.resolved, agents: { defaults: { ...settings.resolved.agents.defaults, model: ref } } } },
        this.env,
      );
      return { provider: other.provider, model: other.model };
    } catch (error) {
      throw new Error(`model "${ref}" is resolved like agents.defaults.model, and that failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private build(settings: GatewaySettings): Built {
    const model = resolveModel(settings, this.env);
    const catalog = new ModelCatalog({
      providers: catalogProviders(settings, this.env, model),
      onListFailed: (provider, error) =>
        this.log.warn({ provider, err: error }, `models.list: provider ${provider} did not list its models; listing its configured ones`),
    });
    return { settings, model, catalog };
  }
}
