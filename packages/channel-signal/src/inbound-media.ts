// A Signal data message's attachments, sticker and shared contacts as facts for the gateway.
import { inboundMediaFact, type InboundMediaFact } from "@openclaw/channel-kit";
import type { SignalEnvelope, SignalSharedContact } from "./inbound.js";

/** `signal-attachment:<id>?recipient=<sender>` or `?groupId=<group>`: what `getAttachment` needs. */
export const SIGNAL_ATTACHMENT_PREFIX = "signal-attachment:";
/** `signal-sticker:<pack id>/<sticker id>`: what `getSticker` needs. */
export const SIGNAL_STICKER_PREFIX = "signal-sticker:";

/** Where an attachment was received: signal-cli's `getAttachment` asks for the sender or the group. */
export type AttachmentOrigin = { readonly recipient: string } | { readonly groupId: string };

export function attachmentRef(id: string, origin: AttachmentOrigin): string {
  return `${SIGNAL_ATTACHMENT_PREFIX}${encodeURIComponent(id)}?${new URLSearchParams(origin as Record<string, string>).toString()}`;
}

/** The `getAttachment` or `getSticker` params a file reference stands for, or `undefined` for anything else. */
export function parseMediaRef(
  ref: string | undefined,
): { method: "getAttachment"; params: Record<string, unknown> } | { method: "getSticker"; params: Record<string, unknown> } | undefined {
  if (ref?.startsWith(SIGNAL_ATTACHMENT_PREFIX)) {
    const [id = "", query = ""] = ref.slice(SIGNAL_ATTACHMENT_PREFIX.length).split("?", 2);
    const search = new URLSearchParams(query);
    const recipient = search.get("recipient");
    const groupId = search.get("groupId");
    if (id === "" || (recipient === null) === (groupId === null)) return undefined;
    return { method: "getAttachment", params: { id: decodeURIComponent(id), ...(recipient !== null ? { recipient } : { groupId }) } };
  }
  if (ref?.startsWith(SIGNAL_STICKER_PREFIX)) {
    const match = /^([0-9a-f]+)\/(\d+)$/i.exec(ref.slice(SIGNAL_STICKER_PREFIX.length));
    if (!match) return undefined;
    return { method: "getSticker", params: { packId: match[1], stickerId: Number(match[2]) } };
  }
  return undefined;
}

function contactFact(contact: SignalSharedContact): InboundMediaFact | undefined {
  const name = contact.name;
  const full = [name?.prefix, name?.given, name?.middle, name?.family, name?.suffix].filter(Boolean).join(" ");
  const phones = (contact.phone ?? []).map((phone) => phone.value ?? "").filter((value) => value !== "");
  const shown = full || name?.nickname || contact.organization || phones[0];
  if (!shown) return undefined;
  return { kind: "contact", contact: { name: shown, ...(phones.length > 0 ? { phones } : {}) } };
}

/**
 * Every attachment of a data message: files (by signal-cli's attachment id, fetched later with
 * `getAttachment`), a sticker (fetched with `getSticker`), and shared contact cards.
 */
export function mediaOf(data: NonNullable<SignalEnvelope["dataMessage"]>, origin: AttachmentOrigin): InboundMediaFact[] {
  const media: InboundMediaFact[] = [];
  for (const attachment of data.attachments ?? []) {
    media.push(
      inboundMediaFact({
        url: attachment.id ? attachmentRef(attachment.id, origin) : undefined,
        contentType: attachment.contentType,
        sizeBytes: attachment.size,
        fileName: attachment.filename,
        width: attachment.width,
        height: attachment.height,
      }),
    );
  }
  const sticker = data.sticker;
  if (sticker?.packId && typeof sticker.stickerId === "number") {
    media.push({ kind: "sticker", url: `${SIGNAL_STICKER_PREFIX}${sticker.packId}/${sticker.stickerId}` });
  }
  for (const contact of data.contacts ?? []) {
    const fact = contactFact(contact);
    if (fact) media.push(fact);
  }
  return media;
}
