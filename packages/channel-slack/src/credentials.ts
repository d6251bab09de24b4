import { webApi } from "@slack/bolt";
import { describeError, type ChannelAccountContext, type CredentialCheck } from "@openclaw/channel-kit";
import { slackOptions } from "./options.js";

/** The Web API error code of a failed call (`invalid_auth`, `not_authed`, …). */
function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : undefined;
}

const REFUSED = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"]);

/**
 * `auth.test` with the bot token (who the bot is, in which workspace), then, for Socket Mode,
 * `apps.connections.open` with the app token, which only hands out a connection URL.
 */
export async function checkSlackCredentials(account: ChannelAccountContext, _options: { readonly signal: AbortSignal }): Promise<CredentialCheck> {
  const settings = slackOptions(account);
  const clientOptions = { ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}), retryConfig: { retries: 0 }, timeout: 10_000 };
  let identity: string;
  try {
    const answer = await new webApi.WebClient(settings.botToken, clientOptions).auth.test();
    identity = `${answer.user ?? answer.user_id ?? "the bot"}${answer.team ? ` in ${answer.team}` : ""}`;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== undefined && REFUSED.has(code)) return { ok: false, problem: `the bot token was refused (${code}); check botToken` };
    return { ok: false, problem: `Slack could not be asked (auth.test): ${describeError(error)}` };
  }
  if (settings.appToken !== undefined) {
    try {
      await new webApi.WebClient(settings.appToken, clientOptions).apps.connections.open();
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== undefined && REFUSED.has(code)) return { ok: false, problem: `the app token was refused (${code}); check appToken` };
      return { ok: false, problem: `Slack could not be asked (apps.connections.open): ${describeError(error)}` };
    }
  }
  return { ok: true, identity };
}
