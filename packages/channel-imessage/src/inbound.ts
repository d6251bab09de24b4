import { inboundMediaFact, type InboundMediaFact, type InboundMessage } from "@openclaw/channel-kit";

/** An attachment in imsg's `message` payload (only the fields used). */
export interface ImsgAttachment {
  readonly filename?: string | null;
  readonly transfer_name?: string | null;
  readonly mime_type?: string | null;
  readonly total_bytes?: number | null;
  readonly original_path?: string | null;
  readonly missing?: boolean | null;
}

/** One chat.db row as `imsg rpc` sends it in `message` notifications and `messages.history` (only the fields used). */
export interface ImsgMessage {
  /** The chat.db rowid: the watch cursor (`since_rowid`). */
  readonly id?: number;
  readonly chat_id?: number | string;
  readonly guid?: string | null;
  readonly sender?: string | null;
  readonly is_from_me?: boolean | null;
  readonly text?: string | null;
  readonly created_at?: string | null;
  readonly attachments?: readonly ImsgAttachment[] | null;
  readonly chat_guid?: string | null;
  readonly is_group?: boolean | null;
  readonly reply_to_guid?: string | null;
  readonly is_reaction?: boolean | null;
}

function mediaFact(attachment: ImsgAttachment): InboundMediaFact {
  const path = attachment.missing ? undefined : (attachment.original_path ?? attachment.filename ?? undefined);
  return inboundMediaFact({ path, contentType: attachment.mime_type, sizeBytes: attachment.total_bytes, fileName: attachment.transfer_name });
}

/**
 * A watched row as an InboundMessage; `undefined` for what the channel does not pass on: our own
 * messages (`is_from_me`: our own sends would come back as inbound and loop), tapbacks, empty rows, and rows
 * missing the ids the router needs.
 */
export function toInbound(row: ImsgMessage, accountId: string): InboundMessage | undefined {
  if (row.is_from_me || row.is_reaction) return undefined;
  if (!row.guid || row.chat_id === undefined || row.chat_id === null || !row.sender) return undefined;
  const text = row.text ?? "";
  const media = (row.attachments ?? []).map(mediaFact);
  if (text === "" && media.length === 0) return undefined;
  const parsed = row.created_at ? Date.parse(row.created_at) : Number.NaN;
  const isGroup = row.is_group ?? row.chat_guid?.includes(";+;") ?? false;
  return {
    channel: "imessage",
    accountId,
    chat: { kind: isGroup ? "group" : "dm", id: String(row.chat_id) },
    sender: { id: row.sender },
    text,
    mentions: [],
    ...(row.reply_to_guid ? { replyTo: { messageId: row.reply_to_guid } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: row.guid,
    timestamp: Number.isFinite(parsed) ? parsed : Date.now(),
  };
}
