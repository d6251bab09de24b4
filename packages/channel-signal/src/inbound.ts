import type { InboundMessage } from "@openclaw/channel-kit";
import { mediaOf } from "./inbound-media.js";

/** A signal-cli `receive` envelope (only the fields used). */
export interface SignalEnvelope {
  readonly source?: string | null;
  readonly sourceNumber?: string | null;
  readonly sourceUuid?: string | null;
  readonly sourceName?: string | null;
  readonly timestamp?: number;
  readonly dataMessage?: {
    readonly timestamp?: number;
    readonly message?: string | null;
    readonly groupInfo?: { readonly groupId?: string } | null;
    readonly mentions?: readonly { readonly number?: string | null; readonly uuid?: string | null }[] | null;
    readonly attachments?: readonly SignalAttachment[] | null;
    readonly sticker?: { readonly packId?: string | null; readonly stickerId?: number | null } | null;
    readonly contacts?: readonly SignalSharedContact[] | null;
    readonly quote?: { readonly id?: number; readonly author?: string | null; readonly authorNumber?: string | null } | null;
  } | null;
  readonly syncMessage?: unknown;
}

/** signal-cli's JSON of an attachment (`JsonAttachment`); there is no voice-note flag in it. */
export interface SignalAttachment {
  readonly contentType?: string | null;
  readonly filename?: string | null;
  readonly id?: string | null;
  readonly size?: number | null;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly caption?: string | null;
}

/** signal-cli's JSON of a shared contact card (`JsonSharedContact`, only the fields used). */
export interface SignalSharedContact {
  readonly name?: {
    readonly nickname?: string | null;
    readonly given?: string | null;
    readonly middle?: string | null;
    readonly family?: string | null;
    readonly prefix?: string | null;
    readonly suffix?: string | null;
  } | null;
  readonly phone?: readonly { readonly value?: string | null }[] | null;
  readonly organization?: string | null;
}

/** Thrown for an event the daemon should never have sent; the adapter logs it and moves on. */
export class MalformedEventError extends Error {
  readonly code = "SIGNAL_MALFORMED_EVENT";
}

/** `+15551234567` for numbered senders, `uuid:<aci>` for the rest (the chat id for DMs). */
function senderOf(envelope: SignalEnvelope): string | undefined {
  const number = envelope.sourceNumber ?? (envelope.source?.startsWith("+") ? envelope.source : undefined);
  if (number) return number;
  const uuid = envelope.sourceUuid ?? envelope.source ?? undefined;
  return uuid ? `uuid:${uuid}` : undefined;
}

/**
 * A `receive` event's data as an InboundMessage; `undefined` for what the channel does not pass on
 * (sync copies of what this account sent, our own number, receipts, typing, empty messages).
 * Throws `MalformedEventError` when the event is not a receive envelope at all.
 */
export function toInbound(raw: unknown, accountId: string, self: string): InboundMessage | undefined {
  if (raw === null || typeof raw !== "object") throw new MalformedEventError("event data is not a JSON object");
  const envelope = (raw as { envelope?: unknown }).envelope as SignalEnvelope | undefined;
  if (!envelope || typeof envelope !== "object") throw new MalformedEventError("event has no envelope");
  // What this account sent from another device, or our own sends echoed back.
  if (envelope.syncMessage !== undefined && envelope.syncMessage !== null) return undefined;
  const sender = senderOf(envelope);
  if (!sender) throw new MalformedEventError("envelope has no source");
  if (sender === self || envelope.source === self) return undefined;
  const data = envelope.dataMessage;
  if (!data) return undefined;
  const timestamp = data.timestamp ?? envelope.timestamp;
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) throw new MalformedEventError("data message has no timestamp");
  const text = typeof data.message === "string" ? data.message : "";
  const groupId = data.groupInfo?.groupId;
  const media = mediaOf(data, groupId ? { groupId } : { recipient: sender.replace(/^uuid:/, "") });
  if (text === "" && media.length === 0) return undefined;
  const quoteAuthor = data.quote?.authorNumber ?? data.quote?.author ?? undefined;
  const mentions = (data.mentions ?? []).map((mention) => mention.number ?? (mention.uuid ? `uuid:${mention.uuid}` : "")).filter((id) => id !== "");
  return {
    channel: "signal",
    accountId,
    chat: groupId ? { kind: "group", id: `group:${groupId}` } : { kind: "dm", id: sender },
    sender: { id: sender, ...(envelope.sourceName ? { name: envelope.sourceName } : {}) },
    text,
    mentions,
    ...(data.quote?.id !== undefined ? { replyTo: { messageId: String(data.quote.id), ...(quoteAuthor ? { senderId: quoteAuthor } : {}) } } : {}),
    ...(media.length > 0 ? { media } : {}),
    // The daemon's timestamp is the message id for that sender and chat.
    providerMessageId: String(timestamp),
    timestamp,
  };
}
