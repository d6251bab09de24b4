/**
 * A fake Telegram Bot API on a real HTTP server (127.0.0.1, port 0), at
 * `${apiRoot}/bot<token>/<method>`, answering `{ok:true,result}` or
 * `{ok:false,error_code,description,parameters}` as the real API does.
 *
 * Covered: getMe, deleteWebhook, setWebhook, getUpdates (a real long poll: held until an update
 * arrives or `timeout` passes; `offset` confirms and drops earlier updates, so an unconfirmed
 * update is delivered again), sendMessage (assigns message ids, 4096-character limit),
 * sendChatAction, setMessageReaction, editMessageText, setMyCommands, getMyCommands, getFile and
 * file downloads (`/file/bot<token>/<path>`, for files added with `addFile` or `photoBytes`),
 * sendPhoto/sendVoice/sendAudio/sendVideo/sendDocument with a URL or a multipart upload
 * (`attach://` parts; the file's bytes, caption and reply are recorded in `sentMedia`).
 * Controls: inject private/group messages, redeliver, a 409 conflict mode for getUpdates, a
 * wedged mode that never answers getUpdates, a failing mode that answers every getUpdates with a
 * 5xx (Telegram having a bad day), dropping the pending long polls, refusing sends
 * (429 with retry_after, 403, 5xx), holding send answers, and counters for polls (total,
 * concurrent, open, and when each arrived) — the proof of "one poller per token".
 */
import type { ServerResponse } from "node:http";
import { startHttpFake, type FakeServer, type RecordedRequest } from "./http-fake.js";
import { parseMultipart } from "./multipart.js";

export interface TelegramFakeOptions {
  readonly token?: string;
  readonly botId?: number;
  readonly username?: string;
}

export interface TelegramUpdate {
  readonly update_id: number;
  readonly message?: Record<string, unknown>;
  readonly channel_post?: Record<string, unknown>;
}

export interface TelegramSent {
  readonly chatId: string;
  readonly text: string;
  readonly messageId: number;
  readonly atMs: number;
  readonly params: Record<string, unknown>;
}

/** A file the bot sent: uploaded (`bytes`, `fileName`) or by URL (`url`). */
export interface TelegramSentMedia {
  readonly method: "sendPhoto" | "sendVoice" | "sendAudio" | "sendVideo" | "sendDocument";
  readonly chatId: string;
  readonly messageId: number;
  readonly caption?: string;
  /** `reply_parameters.message_id`. */
  readonly replyTo?: number;
  readonly threadId?: number;
  readonly bytes?: Uint8Array;
  readonly fileName?: string;
  readonly url?: string;
  readonly params: Record<string, unknown>;
}

const MEDIA_METHODS = ["sendPhoto", "sendVoice", "sendAudio", "sendVideo", "sendDocument"] as const;
const MEDIA_FIELD: Record<TelegramSentMedia["method"], string> = {
  sendPhoto: "photo",
  sendVoice: "voice",
  sendAudio: "audio",
  sendVideo: "video",
  sendDocument: "document",
};

interface Poll {
  readonly response: ServerResponse;
  readonly limit: number;
  timer: NodeJS.Timeout | undefined;
}

export interface TelegramFake {
  readonly apiRoot: string;
  readonly token: string;
  readonly botId: number;
  readonly username: string;
  readonly server: FakeServer;
  readonly sent: TelegramSent[];
  /** Files sent with sendPhoto, sendVoice, sendAudio, sendVideo or sendDocument, in order. */
  readonly sentMedia: TelegramSentMedia[];
  readonly attempts: { chatId: string; status: number; atMs: number }[];
  readonly commandSets: unknown[];
  readonly calls: (method: string) => RecordedRequest[];
  /** Queues a message from `from` in `chat`; returns the update. */
  inject(input: {
    chatId: number;
    from: { id: number; first_name?: string; username?: string; is_bot?: boolean };
    text: string;
    chatType?: "private" | "group" | "supergroup";
    entities?: unknown[];
    replyTo?: Record<string, unknown>;
    threadId?: number;
    /** A photo with `text` as its caption: two sizes, the larger backed by `photoBytes` (served by getFile) when given. */
    photo?: boolean;
    photoBytes?: Uint8Array;
    /** Extra message fields (voice, document, location, …), e.g. from {@link TelegramFake.addFile}. */
    extra?: Record<string, unknown>;
  }): TelegramUpdate;
  /** Stores a file the bot can download (getFile, then `${apiRoot}/file/bot<token>/<path>`); returns its Bot API file object. */
  addFile(bytes: Uint8Array, fields?: Record<string, unknown>): { file_id: string; file_unique_id: string; file_size: number } & Record<string, unknown>;
  /** Queues the same message again under a new update id (a redelivery). */
  redeliver(messageId: number): TelegramUpdate;
  /** Queues an arbitrary update body (for malformed or unusual updates). */
  injectRaw(update: Omit<TelegramUpdate, "update_id">): TelegramUpdate;
  /** Updates not yet confirmed by an offset. */
  pending(): TelegramUpdate[];
  failSends(failure: { status: number; retryAfterSeconds?: number; count?: number; description?: string }): void;
  /** Forgets refusals not used yet. */
  clearFailures(): void;
  holdSends(): () => void;
  /** 409 Conflict for every getUpdates while on (another poller has the token). */
  setConflict(on: boolean): void;
  /** getUpdates requests are accepted and never answered while on. */
  setWedged(on: boolean): void;
  /** Every getUpdates is answered with this HTTP error (502, 500, …) until called with `false`. */
  failPolls(status: number | false): void;
  /** When each getUpdates arrived (ms since the epoch), oldest first. */
  pollTimes(): number[];
  /** Destroys every pending long poll (a dropped connection). */
  dropPolls(): void;
  pollsOpened(): number;
  maxConcurrentPolls(): number;
  openPolls(): number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.writableEnded) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

const ok = (response: ServerResponse, result: unknown) => send(response, 200, { ok: true, result });
const fail = (response: ServerResponse, code: number, description: string, parameters?: Record<string, unknown>) =>
  send(response, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const token = options.token ?? "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";
  const botId = options.botId ?? 123456;
  const username = options.username ?? "openclaw_test_bot";
  const queue: TelegramUpdate[] = [];
  const messages = new Map<number, Record<string, unknown>>();
  const polls = new Set<Poll>();
  const sent: TelegramSent[] = [];
  const sentMedia: TelegramSentMedia[] = [];
  /** Uploaded files of the request being handled, by multipart part name (`attach://<name>`). */
  let uploads = new Map<string, { bytes: Uint8Array; filename?: string }>();
  const attempts: { chatId: string; status: number; atMs: number }[] = [];
  const commandSets: unknown[] = [];
  const failures: { status: number; retryAfterSeconds?: number; description?: string }[] = [];
  const held: (() => void)[] = [];
  let commands: unknown[] = [];
  let holding = false;
  let conflict = false;
  let wedged = false;
  let pollFailure: number | undefined;
  const pollTimes: number[] = [];
  const files = new Map<string, { bytes: Uint8Array; path: string }>();
  let nextFileId = 1;
  const addFile = (bytes: Uint8Array, fields: Record<string, unknown> = {}) => {
    const id = nextFileId++;
    const file = { file_id: `file-${id}`, file_unique_id: `unique-${id}`, file_size: bytes.byteLength, ...fields };
    files.set(file.file_id, { bytes, path: `files/file_${id}` });
    return file;
  };
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let pollsOpened = 0;
  let maxConcurrent = 0;

  const flush = () => {
    if (wedged) return;
    for (const poll of [...polls]) {
      if (queue.length === 0) return;
      polls.delete(poll);
      if (poll.timer) clearTimeout(poll.timer);
      ok(poll.response, queue.slice(0, poll.limit));
    }
  };

  const enqueue = (body: Omit<TelegramUpdate, "update_id">): TelegramUpdate => {
    const update = { update_id: nextUpdateId++, ...body };
    queue.push(update);
    setImmediate(flush);
    return update;
  };

  const handlers: Record<string, (params: Record<string, unknown>, response: ServerResponse, request: RecordedRequest) => Promise<void> | void> = {
    getMe: (_params, response) =>
      ok(response, {
        id: botId,
        is_bot: true,
        first_name: "OpenClaw Test",
        username,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
    deleteWebhook: (_params, response) => ok(response, true),
    setWebhook: (_params, response) => ok(response, true),
    getMyCommands: (_params, response) => ok(response, commands),
    setMyCommands: (params, response) => {
      commands = (params["commands"] as unknown[]) ?? [];
      commandSets.push(commands);
      ok(response, true);
    },
    getUpdates: (params, response) => {
      pollsOpened += 1;
      pollTimes.push(Date.now());
      if (pollFailure !== undefined) return fail(response, pollFailure, pollFailure === 502 ? "Bad Gateway" : "Internal Server Error");
      if (conflict) return fail(response, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
      const offset = Number(params["offset"] ?? 0);
      if (offset > 0) while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
      const limit = Number(params["limit"] ?? 100);
      const timeout = Number(params["timeout"] ?? 0);
      if (!wedged && queue.length > 0) return ok(response, queue.slice(0, limit));
      const poll: Poll = { response, limit, timer: undefined };
      polls.add(poll);
      maxConcurrent = Math.max(maxConcurrent, polls.size);
      response.on("close", () => {
        polls.delete(poll);
        if (poll.timer) clearTimeout(poll.timer);
      });
      if (!wedged) {
        poll.timer = setTimeout(() => {
          polls.delete(poll);
          ok(response, []);
        }, timeout * 1000);
      }
    },
    sendMessage: async (params, response) => {
      const chatId = String(params["chat_id"]);
      const text = String(params["text"] ?? "");
      const failure = failures.shift();
      attempts.push({ chatId, status: failure?.status ?? 200, atMs: Date.now() });
      if (failure) {
        return fail(
          response,
          failure.status,
          failure.description ??
            (failure.status === 429
              ? `Too Many Requests: retry after ${failure.retryAfterSeconds ?? 1}`
              : failure.status === 403
                ? "Forbidden: bot was blocked by the user"
                : "Internal Server Error"),
          failure.status === 429 ? { retry_after: failure.retryAfterSeconds ?? 1 } : undefined,
        );
      }
      if (text.trim() === "") return fail(response, 400, "Bad Request: message text is empty");
      if (text.length > 4096) return fail(response, 400, "Bad Request: message is too long");
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      const messageId = nextMessageId++;
      sent.push({ chatId, text, messageId, atMs: Date.now(), params });
      ok(response, {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(chatId), type: "private" },
        from: { id: botId, is_bot: true, first_name: "OpenClaw Test", username },
        text,
      });
    },
    ...Object.fromEntries(
      MEDIA_METHODS.map((method) => [
        method,
        async (params: Record<string, unknown>, response: ServerResponse) => {
          const chatId = String(params["chat_id"]);
          const failure = failures.shift();
          attempts.push({ chatId, status: failure?.status ?? 200, atMs: Date.now() });
          if (failure)
            return fail(
              response,
              failure.status,
              failure.description ?? (failure.status === 403 ? "Forbidden: bot was blocked by the user" : "Internal Server Error"),
            );
          const field = String(params[MEDIA_FIELD[method]] ?? "");
          const upload = field.startsWith("attach://") ? uploads.get(field.slice("attach://".length)) : undefined;
          if (field === "" || (field.startsWith("attach://") && !upload))
            return fail(response, 400, `Bad Request: there is no ${MEDIA_FIELD[method]} in the request`);
          const caption = params["caption"] === undefined ? undefined : String(params["caption"]);
          if (caption !== undefined && caption.length > 1024) return fail(response, 400, "Bad Request: message caption is too long");
          const reply = typeof params["reply_parameters"] === "string" ? JSON.parse(params["reply_parameters"]) : params["reply_parameters"];
          const replyTo = (reply as { message_id?: number } | undefined)?.message_id;
          const thread = params["message_thread_id"] === undefined ? undefined : Number(params["message_thread_id"]);
          if (holding) await new Promise<void>((resolve) => held.push(resolve));
          const messageId = nextMessageId++;
          sentMedia.push({
            method,
            chatId,
            messageId,
            ...(caption !== undefined ? { caption } : {}),
            ...(replyTo !== undefined ? { replyTo: Number(replyTo) } : {}),
            ...(thread !== undefined ? { threadId: thread } : {}),
            ...(upload ? { bytes: upload.bytes, ...(upload.filename ? { fileName: upload.filename } : {}) } : { url: field }),
            params,
          });
          ok(response, {
            message_id: messageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(chatId), type: "private" },
            from: { id: botId, is_bot: true, first_name: "OpenClaw Test", username },
            ...(caption !== undefined ? { caption } : {}),
          });
        },
      ]),
    ),
    getFile: (params, response) => {
      const id = String(params["file_id"] ?? "");
      const file = files.get(id);
      if (!file) return fail(response, 400, "Bad Request: invalid file_id");
      ok(response, { file_id: id, file_unique_id: id.replace("file-", "unique-"), file_size: file.bytes.byteLength, file_path: file.path });
    },
    sendChatAction: (_params, response) => ok(response, true),
    setMessageReaction: (_params, response) => ok(response, true),
    editMessageText: (params, response) => ok(response, { message_id: Number(params["message_id"]), text: params["text"] }),
  };

  const server = await startHttpFake(async (request, response) => {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(request.path.split("?")[0] ?? "");
    if (download) {
      const file = download[1] === token ? [...files.values()].find((candidate) => candidate.path === download[2]) : undefined;
      if (!file) return send(response, 404, { ok: false, error_code: 404, description: "Not Found" });
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.bytes.byteLength });
      response.end(file.bytes);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(request.path.split("?")[0] ?? "");
    if (!match) return send(response, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (match[1] !== token) return fail(response, 401, "Unauthorized");
    const handler = handlers[match[2]!];
    if (!handler) return fail(response, 404, `Not Found: method ${match[2]} is not faked`);
    const fields: Record<string, unknown> = {};
    uploads = new Map();
    const type = request.headers["content-type"] ?? "";
    if (/^multipart\/form-data/i.test(type) && request.rawBody) {
      for (const part of parseMultipart(request.rawBody, type)) {
        if (part.filename !== undefined) uploads.set(part.name, { bytes: part.bytes, ...(part.filename ? { filename: part.filename } : {}) });
        else fields[part.name] = part.value;
      }
    }
    const params = {
      ...Object.fromEntries(new URL(request.path, "http://fake").searchParams),
      ...((request.body as Record<string, unknown> | undefined) ?? {}),
      ...fields,
    };
    await handler(params, response, request);
  });

  return {
    apiRoot: server.url,
    token,
    botId,
    username,
    server,
    sent,
    sentMedia,
    attempts,
    commandSets,
    calls: (method) => server.requests.filter((request) => request.path.split("?")[0]?.endsWith(`/${method}`)),
    inject(input) {
      const messageId = nextMessageId++;
      const chatType = input.chatType ?? "private";
      const message: Record<string, unknown> = {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat:
          chatType === "private"
            ? { id: input.chatId, type: "private", first_name: input.from.first_name ?? "User" }
            : { id: input.chatId, type: chatType, title: "Test group", ...(input.threadId ? { is_forum: true } : {}) },
        from: { is_bot: false, first_name: "User", ...input.from },
        ...(input.photo
          ? {
              photo: [
                { file_id: "small", file_unique_id: "s", width: 90, height: 90, file_size: 1200 },
                input.photoBytes
                  ? addFile(input.photoBytes, { width: 800, height: 800 })
                  : { file_id: "big", file_unique_id: "b", width: 800, height: 800, file_size: 64000 },
              ],
              caption: input.text,
            }
          : input.extra && input.text === ""
            ? {}
            : { [input.extra ? "caption" : "text"]: input.text }),
        ...input.extra,
        ...(input.entities ? { [input.photo ? "caption_entities" : "entities"]: input.entities } : {}),
        ...(input.replyTo ? { reply_to_message: input.replyTo } : {}),
        ...(input.threadId ? { message_thread_id: input.threadId, is_topic_message: true } : {}),
      };
      messages.set(messageId, message);
      return enqueue({ message });
    },
    redeliver(messageId) {
      const message = messages.get(messageId);
      if (!message) throw new Error(`the fake never delivered message ${messageId}`);
      return enqueue({ message });
    },
    injectRaw: (update) => enqueue(update),
    addFile,
    pending: () => [...queue],
    failSends(failure) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) {
        failures.push({
          status: failure.status,
          ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
          ...(failure.description ? { description: failure.description } : {}),
        });
      }
    },
    clearFailures() {
      failures.length = 0;
    },
    holdSends() {
      holding = true;
      return () => {
        holding = false;
        for (const release of held.splice(0)) release();
      };
    },
    setConflict(on) {
      conflict = on;
    },
    setWedged(on) {
      wedged = on;
      if (!on) flush();
    },
    failPolls(status) {
      pollFailure = status === false ? undefined : status;
    },
    pollTimes: () => [...pollTimes],
    dropPolls() {
      for (const poll of [...polls]) {
        polls.delete(poll);
        if (poll.timer) clearTimeout(poll.timer);
        poll.response.destroy();
      }
    },
    pollsOpened: () => pollsOpened,
    maxConcurrentPolls: () => maxConcurrent,
    openPolls: () => polls.size,
    async close() {
      for (const release of held.splice(0)) release();
      for (const poll of polls) if (poll.timer) clearTimeout(poll.timer);
      polls.clear();
      await server.close();
    },
  };
}
