import { accountSecret, missingSettingError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { TelegramConfigSchema, type TelegramConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the token and webhook resolved. */
export interface TelegramAdapterOptions extends Pick<TelegramConfig, "apiRoot" | "polling" | "reconnect" | "commands"> {
  readonly accountId: string;
  readonly token: string;
  readonly webhook?: { readonly url: string; readonly secret: string; readonly path?: string };
}

/** Reads one account's settings; the token comes from config, a token file, or TELEGRAM_BOT_TOKEN (default account only). */
export function telegramOptions(account: ChannelAccountContext, readFile: (path: string) => string): TelegramAdapterOptions {
  const botToken = accountSecret(account, "botToken", { fileKey: "tokenFile", readFile, env: "TELEGRAM_BOT_TOKEN" });
  const config = parseAccountConfig(TelegramConfigSchema, "telegram", account, { botToken });
  const missing = (key: string) => missingSettingError(TelegramConfigSchema, "telegram", account.accountId, key);
  if (config.botToken === undefined) throw missing("botToken");
  // A webhook is never run without its secret.
  if (config.webhookUrl !== undefined && config.webhookSecret === undefined) throw missing("webhookSecret");
  const { botToken: token, tokenFile: _file, webhookUrl, webhookSecret, webhookPath, ...rest } = config;
  return {
    accountId: account.accountId,
    token,
    ...rest,
    ...(webhookUrl !== undefined && webhookSecret !== undefined
      ? { webhook: { url: webhookUrl, secret: webhookSecret, ...(webhookPath ? { path: webhookPath } : {}) } }
      : {}),
  };
}
