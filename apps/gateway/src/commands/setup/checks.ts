import { ProviderError } from "@openclaw/agent";
import { resolveGatewaySettings } from "@openclaw/gateway-core";
import { CliError } from "../../errors.js";
import type { CommandIo } from "../../io.js";
import { listModelsWithin, resolveModel } from "../../model-providers.js";
import { configAfter } from "../credential-check.js";

/** How long a model provider gets to answer the key check. */
const MODEL_CHECK_TIMEOUT_MS = 15_000;

/**
 * Asks the default model's provider for its model list, once, with the key the config will hold
 * after `patch`: a refused key or an unreachable server stops setup before anything is written.
 * Returns what was checked, or why nothing was (the offline model needs no server).
 */
export async function checkModelAfter(io: CommandIo, patch: Record<string, unknown>): Promise<string> {
  const after = await configAfter(io, patch);
  // An invalid config is refused by the write itself, with the schema's own error.
  if (!after.ok) return `not checked: ${after.reason}`;
  const model = resolveModel(resolveGatewaySettings({ config: after.config, env: io.env, flags: {} }), io.env);
  if (model.ref.startsWith("offline/")) return `${model.ref} runs offline; nothing to check`;
  if (!model.provider.listModels) return `not checked: ${model.provider.label} cannot list its models`;
  try {
    const listed = await listModelsWithin(model.provider, MODEL_CHECK_TIMEOUT_MS);
    const known = listed.some((entry) => entry.id === model.model);
    return `${model.provider.label} accepted the key${known ? ` and lists ${model.model}` : ` (it does not list ${model.model}; check the model name)`}`;
  } catch (error) {
    const refused = error instanceof ProviderError && (error.code === "auth" || error.status === 401 || error.status === 403);
    const what = refused ? "refused the API key" : "could not be asked for its models";
    throw new CliError(`the model provider ${what} (${model.ref}): ${(error as Error).message}; nothing was written (--no-check writes it unchecked)`, 1, {
      code: refused ? "MODEL_KEY_REFUSED" : "MODEL_UNREACHABLE",
    });
  }
}
