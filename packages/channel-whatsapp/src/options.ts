import { join } from "node:path";
import { parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { WhatsAppConfigSchema, type WhatsAppConfig } from "./config.js";
import type { RecentMediaLimits } from "./media-download.js";
import type { SocketFactory } from "./socket.js";

/** What the adapter runs with: the account's settings with the directories resolved. */
export interface WhatsAppAdapterOptions extends Pick<WhatsAppConfig, "reconnect"> {
  readonly accountId: string;
  readonly authDir: string;
  /** The gateway's state dir: the session lock lives under it (`locks/whatsapp/`). */
  readonly stateDir: string;
  /** Where logout keeps the one backup of the auth state it deletes. @default <stateDir>/backups/whatsapp/<accountId> */
  readonly backupDir?: string;
  /** How long `start` waits for the first open or QR before returning with the account still connecting. @default 20 s */
  readonly startTimeoutMs?: number;
  /** Media larger than this is refused before sending. @default 50 MB */
  readonly mediaMaxBytes?: number;
  /**
   * ffmpeg, to turn audio that is not Ogg/Opus into an Opus voice note; when it is not executable
   * the audio is sent as a document. @default `ffmpeg` on PATH
   */
  readonly ffmpegPath?: string;
  /** How many inbound media messages are kept (in memory only) so their files can be downloaded. @default 500 for 6 hours */
  readonly recentMedia?: RecentMediaLimits;
  /** The clock the recent-media cache ages by; tests inject one. @default Date.now */
  readonly now?: () => number;
  /** The socket factory; tests inject a fake. @default Baileys' makeWASocket */
  readonly socketFactory?: SocketFactory;
}

/** Reads an account's settings; throws InvalidOptionError naming the key. */
export function whatsappOptions(account: ChannelAccountContext): WhatsAppAdapterOptions {
  const config = parseAccountConfig(WhatsAppConfigSchema, "whatsapp", account);
  return {
    ...config,
    accountId: account.accountId,
    authDir: config.authDir ?? join(account.stateDir, "credentials", "whatsapp", account.accountId),
    stateDir: account.stateDir,
  };
}
