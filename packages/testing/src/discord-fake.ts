/**
 * A fake Discord: REST under `/api/v10` and a gateway WebSocket, on one real HTTP server
 * (127.0.0.1, port 0), plus the attachment files its messages point at. This module puts the
 * parts together and makes users act (messages, edits, deletes, threads, redeliveries); the parts:
 *
 * - `discord-fake-rest.ts`: GET /gateway/bot, GET /users/@me, POST /users/@me/channels, message
 *   create (JSON or multipart, snowflake ids, the 2000-character limit answered with code 50035,
 *   `nonce` with `enforce_nonce` answered with the earlier message within `nonceWindowMs`),
 *   GET /channels/:id/messages, typing, the bot's reactions and edits, all recorded; 429 with
 *   `retry_after` and the rate-limit headers, permanent 403/404 with Discord's JSON error codes,
 *   `loseSends` (the connection cut after or before the message was stored), held answers, and a
 *   failing GET /gateway/bot.
 * - `discord-fake-gateway.ts`: HELLO, IDENTIFY → READY, heartbeats, RESUME with replay or
 *   INVALID_SESSION, connection controls and counters.
 * - `discord-fake-attachments.ts`: attachment bytes served without a token, as Discord's CDN does.
 * - `discord-fake-history.ts`: snowflake ids and every channel's messages, as history lists them.
 *
 * Users' messages arrive as MESSAGE_CREATE (guild channels and DMs), MESSAGE_UPDATE,
 * MESSAGE_DELETE and THREAD_CREATE dispatches.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { discordAttachments } from "./discord-fake-attachments.js";
import { discordGateway } from "./discord-fake-gateway.js";
import { discordChannelHistory, nextSnowflake } from "./discord-fake-history.js";
import { discordRest, json } from "./discord-fake-rest.js";

export type { DiscordAttachmentDownload } from "./discord-fake-attachments.js";
export type { DiscordReaction, DiscordSent, DiscordSentFile, DiscordTyping } from "./discord-fake-rest.js";

export interface DiscordFakeOptions {
  readonly token?: string;
  readonly botId?: string;
  readonly username?: string;
  /** How long a nonce sent with `enforce_nonce` returns its message instead of a new one. @default 5 min */
  readonly nonceWindowMs?: number;
}

export async function startDiscordFake(options: DiscordFakeOptions = {}) {
  const token = options.token ?? "MTIz.fake.discord-token";
  const botId = options.botId ?? "1100000000000000001";
  const username = options.username ?? "openclaw-test";
  const history = discordChannelHistory();
  /** Users' messages by id, for edits, deletes and redeliveries. */
  const dispatched = new Map<string, Record<string, unknown>>();
  const rest = discordRest({ token, botId, username, nonceWindowMs: options.nonceWindowMs ?? 300_000, history, gatewayUrl: () => wsUrl });
  const attachments = discordAttachments(() => `http://127.0.0.1:${port}`);

  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (attachments.serve(request, response, path)) return;
    if (!path.startsWith("/api/v10/")) return json(response, 404, { message: "404: Not Found", code: 0 });
    await rest.handle(request, response, path);
  });
  const gateway = discordGateway(server, { token, botId, username, url: () => wsUrl });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const emit = gateway.emit;

  return {
    /** For `rest.api`: `${url}/api`. */
    url: `http://127.0.0.1:${port}`,
    token,
    botId,
    username,
    sent: rest.sent,
    attempts: rest.attempts,
    /** Every typing trigger, in order. */
    typing: rest.typing,
    /** Every own reaction added or removed, in order. */
    reactions: rest.reactions,
    /** Every edit (PATCH /channels/:id/messages/:mid) of one of our messages, in order. */
    edits: rest.edits,
    /** A user's message: a DM when `guildId` is absent. Returns the message id and channel id. */
    message(input: {
      channelId: string;
      authorId: string;
      content: string;
      guildId?: string;
      mentions?: string[];
      replyTo?: { messageId: string; authorId?: string };
      id?: string;
      bot?: boolean;
      /** Attachment objects (from `addAttachment`). */
      attachments?: readonly Record<string, unknown>[];
      stickers?: readonly { id: string; name: string; format_type: number }[];
      /** Message flags (1 << 13: a voice message). */
      flags?: number;
    }) {
      const id = input.id ?? nextSnowflake();
      const data: Record<string, unknown> = {
        id,
        channel_id: input.channelId,
        ...(input.guildId ? { guild_id: input.guildId } : {}),
        author: {
          id: input.authorId,
          username: `user${input.authorId.slice(-4)}`,
          discriminator: "0",
          global_name: `User ${input.authorId.slice(-4)}`,
          avatar: null,
          ...(input.bot ? { bot: true } : {}),
        },
        content: input.content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: (input.mentions ?? []).map((mentioned) => ({ id: mentioned, username: `user${mentioned.slice(-4)}`, discriminator: "0" })),
        mention_roles: [],
        attachments: input.attachments ?? [],
        ...(input.stickers ? { sticker_items: input.stickers } : {}),
        ...(input.flags !== undefined ? { flags: input.flags } : {}),
        embeds: [],
        pinned: false,
        type: input.replyTo ? 19 : 0,
        ...(input.replyTo
          ? {
              message_reference: { message_id: input.replyTo.messageId, channel_id: input.channelId },
              referenced_message: {
                id: input.replyTo.messageId,
                channel_id: input.channelId,
                author: { id: input.replyTo.authorId ?? botId, username: "x", discriminator: "0" },
                content: "",
              },
            }
          : {}),
      };
      dispatched.set(id, data);
      history.remember(input.channelId, data);
      emit("MESSAGE_CREATE", data);
      return { id, channelId: input.channelId };
    },
    /** A user edits a message: MESSAGE_UPDATE with the whole message, the new content and `edited_timestamp`. */
    editMessage(messageId: string, content: string) {
      const data = dispatched.get(messageId);
      if (!data) throw new Error(`the fake never dispatched ${messageId}`);
      emit("MESSAGE_UPDATE", { ...data, content, edited_timestamp: new Date().toISOString() });
    },
    /** A user deletes a message: MESSAGE_DELETE with its id, channel and guild. */
    deleteMessage(messageId: string) {
      const data = dispatched.get(messageId);
      if (!data) throw new Error(`the fake never dispatched ${messageId}`);
      emit("MESSAGE_DELETE", { id: messageId, channel_id: data["channel_id"], ...(data["guild_id"] ? { guild_id: data["guild_id"] } : {}) });
    },
    /** A public thread is created under `parentId` (THREAD_CREATE, type 11); messages in it use the thread's id as `channelId`. */
    createThread(input: { id?: string; parentId: string; guildId: string; name?: string }) {
      const id = input.id ?? nextSnowflake();
      emit("THREAD_CREATE", {
        id,
        type: 11,
        guild_id: input.guildId,
        parent_id: input.parentId,
        name: input.name ?? "a thread",
        owner_id: "0",
        newly_created: true,
        thread_metadata: { archived: false, auto_archive_duration: 1440, locked: false, archive_timestamp: new Date().toISOString() },
        message_count: 0,
        member_count: 1,
      });
      return { id };
    },
    /**
     * Stores an attachment's bytes and returns its attachment object (`fields` merged in:
     * content_type, width, height, duration_secs, waveform, …). `declaredSize` makes the object
     * claim that size while the full bytes are served.
     */
    addAttachment: attachments.add,
    /** Every request for an attachment's bytes, in order. */
    attachmentDownloads: attachments.downloads,
    /** The same MESSAGE_CREATE again (what a replay after RESUME or a gateway duplicate looks like). */
    redeliver(messageId: string) {
      const data = dispatched.get(messageId);
      if (!data) throw new Error(`the fake never dispatched ${messageId}`);
      emit("MESSAGE_CREATE", data);
    },
    dispatchRaw: (t: string, d: Record<string, unknown>) => emit(t, d),
    failSends: rest.failSends,
    /**
     * The next `count` message POSTs get no answer: the connection is cut after the message was
     * stored (`delivered`) or before (`not-delivered`), so the client cannot tell which.
     */
    loseSends: rest.loseSends,
    holdSends: rest.holdSends,
    /** Cuts the gateway connection without a close frame (a network drop). */
    dropConnection: gateway.dropConnection,
    /** Closes the gateway connection with a close code (4004 authentication failed, 4014 disallowed intents, …). */
    closeGateway: gateway.closeGateway,
    /** Gateway connections are closed at once, before HELLO, until called with `false`. */
    refuseGatewayConnections: gateway.refuseGatewayConnections,
    /** GET /gateway/bot answers this HTTP status (503, …) until called with `false`. */
    failGatewayBot: rest.failGatewayBot,
    /** When each GET /gateway/bot arrived (ms since the epoch): one per login, so one per fresh client. */
    gatewayBotTimes: rest.gatewayBotTimes,
    /** The next `count` RESUMEs are answered with INVALID_SESSION (not resumable). */
    invalidateNextResumes: gateway.invalidateNextResumes,
    connectionsOpened: gateway.connectionsOpened,
    maxConcurrentConnections: gateway.maxConcurrentConnections,
    openConnections: gateway.openConnections,
    identifies: gateway.identifies,
    resumes: gateway.resumes,
    async close() {
      rest.releaseHeld();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type DiscordFake = Awaited<ReturnType<typeof startDiscordFake>>;
