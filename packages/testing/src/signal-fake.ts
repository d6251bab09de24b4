/**
 * A fake signal-cli HTTP daemon (`signal-cli -a <account> daemon --http`) on a real HTTP server.
 *
 * Covered (man/signal-cli-jsonrpc.5): `GET /api/v1/check` (200 when up), `GET /api/v1/events`
 * (Server-Sent Events `event: receive` with ids; the last 1000 are kept; after `Last-Event-ID` the
 * events after it are replayed first, and all kept events when the id is unknown), `POST /api/v1/rpc`
 * (JSON-RPC 2.0: `send` with `recipient` or `groupId`, `message` and `attachments` (file paths or
 * `data:<mime>;filename=<name>;base64,<data>` URIs, decoded and recorded) → `{timestamp}`,
 * `sendTyping` (`stop`), `sendReaction` (`emoji`, `targetAuthor`, `targetTimestamp`, `remove`),
 * `sendReceipt` (`recipient`, `targetTimestamp` list, `type` read or viewed),
 * `listAccounts`, `getAttachment` (`id` plus `recipient` or `groupId` → `{data: <base64>}`, -1
 * "Could not find attachment with ID" when unknown) and `getSticker` (`packId`, `stickerId`);
 * unknown methods → -32601). Inbound attachments carry signal-cli's JSON (`contentType`,
 * `filename`, `id`, `size`, `width`, `height`, `caption`, `uploadTimestamp`), stickers
 * `{packId, stickerId}`, shared contacts `{name: {given, family, …}, phone: [{value, type}]}`. Like signal-cli, a single-account daemon (`-a <account>
 * daemon`, the default here) answers `listAccounts` with -32601 and only runs for a registered
 * account; a multi-account daemon (`multiAccount: true`) lists its registered accounts and answers
 * -32602 "Specified account does not exist" for any other. Refused sends look like signal-cli's: rate limiting is
 * error -5 with `RATE_LIMIT_FAILURE` results and `retryAfterSeconds`, other refusals are user
 * error -1, 5xx is an HTTP status; `http: true` answers any status (429 with Retry-After) at HTTP level.
 * Controls: push data messages (DM or group), sync copies of our own sends and malformed events,
 * drop the SSE streams, refuse or hold sends, cut the connection of a send after or before it was
 * delivered (`loseSends`), SSE connection counters. `writeSignalCliScript`
 * writes a fake `signal-cli` executable that serves this fake on the port it is given.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface SignalFakeOptions {
  /** Our account number. @default "+15550001111" */
  readonly account?: string;
  /** Listen on this port instead of an ephemeral one (the fake signal-cli uses it). */
  readonly port?: number;
  /** Serve like `signal-cli daemon` without `-a`: several accounts, `listAccounts` answers. @default false */
  readonly multiAccount?: boolean;
  /** Whether `account` is registered with this (multi-account) daemon. @default true */
  readonly registered?: boolean;
}

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

/** A file a fake sender attaches; `size` is what the envelope says (the real length unless given). */
export interface SignalFakeAttachment {
  readonly data: Uint8Array;
  readonly contentType: string;
  readonly filename?: string;
  readonly width?: number;
  readonly height?: number;
  readonly size?: number;
}

export async function startSignalFake(options: SignalFakeOptions = {}) {
  const account = options.account ?? "+15550001111";
  const history: { id: number; data: string }[] = [];
  const streams = new Set<ServerResponse>();
  const sent: SignalSent[] = [];
  const attempts: { chat: string; status: number; atMs: number }[] = [];
  const failures: { status: number; retryAfterSeconds?: number; http?: boolean }[] = [];
  const held: (() => void)[] = [];
  const losses: ("delivered" | "not-delivered")[] = [];
  const typing: SignalTyping[] = [];
  const reactions: SignalReaction[] = [];
  const receipts: SignalReceipt[] = [];
  /** The daemon's downloaded attachments by id, and stickers by `<packId>/<stickerId>`. */
  const attachmentFiles = new Map<string, Uint8Array>();
  const stickerFiles = new Map<string, Uint8Array>();
  /** Every getAttachment / getSticker call's params. */
  const mediaReads: { method: string; params: Record<string, unknown> }[] = [];
  const multiAccount = options.multiAccount ?? false;
  let registered = options.registered ?? true;
  let holding = false;
  let nextId = 1;
  let connections = 0;
  let maxConcurrent = 0;
  let clock = 1_700_000_000_000;

  const write = (stream: ServerResponse, entry: { id: number; data: string }) => stream.write(`event: receive\nid: ${entry.id}\ndata: ${entry.data}\n\n`);
  const publish = (data: string) => {
    const entry = { id: nextId++, data };
    history.push(entry);
    if (history.length > 1000) history.shift();
    for (const stream of streams) write(stream, entry);
    return entry.id;
  };

  let nextAttachment = 1;
  /** Keeps the file as signal-cli does after receiving it; returns its JSON in the envelope. */
  function storeAttachment(attachment: SignalFakeAttachment) {
    const extension = attachment.contentType.split("/")[1]?.split(/[;+]/)[0] ?? "bin";
    const id = `fakeAttachment${String(nextAttachment++).padStart(4, "0")}.${extension}`;
    attachmentFiles.set(id, attachment.data);
    return {
      contentType: attachment.contentType,
      filename: attachment.filename ?? null,
      id,
      size: attachment.size ?? attachment.data.byteLength,
      width: attachment.width ?? null,
      height: attachment.height ?? null,
      caption: null,
      uploadTimestamp: clock,
    };
  }
  function storeSticker(sticker: { packId: string; stickerId: number; data: Uint8Array }) {
    stickerFiles.set(`${sticker.packId}/${sticker.stickerId}`, sticker.data);
    return { packId: sticker.packId, stickerId: sticker.stickerId };
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.method === "GET" && url.pathname === "/api/v1/check") {
      response.writeHead(200).end();
      return;
    }
    if (request.method === "GET" && url.pathname === "/api/v1/events") {
      connections += 1;
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      response.flushHeaders();
      streams.add(response);
      maxConcurrent = Math.max(maxConcurrent, streams.size);
      request.on("close", () => streams.delete(response));
      const lastHeader = request.headers["last-event-id"];
      if (typeof lastHeader === "string") {
        const last = Number(lastHeader);
        const known = history.some((entry) => entry.id === last);
        for (const entry of history) if (!known || entry.id > last) write(response, entry);
      }
      return;
    }
    if (request.method === "POST" && url.pathname === "/api/v1/rpc") {
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
          return answer({ result: registered ? [{ number: account }] : [] });
        }
        if (multiAccount && params["account"] !== undefined && (!registered || params["account"] !== account)) {
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
          return answer({ result: { timestamp: (clock += 1), results: [{ type: "SUCCESS" }] } });
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
          return answer({ result: { timestamp: (clock += 1), results: [{ type: "SUCCESS" }] } });
        }
        if (call.method === "getAttachment" || call.method === "getSticker") {
          mediaReads.push({ method: call.method, params });
          if (call.method === "getAttachment") {
            const id = params["id"];
            const origins = ["recipient", "groupId"].filter((key) => typeof params[key] === "string");
            if (typeof id !== "string" || origins.length !== 1) {
              return answer({ error: { code: -32602, message: "getAttachment needs id and one of recipient or groupId" } });
            }
            const file = attachmentFiles.get(id);
            if (!file) return answer({ error: { code: -1, message: `Could not find attachment with ID: ${id}`, data: null } });
            return answer({ result: { data: Buffer.from(file).toString("base64") } });
          }
          const file = stickerFiles.get(`${String(params["packId"])}/${String(params["stickerId"])}`);
          if (!file) return answer({ error: { code: -1, message: `Could not find sticker with ID: ${String(params["stickerId"])}`, data: null } });
          return answer({ result: { data: Buffer.from(file).toString("base64") } });
        }
        if (call.method !== "send") return answer({ error: { code: -32601, message: `Method not implemented: ${String(call.method)}` } });
        const recipient = Array.isArray(params["recipient"]) ? String(params["recipient"][0]) : undefined;
        const groupId = typeof params["groupId"] === "string" ? params["groupId"] : undefined;
        const chat = groupId ? `group:${groupId}` : (recipient ?? "");
        const loss = losses.shift();
        const failure = loss ? undefined : failures.shift();
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
              data: { response: { timestamp: clock, results: [{ recipientAddress: { number: chat }, type: "RATE_LIMIT_FAILURE", retryAfterSeconds }] } },
            },
          });
        }
        if (failure) return answer({ error: { code: -1, message: `Failed to send message: ${chat} is not a registered user`, data: null } });
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        clock += 1;
        const attachments = Array.isArray(params["attachments"]) ? params["attachments"].map((entry) => decodeAttachment(String(entry))) : [];
        sent.push({
          ...(recipient ? { recipient } : {}),
          ...(groupId ? { groupId } : {}),
          message: String(params["message"] ?? ""),
          attachments,
          timestamp: clock,
          atMs: Date.now(),
        });
        if (loss === "delivered") return request.socket.destroy();
        return answer({ result: { timestamp: clock, results: [{ type: "SUCCESS" }] } });
      });
      return;
    }
    response.writeHead(404).end();
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    account,
    sent,
    attempts,
    typing,
    reactions,
    receipts,
    history,
    mediaReads,
    /** Registers or removes `account` on a multi-account daemon (a device unlinked from the phone). */
    setRegistered(value: boolean) {
      registered = value;
    },
    /** A data message from `from` (a DM), or in `groupId`; returns the event id and message timestamp. */
    message(input: {
      from: string;
      text: string;
      groupId?: string;
      timestamp?: number;
      fromSelf?: boolean;
      attachments?: readonly SignalFakeAttachment[];
      sticker?: { packId: string; stickerId: number; data: Uint8Array };
      /** Shared contact cards, as signal-cli writes them. */
      contacts?: readonly Record<string, unknown>[];
    }) {
      clock += 1;
      const timestamp = input.timestamp ?? clock;
      const envelope = input.fromSelf
        ? { source: account, sourceNumber: account, timestamp, syncMessage: { sentMessage: { destination: input.from, timestamp, message: input.text } } }
        : {
            source: input.from,
            sourceNumber: input.from,
            sourceUuid: `uuid-${input.from.replace(/\D/g, "")}`,
            sourceName: "Fake Sender",
            timestamp,
            dataMessage: {
              timestamp,
              message: input.text,
              ...(input.groupId ? { groupInfo: { groupId: input.groupId, type: "DELIVER" } } : {}),
              ...(input.attachments ? { attachments: input.attachments.map((attachment) => storeAttachment(attachment)) } : {}),
              ...(input.sticker ? { sticker: storeSticker(input.sticker) } : {}),
              ...(input.contacts ? { contacts: input.contacts } : {}),
            },
          };
      const eventId = publish(JSON.stringify({ envelope, account }));
      return { eventId, timestamp };
    },
    /** An event the adapter must reject without stopping. */
    malformed(data = "{not json") {
      return publish(data);
    },
    /** The same envelope again, as a new event (what a daemon replay looks like). */
    republish(eventId: number) {
      const entry = history.find((candidate) => candidate.id === eventId);
      if (!entry) throw new Error(`no event ${eventId}`);
      return publish(entry.data);
    },
    /** Refuse the next `count` sends (see the header for how); `http: true` answers with the bare HTTP status. */
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number; http?: boolean }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) {
        failures.push({
          status: failure.status,
          ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
          ...(failure.http ? { http: true } : {}),
        });
      }
    },
    /** The next `count` sends get no answer: the connection is cut after the message was sent (`delivered`) or before (`not-delivered`). */
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
    dropStreams() {
      for (const stream of streams) stream.destroy();
      streams.clear();
    },
    connectionsOpened: () => connections,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => streams.size,
    async close() {
      for (const release of held.splice(0)) release();
      for (const stream of streams) stream.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SignalFake = Awaited<ReturnType<typeof startSignalFake>>;

/**
 * Writes a fake `signal-cli` executable: run as `<script> -a <account> daemon --http 127.0.0.1:<port>`
 * it serves this fake on that port until killed. With `neverHealthy` it never listens. With
 * `unregistered` it does what signal-cli does for an account that is not registered (or whose
 * linked device was removed): prints "User <account> is not registered." and exits 1. The script
 * lives in its own temp dir; remove `dirname(path)` when done.
 */
export function writeSignalCliScript(options: { neverHealthy?: boolean; unregistered?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-signal-cli-"));
  const path = join(dir, "signal-cli");
  const module = fileURLToPath(import.meta.url.replace(/signal-fake\.(ts|js)$/, "index.js"));
  writeFileSync(
    path,
    `#!/usr/bin/env node
const args = process.argv.slice(2);
const account = args[args.indexOf("-a") + 1];
const http = args[args.indexOf("--http") + 1] ?? "";
const port = Number(http.split(":").pop());
if (args.indexOf("daemon") < 0 || !account || !port) { console.error("usage: signal-cli -a ACCOUNT daemon --http HOST:PORT"); process.exit(2); }
${options.unregistered ? 'console.error("User " + account + " is not registered."); process.exit(1);' : ""}
${options.neverHealthy ? "setInterval(() => {}, 1000);" : `import(${JSON.stringify(module)}).then(({ startSignalFake }) => startSignalFake({ account, port }));`}
process.on("SIGTERM", () => process.exit(0));
`,
  );
  chmodSync(path, 0o755);
  return path;
}
