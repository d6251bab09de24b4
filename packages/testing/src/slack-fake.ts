/**
 * A fake Slack: the Web API under `/api/<method>` and the Socket Mode WebSocket, on one real
 * HTTP server (127.0.0.1, port 0), plus the files its messages point at. This module puts the
 * parts together and makes users act (messages, edits, deletes, Slack's retries); the parts:
 *
 * - `slack-fake-web-api.ts`: auth.test, apps.connections.open, chat.postMessage, chat.update,
 *   reactions, conversations.* and users.info, with errors as Slack sends them (HTTP 200 with
 *   `{ok:false,error}`, HTTP 429 with `Retry-After`, HTTP 5xx); `failSends`, `loseSends` (the
 *   connection of a chat.postMessage cut after or before the message was stored), held answers,
 *   and `failConnectionOpens` / `connectionOpenTimes` for apps.connections.open.
 * - `slack-fake-socket-mode.ts`: `hello`, `events_api` envelopes, acks, redelivery, `disconnect`
 *   messages and dropped sockets; envelopes wait for the next connection when none is open.
 * - `slack-fake-history.ts`: `ts` ids, and every channel's messages as conversations.history and
 *   conversations.replies list them (metadata only with `include_all_metadata`).
 * - `slack-fake-files.ts`: files served only with the bot token, as Slack does.
 * - `slack-upload-fake.ts`: the three-step upload; every shared file is in `uploads`.
 *
 * Users' message events are im, channel, thread replies and bot messages, and edits
 * (`message_changed`) and deletes (`message_deleted`) as Slack shapes them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { slackFiles } from "./slack-fake-files.js";
import { slackChannelHistory } from "./slack-fake-history.js";
import { slackSocketMode } from "./slack-fake-socket-mode.js";
import { slackWebApi } from "./slack-fake-web-api.js";
import { slackUploads } from "./slack-upload-fake.js";

export type { SlackFileDownload } from "./slack-fake-files.js";
export type { SlackSent } from "./slack-fake-web-api.js";

export interface SlackFakeOptions {
  readonly botToken?: string;
  readonly appToken?: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

export async function startSlackFake(options: SlackFakeOptions = {}) {
  const botToken = options.botToken ?? "xoxb-fake-bot-token";
  const appToken = options.appToken ?? "xapp-1-fake-app-token";
  const botUserId = options.botUserId ?? "U0BOT00001";
  const botId = options.botId ?? "B0BOT00001";
  const history = slackChannelHistory();
  const files = slackFiles(botToken, () => `http://127.0.0.1:${port}`);
  const upload = slackUploads(
    () => `http://127.0.0.1:${port}`,
    () => history.nextTs(),
    (channel, message) => history.remember(channel, message),
  );
  const webApi = slackWebApi({
    botToken,
    appToken,
    botUserId,
    botId,
    history,
    upload,
    socketUrl: () => `${wsUrl}/link/?ticket=${socketMode.connectionsOpened() + 1}`,
  });
  const server = createServer(async (request, response) => {
    if (files.serve(request, response)) return;
    if (request.method === "POST" && upload.receive(request, response)) return;
    await webApi.handle(request, response);
  });
  const socketMode = slackSocketMode(server, botUserId);

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}`;

  return {
    /** For `clientOptions.slackApiUrl`. */
    apiUrl: `http://127.0.0.1:${port}/api/`,
    /** Every file shared by files.completeUploadExternal, in order. */
    uploads: upload.uploads,
    url: `http://127.0.0.1:${port}`,
    botToken,
    appToken,
    botUserId,
    botId,
    sent: webApi.sent,
    attempts: webApi.attempts,
    acks: socketMode.acks,
    /** Every chat.update (an edit of one of our messages), in order. */
    updates: webApi.updates,
    reactions: webApi.reactions,
    /** A message event from `user` in `channel` (a D… channel is a DM); returns its ts. */
    message(input: {
      channel: string;
      user: string;
      text: string;
      channelType?: "im" | "channel" | "group" | "mpim";
      threadTs?: string;
      ts?: string;
      botId?: string;
      subtype?: string;
      /** File objects (from `addFile`); the event is a `file_share` unless `subtype` says otherwise. */
      files?: readonly Record<string, unknown>[];
    }) {
      const ts = input.ts ?? history.nextTs();
      const event: Record<string, unknown> = {
        type: "message",
        channel: input.channel,
        user: input.user,
        text: input.text,
        ts,
        event_ts: ts,
        channel_type: input.channelType ?? (input.channel.startsWith("D") ? "im" : "channel"),
        ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
        ...(input.botId ? { bot_id: input.botId } : {}),
        ...(input.subtype || input.files ? { subtype: input.subtype ?? "file_share" } : {}),
        ...(input.files ? { files: input.files } : {}),
      };
      const eventId = `Ev${ts.replace(".", "")}`;
      history.remember(input.channel, event);
      socketMode.publish(eventId, event);
      return { ts, eventId };
    },
    /** A user edits a message: `message_changed`, shaped as Slack sends it (new event ts, the edited message inside). */
    editMessage(input: { channel: string; ts: string; user: string; text: string }) {
      const ts = history.nextTs();
      const previous = history.find(input.channel, input.ts);
      const event = {
        type: "message",
        subtype: "message_changed",
        hidden: true,
        channel: input.channel,
        channel_type: input.channel.startsWith("D") ? "im" : "channel",
        ts,
        event_ts: ts,
        message: { type: "message", user: input.user, text: input.text, ts: input.ts, edited: { user: input.user, ts } },
        previous_message: previous ?? { type: "message", user: input.user, ts: input.ts },
      };
      const eventId = `Ev${ts.replace(".", "")}`;
      socketMode.publish(eventId, event);
      return { ts, eventId };
    },
    /** A user deletes a message: `message_deleted` with `deleted_ts`, as Slack sends it. */
    deleteMessage(input: { channel: string; ts: string }) {
      const ts = history.nextTs();
      const event = {
        type: "message",
        subtype: "message_deleted",
        hidden: true,
        channel: input.channel,
        channel_type: input.channel.startsWith("D") ? "im" : "channel",
        ts,
        event_ts: ts,
        deleted_ts: input.ts,
        previous_message: history.find(input.channel, input.ts),
      };
      const eventId = `Ev${ts.replace(".", "")}`;
      socketMode.publish(eventId, event);
      return { ts, eventId };
    },
    /**
     * Stores a file and returns its Slack file object (`fields` are merged in: mimetype, name,
     * original_w, duration_ms, subtype, …). `declaredSize` makes the object claim that size while
     * the full bytes are served; `redirectTo` makes the download answer 302 to that URL.
     */
    addFile: files.add,
    /** Every request for a file's bytes, in order. */
    fileDownloads: files.downloads,
    /** Slack retries an event: the same event again in a new envelope. */
    redeliver(ts: string) {
      if (!socketMode.redeliver(`Ev${ts.replace(".", "")}`)) throw new Error(`the fake never sent an event with ts ${ts}`);
    },
    failSends: webApi.failSends,
    /**
     * The next `count` chat.postMessage calls get no answer: the connection is cut after the
     * message was stored (`delivered`) or before (`not-delivered`), so the client cannot tell which.
     */
    loseSends: webApi.loseSends,
    holdSends: webApi.holdSends,
    /** Slack asks the client to reconnect (`type: disconnect`). */
    requestDisconnect: socketMode.requestDisconnect,
    dropConnection: socketMode.dropConnection,
    /** apps.connections.open refuses with a platform error (`{ ok: false, error }`) or an HTTP status, until called with `false`. */
    failConnectionOpens: webApi.failConnectionOpens,
    /** When each apps.connections.open arrived (ms since the epoch), oldest first. */
    connectionOpenTimes: webApi.connectionOpenTimes,
    connectionsOpened: socketMode.connectionsOpened,
    maxConcurrentConnections: socketMode.maxConcurrentConnections,
    openConnections: socketMode.openConnections,
    async close() {
      webApi.releaseHeld();
      await socketMode.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlackFake = Awaited<ReturnType<typeof startSlackFake>>;
