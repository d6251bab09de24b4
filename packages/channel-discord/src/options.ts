import { accountSecret, missingSettingError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { DiscordConfigSchema, type DiscordConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the token resolved. */
export interface DiscordAdapterOptions extends Pick<DiscordConfig, "apiRoot" | "maxResumeAttempts" | "reconnect"> {
  readonly accountId: string;
  readonly token: string;
  /** How long `start` (and each fresh client) waits for READY. @default 30 s */
  readonly readyTimeoutMs?: number;
}

/** Reads one account's settings; the token comes from config, a file, or DISCORD_BOT_TOKEN (default account only). */
export function discordOptions(account: ChannelAccountContext, readFile: (path: string) => string): DiscordAdapterOptions {
  const secret = accountSecret(account, "token", { fileKey: "tokenFile", readFile, env: "DISCORD_BOT_TOKEN" });
  const { token, tokenFile: _file, ...rest } = parseAccountConfig(DiscordConfigSchema, "discord", account, { token: secret });
  if (token === undefined) throw missingSettingError(DiscordConfigSchema, "discord", account.accountId, "token");
  return { ...rest, accountId: account.accountId, token };
}
