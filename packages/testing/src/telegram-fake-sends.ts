/**
 * The Telegram fake's send methods: sendMessage (assigns message ids, 4096-character limit) and
 * sendPhoto/sendVoice/sendAudio/sendVideo/sendDocument with a URL or a multipart upload
 * (`attach://` parts; the file's bytes, caption and reply are recorded). It records every attempt
 * and holds the send-side controls: refusals (429 with retry_after, 403, 5xx) and held answers.
 */
import { sendScript } from "./send-script.js";
import type { ServerResponse } from "node:http";
import { fail, ok, type TelegramMethod } from "./telegram-fake-answer.js";
import type { TelegramSent, TelegramSentMedia } from "./telegram-fake-types.js";

const MEDIA_METHODS = ["sendPhoto", "sendVoice", "sendAudio", "sendVideo", "sendDocument"] as const;
const MEDIA_FIELD: Record<TelegramSentMedia["method"], string> = {
  sendPhoto: "photo",
  sendVoice: "voice",
  sendAudio: "audio",
  sendVideo: "video",
  sendDocument: "document",
};

export function telegramSends(options: {
  readonly botId: number;
  readonly username: string;
  /** The message id the next message gets (shared with injected messages). */
  readonly nextMessageId: () => number;
  /** Uploaded files of the request being handled, by multipart part name (`attach://<name>`). */
  readonly uploads: () => ReadonlyMap<string, { bytes: Uint8Array; filename?: string }>;
}) {
  const { botId, username, nextMessageId } = options;
  const sent: TelegramSent[] = [];
  const sentMedia: TelegramSentMedia[] = [];
  const attempts: { chatId: string; status: number; atMs: number }[] = [];
  const script = sendScript<{ status: number; retryAfterSeconds?: number; description?: string }>();

  const methods: Record<string, TelegramMethod> = {
    sendMessage: async (params, response) => {
      const chatId = String(params["chat_id"]);
      const text = String(params["text"] ?? "");
      const failure = script.nextFailure();
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
      if (script.holding) await script.held();
      const messageId = nextMessageId();
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
          const failure = script.nextFailure();
          attempts.push({ chatId, status: failure?.status ?? 200, atMs: Date.now() });
          if (failure)
            return fail(
              response,
              failure.status,
              failure.description ?? (failure.status === 403 ? "Forbidden: bot was blocked by the user" : "Internal Server Error"),
            );
          const field = String(params[MEDIA_FIELD[method]] ?? "");
          const upload = field.startsWith("attach://") ? options.uploads().get(field.slice("attach://".length)) : undefined;
          if (field === "" || (field.startsWith("attach://") && !upload))
            return fail(response, 400, `Bad Request: there is no ${MEDIA_FIELD[method]} in the request`);
          const caption = params["caption"] === undefined ? undefined : String(params["caption"]);
          if (caption !== undefined && caption.length > 1024) return fail(response, 400, "Bad Request: message caption is too long");
          const reply = typeof params["reply_parameters"] === "string" ? JSON.parse(params["reply_parameters"]) : params["reply_parameters"];
          const replyTo = (reply as { message_id?: number } | undefined)?.message_id;
          const thread = params["message_thread_id"] === undefined ? undefined : Number(params["message_thread_id"]);
          if (script.holding) await script.held();
          const messageId = nextMessageId();
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
  };

  return {
    methods,
    sent,
    sentMedia,
    attempts,
    failSends: script.controls.failSends,
    clearFailures: script.controls.clearFailures,
    holdSends: script.controls.holdSends,
    releaseHeld: script.controls.releaseHeld,
  };
}
