import { defineChannel } from "@openclaw/channel-kit";
import { WhatsAppAdapter } from "./adapter.js";
import { WhatsAppConfigSchema } from "./config.js";
import { whatsappOptions } from "./options.js";
import type { SocketFactory } from "./socket.js";

// Adapter
export { WhatsAppMediaUnavailableError } from "./errors.js";
export { RecentMediaMessages, type RecentMediaLimits } from "./media-download.js";
export { WhatsAppAdapter } from "./adapter.js";
export { LOGGED_OUT, CONNECTION_REPLACED, RESTART_REQUIRED } from "./status-codes.js";
export { AuthStore, DEFAULT_MAX_KEYS_PER_TYPE } from "./auth-store.js";
export { acquireSessionLock, SessionLockedError } from "./session-lock.js";
export { renderQr } from "./qr.js";

// Settings
export { WhatsAppConfigSchema, type WhatsAppConfig } from "./config.js";
export { whatsappOptions, type WhatsAppAdapterOptions } from "./options.js";

// Wire
export { toInbound, toJid, bareJid } from "./inbound.js";
export {
  baileysSocketFactory,
  createBaileysSocketFactory,
  type BaileysSocketOverrides,
  type SocketFactory,
  type SocketFactoryOptions,
  type WhatsAppSocket,
  type WhatsAppSocketEvents,
  type BaileysLogger,
} from "./socket.js";

/** The WhatsApp channel; `socketFactory` replaces Baileys' socket (tests). */
export function createWhatsAppChannel(options: { socketFactory?: SocketFactory; ffmpegPath?: string } = {}) {
  return defineChannel({
    id: "whatsapp",
    label: "WhatsApp",
    textChunkLimit: 4000,
    maxTextLength: 65_536,
    configSchema: WhatsAppConfigSchema,
    create: (account) =>
      new WhatsAppAdapter({
        ...whatsappOptions(account),
        ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
        ...(options.ffmpegPath !== undefined ? { ffmpegPath: options.ffmpegPath } : {}),
      }),
  });
}

export const whatsappChannel = createWhatsAppChannel();
