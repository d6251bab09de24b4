import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

const TOKEN = "a bot token (or tokenFile, or DISCORD_BOT_TOKEN for the default account)";

/** The settings of one Discord account (`channels.discord`, or `channels.discord.accounts.<id>`). */
export const DiscordConfigSchema = Type.Object(
  {
    token: Type.Optional(Type.String({ pattern: "\\S", secret: true, description: TOKEN })),
    tokenFile: Type.Optional(Type.String({ minLength: 1, description: "a path to a file holding the bot token" })),
    /** REST root (tests point it at a fake). @default https://discord.com/api */
    apiRoot: Type.Optional(Type.String({ pattern: "^https?://", description: "an http(s) URL" })),
    /** Reconnects in a row without READY or RESUMED before the client is replaced and identifies afresh. @default 3 */
    maxResumeAttempts: Type.Optional(Type.Integer({ minimum: 1, description: "an integer >= 1" })),
    /**
     * Fresh clients (after the resume bound, a failed login) go through the channel-kit supervisor:
     * backoff with jitter, at most `maxRestartsPerHour`. @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
     */
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);
export type DiscordConfig = Static<typeof DiscordConfigSchema>;
