/**
 * A fake `imsg` (the iMessage CLI) for Linux tests. `startImessageFake()` writes an executable
 * that behaves like `imsg rpc --json`: newline-delimited JSON-RPC 2.0 on stdin/stdout with
 * `watch.subscribe` (`{attachments, since_rowid}` → then `message` notifications), `send`
 * (`{chat_id|to, text}` → `{guid, rowid}`) and `chats.list`. The executable connects back to a
 * controller in the test process (a WebSocket on 127.0.0.1), which owns the "chat.db" rows, so a
 * test can push messages, see every send attempt, refuse or hold sends, make the child exit, and
 * split a multi-byte character across two writes. Each spawn counts as one connection.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";

export interface ImessageRow {
  readonly rowid: number;
  readonly guid: string;
  readonly chat_id: number;
  readonly text: string;
  readonly sender: string;
  readonly is_from_me: boolean;
  readonly is_group: boolean;
  readonly date: string;
}

export interface ImessageSent {
  readonly chatId: string;
  readonly text: string;
  readonly guid: string;
  readonly atMs: number;
}

type ToChild =
  | { type: "rows"; rows: ImessageRow[] }
  | { type: "exit"; code: number }
  | { type: "split" }
  | { type: "garble" }
  | { type: "history"; id: number | string; rows: ImessageRow[] }
  | { type: "sendResult"; id: number; result?: unknown; error?: { code: number; message: string } };
type FromChild =
  | { type: "hello"; pid: number }
  | { type: "subscribe"; since: number }
  | { type: "send"; id: number; params: Record<string, unknown> }
  | { type: "history"; id: number | string; chatId: number; limit: number };

export async function startImessageFake() {
  const rows: ImessageRow[] = [];
  const sent: ImessageSent[] = [];
  const attempts: { chatId: string; status: number; atMs: number }[] = [];
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  const held: (() => void)[] = [];
  const children = new Set<WebSocket>();
  const subscribed = new Set<WebSocket>();
  const subscriptions: number[] = [];
  let holding = false;
  let spawns = 0;
  let maxConcurrent = 0;
  let nextRowid = 100;

  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const controlUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const toChild = (socket: WebSocket, message: ToChild) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));

  wss.on("connection", (socket) => {
    spawns += 1;
    children.add(socket);
    maxConcurrent = Math.max(maxConcurrent, children.size);
    socket.on("close", () => {
      children.delete(socket);
      subscribed.delete(socket);
    });
    socket.on("message", async (raw) => {
      const message = JSON.parse(raw.toString()) as FromChild;
      if (message.type === "subscribe") {
        subscriptions.push(message.since);
        subscribed.add(socket);
        toChild(socket, { type: "rows", rows: rows.filter((row) => row.rowid > message.since) });
      } else if (message.type === "history") {
        const matching = rows.filter((row) => row.chat_id === message.chatId).slice(-message.limit);
        toChild(socket, { type: "history", id: message.id, rows: matching });
      } else if (message.type === "send") {
        const chatId = String(message.params["chat_id"] ?? message.params["to"] ?? "");
        const failure = failures.shift();
        attempts.push({ chatId, status: failure?.status ?? 200, atMs: Date.now() });
        if (failure) {
          const error =
            failure.status === 429
              ? { code: -32001, message: `rate limited: retry after ${failure.retryAfterSeconds ?? 1} seconds` }
              : failure.status >= 500
                ? { code: -32603, message: "Messages.app is not responding" }
                : { code: -32602, message: "unknown chat" };
          return toChild(socket, { type: "sendResult", id: message.id, error });
        }
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        nextRowid += 1;
        const guid = `SENT-${nextRowid}`;
        sent.push({ chatId, text: String(message.params["text"] ?? ""), guid, atMs: Date.now() });
        rows.push({ rowid: nextRowid, guid, chat_id: Number(chatId) || 0, text: String(message.params["text"] ?? ""), sender: "me", is_from_me: true, is_group: false, date: new Date().toISOString() });
        toChild(socket, { type: "sendResult", id: message.id, result: { guid, rowid: nextRowid } });
      }
    });
  });

  const dir = mkdtempSync(join(tmpdir(), "fake-imsg-"));
  const cliPath = join(dir, "imsg");
  const module = fileURLToPath(import.meta.url.replace(/imessage-fake\.(ts|js)$/, "index.js"));
  writeFileSync(cliPath, `#!${process.execPath}\nimport(${JSON.stringify(module)}).then((m) => m.runFakeImsgProcess(${JSON.stringify(controlUrl)}));\n`);
  chmodSync(cliPath, 0o755);

  const broadcast = (newRows: ImessageRow[]) => {
    for (const socket of subscribed) toChild(socket, { type: "rows", rows: newRows });
  };

  return {
    cliPath,
    rows,
    sent,
    attempts,
    subscriptions,
    /** A new incoming message in `chatId` from `sender`; returns its guid. */
    message(input: { chatId: number; sender: string; text: string; isGroup?: boolean; fromMe?: boolean; guid?: string; ageMs?: number }) {
      nextRowid += 1;
      const row: ImessageRow = {
        rowid: nextRowid,
        guid: input.guid ?? `GUID-${nextRowid}`,
        chat_id: input.chatId,
        text: input.text,
        sender: input.sender,
        is_from_me: input.fromMe ?? false,
        is_group: input.isGroup ?? false,
        date: new Date(Date.now() - (input.ageMs ?? 0)).toISOString(),
      };
      rows.push(row);
      broadcast([row]);
      return row;
    },
    /** Sends an existing row again as a live notification (a duplicate from the watcher). */
    redeliver(guid: string) {
      const row = rows.find((candidate) => candidate.guid === guid);
      if (!row) throw new Error(`no row ${guid}`);
      broadcast([row]);
    },
    /** The next notification is written in two pieces, cut inside a multi-byte character. */
    splitNextWrite() {
      for (const socket of children) toChild(socket, { type: "split" });
    },
    /** The next thing every child writes is a line that is not JSON. */
    garbleNextWrite() {
      for (const socket of children) toChild(socket, { type: "garble" });
    },
    /** Every running child exits with `code`. */
    exitChildren(code = 1) {
      for (const socket of children) toChild(socket, { type: "exit", code });
    },
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) failures.push({ status: failure.status, ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) });
    },
    holdSends(): () => void {
      holding = true;
      return () => {
        holding = false;
        for (const release of held.splice(0)) release();
      };
    },
    connectionsOpened: () => spawns,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => children.size,
    async close() {
      for (const release of held.splice(0)) release();
      for (const socket of children) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type ImessageFake = Awaited<ReturnType<typeof startImessageFake>>;

/** The body of the fake `imsg` executable (runs in the child process). */
export function runFakeImsgProcess(controlUrl: string): void {
  if (process.argv[2] !== "rpc") {
    process.stderr.write("usage: imsg rpc --json [--db PATH]\n");
    process.exit(2);
  }
  const control = new WebSocket(controlUrl);
  const queued: string[] = [];
  const report = (message: FromChild) => {
    const text = JSON.stringify(message);
    if (control.readyState === WebSocket.OPEN) control.send(text);
    else queued.push(text);
  };
  const pendingSends = new Map<number, number | string>();
  let split = false;
  let garble = false;
  let subscribed = false;
  let nextSend = 1;
  const write = (message: unknown) => {
    if (garble) {
      garble = false;
      process.stdout.write('{"jsonrpc":"2.0","method":"mess\u0000age", garbled\n');
    }
    const line = `${JSON.stringify(message)}\n`;
    if (!split) return void process.stdout.write(line);
    split = false;
    // Cut inside the first multi-byte character, as a pipe may deliver it.
    const bytes = Buffer.from(line);
    let cut = bytes.findIndex((byte) => byte >= 0x80) + 1;
    if (cut <= 0) cut = Math.floor(bytes.length / 2);
    process.stdout.write(bytes.subarray(0, cut));
    setTimeout(() => process.stdout.write(bytes.subarray(cut)), 20);
  };
  control.on("message", (raw) => {
    const message = JSON.parse(raw.toString()) as ToChild;
    if (message.type === "exit") process.exit(message.code);
    if (message.type === "split") split = true;
    if (message.type === "garble") garble = true;
    if (message.type === "history") write({ jsonrpc: "2.0", id: message.id, result: { messages: message.rows } });
    if (message.type === "rows" && subscribed) for (const row of message.rows) write({ jsonrpc: "2.0", method: "message", params: { message: row } });
    if (message.type === "sendResult") {
      const requestId = pendingSends.get(message.id);
      pendingSends.delete(message.id);
      write({ jsonrpc: "2.0", id: requestId, ...(message.error ? { error: message.error } : { result: message.result }) });
    }
  });
  control.on("close", () => process.exit(0));
  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim() === "") continue;
      const request = JSON.parse(line) as { id: number | string; method: string; params?: Record<string, unknown> };
      if (request.method === "watch.subscribe") {
        subscribed = true;
        write({ jsonrpc: "2.0", id: request.id, result: { subscribed: true } });
        report({ type: "subscribe", since: Number(request.params?.["since_rowid"] ?? 0) });
      } else if (request.method === "send") {
        const id = nextSend++;
        pendingSends.set(id, request.id);
        report({ type: "send", id, params: request.params ?? {} });
      } else if (request.method === "chats.list") {
        write({ jsonrpc: "2.0", id: request.id, result: { chats: [{ id: 1, identifier: "+15550000001", service: "iMessage" }] } });
      } else if (request.method === "messages.history") {
        report({ type: "history", id: request.id, chatId: Number(request.params?.["chat_id"] ?? 0), limit: Number(request.params?.["limit"] ?? 50) });
      } else {
        write({ jsonrpc: "2.0", id: request.id, error: { code: -32601, message: `unknown method ${request.method}` } });
      }
    }
  });
  process.stdin.on("end", () => process.exit(0));
  control.on("open", () => {
    control.send(JSON.stringify({ type: "hello", pid: process.pid }));
    for (const text of queued.splice(0)) control.send(text);
  });
}
