import type { ChannelDefinition } from "@openclaw/channel-kit";
import { WhatsAppAdapter, whatsappOptions } from "./adapter.js";
import type { SocketFactory } from "./socket.js";

export { WhatsAppAdapter, whatsappOptions, LOGGED_OUT, CONNECTION_REPLACED, RESTART_REQUIRED, type WhatsAppAdapterOptions } from "./adapter.js";
export { AuthStore, writeFileAtomic, DEFAULT_MAX_KEYS_PER_TYPE } from "./auth-store.js";
export { acquireSessionLock, SessionLockedError } from "./session-lock.js";
export { toInbound, toJid, bareJid } from "./inbound.js";
export { renderQr } from "./qr.js";
export { baileysSocketFactory, type SocketFactory, type SocketFactoryOptions, type WhatsAppSocket, type WhatsAppSocketEvents, type BaileysLogger } from "./socket.js";

/** The WhatsApp channel; `socketFactory` replaces Baileys' socket (tests). */
export function createWhatsAppChannel(options: { socketFactory?: SocketFactory } = {}): ChannelDefinition {
  return {
    id: "whatsapp",
    label: "WhatsApp",
    textChunkLimit: 4000,
    maxTextLength: 65_536,
    configKeys: ["authDir", "sendReadReceipts", "reconnect"],
    create: (account) => new WhatsAppAdapter({ ...whatsappOptions(account), ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}) }),
  };
}

export const whatsappChannel: ChannelDefinition = createWhatsAppChannel();
