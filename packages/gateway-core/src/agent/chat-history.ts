import type { TranscriptEntry, TranscriptPage, TranscriptStore } from "@openclaw/agent";
import type { MethodParams } from "@openclaw/protocol";
import { InvalidInputError } from "../errors.js";
import { sessionInfoFields } from "./session-info.js";

/** `chat.history` answers stay under this many bytes of messages (`DEFAULT_MAX_CHAT_HISTORY_MESSAGES_BYTES`). */
export const CHAT_HISTORY_MAX_BYTES = 6 * 1024 * 1024;
/** @default 200 */
const DEFAULT_LIMIT = 200;
const TRUNCATED = "\n...(truncated)...";
const OMITTED = "[chat.history omitted: message too large]";

export type ChatMessageView = ReturnType<typeof toChatMessage>;

/**
 * A transcript entry as a `ChatMessage`; `maxChars` shortens its text and says so. Each attachment
 * of a user message follows its text as a `{ type: "media", media }` part (the `InboundMedia` envelope).
 */
export function toChatMessage(entry: TranscriptEntry, maxChars?: number) {
  const truncated = maxChars !== undefined && entry.text.length > maxChars;
  const text = truncated ? `${entry.text.slice(0, maxChars)}${TRUNCATED}` : entry.text;
  const content: { type: string; [key: string]: unknown }[] = [{ type: "text", text }];
  for (const media of entry.attachments ?? []) content.push({ type: "media", media });
  for (const call of entry.toolCalls ?? []) content.push({ type: "toolCall", id: call.id, name: call.name, arguments: call.arguments });
  return {
    id: String(entry.id),
    role: entry.role === "tool" ? "toolResult" : entry.role,
    content,
    timestamp: entry.createdAtMs,
    ...(entry.runId ? { runId: entry.runId } : {}),
    ...(entry.stopReason ? { stopReason: entry.stopReason } : {}),
    ...(entry.errorMessage ? { errorMessage: entry.errorMessage } : {}),
    ...(entry.toolName ? { toolName: entry.toolName } : {}),
    ...(entry.usage ? { usage: entry.usage } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}

/**
 * Keep the newest messages whose JSON fits in `maxBytes`, contiguous so paging on from the
 * oldest kept one misses nothing. A message too large on its own is replaced by a placeholder.
 */
export function capMessages(messages: readonly ChatMessageView[], maxBytes: number): { messages: ChatMessageView[]; dropped: number } {
  const kept: ChatMessageView[] = [];
  let bytes = 2; // the brackets of the array
  for (let index = messages.length - 1; index >= 0; index--) {
    let message = messages[index]!;
    let size = Buffer.byteLength(JSON.stringify(message)) + (kept.length > 0 ? 1 : 0);
    if (size + 2 > maxBytes) {
      message = { ...message, content: [{ type: "text", text: OMITTED }], omitted: true } as ChatMessageView;
      size = Buffer.byteLength(JSON.stringify(message)) + (kept.length > 0 ? 1 : 0);
    }
    if (bytes + size > maxBytes) return { messages: kept.reverse(), dropped: index + 1 };
    bytes += size;
    kept.push(message);
  }
  return { messages: kept.reverse(), dropped: 0 };
}

function parseId(value: string, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new InvalidInputError(`chat.history ${what} must be an id from a previous chat.history answer, got "${value}"`);
  return id;
}

/**
 * `chat.history`: the newest `limit` messages, or older ones before `cursor`, skipping the
 * `offset` newest, or a window around `messageId`; texts cut to `maxChars`; at most 6 MiB.
 */
export function readChatHistory(store: TranscriptStore, params: MethodParams<"chat.history">, maxBytes = CHAT_HISTORY_MAX_BYTES) {
  const limit = params.limit ?? DEFAULT_LIMIT;
  const session = store.session(params.sessionKey);
  const base = { sessionKey: params.sessionKey, ...(session ? { sessionId: session.sessionId, ...sessionInfoFields(session) } : {}) };
  let page: TranscriptPage & { hasNewer?: boolean };
  if (params.messageId !== undefined) {
    const around = store.around(params.sessionKey, parseId(params.messageId, "messageId"), limit);
    // An id the session does not hold (any more) answers with no messages, as the reference gateway does.
    if (!around) return { ...base, messages: [], hasMore: false };
    page = around;
  } else {
    const beforeId = params.cursor !== undefined ? parseId(params.cursor, "cursor") : undefined;
    page = store.page(params.sessionKey, {
      limit,
      ...(beforeId !== undefined ? { beforeId } : {}),
      ...(params.offset !== undefined ? { offset: params.offset } : {}),
    });
  }
  const capped = capMessages(
    page.entries.map((entry) => toChatMessage(entry, params.maxChars)),
    maxBytes,
  );
  const hasMore = page.hasMore || capped.dropped > 0;
  const oldest = page.entries[capped.dropped];
  return {
    ...base,
    messages: capped.messages,
    hasMore,
    ...(hasMore && oldest ? { cursor: String(oldest.id) } : {}),
    ...(params.offset !== undefined && params.messageId === undefined && hasMore ? { nextOffset: params.offset + capped.messages.length } : {}),
    ...(page.hasNewer !== undefined ? { hasNewer: page.hasNewer } : {}),
  };
}
