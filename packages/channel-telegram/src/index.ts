import { readFileSync } from "node:fs";
import { defineChannel } from "@openclaw/channel-kit";
import { TelegramAdapter } from "./adapter.js";
import { TelegramConfigSchema } from "./config.js";
import { checkTelegramCredentials } from "./credentials.js";
import { telegramOptions } from "./options.js";

// Adapter
export { TelegramAdapter } from "./adapter.js";

// Settings
export { checkTelegramCredentials } from "./credentials.js";
export { TelegramConfigSchema, type TelegramConfig } from "./config.js";
export { telegramOptions, type TelegramAdapterOptions } from "./options.js";

// Wire
export { toInbound, type TelegramUpdate } from "./inbound.js";

/** The Telegram channel (grammY): long polling by default, or a verified webhook. */
export const telegramChannel = defineChannel({
  id: "telegram",
  label: "Telegram",
  textChunkLimit: 4000,
  maxTextLength: 4096,
  configSchema: TelegramConfigSchema,
  create: (account) => new TelegramAdapter(telegramOptions(account, (path) => readFileSync(path, "utf8"))),
  checkCredentials: checkTelegramCredentials,
});
