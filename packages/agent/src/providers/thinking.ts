import type { ThinkingSupport } from "./types.js";

/** The level that asks for no extended thinking; every model takes it, so `levels` never lists it. */
export const THINKING_OFF = "off";

/**
 * A model id without a router's vendor prefix: OpenRouter's `openai/o3` and `anthropic/claude-sonnet-4`
 * follow the same rules as `o3` and `claude-sonnet-4`.
 */
export function bareModelName(model: string): string {
  return model.slice(model.lastIndexOf("/") + 1);
}

/**
 * Whether `model` is on a `reasoningModels` list: exact ids, `prefix*`, or `*` for every model.
 * Undefined when there is no list, so the provider's built-in rule decides.
 */
export function listedAsReasoning(list: readonly string[] | undefined, model: string): boolean | undefined {
  if (list === undefined) return undefined;
  return list.some((entry) => (entry.endsWith("*") ? model.startsWith(entry.slice(0, -1)) : model === entry));
}

/** Why a model left off a `reasoningModels` list takes no levels. */
export function notListedReason(model: string): string {
  return `model ${model} is not on this provider's reasoningModels list`;
}

/** `level` when `support` lists it; absent, `off` and levels this model does not take mean no thinking. */
export function supportedLevel(level: string | undefined, support: ThinkingSupport): string | undefined {
  return level !== undefined && level !== THINKING_OFF && support.levels.includes(level) ? level : undefined;
}
