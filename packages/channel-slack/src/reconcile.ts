import type { ReconcileOutcome, ReconcileRequest } from "@openclaw/channel-kit";

/** The metadata event type our sends carry. */
export const OUTBOUND_EVENT_TYPE = "openclaw_outbound";
/** Our clock and Slack's may differ a little; look this much further back. */
const CLOCK_SKEW_MS = 60_000;
const PAGE_SIZE = 200;
/** Pages read before giving up: more messages than this since the attempt is not a chat the look-up can judge. */
const MAX_PAGES = 5;

/** Message metadata naming one chunk of one outbox message, as `chat.postMessage` takes it. */
export interface OutboundMetadata {
  readonly event_type: typeof OUTBOUND_EVENT_TYPE;
  readonly event_payload: { readonly idempotency_key: string; readonly chunk: number };
}

export function outboundMetadata(idempotencyKey: string, chunkIndex: number): OutboundMetadata {
  return { event_type: OUTBOUND_EVENT_TYPE, event_payload: { idempotency_key: idempotencyKey, chunk: chunkIndex } };
}

/** The fields of a listed message the look-up reads. */
export interface ListedMessage {
  readonly ts?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Record<string, unknown> };
}

/** One page of conversations.history or conversations.replies. */
export interface HistoryPage {
  readonly messages?: readonly ListedMessage[];
  readonly has_more?: boolean;
  readonly response_metadata?: { readonly next_cursor?: string };
}

/** The parameters both history methods share. */
export interface HistoryQuery {
  readonly channel: string;
  readonly oldest: string;
  readonly include_all_metadata: true;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Looks for an ambiguously sent chunk by the metadata it was posted with: conversations.history
 * for a message in the channel, conversations.replies (`thread`) for a reply in a thread, from
 * a little before the attempt started. The metadata names the outbox key and chunk, so a match is
 * this chunk and nothing else; no match in the whole window means it was not posted.
 */
export async function reconcileFromHistory(
  request: ReconcileRequest,
  list: (method: "history" | "replies", query: HistoryQuery & { ts?: string }) => Promise<HistoryPage>,
): Promise<ReconcileOutcome> {
  const oldest = (Math.max(0, request.attemptStartedAtMs - CLOCK_SKEW_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query: HistoryQuery = { channel: request.chatId, oldest, include_all_metadata: true, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const answer = request.thread ? await list("replies", { ...query, ts: request.thread }) : await list("history", query);
    const found = (answer.messages ?? []).find((message) => isChunk(message, request));
    if (found?.ts) return { status: "delivered", providerMessageIds: [found.ts] };
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!answer.has_more || !cursor) return { status: "not-delivered" };
  }
  return { status: "unknown", reason: `more than ${MAX_PAGES * PAGE_SIZE} messages in the conversation since the attempt` };
}

function isChunk(message: ListedMessage, request: ReconcileRequest): boolean {
  const payload = message.metadata?.event_type === OUTBOUND_EVENT_TYPE ? message.metadata.event_payload : undefined;
  return payload?.["idempotency_key"] === request.idempotencyKey && Number(payload["chunk"]) === request.chunkIndex;
}
