/**
 * What an outbound action becomes as Baileys message content: a media item by its content type
 * (image, video, Ogg/Opus voice note, other audio converted by ffmpeg when it can be, or a
 * document), the `quoted` message a reply names, and the key of someone else's message that a
 * reaction or read receipt points at.
 */
import type { MessageTarget, OutboundMedia } from "@openclaw/channel-kit";
import type { AnyMessageContent, WAMessage, WAMessageKey } from "@whiskeysockets/baileys";
import { toJid } from "./inbound.js";
import { findFfmpeg, isOggOpus, transcodeToOggOpus } from "./voice-note.js";

/** The content one media item is sent as; `ffmpegPath` is the configured ffmpeg (PATH otherwise). */
export async function mediaContent(media: OutboundMedia, ffmpegPath: string | undefined): Promise<AnyMessageContent> {
  const type = media.contentType ?? "application/octet-stream";
  const source = { url: media.source };
  const caption = media.caption ?? "";
  const asDocument = (): AnyMessageContent => ({ document: source, mimetype: type, fileName: media.fileName ?? "file", caption });
  if (type.startsWith("image/")) return { image: source, caption };
  if (type.startsWith("video/")) return { video: source, caption };
  if (type.startsWith("audio/") && isOggOpus(type)) return { audio: source, mimetype: type, ptt: true };
  // A URL is handed to Baileys as it is; a local file can be converted first.
  if (type.startsWith("audio/") && /^https?:\/\//i.test(media.source)) return { audio: source, mimetype: type };
  if (type.startsWith("audio/")) return (await voiceNote(media.source, ffmpegPath)) ?? asDocument();
  return asDocument();
}

/** Audio that is not Ogg/Opus as an Opus voice note, when ffmpeg is there to convert it; undefined without ffmpeg. */
async function voiceNote(path: string, ffmpegPath: string | undefined): Promise<AnyMessageContent | undefined> {
  const ffmpeg = await findFfmpeg(ffmpegPath);
  if (!ffmpeg) return undefined;
  // A file ffmpeg cannot read still reaches the chat, as a document.
  const audio = await transcodeToOggOpus(ffmpeg, path).catch(() => undefined);
  return audio && { audio, mimetype: "audio/ogg; codecs=opus", ptt: true };
}

/** The message being replied to, as Baileys' `quoted` takes it: only its key is known here. */
export function quotedMessage(chatId: string, messageId: string): WAMessage | undefined {
  try {
    return { key: { remoteJid: toJid(chatId), id: messageId, fromMe: false }, message: { conversation: "" } };
  } catch {
    return undefined;
  }
}

/** The key WhatsApp names someone else's message by; in a group the author is part of it. */
export function messageKey(target: MessageTarget): WAMessageKey {
  const remoteJid = toJid(target.chatId);
  const group = remoteJid.endsWith("@g.us");
  return { remoteJid, id: target.providerMessageId, fromMe: false, ...(group && target.senderId ? { participant: toJid(target.senderId) } : {}) };
}
