// Which Bot API method sends a file, and with what: a URL is passed for Telegram to fetch, a local
// file is uploaded (multipart, through grammY's InputFile) under its own name, or `file.<ext>` when it has none.
import { InputFile, type Api } from "grammy";
import type { OutboundMedia } from "@openclaw/channel-kit";

/** The largest file a bot may upload through the Bot API (50 MB). */
export const TELEGRAM_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** The Bot API method for a content type: photos, Opus voice notes, other audio and videos show inline; the rest are documents. */
export function mediaMethod(contentType: string | undefined): "sendPhoto" | "sendVoice" | "sendAudio" | "sendVideo" | "sendDocument" {
  const type = contentType?.toLowerCase() ?? "";
  if (/^image\/(jpeg|png|webp)$/.test(type)) return "sendPhoto";
  // Telegram plays only OGG/Opus as a voice note.
  if (type === "audio/ogg" || type === "audio/opus") return "sendVoice";
  if (/^audio\/(mpeg|mp3|mp4|m4a|x-m4a)$/.test(type)) return "sendAudio";
  if (type === "video/mp4") return "sendVideo";
  return "sendDocument";
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/webp": ".webp",
  "audio/ogg": ".ogg",
  "audio/mpeg": ".mp3",
  "video/mp4": ".mp4",
  "application/pdf": ".pdf",
  "text/plain": ".txt",
};

/** Sends one file with its caption, reply and topic; answers the sent message's id. */
export async function sendTelegramMedia(api: Api, media: OutboundMedia): Promise<number> {
  const file = /^https?:\/\//i.test(media.source)
    ? media.source
    : new InputFile(media.source, media.fileName ?? `file${EXTENSIONS[media.contentType ?? ""] ?? ""}`);
  const extra = {
    ...(media.caption ? { caption: media.caption } : {}),
    ...(media.replyTo ? { reply_parameters: { message_id: Number(media.replyTo), allow_sending_without_reply: true } } : {}),
    ...(media.thread ? { message_thread_id: Number(media.thread) } : {}),
  };
  const chat = media.chatId;
  switch (mediaMethod(media.contentType)) {
    case "sendPhoto":
      return (await api.sendPhoto(chat, file, extra)).message_id;
    case "sendVoice":
      return (await api.sendVoice(chat, file, extra)).message_id;
    case "sendAudio":
      return (await api.sendAudio(chat, file, extra)).message_id;
    case "sendVideo":
      return (await api.sendVideo(chat, file, extra)).message_id;
    default:
      return (await api.sendDocument(chat, file, extra)).message_id;
  }
}
