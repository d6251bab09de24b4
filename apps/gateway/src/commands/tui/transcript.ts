import type { ChatEvent, ChatMessage } from "@openclaw/protocol";

/** Who a transcript line is from; `notice` is the TUI's own word (help, errors, session switches). */
export type EntryRole = "user" | "assistant" | "tool" | "notice" | "error";

/** One finished message as the TUI shows it. */
export interface TranscriptEntry {
  readonly role: EntryRole;
  readonly text: string;
}

/** A reply still streaming: the text so far, keyed by its run. */
export interface LiveRun {
  readonly runId: string;
  readonly text: string;
}

/** What the chat view holds for one session: finished entries, then the runs still streaming. */
export interface Transcript {
  readonly entries: readonly TranscriptEntry[];
  readonly live: readonly LiveRun[];
}

export const EMPTY_TRANSCRIPT: Transcript = { entries: [], live: [] };

/** Keep memory bounded in a long chat; the gateway keeps the whole history. */
const MAX_ENTRIES = 500;

/** The text parts of a message, joined; tool calls are named, not dumped. */
export function messageText(message: ChatMessage | undefined): string {
  if (message === undefined) return "";
  if (typeof message.content === "string") return message.content;
  const parts: string[] = [];
  for (const part of message.content) {
    if (part.type === "text" && typeof part.text === "string") parts.push(part.text);
    else if (part.type === "toolCall") parts.push(`[tool ${String((part as { name?: unknown }).name ?? "call")}]`);
  }
  return parts.join("\n");
}

function roleOf(message: ChatMessage): EntryRole {
  if (message.role === "user") return "user";
  if (message.role === "assistant") return "assistant";
  return "tool";
}

/** `chat.history` messages as entries; empty messages (a tool call's bare turn) are left out. */
export function fromHistory(messages: readonly ChatMessage[]): TranscriptEntry[] {
  return messages.map((message) => ({ role: roleOf(message), text: messageText(message) })).filter((entry) => entry.text.trim() !== "");
}

export function appendEntries(transcript: Transcript, ...entries: TranscriptEntry[]): Transcript {
  const all = [...transcript.entries, ...entries];
  return { ...transcript, entries: all.length > MAX_ENTRIES ? all.slice(all.length - MAX_ENTRIES) : all };
}

/**
 * Fold one `chat` event of the shown session into the transcript: a delta updates its run's
 * live text, a terminal event turns it into an entry (with what was streamed when the event
 * carries no message).
 */
export function applyChatEvent(transcript: Transcript, event: ChatEvent): Transcript {
  const current = transcript.live.find((run) => run.runId === event.runId);
  const others = transcript.live.filter((run) => run.runId !== event.runId);
  if (event.state === "delta") {
    // The message holds the whole text so far; deltaText is only the new part (or all of it with `replace`).
    const fromMessage = event.message ? messageText(event.message) : undefined;
    const text = fromMessage ?? (event.replace ? (event.deltaText ?? "") : `${current?.text ?? ""}${event.deltaText ?? ""}`);
    const live = current
      ? transcript.live.map((run) => (run.runId === event.runId ? { runId: run.runId, text } : run))
      : [...transcript.live, { runId: event.runId, text }];
    return { ...transcript, live };
  }
  const text = messageText(event.message) || current?.text || "";
  const settled = { ...transcript, live: others };
  if (event.state === "final") return text.trim() === "" ? settled : appendEntries(settled, { role: "assistant", text });
  if (event.state === "aborted")
    return appendEntries(settled, ...(text.trim() === "" ? [] : [{ role: "assistant" as const, text }]), { role: "notice", text: "(run aborted)" });
  return appendEntries(settled, ...(text.trim() === "" ? [] : [{ role: "assistant" as const, text }]), {
    role: "error",
    text: `run failed: ${event.errorMessage ?? "unknown error"}`,
  });
}
