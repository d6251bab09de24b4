// A WhatsApp message's attachments as facts for the gateway: files, places and shared contacts.
import { inboundMediaFact, type InboundMediaFact, type InboundMediaKind } from "@openclaw/channel-kit";
import type { WAMessage } from "@whiskeysockets/baileys";

type Content = NonNullable<WAMessage["message"]>;

/** A file reference `downloadMedia` resolves through the recent-media cache: `wa-media:<chat jid>/<message id>`. */
export const WHATSAPP_MEDIA_PREFIX = "wa-media:";

export function mediaRef(remoteJid: string, id: string): string {
  return `${WHATSAPP_MEDIA_PREFIX}${remoteJid}/${id}`;
}

/** `wa-media:<jid>/<id>` → the cache key (`<jid>/<id>`), or `undefined` for anything else. */
export function mediaRefKey(ref: string | undefined): string | undefined {
  if (!ref?.startsWith(WHATSAPP_MEDIA_PREFIX)) return undefined;
  const key = ref.slice(WHATSAPP_MEDIA_PREFIX.length);
  return /^[^/]+\/[^/]+$/.test(key) ? key : undefined;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value && typeof value === "object" && "toNumber" in value && typeof (value as { toNumber: unknown }).toNumber === "function")
    return (value as { toNumber(): number }).toNumber();
  return undefined;
}

/** The content inside WhatsApp's wrappers (disappearing, view-once, a document with a caption). */
export function unwrapContent(content: Content): Content {
  let inner = content;
  for (let depth = 0; depth < 5; depth += 1) {
    const next =
      inner.ephemeralMessage?.message ??
      inner.viewOnceMessage?.message ??
      inner.viewOnceMessageV2?.message ??
      inner.viewOnceMessageV2Extension?.message ??
      inner.documentWithCaptionMessage?.message;
    if (!next) break;
    inner = next;
  }
  return inner;
}

/** A vCard's display name and phone numbers (`FN`, then `N`; every `TEL`). */
export function parseVcard(vcard: string): { name?: string; phones: string[] } {
  // Folded lines continue with a leading space or tab.
  const lines = vcard.replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  let name: string | undefined;
  let structured: string | undefined;
  const phones: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const field = line
      .slice(0, colon)
      .split(";")[0]!
      .toUpperCase()
      .replace(/^ITEM\d+\./, "");
    const value = line.slice(colon + 1).trim();
    if (value === "") continue;
    if (field === "FN") name ??= value;
    else if (field === "N") structured ??= value.split(";").slice(0, 2).reverse().filter(Boolean).join(" ");
    else if (field === "TEL") phones.push(value);
  }
  const chosen = name ?? (structured !== "" ? structured : undefined);
  return { ...(chosen ? { name: chosen } : {}), phones };
}

function contactFact(contact: { displayName?: string | null; vcard?: string | null } | null | undefined): InboundMediaFact | undefined {
  if (!contact) return undefined;
  const card = contact.vcard ? parseVcard(contact.vcard) : { phones: [] };
  const name = contact.displayName || card.name || card.phones[0];
  if (!name) return undefined;
  return { kind: "contact", contact: { name, ...(card.phones.length > 0 ? { phones: card.phones } : {}) } };
}

function placeFact(
  place: { degreesLatitude?: number | null; degreesLongitude?: number | null; name?: string | null; address?: string | null } | null | undefined,
): InboundMediaFact | undefined {
  const latitude = place?.degreesLatitude;
  const longitude = place?.degreesLongitude;
  if (typeof latitude !== "number" || typeof longitude !== "number" || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  return {
    kind: "location",
    location: { latitude, longitude, ...(place?.name ? { name: place.name } : {}), ...(place?.address ? { address: place.address } : {}) },
  };
}

interface FileItem {
  readonly mimetype?: string | null;
  readonly fileLength?: unknown;
  readonly seconds?: number | null;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly fileName?: string | null;
  readonly ptt?: boolean | null;
}

/** What WhatsApp says when a file message carries no mimetype. */
const DEFAULT_TYPES: Readonly<Record<string, string>> = { image: "image/jpeg", video: "video/mp4", audio: "audio/ogg", sticker: "image/webp" };

function fileFact(kind: InboundMediaKind, item: FileItem, ref: string): InboundMediaFact {
  return inboundMediaFact({
    kind,
    url: ref,
    contentType: item.mimetype ?? DEFAULT_TYPES[kind],
    sizeBytes: toNumber(item.fileLength),
    fileName: item.fileName,
    durationSec: item.seconds,
    width: item.width,
    height: item.height,
  });
}

/**
 * Every attachment of a message (already unwrapped), in the envelope the gateway reads. A file's
 * `url` is `wa-media:<jid>/<id>`: WhatsApp's CDN link alone cannot be decrypted without the
 * message's media key, so the adapter keeps the message itself for `downloadMedia`.
 */
export function mediaOf(content: Content, ref: string): InboundMediaFact[] {
  const media: InboundMediaFact[] = [];
  if (content.imageMessage) media.push(fileFact("image", content.imageMessage, ref));
  if (content.videoMessage) media.push(fileFact("video", content.videoMessage, ref));
  if (content.audioMessage) media.push(fileFact(content.audioMessage.ptt ? "voice" : "audio", content.audioMessage, ref));
  if (content.documentMessage) media.push(fileFact("document", content.documentMessage, ref));
  if (content.stickerMessage) media.push(fileFact("sticker", content.stickerMessage, ref));
  const place = placeFact(content.locationMessage) ?? placeFact(content.liveLocationMessage);
  if (place) media.push(place);
  const single = contactFact(content.contactMessage);
  if (single) media.push(single);
  for (const contact of content.contactsArrayMessage?.contacts ?? []) {
    const fact = contactFact(contact);
    if (fact) media.push(fact);
  }
  return media;
}

/** The text a file or place carries with it: a caption, a live location's comment. */
export function captionOf(content: Content): string | undefined {
  for (const item of [content.imageMessage, content.videoMessage, content.documentMessage, content.liveLocationMessage]) {
    if (item?.caption) return item.caption;
  }
  return undefined;
}

/** Where a reply's quote and mentions are, whichever kind of message this is. */
export function contextOf(content: Content) {
  for (const item of [
    content.extendedTextMessage,
    content.imageMessage,
    content.videoMessage,
    content.audioMessage,
    content.documentMessage,
    content.stickerMessage,
    content.locationMessage,
    content.liveLocationMessage,
    content.contactMessage,
    content.contactsArrayMessage,
  ]) {
    if (item?.contextInfo) return item.contextInfo;
  }
  return undefined;
}
