import { readFileSync } from "node:fs";
import { DiscordAPIError, REST, Routes } from "discord.js";
import { describeError, type ChannelAccountContext, type CredentialCheck } from "@openclaw/channel-kit";
import { discordOptions } from "./options.js";

/** `GET /users/@me` with the bot token: the bot's user name, or why Discord refused it. */
export async function checkDiscordCredentials(account: ChannelAccountContext, options: { readonly signal: AbortSignal }): Promise<CredentialCheck> {
  const settings = discordOptions(account, (path) => readFileSync(path, "utf8"));
  const rest = new REST({ ...(settings.apiRoot ? { api: settings.apiRoot } : {}), retries: 0, timeout: 10_000 }).setToken(settings.token);
  try {
    const me = (await rest.get(Routes.user(), { signal: options.signal })) as { id: string; username?: string };
    return { ok: true, identity: me.username ?? me.id };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) return { ok: false, problem: "the bot token was refused (401 Unauthorized); check token" };
    return { ok: false, problem: `Discord could not be asked (GET /users/@me): ${describeError(error)}` };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
