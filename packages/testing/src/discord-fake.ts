/**
 * A fake Discord: REST under `/api/v10` and a gateway WebSocket, on one real HTTP server
 * (127.0.0.1, port 0), JSON encoding, no compression.
 *
 * REST covered: GET /gateway/bot (points at this server's WebSocket), GET /users/@me,
 * POST /channels/:id/messages (JSON, or multipart with `payload_json` and `files[n]`, both recorded; snowflake ids, the 2000-character limit answered with code 50035),
 * POST /channels/:id/typing, PUT/DELETE /channels/:id/messages/:mid/reactions/:emoji/@me (both recorded),
 * PATCH /channels/:id/messages/:mid (recorded), POST /users/@me/channels; 429 with `retry_after` and the
 * rate-limit headers, and permanent 403/404 answers with Discord's JSON error codes.
 * Message ids are snowflakes of the current time. A POST with `nonce` (up to 25 characters) and
 * `enforce_nonce: true` whose nonce the bot used within `nonceWindowMs` answers the message made
 * then and makes no new one, as Discord does; the nonce is echoed only in that answer.
 * GET /channels/:id/messages (`after`, `before`, `limit` up to 100, newest first) lists the
 * channel's messages without nonces: Discord does not store them with the message.
 * `loseSends` cuts the connection of the next POSTs before answering, after storing the message
 * (it was delivered) or before (it was not): what an ambiguous failure looks like to the client.
 * Gateway covered: op 10 HELLO, op 2 IDENTIFY → READY (session id, resume URL, user,
 * application, no guilds), op 1 heartbeat → op 11 ACK, op 6 RESUME → replay of the missed
 * dispatches then RESUMED, or op 9 INVALID_SESSION(false) when told to, MESSAGE_CREATE for guild
 * channels and DMs, MESSAGE_UPDATE and MESSAGE_DELETE, THREAD_CREATE. Controls: drop the socket, invalidate the next N resumes, refuse gateway
 * connections (closed at once, before HELLO), fail GET /gateway/bot with a 5xx, counters for
 * connections, IDENTIFYs and RESUMEs, and when each GET /gateway/bot arrived.
 * Attachments: `addAttachment` stores bytes and returns an attachment object whose `url` (and
 * `proxy_url`) point at this server's `/attachments/<channel>/<id>/<name>`, served without any
 * token as Discord's CDN does; it can declare a smaller `size` than it has (then sent without
 * Content-Length). Unknown attachments answer 404. Every download is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { writeFileBody } from "./file-body.js";
import { parseMultipart } from "./multipart.js";

export interface DiscordFakeOptions {
  readonly token?: string;
  readonly botId?: string;
  readonly username?: string;
  /** How long a nonce sent with `enforce_nonce` returns its message instead of a new one. @default 5 min */
  readonly nonceWindowMs?: number;
}

/** One file of a multipart message create (`files[n]`). */
export interface DiscordSentFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string | undefined;
  readonly bytes: Uint8Array;
}

export interface DiscordSent {
  readonly channelId: string;
  readonly content: string;
  readonly messageId: string;
  readonly atMs: number;
  /** The JSON body, or a multipart create's `payload_json`. */
  readonly body: Record<string, unknown>;
  /** The files of a multipart create; empty for JSON posts. */
  readonly files: readonly DiscordSentFile[];
}

interface Session {
  readonly id: string;
  seq: number;
  /** Every dispatch of the session, for replay after a RESUME. */
  readonly history: { s: number; payload: string }[];
  socket: WebSocket | undefined;
}

/** One POST /channels/:id/typing. */
export interface DiscordTyping {
  readonly channelId: string;
  readonly atMs: number;
}

/** One PUT (added) or DELETE (removed) of the bot's own reaction. */
export interface DiscordReaction {
  readonly channelId: string;
  readonly messageId: string;
  readonly emoji: string;
  readonly removed: boolean;
  readonly atMs: number;
}

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let snowflake = 0n;
/** A snowflake of the current time (timestamp in the high bits), always above the previous one. */
const nextSnowflake = () => {
  const now = (BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n;
  snowflake = now > snowflake ? now : snowflake + 1n;
  return String(snowflake);
};

/** One request for an attachment's bytes. */
export interface DiscordAttachmentDownload {
  readonly path: string;
  readonly authorization: string | undefined;
}

export async function startDiscordFake(options: DiscordFakeOptions = {}) {
  const token = options.token ?? "MTIz.fake.discord-token";
  const botId = options.botId ?? "1100000000000000001";
  const username = options.username ?? "openclaw-test";
  const sent: DiscordSent[] = [];
  const attempts: { channelId: string; status: number; atMs: number }[] = [];
  const typing: DiscordTyping[] = [];
  const reactions: DiscordReaction[] = [];
  /** Every PATCH of one of our messages, in order. */
  const edits: { channelId: string; messageId: string; content: string }[] = [];
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  const held: (() => void)[] = [];
  /** Every message per channel (ours and users'), as the history endpoint lists them. */
  const channelHistory = new Map<string, Record<string, unknown>[]>();
  const nonces = new Map<string, { message: Record<string, unknown>; atMs: number }>();
  const nonceWindowMs = options.nonceWindowMs ?? 300_000;
  const losses: ("delivered" | "not-delivered")[] = [];
  const remember = (channelId: string, message: Record<string, unknown>) => {
    const list = channelHistory.get(channelId) ?? [];
    list.push(message);
    channelHistory.set(channelId, list);
  };
  const sessions = new Map<string, Session>();
  const dispatched = new Map<string, Record<string, unknown>>();
  const offline: { t: string; d: Record<string, unknown> }[] = [];
  const sockets = new Set<WebSocket>();
  let holding = false;
  let invalidateResumes = 0;
  let refuseGateway = false;
  let gatewayBotFailure: number | undefined;
  const gatewayBotTimes: number[] = [];
  let connections = 0;
  let maxConcurrent = 0;
  let identifies = 0;
  let resumes = 0;
  let current: Session | undefined;
  const attachmentFiles = new Map<string, { bytes: Uint8Array; withoutLength: boolean }>();
  const attachmentDownloads: DiscordAttachmentDownload[] = [];

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(text);
  };

  /** A JSON body, or a multipart one (message creates with files): `payload_json` as the body, `files[n]` parts as files. */
  const readBody = (request: IncomingMessage) =>
    new Promise<{ body: Record<string, unknown>; files: DiscordSentFile[] }>((resolve) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const raw = Buffer.concat(chunks);
        const type = request.headers["content-type"] ?? "";
        try {
          if (/^multipart\/form-data/i.test(type)) {
            const parts = parseMultipart(raw, type);
            const payload = parts.find((part) => part.name === "payload_json")?.value;
            const files = parts
              .filter((part) => /^files\[\d+\]$/.test(part.name))
              .map((part) => ({ field: part.name, filename: part.filename ?? "", contentType: part.contentType, bytes: part.bytes }));
            return resolve({ body: payload ? (JSON.parse(payload) as Record<string, unknown>) : {}, files });
          }
          const text = raw.toString("utf8");
          resolve({ body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, files: [] });
        } catch {
          resolve({ body: {}, files: [] });
        }
      });
    });

  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/attachments/")) {
      attachmentDownloads.push({ path, authorization: request.headers.authorization });
      const file = attachmentFiles.get(path);
      if (!file) return json(response, 404, { message: "404: Not Found", code: 0 });
      return writeFileBody(response, file.bytes, { withoutLength: file.withoutLength });
    }
    if (!path.startsWith("/api/v10/")) return json(response, 404, { message: "404: Not Found", code: 0 });
    if (request.headers.authorization !== `Bot ${token}`) return json(response, 401, { message: "401: Unauthorized", code: 0 });
    const route = path.slice("/api/v10".length);
    const { body, files } = request.method === "GET" ? { body: {}, files: [] } : await readBody(request);
    if (request.method === "GET" && route === "/gateway/bot") {
      gatewayBotTimes.push(Date.now());
      if (gatewayBotFailure !== undefined) return json(response, gatewayBotFailure, { message: "Service Unavailable", code: 0 });
      return json(response, 200, { url: wsUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (request.method === "GET" && route === "/users/@me")
      return json(response, 200, { id: botId, username, discriminator: "0", bot: true, avatar: null, global_name: null });
    if (request.method === "POST" && route === "/users/@me/channels")
      return json(response, 200, { id: `dm-${String(body["recipient_id"])}`, type: 1, recipients: [{ id: body["recipient_id"] }] });
    let match = /^\/channels\/([^/]+)\/messages$/.exec(route);
    if (request.method === "GET" && match) {
      const query = new URL(request.url ?? "/", "http://fake").searchParams;
      const limit = Math.min(Math.max(Number(query.get("limit") ?? 50), 1), 100);
      const after = query.get("after");
      const before = query.get("before");
      const idOf = (message: Record<string, unknown>) => (/^\d+$/.test(String(message["id"])) ? BigInt(String(message["id"])) : 0n);
      let list = [...(channelHistory.get(match[1]!) ?? [])].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
      if (after) list = list.filter((message) => idOf(message) > BigInt(after)).slice(0, limit);
      else list = list.filter((message) => !before || idOf(message) < BigInt(before)).slice(-limit);
      return json(response, 200, list.reverse());
    }
    if (request.method === "POST" && match) {
      const channelId = match[1]!;
      const loss = losses.shift();
      const failure = loss ? undefined : failures.shift();
      attempts.push({ channelId, status: loss ? 0 : (failure?.status ?? 200), atMs: Date.now() });
      if (failure?.status === 429) {
        const retryAfter = failure.retryAfterSeconds ?? 1;
        return json(
          response,
          429,
          { message: "You are being rate limited.", retry_after: retryAfter, global: false },
          {
            "retry-after": String(Math.ceil(retryAfter)),
            "x-ratelimit-limit": "5",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset-after": String(retryAfter),
            "x-ratelimit-bucket": "fake-bucket",
            "x-ratelimit-scope": "user",
          },
        );
      }
      if (failure) {
        return json(
          response,
          failure.status,
          failure.status === 403
            ? { message: "Missing Access", code: 50001 }
            : failure.status === 404
              ? { message: "Unknown Channel", code: 10003 }
              : { message: "Internal Server Error", code: 0 },
        );
      }
      const content = String(body["content"] ?? "");
      if (content.trim() === "" && files.length === 0) return json(response, 400, { message: "Cannot send an empty message", code: 50006 });
      if (content.length > 2000)
        return json(response, 400, {
          message: "Invalid Form Body",
          code: 50035,
          errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } },
        });
      const nonce = body["nonce"] === undefined ? undefined : String(body["nonce"]);
      if (nonce !== undefined && nonce.length > 25)
        return json(response, 400, {
          message: "Invalid Form Body",
          code: 50035,
          errors: { nonce: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." }] } },
        });
      const earlier = nonce !== undefined && body["enforce_nonce"] === true ? nonces.get(nonce) : undefined;
      if (earlier && Date.now() - earlier.atMs <= nonceWindowMs) {
        if (loss) return request.socket.destroy();
        return json(response, 200, { ...earlier.message, nonce });
      }
      if (loss === "not-delivered") return request.socket.destroy();
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      const messageId = nextSnowflake();
      sent.push({ channelId, content, messageId, atMs: Date.now(), body, files });
      const reference = body["message_reference"] as { message_id?: string } | undefined;
      const message: Record<string, unknown> = {
        id: messageId,
        channel_id: channelId,
        content,
        author: { id: botId, username, discriminator: "0", bot: true },
        timestamp: new Date().toISOString(),
        type: reference ? 19 : 0,
        attachments: files.map((file) => ({ id: nextSnowflake(), filename: file.filename, size: file.bytes.byteLength })),
        ...(reference?.message_id ? { message_reference: { message_id: reference.message_id, channel_id: channelId } } : {}),
      };
      remember(channelId, message);
      if (nonce !== undefined) nonces.set(nonce, { message, atMs: Date.now() });
      if (loss === "delivered") return request.socket.destroy();
      return json(response, 200, { ...message, ...(nonce !== undefined ? { nonce } : {}) });
    }
    match = /^\/channels\/([^/]+)\/typing$/.exec(route);
    if (request.method === "POST" && match) {
      typing.push({ channelId: match[1]!, atMs: Date.now() });
      return json(response, 204, undefined);
    }
    match = /^\/channels\/([^/]+)\/messages\/([^/]+)\/reactions\/([^/]+)\/@me$/.exec(route);
    if ((request.method === "PUT" || request.method === "DELETE") && match) {
      const emoji = decodeURIComponent(match[3]!);
      reactions.push({ channelId: match[1]!, messageId: match[2]!, emoji, removed: request.method === "DELETE", atMs: Date.now() });
      return json(response, 204, undefined);
    }
    match = /^\/channels\/([^/]+)\/messages\/([^/]+)$/.exec(route);
    if (request.method === "PATCH" && match) {
      edits.push({ channelId: match[1]!, messageId: match[2]!, content: String(body["content"] ?? "") });
      return json(response, 200, { id: match[2], channel_id: match[1], content: body["content"] });
    }
    return json(response, 404, { message: `${request.method} ${route} is not faked`, code: 0 });
  });

  const wss = new WebSocketServer({ server });
  const sendOp = (socket: WebSocket, payload: Record<string, unknown>) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(payload));

  const dispatch = (session: Session, t: string, d: Record<string, unknown>) => {
    session.seq += 1;
    const payload = JSON.stringify({ op: 0, t, s: session.seq, d });
    session.history.push({ s: session.seq, payload });
    if (session.socket?.readyState === session.socket?.OPEN) session.socket?.send(payload);
  };

  wss.on("connection", (socket) => {
    connections += 1;
    if (refuseGateway) {
      socket.terminate();
      return;
    }
    sockets.add(socket);
    maxConcurrent = Math.max(maxConcurrent, sockets.size);
    socket.on("close", () => {
      sockets.delete(socket);
      for (const session of sessions.values()) if (session.socket === socket) session.socket = undefined;
    });
    socket.on("error", () => undefined);
    sendOp(socket, { op: 10, d: { heartbeat_interval: 40_000 }, s: null, t: null });
    socket.on("message", (raw) => {
      let frame: { op: number; d: Record<string, unknown> | null };
      try {
        frame = JSON.parse(raw.toString()) as typeof frame;
      } catch {
        return socket.close(4002, "Decode error");
      }
      if (frame.op === 1) return sendOp(socket, { op: 11, d: null, s: null, t: null });
      if (frame.op === 2) {
        identifies += 1;
        if (frame.d?.["token"] !== token) return socket.close(4004, "Authentication failed");
        const session: Session = { id: `session-${identifies}`, seq: 0, history: [], socket };
        sessions.set(session.id, session);
        current = session;
        dispatch(session, "READY", {
          v: 10,
          user: { id: botId, username, discriminator: "0", bot: true, avatar: null, global_name: null, flags: 0 },
          guilds: [],
          session_id: session.id,
          resume_gateway_url: wsUrl,
          shard: [0, 1],
          application: { id: botId, flags: 0 },
        });
        for (const event of offline.splice(0)) dispatch(session, event.t, event.d);
        return;
      }
      if (frame.op === 6) {
        resumes += 1;
        const session = sessions.get(String(frame.d?.["session_id"]));
        if (!session || invalidateResumes > 0) {
          if (invalidateResumes > 0) invalidateResumes -= 1;
          return sendOp(socket, { op: 9, d: false, s: null, t: null });
        }
        session.socket = socket;
        current = session;
        const since = Number(frame.d?.["seq"] ?? 0);
        for (const entry of session.history) if (entry.s > since) socket.send(entry.payload);
        for (const event of offline.splice(0)) dispatch(session, event.t, event.d);
        dispatch(session, "RESUMED", {});
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}`;

  /** Dispatches now when a session is connected; otherwise as a missed event (replayed on RESUME). */
  const emit = (t: string, d: Record<string, unknown>) => {
    if (current) dispatch(current, t, d);
    else offline.push({ t, d });
  };

  return {
    /** For `rest.api`: `${url}/api`. */
    url: `http://127.0.0.1:${port}`,
    token,
    botId,
    username,
    sent,
    attempts,
    /** Every typing trigger, in order. */
    typing,
    /** Every own reaction added or removed, in order. */
    reactions,
    /** Every edit (PATCH /channels/:id/messages/:mid) of one of our messages, in order. */
    edits,
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
      remember(input.channelId, data);
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
    addAttachment(bytes: Uint8Array, fields: Record<string, unknown> & { filename: string }, serve: { channelId?: string; declaredSize?: number } = {}) {
      const id = nextSnowflake();
      const path = `/attachments/${serve.channelId ?? "0"}/${id}/${encodeURIComponent(fields.filename)}`;
      attachmentFiles.set(path, { bytes, withoutLength: serve.declaredSize !== undefined });
      const signed = "?ex=00000000&is=00000000&hm=fake";
      return {
        id,
        size: serve.declaredSize ?? bytes.byteLength,
        url: `http://127.0.0.1:${port}${path}${signed}`,
        proxy_url: `http://127.0.0.1:${port}${path}${signed}`,
        ...fields,
      } as Record<string, unknown> & { id: string; url: string; filename: string };
    },
    /** Every request for an attachment's bytes, in order. */
    attachmentDownloads,
    /** The same MESSAGE_CREATE again (what a replay after RESUME or a gateway duplicate looks like). */
    redeliver(messageId: string) {
      const data = dispatched.get(messageId);
      if (!data) throw new Error(`the fake never dispatched ${messageId}`);
      emit("MESSAGE_CREATE", data);
    },
    dispatchRaw: (t: string, d: Record<string, unknown>) => emit(t, d),
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1)
        failures.push({ status: failure.status, ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) });
    },
    /**
     * The next `count` message POSTs get no answer: the connection is cut after the message was
     * stored (`delivered`) or before (`not-delivered`), so the client cannot tell which.
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
    /** Cuts the gateway connection without a close frame (a network drop). */
    dropConnection() {
      current = undefined;
      for (const socket of sockets) socket.terminate();
    },
    /** Closes the gateway connection with a close code (4004 authentication failed, 4014 disallowed intents, …). */
    closeGateway(code: number, reason = "closed by the fake") {
      current = undefined;
      for (const socket of sockets) socket.close(code, reason);
    },
    /** Gateway connections are closed at once, before HELLO, until called with `false`. */
    refuseGatewayConnections(on: boolean) {
      refuseGateway = on;
    },
    /** GET /gateway/bot answers this HTTP status (503, …) until called with `false`. */
    failGatewayBot(status: number | false) {
      gatewayBotFailure = status === false ? undefined : status;
    },
    /** When each GET /gateway/bot arrived (ms since the epoch): one per login, so one per fresh client. */
    gatewayBotTimes: () => [...gatewayBotTimes],
    /** The next `count` RESUMEs are answered with INVALID_SESSION (not resumable). */
    invalidateNextResumes(count: number) {
      invalidateResumes = count;
    },
    connectionsOpened: () => connections,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => sockets.size,
    identifies: () => identifies,
    resumes: () => resumes,
    async close() {
      for (const release of held.splice(0)) release();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type DiscordFake = Awaited<ReturnType<typeof startDiscordFake>>;
