import type { AgentEvent, ChatEvent, ChatMessage, InboundMedia } from "@openclaw/protocol";
import { mediaOfMessage } from "./attachments.js";

/** One tool call folded into the assistant message that made it. */
export interface ToolActivity {
  readonly id: string;
  readonly name: string;
  phase: "start" | "update" | "result";
  args?: unknown;
  result?: unknown;
  isError?: boolean;
}

export type EntryStatus = "sending" | "sent" | "streaming" | "final" | "aborted" | "error" | "failed";

/** One bubble in the chat. */
export interface ChatEntry {
  readonly id: string;
  readonly role: "user" | "assistant" | "system";
  text: string;
  status: EntryStatus;
  /** The run this belongs to: for a user message, the run it started. */
  runId?: string;
  timestamp?: number;
  error?: string;
  tools: ToolActivity[];
  /** Files, places and contacts sent with the message. */
  media?: readonly InboundMedia[];
}

/** A page of `chat.history`. */
export interface HistoryPage {
  readonly messages: readonly ChatMessage[];
  readonly hasMore?: boolean;
  readonly cursor?: string;
}

/** What applying a `chat` event did. */
export interface ChatEventOutcome {
  /** False for events of runs this page did not start and had not seen (another client's run). */
  readonly known: boolean;
  /** The run ended (final, aborted or error). */
  readonly ended: boolean;
}

/**
 * The chat's state, kept apart from the DOM so it can be tested in Node: history pages,
 * messages sent from this page, and the live `chat`/`agent` events of runs.
 */
export class ChatTranscript {
  entries: ChatEntry[] = [];
  hasMore = false;
  cursor: string | undefined;
  private localSerial = 0;

  /** Replace everything with the newest history page, keeping what history does not know yet. */
  replaceHistory(page: HistoryPage): void {
    const fromHistory = historyEntries(page.messages);
    const runsInHistory = new Set(fromHistory.filter((entry) => entry.role === "assistant" && entry.runId).map((entry) => entry.runId));
    const userRunsInHistory = new Set(fromHistory.filter((entry) => entry.role === "user" && entry.runId).map((entry) => entry.runId));
    // Our unsent/unanswered messages and still-streaming replies are newer than any page.
    const pending = this.entries.filter(
      (entry) =>
        (entry.role === "user" && (entry.status === "sending" || entry.status === "failed") && !userRunsInHistory.has(entry.runId)) ||
        (entry.role === "assistant" && entry.status === "streaming" && !runsInHistory.has(entry.runId)),
    );
    this.entries = [...fromHistory, ...pending];
    this.hasMore = page.hasMore ?? false;
    this.cursor = page.cursor;
  }

  /** Put an older page in front (paging back with `cursor`). */
  prependHistory(page: HistoryPage): void {
    const known = new Set(this.entries.map((entry) => entry.id));
    this.entries = [...historyEntries(page.messages).filter((entry) => !known.has(entry.id)), ...this.entries];
    this.hasMore = page.hasMore ?? false;
    this.cursor = page.cursor;
  }

  /** A message this page is sending; `runId` is its idempotency key (the gateway's run id). */
  addUserMessage(runId: string, text: string, timestamp = Date.now(), media: readonly InboundMedia[] = []): void {
    this.entries = [
      ...this.entries,
      { id: `local-${++this.localSerial}`, role: "user", text, status: "sending", runId, timestamp, tools: [], ...(media.length > 0 ? { media } : {}) },
    ];
  }

  markSent(runId: string): void {
    this.update(
      (entry) => entry.role === "user" && entry.runId === runId,
      (entry) => ({ ...entry, status: "sent" }),
    );
  }

  markFailed(runId: string, error: string): void {
    this.update(
      (entry) => entry.role === "user" && entry.runId === runId,
      (entry) => ({ ...entry, status: "failed", error }),
    );
  }

  /** Fold a `chat` event of this session in. */
  applyChat(event: ChatEvent): ChatEventOutcome {
    const known = this.entries.some((entry) => entry.runId === event.runId);
    const ended = event.state !== "delta";
    let reply = this.entries.find((entry) => entry.role === "assistant" && entry.runId === event.runId);
    if (reply === undefined) {
      if (!ended && event.deltaText === undefined && event.message === undefined) return { known, ended };
      reply = { id: `run-${event.runId}`, role: "assistant", text: "", status: "streaming", runId: event.runId, tools: [] };
      this.entries = [...this.entries, reply];
    } else if (reply.status !== "streaming") {
      // A late delta after the end (or a replayed one) must not reopen a finished reply.
      if (!ended) return { known, ended };
    }
    const cumulative = event.message ? messageText(event.message) : undefined;
    let text = reply.text;
    if (cumulative !== undefined && (cumulative.length > 0 || ended)) text = cumulative;
    else if (event.deltaText !== undefined) text = event.replace ? event.deltaText : text + event.deltaText;
    const status: EntryStatus = event.state === "delta" ? "streaming" : event.state === "final" ? "final" : event.state === "aborted" ? "aborted" : "error";
    const id = reply.id;
    this.update(
      (entry) => entry.id === id,
      (entry) => ({
        ...entry,
        text,
        status,
        ...(event.message?.timestamp !== undefined ? { timestamp: event.message.timestamp } : {}),
        ...(event.state === "error" ? { error: event.errorMessage ?? "the run failed" } : {}),
      }),
    );
    // The user message that started this run is answered.
    if (ended)
      this.update(
        (entry) => entry.role === "user" && entry.runId === event.runId && entry.status === "sending",
        (entry) => ({ ...entry, status: "sent" }),
      );
    return { known, ended };
  }

  /** Fold an `agent` event's tool activity into its run's reply. */
  applyAgent(event: AgentEvent): void {
    if (event.stream !== "tool") return;
    const data = event.data as {
      phase?: unknown;
      name?: unknown;
      toolCallId?: unknown;
      args?: unknown;
      partialResult?: unknown;
      result?: unknown;
      isError?: unknown;
    };
    const phase = data.phase === "start" || data.phase === "update" || data.phase === "result" ? data.phase : undefined;
    if (phase === undefined) return;
    const toolId = typeof data.toolCallId === "string" ? data.toolCallId : `${event.runId}-${event.seq}`;
    const name = typeof data.name === "string" ? data.name : "tool";
    let reply = this.entries.find((entry) => entry.role === "assistant" && entry.runId === event.runId);
    if (reply === undefined) {
      reply = { id: `run-${event.runId}`, role: "assistant", text: "", status: "streaming", runId: event.runId, tools: [] };
      this.entries = [...this.entries, reply];
    }
    const replyId = reply.id;
    this.update(
      (entry) => entry.id === replyId,
      (entry) => {
        const tools = entry.tools.filter((tool) => tool.id !== toolId);
        const existing = entry.tools.find((tool) => tool.id === toolId);
        const next: ToolActivity = {
          ...(existing ?? { id: toolId, name }),
          phase,
          ...(data.args !== undefined ? { args: data.args } : {}),
          ...(phase === "update" && data.partialResult !== undefined ? { result: data.partialResult } : {}),
          ...(phase === "result" ? { result: data.result, isError: data.isError === true } : {}),
        };
        const at = existing ? entry.tools.indexOf(existing) : tools.length;
        tools.splice(at, 0, next);
        return { ...entry, tools };
      },
    );
  }

  /** Whether this page sent files with the run's message that history has not given back stored yet (no thumbnails without it). */
  hasUnstoredMedia(runId: string): boolean {
    return this.entries.some((entry) => entry.role === "user" && entry.runId === runId && (entry.media ?? []).some((media) => media.sha256 === undefined));
  }

  /** The run to abort: the newest reply still streaming, or a message from this page still waiting for its reply. */
  activeRunId(): string | undefined {
    for (let index = this.entries.length - 1; index >= 0; index -= 1) {
      const entry = this.entries[index]!;
      if (entry.role === "assistant" && entry.status === "streaming") return entry.runId;
      const waiting = entry.role === "user" && entry.id.startsWith("local-") && (entry.status === "sending" || entry.status === "sent");
      if (waiting && entry.runId && !this.entries.some((other) => other.role === "assistant" && other.runId === entry.runId)) return entry.runId;
    }
    return undefined;
  }

  private update(match: (entry: ChatEntry) => boolean, change: (entry: ChatEntry) => ChatEntry): void {
    this.entries = this.entries.map((entry) => (match(entry) ? change(entry) : entry));
  }
}

/** The text of a chat message: a string, or its text parts joined. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}

interface HistoryMessage extends ChatMessage {
  readonly runId?: unknown;
  readonly toolName?: unknown;
  readonly stopReason?: unknown;
}

/** History messages as entries: tool calls and their results folded into the assistant reply. */
function historyEntries(messages: readonly ChatMessage[]): ChatEntry[] {
  const entries: ChatEntry[] = [];
  messages.forEach((raw, index) => {
    const message = raw as HistoryMessage;
    const id = message.id !== undefined ? `h-${message.id}` : `h-index-${index}-${message.timestamp ?? 0}`;
    const runId = typeof message.runId === "string" ? message.runId : undefined;
    if (message.role === "toolResult" || message.role === "tool") {
      const owner = [...entries].reverse().find((entry) => entry.role === "assistant");
      const name = typeof message.toolName === "string" ? message.toolName : "tool";
      if (owner === undefined) return;
      const open = owner.tools.find((tool) => tool.name === name && tool.phase !== "result");
      if (open) {
        open.phase = "result";
        open.result = messageText(message);
      } else owner.tools.push({ id: `${id}-result`, name, phase: "result", result: messageText(message) });
      return;
    }
    const role = message.role === "user" ? "user" : message.role === "assistant" ? "assistant" : "system";
    const tools: ToolActivity[] =
      typeof message.content === "string"
        ? []
        : message.content
            .filter((part) => part.type === "toolCall")
            .map((part, toolIndex) => {
              const call = part as { id?: unknown; name?: unknown; arguments?: unknown };
              return {
                id: typeof call.id === "string" ? call.id : `${id}-tool-${toolIndex}`,
                name: typeof call.name === "string" ? call.name : "tool",
                phase: "start" as const,
                args: call.arguments,
              };
            });
    const status: EntryStatus = role === "assistant" && message.stopReason === "aborted" ? "aborted" : role === "user" ? "sent" : "final";
    const media = mediaOfMessage(message);
    entries.push({
      ...(media.length > 0 ? { media } : {}),
      id,
      role,
      text: messageText(message),
      status,
      ...(runId ? { runId } : {}),
      ...(message.timestamp !== undefined ? { timestamp: message.timestamp } : {}),
      tools,
    });
  });
  return entries;
}
