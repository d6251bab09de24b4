import { inboundMediaFact, type InboundMediaFact, type InboundMediaKind, type InboundMessage } from "@openclaw/channel-kit";

/** The parts of a raw MESSAGE_CREATE dispatch this channel reads. */
export interface RawMessage {
  readonly id: string;
  readonly channel_id: string;
  readonly guild_id?: string;
  readonly author?: { readonly id: string; readonly username?: string; readonly global_name?: string | null; readonly bot?: boolean };
  readonly content?: string;
  readonly timestamp?: string;
  readonly mentions?: readonly { readonly id: string }[];
  readonly message_reference?: { readonly message_id?: string };
  readonly referenced_message?: { readonly author?: { readonly id: string } } | null;
  readonly attachments?: readonly DiscordAttachment[];
  readonly sticker_items?: readonly { readonly id: string; readonly name?: string; readonly format_type?: number }[];
  /** Message flags; IS_VOICE_MESSAGE marks a recorded voice message. */
  readonly flags?: number;
  readonly thread?: { readonly id: string };
  readonly position?: number;
}

/** The fields of a Discord attachment object this channel reads. */
export interface DiscordAttachment {
  readonly id?: string;
  readonly url?: string;
  readonly proxy_url?: string;
  readonly filename?: string;
  readonly content_type?: string;
  readonly size?: number;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly duration_secs?: number;
}

/** Message flag: the message is a recorded voice message (one audio attachment with a waveform). */
export const IS_VOICE_MESSAGE = 1 << 13;

/** Sticker `format_type`: 1 PNG, 2 APNG, 3 Lottie (JSON), 4 GIF. */
const STICKER_TYPES: Record<number, string> = { 1: "image/png", 2: "image/apng", 3: "application/json", 4: "image/gif" };

function attachmentKind(attachment: DiscordAttachment, voiceMessage: boolean): InboundMediaKind {
  const type = attachment.content_type ?? "";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return voiceMessage ? "voice" : "audio";
  if (type.startsWith("video/")) return "video";
  return "document";
}

/** Every attachment and sticker of a message; an attachment's `url` is its CDN link, which `downloadMedia` fetches. */
function mediaOf(data: RawMessage): InboundMediaFact[] {
  const voiceMessage = ((data.flags ?? 0) & IS_VOICE_MESSAGE) !== 0;
  const media = (data.attachments ?? []).map((attachment) =>
    inboundMediaFact({
      kind: attachmentKind(attachment, voiceMessage),
      url: attachment.url ?? attachment.proxy_url,
      contentType: attachment.content_type,
      sizeBytes: attachment.size,
      fileName: attachment.filename,
      durationSec: attachment.duration_secs,
      width: attachment.width,
      height: attachment.height,
    }),
  );
  for (const sticker of data.sticker_items ?? []) {
    const contentType = sticker.format_type === undefined ? undefined : STICKER_TYPES[sticker.format_type];
    media.push({
      kind: "sticker",
      ...(sticker.name ? { fileName: sticker.name } : {}),
      ...(contentType ? { contentType } : {}),
      unavailable: "stickers are not downloaded",
    });
  }
  return media;
}

/** A thread the adapter has seen created or listed, with the channel it belongs to. */
export interface KnownThread {
  readonly parentId?: string;
}

/** A raw MESSAGE_CREATE as an InboundMessage (DMs have no guild id). */
export function toInbound(data: RawMessage, accountId: string, threads: ReadonlyMap<string, KnownThread>): InboundMessage | undefined {
  if (!data.id || !data.channel_id || !data.author?.id) return undefined;
  const text = data.content ?? "";
  const media = mediaOf(data);
  if (text === "" && media.length === 0) return undefined;
  const thread = threads.get(data.channel_id);
  return {
    channel: "discord",
    accountId,
    chat: { kind: data.guild_id ? "group" : "dm", id: data.channel_id, ...(thread?.parentId ? { parentId: thread.parentId } : {}) },
    sender: {
      id: data.author.id,
      ...(data.author.global_name ? { name: data.author.global_name } : {}),
      ...(data.author.username ? { username: data.author.username } : {}),
      ...(data.author.bot ? { isBot: true } : {}),
    },
    text,
    mentions: (data.mentions ?? []).map((user) => user.id),
    ...(data.message_reference?.message_id
      ? {
          replyTo: {
            messageId: data.message_reference.message_id,
            ...(data.referenced_message?.author ? { senderId: data.referenced_message.author.id } : {}),
          },
        }
      : {}),
    ...(thread ? { thread: { id: data.channel_id } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: data.id,
    timestamp: data.timestamp ? Date.parse(data.timestamp) : Date.now(),
  };
}
