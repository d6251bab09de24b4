import { accountSecret, configError, missingSettingError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { SlackConfigSchema, type SlackConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the tokens resolved. */
export interface SlackAdapterOptions extends Omit<SlackConfig, "botToken"> {
  readonly accountId: string;
  readonly botToken: string;
  /** How long `start` waits for the first Socket Mode connection before returning with the account still connecting. @default 15 000 */
  readonly startTimeoutMs?: number;
}

/** Reads one account's settings; SLACK_BOT_TOKEN / SLACK_APP_TOKEN / SLACK_SIGNING_SECRET apply to the default account only. */
export function slackOptions(account: ChannelAccountContext): SlackAdapterOptions {
  const config = parseAccountConfig(SlackConfigSchema, "slack", account, {
    botToken: accountSecret(account, "botToken", { env: "SLACK_BOT_TOKEN" }),
    appToken: accountSecret(account, "appToken", { env: "SLACK_APP_TOKEN" }),
    signingSecret: accountSecret(account, "signingSecret", { env: "SLACK_SIGNING_SECRET" }),
  });
  const { botToken } = config;
  if (botToken === undefined) throw missingSettingError(SlackConfigSchema, "slack", account.accountId, "botToken");
  if (config.appToken === undefined && config.signingSecret === undefined) {
    throw configError("slack", account.accountId, "appToken", "an app token (xapp-…, Socket Mode) or signingSecret (HTTP events)", undefined);
  }
  return { ...config, accountId: account.accountId, botToken };
}
