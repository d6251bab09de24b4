import { readFileSync } from "node:fs";
import { Api, GrammyError } from "grammy";
import { describeError, type ChannelAccountContext, type CredentialCheck } from "@openclaw/channel-kit";
import { telegramOptions } from "./options.js";

/** One `getMe` with the account's token: the bot's `@username`, or why Telegram refused it. */
export async function checkTelegramCredentials(account: ChannelAccountContext, options: { readonly signal: AbortSignal }): Promise<CredentialCheck> {
  const settings = telegramOptions(account, (path) => readFileSync(path, "utf8"));
  const api = new Api(settings.token, settings.apiRoot ? { apiRoot: settings.apiRoot } : {});
  try {
    const me = await api.getMe(options.signal as Parameters<Api["getMe"]>[0]);
    return { ok: true, identity: me.username ? `@${me.username}` : String(me.id) };
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) return { ok: false, problem: "the bot token was refused (401 Unauthorized); check botToken" };
    return { ok: false, problem: `Telegram could not be asked (getMe): ${describeError(error)}` };
  }
}
