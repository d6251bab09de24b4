import { bareModelName, listedAsReasoning, notListedReason } from "./thinking.js";
import type { ThinkingSupport } from "./types.js";

/**
 * Extended-thinking budgets (`thinking.budget_tokens`) per level, in increasing order. The API's
 * minimum is 1024. `xhigh` stays at 24000 so that it plus the default 4096 reply tokens fits the
 * 32000 output tokens of Claude Opus 4 and 4.1, the smallest limit among thinking models.
 */
export const ANTHROPIC_THINKING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 4096,
  medium: 10_000,
  high: 16_000,
  xhigh: 24_000,
};

const LEVELS = Object.keys(ANTHROPIC_THINKING_BUDGETS);

/**
 * Which models take extended thinking. Built in: claude-3-7-sonnet and every Claude of generation
 * 4 or later (`claude-opus-4…`, `claude-sonnet-4-5…`, `claude-haiku-4-5…`, `claude-4-…`); older
 * models take none. A `reasoningModels` list replaces the rule.
 */
export function anthropicThinking(model: string, reasoningModels: readonly string[] | undefined): ThinkingSupport {
  const listed = listedAsReasoning(reasoningModels, model);
  if (listed === false) return { levels: [], reason: notListedReason(model) };
  if (listed || hasExtendedThinking(model)) return { levels: LEVELS };
  return {
    levels: [],
    reason: `model ${model} has no extended thinking; Anthropic offers it on claude-3-7-sonnet and Claude 4 models and later`,
  };
}

function hasExtendedThinking(model: string): boolean {
  // Bedrock spells it `anthropic.claude-…`, with a region prefix (`us.`) for cross-region inference.
  const name = bareModelName(model).replace(/^(?:\w+\.)?anthropic\./, "");
  if (name.startsWith("claude-3-7-")) return true;
  const generation = /^claude-(?:(?:opus|sonnet|haiku)-)?(\d+)(?:[-.@]|$)/.exec(name)?.[1];
  return generation !== undefined && Number(generation) >= 4;
}

/** A thinking block as the Messages API returns it and wants it back. */
export type ThinkingBlock = { type: "thinking"; thinking: string; signature: string } | { type: "redacted_thinking"; data: string };

/** How many tool calls' thinking is kept for replay; the oldest go first. */
const REPLAY_LIMIT = 512;

/**
 * The thinking blocks of replies that called tools, by tool_use id. With thinking on, the API
 * rejects a tool-use continuation whose last assistant turn does not start with the (signed)
 * thinking blocks of that reply, and transcripts keep no thinking, so the provider keeps them
 * for the tool loop. Blocks lost (a restart, another provider instance) mean that continuation
 * goes without thinking; see `toMessagesBody`.
 */
export class ThinkingReplay {
  private readonly byToolUseId = new Map<string, readonly ThinkingBlock[]>();

  remember(toolUseIds: readonly string[], blocks: readonly ThinkingBlock[]): void {
    if (blocks.length === 0) return;
    for (const id of toolUseIds) {
      this.byToolUseId.delete(id);
      this.byToolUseId.set(id, blocks);
    }
    for (const oldest of this.byToolUseId.keys()) {
      if (this.byToolUseId.size <= REPLAY_LIMIT) break;
      this.byToolUseId.delete(oldest);
    }
  }

  /** The blocks of the reply that made these tool calls, if still known. */
  blocksFor(toolUseIds: readonly string[]): readonly ThinkingBlock[] {
    for (const id of toolUseIds) {
      const blocks = this.byToolUseId.get(id);
      if (blocks) return blocks;
    }
    return [];
  }
}
