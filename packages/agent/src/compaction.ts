import type { ModelProvider, TokenUsage } from "./providers/types.js";
import type { TranscriptEntry, TranscriptStore } from "./transcript.js";

/** What the model is asked to do with the transcript. */
const COMPACT_PROMPT =
  "Summarise the conversation below so that the summary can replace it as the only context for the rest of the conversation. " +
  "Keep facts, names, numbers, decisions, the user's preferences and any open tasks or questions. Write plain text, no preamble.";

export interface CompactionResult {
  /** The summary that now stands for the compacted entries. */
  readonly summary: TranscriptEntry;
  /** How many entries the model read. */
  readonly compacted: number;
  readonly usage?: TokenUsage;
}

/** The entries the model sees next turn: those after the latest summary, and that summary itself. */
export function entriesSinceSummary<T extends Pick<TranscriptEntry, "summary">>(entries: readonly T[]): readonly T[] {
  const last = entries.findLastIndex((entry) => entry.summary === true);
  return last < 0 ? entries : entries.slice(last);
}

function transcriptText(entries: readonly TranscriptEntry[]): string {
  return entries
    .map((entry) => {
      if (entry.summary) return `Earlier summary: ${entry.text}`;
      if (entry.role === "tool") return `Tool result (${entry.toolName ?? "tool"}): ${entry.text}`;
      const calls = entry.toolCalls?.map((call) => `[called ${call.name} ${call.arguments}]`).join(" ") ?? "";
      return `${entry.role === "user" ? "User" : "Assistant"}: ${entry.text}${calls ? ` ${calls}` : ""}`;
    })
    .join("\n");
}

/**
 * Ask `provider` to summarise the session's transcript (what the model would see: no chat
 * commands, no system lines) and append the summary, marked so later turns start from it. The
 * transcript keeps every entry; only the model's context shrinks. Throws on a provider error,
 * leaving the transcript as it was.
 */
export async function compactSession(input: {
  readonly store: TranscriptStore;
  readonly provider: ModelProvider;
  readonly model: string;
  readonly sessionKey: string;
  readonly instructions?: string | undefined;
  readonly historyLimit?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly now: () => number;
}): Promise<CompactionResult | undefined> {
  const { store, sessionKey } = input;
  const session = store.session(sessionKey);
  if (!session) return undefined;
  const page = store.page(sessionKey, { limit: input.historyLimit ?? 200 }).entries;
  const visible = entriesSinceSummary(page.filter((entry) => entry.role !== "system" && entry.command === undefined));
  if (visible.length === 0) return undefined;
  const extra = input.instructions?.trim() ? `\nAlso: ${input.instructions.trim()}` : "";
  let text = "";
  let usage: TokenUsage | undefined;
  for await (const event of input.provider.stream({
    model: input.model,
    messages: [
      { role: "system", content: `${COMPACT_PROMPT}${extra}` },
      { role: "user", content: transcriptText(visible) },
    ],
    ...(input.signal ? { signal: input.signal } : {}),
  })) {
    if (event.type === "text") text += event.delta;
    else if (event.type === "done" && event.usage) usage = event.usage;
  }
  if (text.trim() === "") throw new Error("the model returned an empty summary");
  const summary = store.appendIfCurrent(session.sessionId, {
    sessionKey,
    runId: undefined,
    role: "assistant",
    text: text.trim(),
    summary: true,
    ...(usage ? { usage } : {}),
    createdAtMs: input.now(),
  });
  if (!summary) throw new Error("the session was reset while it was being compacted");
  return { summary, compacted: visible.length, ...(usage ? { usage } : {}) };
}
