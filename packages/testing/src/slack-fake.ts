/**
 * A fake Slack: the Web API under `/api/<method>` and the Socket Mode WebSocket, on one real
 * HTTP server (127.0.0.1, port 0).
 *
 * Web API covered (form-encoded or JSON bodies, `Authorization: Bearer`): auth.test,
 * apps.connections.open (app token; answers this server's WebSocket URL), chat.postMessage
 * (assigns `ts` ids), chat.update (recorded), reactions.add/remove (by emoji name, recorded in `reactions`;
 * anything but a name is `invalid_name`), conversations.info, users.info. Errors
 * come as Slack sends them: HTTP 200 with `{ok:false,error}` for platform errors, HTTP 429 with a
 * `Retry-After` header, HTTP 5xx.
 * Socket Mode covered: `hello` on connect, `events_api` envelopes carrying `event_callback`
 * message events (im, channel, thread replies, bot messages), acks by `envelope_id` (recorded),
 * edits (`message_changed`) and deletes (`message_deleted`) as Slack shapes them,
 * redelivery of an event (Slack's retry: same event, `retry_attempt` > 0), `disconnect` messages
 * and dropped sockets. Envelopes pushed while no socket is open wait for the next connection.
 * `failConnectionOpens` makes apps.connections.open refuse (a platform error or an HTTP status),
 * and `connectionOpenTimes` says when each call arrived.
 * History: chat.postMessage keeps `metadata` ({event_type, event_payload}, a JSON string in a
 * form body) with the message. conversations.history lists a channel's top-level messages and
 * conversations.replies a thread (parent first), both after `oldest` (exclusive) with cursor
 * pages; like Slack they leave metadata out unless `include_all_metadata` is set.
 * `loseSends` cuts the connection of the next chat.postMessage calls before answering, after
 * storing the message (it was delivered) or before (it was not).
 * Files: `addFile` stores bytes and returns a Slack file object whose `url_private(_download)`
 * point at this server (`/files-pri/<team>-<id>/…`). Like Slack, the file is served only with
 * `Authorization: Bearer <bot token>`; without it the answer is an HTML sign-in page (HTTP 200).
 * A file can declare a smaller `size` than it has (then it is sent without Content-Length, as a
 * re-chunking proxy does), or redirect to another URL. Every download is recorded.
 * Uploads: files.getUploadURLExternal, the POST to the upload URL and files.completeUploadExternal
 * (see `slack-upload-fake.ts`); every shared file is in `uploads`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { writeFileBody } from "./file-body.js";
import { slackUploads } from "./slack-upload-fake.js";

export interface SlackFakeOptions {
  readonly botToken?: string;
  readonly appToken?: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

export interface SlackSent {
  readonly channel: string;
  readonly text: string;
  readonly ts: string;
  readonly atMs: number;
  readonly params: Record<string, unknown>;
}

/** One request for a file's bytes. */
export interface SlackFileDownload {
  readonly fileId: string;
  readonly authorization: string | undefined;
}

export async function startSlackFake(options: SlackFakeOptions = {}) {
  const botToken = options.botToken ?? "xoxb-fake-bot-token";
  const appToken = options.appToken ?? "xapp-1-fake-app-token";
  const botUserId = options.botUserId ?? "U0BOT00001";
  const botId = options.botId ?? "B0BOT00001";
  const sent: SlackSent[] = [];
  const attempts: { channel: string; status: number; atMs: number }[] = [];
  const failures: { status: number; retryAfterSeconds?: number; error?: string }[] = [];
  const acks: string[] = [];
  /** Every chat.update call, in order. */
  const updates: { channel: string; ts: string; text: string }[] = [];
  /** reactions.add / reactions.remove calls Slack accepted. */
  const reactions: { channel: string; timestamp: string; name: string; removed: boolean }[] = [];
  const held: (() => void)[] = [];
  /** Every message per channel, ours and users', oldest first, as the history methods list them. */
  const channelHistory = new Map<string, Record<string, unknown>[]>();
  const losses: ("delivered" | "not-delivered")[] = [];
  const remember = (channel: string, message: Record<string, unknown>) => {
    const list = channelHistory.get(channel) ?? [];
    list.push(message);
    channelHistory.set(channel, list);
  };
  /** One page of `messages` (already in answer order) from `cursor`, Slack's answer shape. */
  const page = (messages: Record<string, unknown>[], body: Record<string, unknown>) => {
    const limit = Math.min(Math.max(Number(body["limit"] ?? 100), 1), 999);
    const start = Number(body["cursor"] ?? 0) || 0;
    const slice = messages.slice(start, start + limit);
    const withMetadata = body["include_all_metadata"] === true || body["include_all_metadata"] === "true";
    const more = start + limit < messages.length;
    return {
      ok: true,
      messages: slice.map((message) => (withMetadata ? message : Object.fromEntries(Object.entries(message).filter(([key]) => key !== "metadata")))),
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : "" },
    };
  };
  const newer = (body: Record<string, unknown>) => (message: Record<string, unknown>) =>
    body["oldest"] === undefined || Number(message["ts"]) > Number(body["oldest"]);
  const files = new Map<string, { bytes: Uint8Array; declaredSize?: number; redirectTo?: string }>();
  const fileDownloads: SlackFileDownload[] = [];
  let fileCounter = 0;
  /** Serves `/files-pri/<team>-<id>/[download/]<name>`; true when the path was a file path. */
  const serveFile = (request: IncomingMessage, response: ServerResponse): boolean => {
    const id = /^\/files-pri\/T0FAKE-(F[A-Z0-9]+)\//.exec(request.url ?? "")?.[1];
    if (!id) return false;
    fileDownloads.push({ fileId: id, authorization: request.headers.authorization });
    const file = files.get(id);
    if (request.headers.authorization !== `Bearer ${botToken}`) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!DOCTYPE html><html><body>Sign in to Fake Slack</body></html>");
      return true;
    }
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("file not found");
      return true;
    }
    if (file.redirectTo) {
      response.writeHead(302, { location: file.redirectTo });
      response.end();
      return true;
    }
    writeFileBody(response, file.bytes, { withoutLength: file.declaredSize !== undefined });
    return true;
  };
  const events = new Map<string, Record<string, unknown>>();
  const waiting: string[] = [];
  const sockets = new Set<WebSocket>();
  let holding = false;
  let connectionsOpened = 0;
  let maxConcurrent = 0;
  let envelopeCounter = 0;
  let openFailure: { error: string } | { status: number } | undefined;
  const openTimes: number[] = [];
  let tsCounter = 0;

  /** A `ts` of the current time (milliseconds, so unique), always above the previous one. */
  const nextTs = () => {
    tsCounter = Math.max(Date.now(), tsCounter + 1);
    return `${Math.floor(tsCounter / 1000)}.${String(tsCounter % 1000).padStart(3, "0")}100`;
  };

  const readBody = (request: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if ((request.headers["content-type"] ?? "").includes("application/json")) {
          try {
            return resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
          } catch {
            return resolve({});
          }
        }
        resolve(Object.fromEntries(new URLSearchParams(text)));
      });
    });

  const reply = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    response.end(JSON.stringify(body));
  };

  const upload = slackUploads(
    () => `http://127.0.0.1:${port}`,
    () => nextTs(),
    (channel, message) => remember(channel, message),
  );
  const server = createServer(async (request, response) => {
    if (serveFile(request, response)) return;
    if (request.method === "POST" && upload.receive(request, response)) return;
    const method = /^\/api\/([\w.]+)/.exec(request.url ?? "")?.[1];
    const body = await readBody(request);
    if (!method) return reply(response, 404, { ok: false, error: "unknown_method" });
    const auth = (request.headers.authorization ?? "").replace(/^Bearer /, "") || String(body["token"] ?? "");
    if (method === "apps.connections.open") {
      openTimes.push(Date.now());
      if (auth !== appToken) return reply(response, 200, { ok: false, error: "invalid_auth" });
      if (openFailure && "error" in openFailure) return reply(response, 200, { ok: false, error: openFailure.error });
      if (openFailure) return reply(response, openFailure.status, { ok: false, error: "internal_error" });
      return reply(response, 200, { ok: true, url: `${wsUrl}/link/?ticket=${connectionsOpened + 1}` });
    }
    if (auth !== botToken) return reply(response, 200, { ok: false, error: "invalid_auth" });
    switch (method) {
      case "auth.test":
        return reply(response, 200, {
          ok: true,
          url: "https://fake.slack.com/",
          team: "Fake",
          user: "openclaw",
          team_id: "T0FAKE",
          user_id: botUserId,
          bot_id: botId,
        });
      case "chat.postMessage": {
        const channel = String(body["channel"] ?? "");
        const loss = losses.shift();
        const failure = loss ? undefined : failures.shift();
        attempts.push({ channel, status: loss ? 0 : (failure?.status ?? 200), atMs: Date.now() });
        if (failure?.status === 429)
          return reply(response, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfterSeconds ?? 1) });
        if (failure && failure.status >= 500) return reply(response, failure.status, { ok: false, error: "internal_error" });
        if (failure) return reply(response, 200, { ok: false, error: failure.error ?? "channel_not_found" });
        const text = String(body["text"] ?? "");
        if (text.trim() === "") return reply(response, 200, { ok: false, error: "no_text" });
        if (text.length > 40_000) return reply(response, 200, { ok: false, error: "msg_too_long" });
        if (loss === "not-delivered") return request.socket.destroy();
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        const ts = nextTs();
        sent.push({ channel, text, ts, atMs: Date.now(), params: body });
        const metadata = typeof body["metadata"] === "string" ? (JSON.parse(body["metadata"]) as unknown) : body["metadata"];
        const message: Record<string, unknown> = {
          type: "message",
          user: botUserId,
          bot_id: botId,
          text,
          ts,
          ...(body["thread_ts"] ? { thread_ts: String(body["thread_ts"]) } : {}),
          ...(metadata ? { metadata } : {}),
        };
        remember(channel, message);
        if (loss === "delivered") return request.socket.destroy();
        return reply(response, 200, { ok: true, channel, ts, message });
      }
      case "conversations.history": {
        // Top-level messages only (a thread's parent counts), newest first.
        const list = (channelHistory.get(String(body["channel"])) ?? []).filter((message) => !message["thread_ts"] || message["thread_ts"] === message["ts"]);
        return reply(response, 200, page(list.filter(newer(body)).reverse(), body));
      }
      case "conversations.replies": {
        // The thread's parent, then its replies, oldest first.
        const thread = String(body["ts"]);
        const list = (channelHistory.get(String(body["channel"])) ?? []).filter((message) => message["ts"] === thread || message["thread_ts"] === thread);
        if (list.length === 0) return reply(response, 200, { ok: false, error: "thread_not_found" });
        return reply(
          response,
          200,
          page(
            list.filter((message) => message["ts"] === thread || newer(body)(message)),
            body,
          ),
        );
      }
      case "files.getUploadURLExternal":
        return reply(response, 200, upload.getUploadURL(body));
      case "files.completeUploadExternal":
        return reply(response, 200, upload.complete(body));
      case "chat.update":
        updates.push({ channel: String(body["channel"] ?? ""), ts: String(body["ts"] ?? ""), text: String(body["text"] ?? "") });
        return reply(response, 200, { ok: true, channel: body["channel"], ts: body["ts"], text: body["text"] });
      case "reactions.add":
      case "reactions.remove": {
        // Slack takes an emoji's name; a character such as "👀" is refused.
        const name = String(body["name"] ?? "");
        if (!/^[a-z0-9_+'-]+$/.test(name)) return reply(response, 200, { ok: false, error: "invalid_name" });
        reactions.push({ channel: String(body["channel"]), timestamp: String(body["timestamp"]), name, removed: method === "reactions.remove" });
        return reply(response, 200, { ok: true });
      }
      case "conversations.info":
        return reply(response, 200, { ok: true, channel: { id: body["channel"], is_im: String(body["channel"]).startsWith("D") } });
      case "users.info":
        return reply(response, 200, { ok: true, user: { id: body["user"], name: `user-${String(body["user"])}`, real_name: "Fake User" } });
      default:
        return reply(response, 200, { ok: false, error: "unknown_method" });
    }
  });

  const wss = new WebSocketServer({ server });
  const deliver = (socket: WebSocket, eventId: string, retryAttempt: number) => {
    const event = events.get(eventId);
    if (!event) return;
    envelopeCounter += 1;
    socket.send(
      JSON.stringify({
        envelope_id: `env-${envelopeCounter}`,
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? "timeout" : "",
        payload: {
          token: "verification",
          team_id: "T0FAKE",
          api_app_id: "A0FAKE",
          event,
          type: "event_callback",
          event_id: eventId,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: "T0FAKE", user_id: botUserId, is_bot: true }],
        },
      }),
    );
  };
  const live = () => [...sockets].find((socket) => socket.readyState === socket.OPEN);

  wss.on("connection", (socket) => {
    connectionsOpened += 1;
    sockets.add(socket);
    maxConcurrent = Math.max(maxConcurrent, sockets.size);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on("message", (raw) => {
      try {
        const frame = JSON.parse(raw.toString()) as { envelope_id?: string };
        if (frame.envelope_id) acks.push(frame.envelope_id);
      } catch {
        // not JSON: ignore, as Slack does
      }
    });
    socket.send(JSON.stringify({ type: "hello", num_connections: sockets.size, debug_info: { host: "fake" }, connection_info: { app_id: "A0FAKE" } }));
    for (const eventId of waiting.splice(0)) deliver(socket, eventId, 0);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}`;

  const push = (eventId: string, retryAttempt = 0) => {
    const socket = live();
    if (socket) deliver(socket, eventId, retryAttempt);
    else waiting.push(eventId);
  };

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
    sent,
    attempts,
    acks,
    /** Every chat.update (an edit of one of our messages), in order. */
    updates,
    reactions,
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
      const ts = input.ts ?? nextTs();
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
      events.set(eventId, event);
      remember(input.channel, event);
      push(eventId);
      return { ts, eventId };
    },
    /** A user edits a message: `message_changed`, shaped as Slack sends it (new event ts, the edited message inside). */
    editMessage(input: { channel: string; ts: string; user: string; text: string }) {
      const ts = nextTs();
      const previous = (channelHistory.get(input.channel) ?? []).find((message) => message["ts"] === input.ts);
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
      events.set(eventId, event);
      push(eventId);
      return { ts, eventId };
    },
    /** A user deletes a message: `message_deleted` with `deleted_ts`, as Slack sends it. */
    deleteMessage(input: { channel: string; ts: string }) {
      const ts = nextTs();
      const event = {
        type: "message",
        subtype: "message_deleted",
        hidden: true,
        channel: input.channel,
        channel_type: input.channel.startsWith("D") ? "im" : "channel",
        ts,
        event_ts: ts,
        deleted_ts: input.ts,
        previous_message: (channelHistory.get(input.channel) ?? []).find((message) => message["ts"] === input.ts),
      };
      const eventId = `Ev${ts.replace(".", "")}`;
      events.set(eventId, event);
      push(eventId);
      return { ts, eventId };
    },
    /**
     * Stores a file and returns its Slack file object (`fields` are merged in: mimetype, name,
     * original_w, duration_ms, subtype, …). `declaredSize` makes the object claim that size while
     * the full bytes are served; `redirectTo` makes the download answer 302 to that URL.
     */
    addFile(bytes: Uint8Array, fields: Record<string, unknown> = {}, serve: { declaredSize?: number; redirectTo?: string } = {}) {
      fileCounter += 1;
      const id = `F0FAKE${String(fileCounter).padStart(4, "0")}`;
      const name = typeof fields["name"] === "string" ? fields["name"] : `file-${fileCounter}.bin`;
      files.set(id, { bytes, ...serve });
      const base = `http://127.0.0.1:${port}/files-pri/T0FAKE-${id}`;
      return {
        id,
        name,
        title: name,
        mimetype: "application/octet-stream",
        filetype: "binary",
        size: serve.declaredSize ?? bytes.byteLength,
        mode: "hosted",
        is_external: false,
        url_private: `${base}/${encodeURIComponent(name)}`,
        url_private_download: `${base}/download/${encodeURIComponent(name)}`,
        ...fields,
      } as Record<string, unknown> & { id: string; url_private: string; url_private_download: string };
    },
    /** Every request for a file's bytes, in order. */
    fileDownloads,
    /** Slack retries an event: the same event again in a new envelope. */
    redeliver(ts: string) {
      const eventId = `Ev${ts.replace(".", "")}`;
      if (!events.has(eventId)) throw new Error(`the fake never sent an event with ts ${ts}`);
      push(eventId, 1);
    },
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number; error?: string }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) {
        failures.push({
          status: failure.status,
          ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
          ...(failure.error ? { error: failure.error } : {}),
        });
      }
    },
    /**
     * The next `count` chat.postMessage calls get no answer: the connection is cut after the
     * message was stored (`delivered`) or before (`not-delivered`), so the client cannot tell which.
     */
    loseSends(outcome: "delivered" | "not-delivered", count = 1) {
      for (let index = 0; index < count; index += 1) losses.push(outcome);
    },
    holdSends(): () => void {
      holding = true;
      return () => {
        holding = false;
        for (const release of held.splice(0)) release();
      };
    },
    /** Slack asks the client to reconnect (`type: disconnect`). */
    requestDisconnect(reason = "refresh_requested") {
      for (const socket of sockets) socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake" } }));
    },
    dropConnection() {
      for (const socket of sockets) socket.terminate();
    },
    /** apps.connections.open refuses with a platform error (`{ ok: false, error }`) or an HTTP status, until called with `false`. */
    failConnectionOpens(failure: { error: string } | { status: number } | false) {
      openFailure = failure === false ? undefined : failure;
    },
    /** When each apps.connections.open arrived (ms since the epoch), oldest first. */
    connectionOpenTimes: () => [...openTimes],
    connectionsOpened: () => connectionsOpened,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => sockets.size,
    async close() {
      for (const release of held.splice(0)) release();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlackFake = Awaited<ReturnType<typeof startSlackFake>>;
