import { readFileSync } from "node:fs";
import { defineChannel } from "@openclaw/channel-kit";
import { DiscordAdapter } from "./adapter.js";
import { DiscordConfigSchema } from "./config.js";
import { checkDiscordCredentials } from "./credentials.js";
import { discordOptions } from "./options.js";

// Adapter
export { DISCORD_UPLOAD_MAX_BYTES, DiscordAdapter } from "./adapter.js";

// Settings
export { checkDiscordCredentials } from "./credentials.js";
export { DiscordConfigSchema, type DiscordConfig } from "./config.js";
export { discordOptions, type DiscordAdapterOptions } from "./options.js";

// Wire
export { IS_VOICE_MESSAGE, toInbound, type DiscordAttachment, type RawMessage } from "./inbound.js";

/** The Discord channel (discord.js): 2000 characters and 17 lines per message. */
export const discordChannel = defineChannel({
  id: "discord",
  label: "Discord",
  textChunkLimit: 2000,
  maxTextLength: 2000,
  maxLinesPerMessage: 17,
  configSchema: DiscordConfigSchema,
  create: (account) => new DiscordAdapter(discordOptions(account, (path) => readFileSync(path, "utf8"))),
  checkCredentials: checkDiscordCredentials,
});
