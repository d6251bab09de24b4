/**
 * A fake Telegram Bot API on a real HTTP server (127.0.0.1, port 0), at
 * `${apiRoot}/bot<token>/<method>`, answering `{ok:true,result}` or
 * `{ok:false,error_code,description,parameters}` as the real API does.
 *
 * This module routes requests to the methods, keeps files, and makes users act (private and
 * group messages, redeliveries, raw updates). The parts:
 *
 * - `telegram-fake-updates.ts`: the update queue and getUpdates as a real long poll, with the
 *   409 conflict, wedged and failing modes, dropping polls, and poll counters (the proof of
 *   "one poller per token").
 * - `telegram-fake-sends.ts`: sendMessage and sendPhoto/sendVoice/sendAudio/sendVideo/
 *   sendDocument (URL or multipart `attach://` upload), refusals and held answers.
 * - `telegram-fake-answer.ts`: the answer envelope; `telegram-fake-types.ts`: the public shapes.
 *
 * Also covered here: getMe, deleteWebhook, setWebhook, sendChatAction, setMessageReaction,
 * editMessageText, setMyCommands, getMyCommands, getFile and file downloads
 * (`/file/bot<token>/<path>`, for files added with `addFile` or `photoBytes`).
 */
import { startHttpFake } from "./http-fake.js";
import { parseMultipart } from "./multipart.js";
import { fail, ok, send, type TelegramMethod } from "./telegram-fake-answer.js";
import { telegramSends } from "./telegram-fake-sends.js";
import type { TelegramFake, TelegramFakeOptions } from "./telegram-fake-types.js";
import { telegramUpdates } from "./telegram-fake-updates.js";

export type { TelegramFake, TelegramFakeOptions, TelegramSent, TelegramSentMedia, TelegramUpdate } from "./telegram-fake-types.js";

export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const token = options.token ?? "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";
  const botId = options.botId ?? 123456;
  const username = options.username ?? "openclaw_test_bot";
  const messages = new Map<number, Record<string, unknown>>();
  /** Uploaded files of the request being handled, by multipart part name (`attach://<name>`). */
  let uploads = new Map<string, { bytes: Uint8Array; filename?: string }>();
  const commandSets: unknown[] = [];
  let commands: unknown[] = [];
  const files = new Map<string, { bytes: Uint8Array; path: string }>();
  let nextFileId = 1;
  const addFile = (bytes: Uint8Array, fields: Record<string, unknown> = {}) => {
    const id = nextFileId++;
    const file = { file_id: `file-${id}`, file_unique_id: `unique-${id}`, file_size: bytes.byteLength, ...fields };
    files.set(file.file_id, { bytes, path: `files/file_${id}` });
    return file;
  };
  let nextMessageId = 1;
  const updates = telegramUpdates();
  const sends = telegramSends({ botId, username, nextMessageId: () => nextMessageId++, uploads: () => uploads });

  const handlers: Record<string, TelegramMethod> = {
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
    getUpdates: updates.getUpdates,
    ...sends.methods,
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

  const server = await startHttpFake(
    async (request, response) => {
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
      await handler(params, response);
    },
    options.keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: options.keepAliveTimeoutMs } : {},
  );

  return {
    apiRoot: server.url,
    token,
    botId,
    username,
    server,
    sent: sends.sent,
    sentMedia: sends.sentMedia,
    attempts: sends.attempts,
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
      return updates.enqueue({ message });
    },
    redeliver(messageId) {
      const message = messages.get(messageId);
      if (!message) throw new Error(`the fake never delivered message ${messageId}`);
      return updates.enqueue({ message });
    },
    injectRaw: (update) => updates.enqueue(update),
    addFile,
    pending: updates.pending,
    failSends: sends.failSends,
    clearFailures: sends.clearFailures,
    holdSends: sends.holdSends,
    setConflict: updates.setConflict,
    setWedged: updates.setWedged,
    failPolls: updates.failPolls,
    pollTimes: updates.pollTimes,
    dropPolls: updates.dropPolls,
    pollsOpened: updates.pollsOpened,
    maxConcurrentPolls: updates.maxConcurrentPolls,
    openPolls: updates.openPolls,
    async close() {
      sends.releaseHeld();
      updates.close();
      await server.close();
    },
  };
}
