import { inboundMediaFact, type InboundMediaFact, type InboundMessage } from "@openclaw/channel-kit";
import { extensionOf, typeOfName, withExtension } from "./media-types.js";

/** An attachment in imsg's `message` payload (only the fields used). */
export interface ImsgAttachment {
  readonly filename?: string | null;
  readonly transfer_name?: string | null;
  readonly mime_type?: string | null;
  readonly total_bytes?: number | null;
  readonly original_path?: string | null;
  readonly missing?: boolean | null;
  /** A copy imsg made in a type more tools read (a CAF voice memo as m4a, a GIF as PNG). */
  readonly converted_path?: string | null;
  readonly converted_mime_type?: string | null;
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

/**
 * One attachment as a fact whose `path` is the file on the Mac running imsg. imsg's converted copy
 * is preferred (a voice memo as m4a can be transcribed), named with its own extension. A file imsg
 * reports missing is kept, with the reason.
 */
function mediaFact(attachment: ImsgAttachment): InboundMediaFact {
  const name = attachment.transfer_name || undefined;
  if (attachment.converted_path) {
    const extension = extensionOf(attachment.converted_path);
    const contentType = attachment.converted_mime_type || typeOfName(attachment.converted_path);
    return inboundMediaFact({ path: attachment.converted_path, contentType, fileName: name && extension ? withExtension(name, extension) : name });
  }
  const path = attachment.original_path || attachment.filename || undefined;
  const contentType = attachment.mime_type || typeOfName(name ?? path ?? "");
  const fact = inboundMediaFact({ path, contentType, sizeBytes: attachment.total_bytes, fileName: name });
  if (!attachment.missing && path !== undefined) return fact;
  const { path: _missing, ...rest } = fact;
  return { ...rest, unavailable: "imsg reports the file missing on its Mac (not downloaded from iCloud yet, or deleted)" };
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
