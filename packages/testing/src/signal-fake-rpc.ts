/**
 * The fake signal-cli daemon's `POST /api/v1/rpc` (JSON-RPC 2.0, man/signal-cli-jsonrpc.5):
 * `send` (`recipient` or `groupId`, `message`, `attachments` as file paths or
 * `data:<mime>;filename=<name>;base64,<data>` URIs, decoded and recorded) → `{timestamp}`,
 * `sendTyping`, `sendReaction`, `sendReceipt`, `listAccounts` (only on a multi-account daemon),
 * `getAttachment` and `getSticker`; unknown methods → -32601. Refused sends look like
 * signal-cli's: rate limiting is error -5 with `RATE_LIMIT_FAILURE` results and
 * `retryAfterSeconds`, other refusals are user error -1, 5xx is an HTTP status; `http: true`
 * answers any status (429 with Retry-After) at HTTP level. Also: held sends, and `loseSends`
 * (the connection cut after or before the message was delivered).
 */
import { sendScript } from "./send-script.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SignalClock } from "./signal-fake-clock.js";
import type { SignalMedia } from "./signal-fake-media.js";

/** One attachment of a `send`, as the fake decoded it. */
export interface SignalSentAttachment {
  /** From a data URI; `undefined` for a file path. */
  readonly contentType?: string;
  readonly filename?: string;
  /** Decoded size in bytes, for a data URI. */
  readonly size?: number;
  readonly data?: Buffer;
  /** The file path, when the attachment was given as one. */
  readonly path?: string;
}

/** Decodes one `attachments` entry: `data:<mime>[;filename=<name>];base64,<data>` or a file path. */
function decodeAttachment(entry: string): SignalSentAttachment {
  const match = /^data:([^;,]*)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s.exec(entry);
  if (!match) return { path: entry };
  const filename = /;filename=([^;,]*)/.exec(match[2] ?? "")?.[1];
  const data = Buffer.from(match[3] ?? "", "base64");
  return { ...(match[1] ? { contentType: match[1] } : {}), ...(filename ? { filename } : {}), size: data.length, data };
}

export interface SignalSent {
  readonly recipient?: string;
  readonly groupId?: string;
  readonly message: string;
  readonly attachments: readonly SignalSentAttachment[];
  readonly timestamp: number;
  readonly atMs: number;
}

/** A `sendTyping` the fake received. */
export interface SignalTyping {
  readonly recipient?: string;
  readonly groupId?: string;
  readonly stop: boolean;
  readonly atMs: number;
}

/** A `sendReaction` the fake received. */
export interface SignalReaction {
  readonly recipient?: string;
  readonly groupId?: string;
  readonly emoji: string;
  readonly targetAuthor: string;
  readonly targetTimestamp: number;
  readonly remove: boolean;
  readonly atMs: number;
}

/** A `sendReceipt` call: who gets it, for which message timestamps, and which kind. */
export interface SignalReceipt {
  readonly recipient: string;
  readonly targetTimestamps: readonly number[];
  readonly type: "read" | "viewed";
  readonly atMs: number;
}

export function signalRpc(options: {
  readonly account: string;
  readonly multiAccount: boolean;
  /** Whether `account` is registered with a multi-account daemon (it can change). */
  readonly registered: () => boolean;
  readonly clock: SignalClock;
  readonly media: SignalMedia;
}) {
  const { account, multiAccount, clock, media } = options;
  const sent: SignalSent[] = [];
  const attempts: { chat: string; status: number; atMs: number }[] = [];
  const script = sendScript<{ status: number; retryAfterSeconds?: number; http?: boolean }>();
  const typing: SignalTyping[] = [];
  const reactions: SignalReaction[] = [];
  const receipts: SignalReceipt[] = [];

  /** Answers one JSON-RPC call. */
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      let call: { id?: unknown; method?: string; params?: Record<string, unknown> };
      try {
        call = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof call;
      } catch {
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null }));
        return;
      }
      const answer = (body: Record<string, unknown>) =>
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: call.id ?? null, ...body }));
      const params = call.params ?? {};
      if (call.method === "listAccounts") {
        // signal-cli serves it only without -a (JsonRpcMultiLocalCommand).
        if (!multiAccount) return answer({ error: { code: -32601, message: "Method not implemented" } });
        return answer({ result: options.registered() ? [{ number: account }] : [] });
      }
      if (multiAccount && params["account"] !== undefined && (!options.registered() || params["account"] !== account)) {
        return answer({ error: { code: -32602, message: "Specified account does not exist" } });
      }
      const target = {
        ...(Array.isArray(params["recipient"]) ? { recipient: String(params["recipient"][0]) } : {}),
        ...(typeof params["groupId"] === "string" ? { groupId: params["groupId"] } : {}),
      };
      if (call.method === "sendTyping") {
        typing.push({ ...target, stop: params["stop"] === true, atMs: Date.now() });
        return answer({ result: {} });
      }
      if (call.method === "sendReaction") {
        const { emoji, targetAuthor, targetTimestamp } = params;
        if (typeof emoji !== "string" || typeof targetAuthor !== "string" || typeof targetTimestamp !== "number") {
          return answer({ error: { code: -1, message: "sendReaction needs emoji, targetAuthor and targetTimestamp", data: null } });
        }
        reactions.push({ ...target, emoji, targetAuthor, targetTimestamp, remove: params["remove"] === true, atMs: Date.now() });
        return answer({ result: { timestamp: clock.tick(), results: [{ type: "SUCCESS" }] } });
      }
      if (call.method === "sendReceipt") {
        // signal-cli: `recipient` is one address, `targetTimestamp` a list, `type` read or viewed (default read).
        const { recipient, targetTimestamp } = params;
        const type = params["type"] ?? "read";
        const timestamps = Array.isArray(targetTimestamp) ? targetTimestamp : [targetTimestamp];
        if (typeof recipient !== "string" || timestamps.some((stamp) => typeof stamp !== "number") || (type !== "read" && type !== "viewed")) {
          return answer({ error: { code: -32602, message: "sendReceipt needs recipient, targetTimestamp and type read or viewed", data: null } });
        }
        receipts.push({ recipient, targetTimestamps: timestamps as number[], type, atMs: Date.now() });
        return answer({ result: { timestamp: clock.tick(), results: [{ type: "SUCCESS" }] } });
      }
      if (call.method === "getAttachment" || call.method === "getSticker") return answer(media.read(call.method, params));
      if (call.method !== "send") return answer({ error: { code: -32601, message: `Method not implemented: ${String(call.method)}` } });
      const recipient = Array.isArray(params["recipient"]) ? String(params["recipient"][0]) : undefined;
      const groupId = typeof params["groupId"] === "string" ? params["groupId"] : undefined;
      const chat = groupId ? `group:${groupId}` : (recipient ?? "");
      const loss = script.nextLoss();
      const failure = loss ? undefined : script.nextFailure();
      attempts.push({ chat, status: loss ? 0 : (failure?.status ?? 200), atMs: Date.now() });
      if (loss === "not-delivered") return request.socket.destroy();
      if (failure && (failure.http || failure.status >= 500)) {
        const headers = failure.status === 429 ? { "retry-after": String(failure.retryAfterSeconds ?? 1) } : undefined;
        return response.writeHead(failure.status, headers).end("refused by the fake");
      }
      if (failure?.status === 429) {
        const retryAfterSeconds = failure.retryAfterSeconds ?? 1;
        return answer({
          error: {
            code: -5,
            message: "Failed to send message due to rate limiting",
            data: { response: { timestamp: clock.now(), results: [{ recipientAddress: { number: chat }, type: "RATE_LIMIT_FAILURE", retryAfterSeconds }] } },
          },
        });
      }
      if (failure) return answer({ error: { code: -1, message: `Failed to send message: ${chat} is not a registered user`, data: null } });
      if (script.holding) await script.held();
      const timestamp = clock.tick();
      const attachments = Array.isArray(params["attachments"]) ? params["attachments"].map((entry) => decodeAttachment(String(entry))) : [];
      sent.push({
        ...(recipient ? { recipient } : {}),
        ...(groupId ? { groupId } : {}),
        message: String(params["message"] ?? ""),
        attachments,
        timestamp,
        atMs: Date.now(),
      });
      if (loss === "delivered") return request.socket.destroy();
      return answer({ result: { timestamp, results: [{ type: "SUCCESS" }] } });
    });
  };

  return {
    handle,
    sent,
    attempts,
    typing,
    reactions,
    receipts,
    failSends: script.controls.failSends,
    loseSends: script.controls.loseSends,
    holdSends: script.controls.holdSends,
    releaseHeld: script.controls.releaseHeld,
  };
}
