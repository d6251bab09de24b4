import { inboundMediaFact, type InboundMediaFact, type InboundMediaKind, type InboundMessage } from "@openclaw/channel-kit";

/** The parts of a Bot API Update this channel reads. */
export interface TelegramUpdate {
  readonly update_id: number;
  readonly message?: TelegramMessage;
  readonly channel_post?: TelegramMessage;
}

interface TelegramUser {
  readonly id: number;
  readonly is_bot?: boolean;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly username?: string;
}

interface TelegramEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly user?: TelegramUser;
}

interface TelegramMessage {
  readonly message_id: number;
  readonly date: number;
  readonly chat: { readonly id: number; readonly type: "private" | "group" | "supergroup" | "channel"; readonly title?: string };
  readonly from?: TelegramUser;
  readonly sender_chat?: { readonly id: number; readonly title?: string };
  readonly text?: string;
  readonly caption?: string;
  readonly entities?: readonly TelegramEntity[];
  readonly caption_entities?: readonly TelegramEntity[];
  readonly reply_to_message?: { readonly message_id: number; readonly from?: TelegramUser };
  readonly message_thread_id?: number;
  readonly is_topic_message?: boolean;
  readonly photo?: readonly TelegramFile[];
  readonly sticker?: TelegramFile;
  readonly document?: TelegramFile;
  readonly voice?: TelegramFile;
  readonly audio?: TelegramFile;
  readonly video?: TelegramFile;
  readonly video_note?: TelegramFile;
  readonly location?: { readonly latitude: number; readonly longitude: number };
  readonly venue?: { readonly location: { readonly latitude: number; readonly longitude: number }; readonly title?: string; readonly address?: string };
  readonly contact?: { readonly phone_number?: string; readonly first_name?: string; readonly last_name?: string };
}

/** The fields of a Bot API file object (PhotoSize, Document, Voice, Audio, Video, Sticker) this channel reads. */
interface TelegramFile {
  readonly file_id: string;
  readonly file_name?: string;
  readonly mime_type?: string;
  readonly file_size?: number;
  readonly duration?: number;
  readonly width?: number;
  readonly height?: number;
  readonly is_animated?: boolean;
  readonly is_video?: boolean;
}

/** A file reference the adapter's `downloadMedia` resolves with getFile. */
export const TELEGRAM_FILE_PREFIX = "tg-file:";

function fileFact(kind: InboundMediaKind, file: TelegramFile, defaultType?: string): InboundMediaFact {
  return inboundMediaFact({
    kind,
    url: `${TELEGRAM_FILE_PREFIX}${file.file_id}`,
    contentType: file.mime_type ?? defaultType,
    sizeBytes: file.file_size,
    fileName: file.file_name,
    durationSec: file.duration,
    width: file.width,
    height: file.height,
  });
}

/** Every attachment of a message, in the envelope the gateway reads. */
function mediaOf(message: TelegramMessage): InboundMediaFact[] {
  const media: InboundMediaFact[] = [];
  const largest = message.photo?.at(-1);
  if (largest) media.push(fileFact("image", largest, "image/jpeg"));
  const sticker = message.sticker;
  if (sticker) media.push(fileFact("sticker", sticker, sticker.is_animated ? "application/x-tgsticker" : sticker.is_video ? "video/webm" : "image/webp"));
  if (message.voice) media.push(fileFact("voice", message.voice, "audio/ogg"));
  if (message.audio) media.push(fileFact("audio", message.audio));
  if (message.video) media.push(fileFact("video", message.video));
  if (message.video_note) media.push(fileFact("video", message.video_note, "video/mp4"));
  if (message.document) media.push(fileFact("document", message.document));
  const place = message.venue?.location ?? message.location;
  if (place && Number.isFinite(place.latitude) && Number.isFinite(place.longitude)) {
    const { title, address } = message.venue ?? {};
    media.push({
      kind: "location",
      location: { latitude: place.latitude, longitude: place.longitude, ...(title ? { name: title } : {}), ...(address ? { address } : {}) },
    });
  }
  const contact = message.contact;
  const contactName = [contact?.first_name, contact?.last_name].filter(Boolean).join(" ");
  if (contact && (contactName !== "" || contact.phone_number)) {
    media.push({
      kind: "contact",
      contact: { name: contactName || contact.phone_number!, ...(contact.phone_number ? { phones: [contact.phone_number] } : {}) },
    });
  }
  return media;
}

/**
 * An update as an InboundMessage, or `undefined` for updates the channel does not handle
 * (edits, service messages, malformed updates).
 */
export function toInbound(update: TelegramUpdate, accountId: string): InboundMessage | undefined {
  const message = update.message ?? update.channel_post;
  if (!message || typeof message.message_id !== "number" || typeof message.chat?.id !== "number") return undefined;
  const text = message.text ?? message.caption ?? "";
  const media = mediaOf(message);
  if (text === "" && media.length === 0) return undefined;
  const mentions: string[] = [];
  for (const entity of message.entities ?? message.caption_entities ?? []) {
    if (entity.type === "mention") mentions.push(text.slice(entity.offset + 1, entity.offset + entity.length));
    else if (entity.type === "text_mention" && entity.user) mentions.push(String(entity.user.id));
  }
  const kind = message.chat.type === "private" ? "dm" : message.chat.type === "channel" ? "channel" : "group";
  const from = message.from;
  const sender = from
    ? {
        id: String(from.id),
        name: [from.first_name, from.last_name].filter(Boolean).join(" ") || undefined,
        username: from.username,
        isBot: from.is_bot === true,
      }
    : { id: String(message.sender_chat?.id ?? message.chat.id), name: message.sender_chat?.title ?? message.chat.title, username: undefined, isBot: false };
  return {
    channel: "telegram",
    accountId,
    chat: { kind, id: String(message.chat.id) },
    sender: {
      id: sender.id,
      ...(sender.name ? { name: sender.name } : {}),
      ...(sender.username ? { username: sender.username } : {}),
      ...(sender.isBot ? { isBot: true } : {}),
    },
    text,
    mentions,
    ...(message.reply_to_message
      ? {
          replyTo: {
            messageId: String(message.reply_to_message.message_id),
            ...(message.reply_to_message.from ? { senderId: String(message.reply_to_message.from.id) } : {}),
          },
        }
      : {}),
    ...(message.is_topic_message && message.message_thread_id !== undefined ? { thread: { id: String(message.message_thread_id) } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: String(message.message_id),
    timestamp: message.date * 1000,
  };
}
