/**
 * The Slack fake's Web API under `/api/<method>` (form-encoded or JSON bodies, `Authorization:
 * Bearer` or a `token` field): auth.test, apps.connections.open (app token; answers the Socket
 * Mode URL), chat.postMessage (assigns `ts` ids, keeps `metadata`), chat.update, reactions.add and
 * reactions.remove (by emoji name; anything else is `invalid_name`), conversations.history and
 * conversations.replies, conversations.info, users.info, and the upload methods (see
 * `slack-upload-fake.ts`). Errors come as Slack sends them: HTTP 200 with `{ok:false,error}` for
 * platform errors, HTTP 429 with a `Retry-After` header, HTTP 5xx. It records what each call did
 * and holds the send-side failure controls.
 */
import { sendScript } from "./send-script.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SlackChannelHistory } from "./slack-fake-history.js";
import type { slackUploads } from "./slack-upload-fake.js";

export interface SlackSent {
  readonly channel: string;
  readonly text: string;
  readonly ts: string;
  readonly atMs: number;
  readonly params: Record<string, unknown>;
}

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

export function slackWebApi(options: {
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly history: SlackChannelHistory;
  readonly upload: ReturnType<typeof slackUploads>;
  /** The Socket Mode URL apps.connections.open answers (known once the server listens). */
  readonly socketUrl: () => string;
}) {
  const { botToken, appToken, botUserId, botId, history, upload } = options;
  const sent: SlackSent[] = [];
  const attempts: { channel: string; status: number; atMs: number }[] = [];
  const script = sendScript<{ status: number; retryAfterSeconds?: number; error?: string }>();
  /** Every chat.update call, in order. */
  const updates: { channel: string; ts: string; text: string }[] = [];
  /** reactions.add / reactions.remove calls Slack accepted. */
  const reactions: { channel: string; timestamp: string; name: string; removed: boolean }[] = [];
  let openFailure: { error: string } | { status: number } | undefined;
  const openTimes: number[] = [];

  /** Answers one Web API request (any path that is not a file or an upload). */
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = /^\/api\/([\w.]+)/.exec(request.url ?? "")?.[1];
    const body = await readBody(request);
    if (!method) return reply(response, 404, { ok: false, error: "unknown_method" });
    const auth = (request.headers.authorization ?? "").replace(/^Bearer /, "") || String(body["token"] ?? "");
    if (method === "apps.connections.open") {
      openTimes.push(Date.now());
      if (auth !== appToken) return reply(response, 200, { ok: false, error: "invalid_auth" });
      if (openFailure && "error" in openFailure) return reply(response, 200, { ok: false, error: openFailure.error });
      if (openFailure) return reply(response, openFailure.status, { ok: false, error: "internal_error" });
      return reply(response, 200, { ok: true, url: options.socketUrl() });
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
        const loss = script.nextLoss();
        const failure = loss ? undefined : script.nextFailure();
        attempts.push({ channel, status: loss ? 0 : (failure?.status ?? 200), atMs: Date.now() });
        if (failure?.status === 429)
          return reply(response, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfterSeconds ?? 1) });
        if (failure && failure.status >= 500) return reply(response, failure.status, { ok: false, error: "internal_error" });
        if (failure) return reply(response, 200, { ok: false, error: failure.error ?? "channel_not_found" });
        const text = String(body["text"] ?? "");
        if (text.trim() === "") return reply(response, 200, { ok: false, error: "no_text" });
        if (text.length > 40_000) return reply(response, 200, { ok: false, error: "msg_too_long" });
        if (loss === "not-delivered") return request.socket.destroy();
        if (script.holding) await script.held();
        const ts = history.nextTs();
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
        history.remember(channel, message);
        if (loss === "delivered") return request.socket.destroy();
        return reply(response, 200, { ok: true, channel, ts, message });
      }
      case "conversations.history":
        return reply(response, 200, history.history(body));
      case "conversations.replies":
        return reply(response, 200, history.replies(body));
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
  };

  return {
    handle,
    sent,
    attempts,
    updates,
    reactions,
    failSends: script.controls.failSends,
    loseSends: script.controls.loseSends,
    holdSends: script.controls.holdSends,
    releaseHeld: script.controls.releaseHeld,
    failConnectionOpens(failure: { error: string } | { status: number } | false) {
      openFailure = failure === false ? undefined : failure;
    },
    connectionOpenTimes: () => [...openTimes],
  };
}
