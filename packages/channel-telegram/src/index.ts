import { readFileSync } from "node:fs";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { TELEGRAM_CONFIG_KEYS, TelegramAdapter, telegramOptions } from "./adapter.js";

export { TelegramAdapter, telegramOptions, TELEGRAM_CONFIG_KEYS, type TelegramAdapterOptions } from "./adapter.js";
export { toInbound, type TelegramUpdate } from "./inbound.js";

/** The Telegram channel (grammY): long polling by default, or a verified webhook. */
export const telegramChannel: ChannelDefinition = {
  id: "telegram",
  label: "Telegram",
  textChunkLimit: 4000,
  maxTextLength: 4096,
  configKeys: TELEGRAM_CONFIG_KEYS,
  create: (account) => new TelegramAdapter(telegramOptions(account, (path) => readFileSync(path, "utf8"))),
};
