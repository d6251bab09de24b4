import { ProviderError } from "@openclaw/agent";
import { applyMergePatch, readConfigSnapshot, resolveConfigPath, resolveGatewaySettings, validateConfig } from "@openclaw/gateway-core";
import { loadChannelConfigSchemas } from "../../channel-catalog.js";
import { CliError } from "../../errors.js";
import type { CommandIo } from "../../io.js";
import { resolveModel } from "../../model-providers.js";

/** How long a model provider gets to answer the key check. */
const MODEL_CHECK_TIMEOUT_MS = 15_000;

/**
 * Asks the default model's provider for its model list, once, with the key the config will hold
 * after `patch`: a refused key or an unreachable server stops setup before anything is written.
 * Returns what was checked, or why nothing was (the offline model needs no server).
 */
export async function checkModelAfter(io: CommandIo, patch: Record<string, unknown>): Promise<string> {
  const channels = await loadChannelConfigSchemas();
  const file = await readConfigSnapshot(resolveConfigPath(io.env, io.homedir), io.env, { channels });
  const checked = validateConfig(applyMergePatch(file.parsed ?? {}, patch), io.env, { channels });
  // An invalid config is refused by the write itself, with the schema's own error.
  if (!checked.ok) return "not checked: the config would not be valid";
  const model = resolveModel(resolveGatewaySettings({ config: checked.config, env: io.env, flags: {} }), io.env);
  if (model.ref.startsWith("offline/")) return `${model.ref} runs offline; nothing to check`;
  if (!model.provider.listModels) return `not checked: ${model.provider.label} cannot list its models`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const listed = await Promise.race([
      model.provider.listModels(),
      new Promise<never>(
        (_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${MODEL_CHECK_TIMEOUT_MS / 1000} s`)), MODEL_CHECK_TIMEOUT_MS)),
      ),
    ]);
    const known = listed.some((entry) => entry.id === model.model);
    return `${model.provider.label} accepted the key${known ? ` and lists ${model.model}` : ` (it does not list ${model.model}; check the model name)`}`;
  } catch (error) {
    const refused = error instanceof ProviderError && (error.code === "auth" || error.status === 401 || error.status === 403);
    const what = refused ? "refused the API key" : "could not be asked for its models";
    throw new CliError(`the model provider ${what} (${model.ref}): ${(error as Error).message}; nothing was written (--no-check writes it unchecked)`, 1, {
      code: refused ? "MODEL_KEY_REFUSED" : "MODEL_UNREACHABLE",
    });
  } finally {
    clearTimeout(timer);
  }
}
