import { readFileSync } from "node:fs";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { DISCORD_CONFIG_KEYS, DiscordAdapter, discordOptions } from "./adapter.js";

export { DiscordAdapter, discordOptions, toInbound, DISCORD_CONFIG_KEYS, type DiscordAdapterOptions } from "./adapter.js";

/** The Discord channel (discord.js): 2000 characters and 17 lines per message. */
export const discordChannel: ChannelDefinition = {
  id: "discord",
  label: "Discord",
  textChunkLimit: 2000,
  maxTextLength: 2000,
  maxLinesPerMessage: 17,
  configKeys: DISCORD_CONFIG_KEYS,
  create: (account) => new DiscordAdapter(discordOptions(account, (path) => readFileSync(path, "utf8"))),
};
