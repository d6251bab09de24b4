/**
 * A fake `imsg` (steipete/imsg, the iMessage CLI) for Linux tests.
 *
 * `startImessageFake()` writes an executable (a Node script) that behaves like `imsg rpc --json`:
 * newline-delimited JSON-RPC 2.0 on stdin/stdout with the shapes the real `RPCServer` uses:
 * - `watch.subscribe` `{attachments, since_rowid}` → `{subscription}`, then notifications
 *   `{"method":"message","params":{"subscription","message":{id, chat_id, guid, sender, is_from_me,
 *   text, created_at, attachments, chat_identifier, chat_guid, chat_name, participants, is_group}}}`.
 *   Like the real watcher, a missing or 0 `since_rowid` starts at the newest row (nothing replayed);
 *   otherwise every row after it is sent first. Our own sends show up as `is_from_me` rows.
 *   Attachments are in the payload only when the subscription asked for them (`attachments: true`);
 *   `imsgAttachment(path, …)` describes a file the test wrote as imsg describes a chat.db attachment.
 * - `send` `{chat_id|to, text?, file?}` → `{ok: true, id, guid}`; errors are JSON-RPC errors with imsg's codes
 *   (-32602 "Invalid params" for an unknown chat or neither text nor file, -32603 "Internal error",
 *   -32000 "Server busy"). A `file` is read when the send arrives (Messages sends what is there then)
 *   and recorded with its bytes; a file that is not there fails as AppleScript does, -32603.
 * - `chats.list` `{limit}` (newest first) and `messages.history` `{chat_id, limit}` (newest first).
 *
 * The executable connects back to a controller in the test process (a WebSocket on 127.0.0.1 whose
 * address is baked into the script). The controller owns the "chat.db" rows, so a test can push
 * messages, read every send attempt, refuse or hold sends, make children exit, crash or close their
 * stdin (EPIPE on the parent's next write), write garbage, and split a multi-byte character across
 * two writes. Each spawn counts as one connection; `openConnections` is the number of live children.
 * The database starts with one old conversation, as a real chat.db does. With `denyDatabaseAccess`,
 * a new child fails as imsg does without Full Disk Access: the permission error on stderr, exit 1,
 * before answering anything.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { readSentFile, type ImessageAttachment } from "./imessage-fake-attachments.js";

export { imsgAttachment, type ImessageAttachment } from "./imessage-fake-attachments.js";

/** Whether a process runs (a child of unknown pid counts as running). */
function processAlive(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
/** One row of the fake chat.db, in imsg's `message` payload shape. */
export interface ImessageRow {
  readonly id: number;
  readonly chat_id: number;
  readonly guid: string;
  readonly sender: string;
  readonly is_from_me: boolean;
  readonly text: string;
  readonly created_at: string;
  readonly attachments: readonly ImessageAttachment[];
  readonly chat_identifier: string;
  readonly chat_guid: string;
  readonly chat_name: string;
  readonly participants: readonly string[];
  readonly is_group: boolean;
  readonly reply_to_guid?: string;
}

export interface ImessageSent {
  readonly chatId: string;
  readonly text: string;
  readonly guid: string;
  readonly atMs: number;
  /** The `file` path imsg was given, and the bytes that were there when it sent. */
  readonly file?: string;
  readonly fileBytes?: Uint8Array;
}

export type RpcError = { code: number; message: string; data?: string };
export type ToChild =
  | { type: "rows"; rows: ImessageRow[] }
  | { type: "answer"; id: number | string; result?: unknown; error?: RpcError }
  | { type: "exit"; code: number }
  | { type: "crash" }
  | { type: "closeStdin" }
  | { type: "split" }
  | { type: "garble" }
  | { type: "denyDatabase"; path: string };
export type FromChild =
  | { type: "subscribe"; id: number | string; since: number | undefined; attachments: boolean }
  | { type: "send"; id: number | string; params: Record<string, unknown> }
  | { type: "chats"; id: number | string; limit: number }
  | { type: "history"; id: number | string; chatId: number; limit: number };

const SEED_ROWID = 100;

export async function startImessageFake() {
  const rows: ImessageRow[] = [];
  const sent: ImessageSent[] = [];
  const attempts: { chatId: string; status: number; atMs: number }[] = [];
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  const held: (() => void)[] = [];
  const children = new Set<WebSocket>();
  const pids = new Map<WebSocket, number>();
  /** Live subscriptions, and whether each asked for attachments. */
  const subscribed = new Map<WebSocket, boolean>();
  /** `since_rowid` of every watch.subscribe, in order (`undefined` when none was given). */
  const subscriptions: (number | undefined)[] = [];
  let holding = false;
  let spawns = 0;
  let maxConcurrent = 0;
  let nextRowid = SEED_ROWID;
  let nextSubscription = 1;
  let databaseDenied = false;
  let exitOnSpawn: number | undefined;

  const chatGuid = (chatId: number, isGroup: boolean, handle: string) => (isGroup ? `iMessage;+;chat${chatId}` : `iMessage;-;${handle}`);
  const makeRow = (input: {
    chatId: number;
    sender: string;
    text: string;
    isGroup?: boolean;
    fromMe?: boolean;
    guid?: string;
    ageMs?: number;
    attachments?: ImessageAttachment[];
    replyToGuid?: string;
  }): ImessageRow => {
    nextRowid += 1;
    const isGroup = input.isGroup ?? false;
    const handle = input.fromMe ? (rows.find((row) => row.chat_id === input.chatId)?.chat_identifier ?? `chat${input.chatId}`) : input.sender;
    return {
      id: nextRowid,
      chat_id: input.chatId,
      guid: input.guid ?? `GUID-${nextRowid}`,
      sender: input.fromMe ? "" : input.sender,
      is_from_me: input.fromMe ?? false,
      text: input.text,
      created_at: new Date(Date.now() - (input.ageMs ?? 0)).toISOString(),
      attachments: input.attachments ?? [],
      chat_identifier: isGroup ? `chat${input.chatId}` : handle,
      chat_guid: chatGuid(input.chatId, isGroup, handle),
      chat_name: isGroup ? `Group ${input.chatId}` : "",
      participants: isGroup ? [input.sender] : [handle],
      is_group: isGroup,
      ...(input.replyToGuid ? { reply_to_guid: input.replyToGuid } : {}),
    };
  };
  rows.push({ ...makeRow({ chatId: 1, sender: "+15550000001", text: "an old conversation", ageMs: 86_400_000 }), id: SEED_ROWID, guid: "GUID-SEED" });
  nextRowid = SEED_ROWID;

  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const controlUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const toChild = (socket: WebSocket, message: ToChild) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const shown = (list: ImessageRow[], attachments: boolean) => (attachments ? list : list.map((row) => ({ ...row, attachments: [] })));
  const broadcast = (newRows: ImessageRow[]) => {
    for (const [socket, attachments] of subscribed) toChild(socket, { type: "rows", rows: shown(newRows, attachments) });
  };

  const refusal = (failure: { status: number; retryAfterSeconds?: number }, chatId: string): RpcError => {
    if (failure.status === 429)
      return { code: -32000, message: "Server busy", data: `outstanding request limit exceeded; retry after ${failure.retryAfterSeconds ?? 1} s` };
    if (failure.status >= 500) return { code: -32603, message: "Internal error", data: "AppleScript failed: Messages got an error: Connection invalid" };
    return { code: -32602, message: "Invalid params", data: `unknown chat_id ${chatId}` };
  };

  const handleSend = async (socket: WebSocket, message: Extract<FromChild, { type: "send" }>) => {
    const { params } = message;
    const chatNumber = Number(params["chat_id"]);
    const to = typeof params["to"] === "string" ? params["to"] : undefined;
    const chatId = Number.isInteger(chatNumber) && chatNumber > 0 ? chatNumber : (rows.find((row) => row.chat_identifier === to)?.chat_id ?? 0);
    const label = String(params["chat_id"] ?? to ?? "");
    const failure = failures.shift();
    attempts.push({ chatId: label, status: failure?.status ?? 200, atMs: Date.now() });
    if (failure) return toChild(socket, { type: "answer", id: message.id, error: refusal(failure, label) });
    const text = typeof params["text"] === "string" ? params["text"] : "";
    const file = typeof params["file"] === "string" ? params["file"] : "";
    if (text === "" && file === "")
      return toChild(socket, { type: "answer", id: message.id, error: { code: -32602, message: "Invalid params", data: "text or file is required" } });
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    const read = file === "" ? undefined : readSentFile(file);
    const known = rows.find((row) => row.chat_id === chatId);
    const mine = (rowText: string) =>
      makeRow({ chatId: chatId || 9_000 + rows.length, sender: "", text: rowText, fromMe: true, isGroup: known?.is_group ?? false });
    // imsg's AppleScript sends the text, then the file: the text lands even when the file fails.
    const textRow = text === "" ? undefined : mine(text);
    if (textRow) rows.push(textRow);
    if (read && "error" in read) {
      if (textRow) broadcast([textRow]);
      return toChild(socket, { type: "answer", id: message.id, error: { code: -32603, message: "Internal error", data: read.error } });
    }
    const fileRow = read ? mine("\ufffc") : undefined;
    if (fileRow) rows.push(fileRow);
    const last = (fileRow ?? textRow)!;
    sent.push({ chatId: label, text, guid: last.guid, atMs: Date.now(), ...(read ? { file, fileBytes: read.data } : {}) });
    toChild(socket, { type: "answer", id: message.id, result: { ok: true, id: last.id, guid: last.guid } });
    broadcast([textRow, fileRow].filter((row): row is ImessageRow => row !== undefined));
  };

  wss.on("connection", (socket, request) => {
    spawns += 1;
    children.add(socket);
    const pid = Number(new URL(request.url ?? "/", "ws://fake").searchParams.get("pid"));
    if (Number.isInteger(pid) && pid > 0) pids.set(socket, pid);
    // A child that has exited can still be in `children` for a moment: its socket's close may reach
    // us after the next child connected. Only children whose process is alive run at the same time.
    maxConcurrent = Math.max(maxConcurrent, [...children].filter((child) => processAlive(pids.get(child))).length);
    socket.on("close", () => {
      children.delete(socket);
      pids.delete(socket);
      subscribed.delete(socket);
    });
    if (databaseDenied) {
      // imsg opens chat.db before serving anything; nothing this child was asked gets an answer.
      toChild(socket, { type: "denyDatabase", path: "/Users/me/Library/Messages/chat.db" });
      return;
    }
    if (exitOnSpawn !== undefined) {
      toChild(socket, { type: "exit", code: exitOnSpawn });
      return;
    }
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString()) as FromChild;
      if (message.type === "subscribe") {
        subscriptions.push(message.since);
        toChild(socket, { type: "answer", id: message.id, result: { subscription: nextSubscription++ } });
        const since = message.since ?? 0;
        if (since > 0)
          toChild(socket, {
            type: "rows",
            rows: shown(
              rows.filter((row) => row.id > since),
              message.attachments,
            ),
          });
        subscribed.set(socket, message.attachments);
      } else if (message.type === "chats") {
        const latest = new Map<number, ImessageRow>();
        for (const row of rows) latest.set(row.chat_id, row);
        const chats = [...latest.values()]
          .sort((a, b) => b.id - a.id)
          .slice(0, message.limit)
          .map((row) => ({
            id: row.chat_id,
            identifier: row.chat_identifier,
            guid: row.chat_guid,
            name: row.chat_name,
            service: "iMessage",
            last_message_at: row.created_at,
            participants: row.participants,
            is_group: row.is_group,
          }));
        toChild(socket, { type: "answer", id: message.id, result: { chats } });
      } else if (message.type === "history") {
        const messages = rows
          .filter((row) => row.chat_id === message.chatId)
          .slice(-message.limit)
          .reverse();
        toChild(socket, { type: "answer", id: message.id, result: { messages } });
      } else if (message.type === "send") {
        void handleSend(socket, message);
      }
    });
  });

  const dir = mkdtempSync(join(tmpdir(), "fake-imsg-"));
  const cliPath = join(dir, "imsg");
  const module = fileURLToPath(import.meta.url.replace(/imessage-fake\.(ts|js)$/, "index.js"));
  writeFileSync(cliPath, `#!/usr/bin/env node\nimport(${JSON.stringify(module)}).then((m) => m.runFakeImsgProcess(${JSON.stringify(controlUrl)}));\n`);
  chmodSync(cliPath, 0o755);

  const everyChild = (message: ToChild) => {
    for (const socket of children) toChild(socket, message);
  };

  return {
    cliPath,
    rows,
    sent,
    attempts,
    subscriptions,
    /** A new incoming message in `chatId` from `sender`, delivered to every live subscription. */
    message(input: {
      chatId: number;
      sender: string;
      text: string;
      isGroup?: boolean;
      fromMe?: boolean;
      guid?: string;
      ageMs?: number;
      attachments?: ImessageAttachment[];
      replyToGuid?: string;
    }): ImessageRow {
      const row = makeRow(input);
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
    /** The next line every child writes is cut inside a multi-byte character, in two writes. */
    splitNextWrite: () => everyChild({ type: "split" }),
    /** The next thing every child writes is preceded by a line that is not JSON. */
    garbleNextWrite: () => everyChild({ type: "garble" }),
    /** Every running child exits with `code`. */
    exitChildren: (code = 1) => everyChild({ type: "exit", code }),
    /** Every running child dies of SIGKILL, mid-whatever. */
    crashChildren: () => everyChild({ type: "crash" }),
    /** New children exit with `code` before answering anything, until called with `false`. */
    exitNewChildren(code: number | false) {
      exitOnSpawn = code === false ? undefined : code;
    },
    /** New children cannot open chat.db (no Full Disk Access) and exit with imsg's permission error. */
    denyDatabaseAccess(denied = true) {
      databaseDenied = denied;
    },
    /** Every running child closes its stdin but keeps running: the parent's next write gets EPIPE. */
    closeChildStdin: () => everyChild({ type: "closeStdin" }),
    /** Refuse the next `count` sends: 429 → "Server busy", 5xx → "Internal error", other → "Invalid params". */
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1)
        failures.push({ status: failure.status, ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) });
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
      // A child whose controller goes away exits by itself.
      for (const socket of children) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ImessageFake = Awaited<ReturnType<typeof startImessageFake>>;
