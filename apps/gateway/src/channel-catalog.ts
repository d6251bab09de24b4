import type { ChannelDefinition } from "@openclaw/channel-kit";
import type { ChannelConfigSchemas, ChannelLoader } from "@openclaw/gateway-core";
import { CliError } from "./errors.js";

// The channels this build can run: the one place that names the concrete adapters.

/** Picks a channel's definition out of its package, refusing a package that does not provide one. */
async function definitionFrom(load: Promise<Record<string, unknown>>, name: string, packageName: string): Promise<ChannelDefinition> {
  const definition = (await load)[name] as ChannelDefinition | undefined;
  if (typeof definition?.create !== "function") throw new CliError(`${packageName} does not export ${name}; reinstall @openclaw/gateway`);
  return definition;
}

/** Each channel's adapter, imported only when the channel is configured, keeping start-up fast. */
export const CHANNEL_LOADERS: Readonly<Record<string, ChannelLoader>> = {
  telegram: () => definitionFrom(import("@openclaw/channel-telegram"), "telegramChannel", "@openclaw/channel-telegram"),
  slack: () => definitionFrom(import("@openclaw/channel-slack"), "slackChannel", "@openclaw/channel-slack"),
  discord: () => definitionFrom(import("@openclaw/channel-discord"), "discordChannel", "@openclaw/channel-discord"),
  whatsapp: () => definitionFrom(import("@openclaw/channel-whatsapp"), "whatsappChannel", "@openclaw/channel-whatsapp"),
  signal: () => definitionFrom(import("@openclaw/channel-signal"), "signalChannel", "@openclaw/channel-signal"),
  imessage: () => definitionFrom(import("@openclaw/channel-imessage"), "imessageChannel", "@openclaw/channel-imessage"),
};

/**
 * Each channel's settings schema, from its package's `./config` entry (the schema alone, no
 * provider library): the config file is checked against them when it loads, so `channels.<id>`
 * is closed over these channels and their keys. Imported by `gateway run` only, not by every command.
 */
export async function loadChannelConfigSchemas(): Promise<ChannelConfigSchemas> {
  const [telegram, slack, discord, whatsapp, signal, imessage] = await Promise.all([
    import("@openclaw/channel-telegram/config"),
    import("@openclaw/channel-slack/config"),
    import("@openclaw/channel-discord/config"),
    import("@openclaw/channel-whatsapp/config"),
    import("@openclaw/channel-signal/config"),
    import("@openclaw/channel-imessage/config"),
  ]);
  return {
    telegram: telegram.TelegramConfigSchema,
    slack: slack.SlackConfigSchema,
    discord: discord.DiscordConfigSchema,
    whatsapp: whatsapp.WhatsAppConfigSchema,
    signal: signal.SignalConfigSchema,
    imessage: imessage.ImessageConfigSchema,
  };
}
