/**
 * The Discord fake's REST API under `/api/v10`, checked against `Authorization: Bot <token>`:
 * GET /gateway/bot, GET /users/@me, POST /users/@me/channels, GET and POST
 * /channels/:id/messages, POST /channels/:id/typing, PUT/DELETE of the bot's reactions and PATCH
 * of its messages, with what each call did recorded and the send-side failure controls
 * (refusals, lost answers, held answers, a failing /gateway/bot).
 */
import { sendScript } from "./send-script.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { nextSnowflake, type DiscordChannelHistory } from "./discord-fake-history.js";
import { parseMultipart } from "./multipart.js";

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

export const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
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

export function discordRest(options: {
  readonly token: string;
  readonly botId: string;
  readonly username: string;
  readonly nonceWindowMs: number;
  readonly history: DiscordChannelHistory;
  /** The gateway WebSocket URL GET /gateway/bot answers (known once the server listens). */
  readonly gatewayUrl: () => string;
}) {
  const { token, botId, username, nonceWindowMs, history } = options;
  const sent: DiscordSent[] = [];
  const attempts: { channelId: string; status: number; atMs: number }[] = [];
  const typing: DiscordTyping[] = [];
  const reactions: DiscordReaction[] = [];
  /** Every PATCH of one of our messages, in order. */
  const edits: { channelId: string; messageId: string; content: string }[] = [];
  const script = sendScript<{ status: number; retryAfterSeconds?: number }>();
  const nonces = new Map<string, { message: Record<string, unknown>; atMs: number }>();
  let gatewayBotFailure: number | undefined;
  const gatewayBotTimes: number[] = [];

  /** Answers one request whose path starts with `/api/v10/`. */
  const handle = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (request.headers.authorization !== `Bot ${token}`) return json(response, 401, { message: "401: Unauthorized", code: 0 });
    const route = path.slice("/api/v10".length);
    const { body, files } = request.method === "GET" ? { body: {}, files: [] } : await readBody(request);
    if (request.method === "GET" && route === "/gateway/bot") {
      gatewayBotTimes.push(Date.now());
      if (gatewayBotFailure !== undefined) return json(response, gatewayBotFailure, { message: "Service Unavailable", code: 0 });
      return json(response, 200, {
        url: options.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (request.method === "GET" && route === "/users/@me")
      return json(response, 200, { id: botId, username, discriminator: "0", bot: true, avatar: null, global_name: null });
    if (request.method === "POST" && route === "/users/@me/channels")
      return json(response, 200, { id: `dm-${String(body["recipient_id"])}`, type: 1, recipients: [{ id: body["recipient_id"] }] });
    let match = /^\/channels\/([^/]+)\/messages$/.exec(route);
    if (request.method === "GET" && match) {
      const query = new URL(request.url ?? "/", "http://fake").searchParams;
      return json(response, 200, history.list(match[1]!, query));
    }
    if (request.method === "POST" && match) {
      const channelId = match[1]!;
      const loss = script.nextLoss();
      const failure = loss ? undefined : script.nextFailure();
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
      if (script.holding) await script.held();
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
      history.remember(channelId, message);
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
  };

  return {
    handle,
    sent,
    attempts,
    typing,
    reactions,
    edits,
    failSends: script.controls.failSends,
    loseSends: script.controls.loseSends,
    holdSends: script.controls.holdSends,
    releaseHeld: script.controls.releaseHeld,
    failGatewayBot(status: number | false) {
      gatewayBotFailure = status === false ? undefined : status;
    },
    gatewayBotTimes: () => [...gatewayBotTimes],
  };
}
