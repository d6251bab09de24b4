import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

const BOT_TOKEN = "a bot token (xoxb-…)";

/** The settings of one Slack account (`channels.slack`, or `channels.slack.accounts.<id>`). */
export const SlackConfigSchema = Type.Object(
  {
    botToken: Type.Optional(Type.String({ pattern: "^xoxb-", secret: true, description: BOT_TOKEN })),
    /** Socket Mode when set (the default way to run). */
    appToken: Type.Optional(Type.String({ pattern: "^xapp-", secret: true, description: "an app-level token (xapp-…)" })),
    /** The HTTP receiver when set (Slack posts events to `webhookPath` on the gateway port). */
    signingSecret: Type.Optional(Type.String({ minLength: 8, secret: true, description: "the app's signing secret" })),
    /** @default /channels/slack/<accountId>/events */
    webhookPath: Type.Optional(Type.String({ pattern: "^/", description: "a path starting with /" })),
    /** Web API root (tests point it at a fake). @default https://slack.com/api/ */
    apiUrl: Type.Optional(Type.String({ pattern: "^https?://", description: "an http(s) URL" })),
    /** Socket Mode ping timeout: a socket that misses it is closed and reconnected. @default 5000 */
    pingTimeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
    /**
     * Socket Mode reconnects, owned by the channel-kit supervisor: backoff with jitter and at most
     * `maxRestartsPerHour` before the account gives up. @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
     */
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);
export type SlackConfig = Static<typeof SlackConfigSchema>;
