import type { InboundMessage } from "@openclaw/channel-kit";
import type { WAMessage } from "@whiskeysockets/baileys";
import { captionOf, contextOf, mediaOf, mediaRef, toNumber, unwrapContent } from "./inbound-media.js";

const GROUP_SUFFIX = "@g.us";

/** `+15551234567`, `15551234567` or a JID → the JID WhatsApp expects. */
export function toJid(target: string): string {
  if (target.includes("@")) return target;
  const digits = target.replace(/[^\d]/g, "");
  if (digits === "") throw new RangeError(`"${target}" is neither a phone number nor a WhatsApp JID`);
  return `${digits}@s.whatsapp.net`;
}

/** `15551234567:12@s.whatsapp.net` → `15551234567@s.whatsapp.net` (drop the device part). */
export function bareJid(jid: string): string {
  const [user = "", server = ""] = jid.split("@");
  return `${user.split(":")[0]}@${server}`;
}

/**
 * A `messages.upsert` entry as an InboundMessage, or `undefined` for what the channel ignores:
 * our own messages, protocol/system messages, status broadcasts, and messages without content.
 */
export function toInbound(message: WAMessage, accountId: string, now: () => number = Date.now): InboundMessage | undefined {
  const key = message.key;
  if (!key || key.fromMe || !key.remoteJid || !key.id) return undefined;
  if (key.remoteJid === "status@broadcast") return undefined;
  const content = message.message;
  if (!content) return undefined;
  const group = key.remoteJid.endsWith(GROUP_SUFFIX);
  const senderJid = bareJid((group ? key.participant : key.remoteJid) ?? "");
  if (senderJid === "@") return undefined;

  const inner = unwrapContent(content);
  const media = mediaOf(inner, mediaRef(key.remoteJid, key.id));
  // A caption is the message's text when there is no other.
  const text = inner.conversation || inner.extendedTextMessage?.text || captionOf(inner) || "";
  const context = contextOf(inner);
  if (text === "" && media.length === 0) return undefined;
  const seconds = toNumber(message.messageTimestamp);
  return {
    channel: "whatsapp",
    accountId,
    chat: { kind: group ? "group" : "dm", id: key.remoteJid },
    sender: { id: senderJid, ...(message.pushName ? { name: message.pushName } : {}) },
    text,
    mentions: (context?.mentionedJid ?? []).map(bareJid),
    ...(context?.stanzaId ? { replyTo: { messageId: context.stanzaId, ...(context.participant ? { senderId: bareJid(context.participant) } : {}) } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: key.id,
    timestamp: seconds !== undefined ? seconds * 1000 : now(),
  };
}
