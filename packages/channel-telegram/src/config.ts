import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

const TOKEN = "a bot token like 123456:ABC… (or tokenFile, or TELEGRAM_BOT_TOKEN for the default account)";

/** The settings of one Telegram account (`channels.telegram`, or `channels.telegram.accounts.<id>`). */
export const TelegramConfigSchema = Type.Object(
  {
    botToken: Type.Optional(Type.String({ pattern: "^\\d+:[\\w-]+$", secret: true, description: TOKEN })),
    tokenFile: Type.Optional(Type.String({ minLength: 1, description: "a path to a file holding the bot token" })),
    /** The Bot API root (tests point it at a fake). @default https://api.telegram.org */
    apiRoot: Type.Optional(Type.String({ pattern: "^https?://[^/]+.*[^/]$", description: "an http(s) URL without a trailing slash" })),
    polling: Type.Optional(
      Type.Object(
        {
          /** Seconds Telegram holds a getUpdates open. @default 25 */
          timeoutSeconds: Type.Optional(Type.Integer({ minimum: 0, description: "whole seconds >= 0 (Telegram holds at most 50)" })),
          /** Client-side cap on any request, so a dead poll cannot hang for grammY's default 500 s. @default 60 */
          clientTimeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "seconds > 0" })),
          /** Restart polling when no getUpdates completed for this long. @default 120 000 */
          watchdogMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
        },
        { additionalProperties: false, description: "{ timeoutSeconds?, clientTimeoutSeconds?, watchdogMs? }" },
      ),
    ),
    /** Webhook mode instead of polling: Telegram posts to this URL, verified by `webhookSecret`. */
    webhookUrl: Type.Optional(Type.String({ pattern: "^https?://", description: "the public URL Telegram posts updates to" })),
    webhookSecret: Type.Optional(Type.String({ minLength: 1, secret: true, description: "a secret token; a webhook is never run without one" })),
    /** Where the gateway serves the webhook. @default /channels/telegram/<accountId>/webhook */
    webhookPath: Type.Optional(Type.String({ pattern: "^/", description: "a path starting with /" })),
    /**
     * Poller restarts (a failed getUpdates, a watchdog timeout): backoff with jitter, and at most
     * `maxRestartsPerHour` before the account gives up. A 409 and a 429 are waited out instead.
     * @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
     */
    reconnect: Type.Optional(ReconnectConfigSchema),
    /** Bot commands to register; sent only when they differ from what Telegram has. */
    commands: Type.Optional(
      Type.Array(Type.Object({ command: Type.String({ minLength: 1 }), description: Type.String({ minLength: 1 }) }, { additionalProperties: false }), {
        description: '[{ command: "name", description: "text" }]',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TelegramConfig = Static<typeof TelegramConfigSchema>;
