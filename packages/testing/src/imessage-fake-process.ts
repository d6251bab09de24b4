/**
 * The child side of the fake `imsg`: speaks `imsg rpc --json` on stdin/stdout and relays every
 * request to the controller in the test process (see imessage-fake.ts).
 */
import { WebSocket } from "ws";
import { closeSync } from "node:fs";
import type { FromChild, RpcError, ToChild } from "./imessage-fake.js";

/** The body of the fake `imsg` executable (runs in the child process). */
export function runFakeImsgProcess(controlUrl: string): void {
  if (process.argv[2] !== "rpc" || !process.argv.includes("--json")) {
    process.stderr.write("usage: imsg rpc --json [--db PATH]\n");
    process.exit(2);
  }
  // The pid lets the controller tell a live child from one whose close has not reached it yet.
  const control = new WebSocket(`${controlUrl}/?pid=${process.pid}`);
  const queued: string[] = [];
  const report = (message: FromChild) => {
    const text = JSON.stringify(message);
    if (control.readyState === WebSocket.OPEN) control.send(text);
    else queued.push(text);
  };
  let split = false;
  let garble = false;
  let subscription: number | undefined;
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
  const fail = (id: unknown, error: RpcError) => write({ jsonrpc: "2.0", id: id ?? null, error });

  control.on("message", (raw) => {
    const message = JSON.parse(raw.toString()) as ToChild;
    if (message.type === "exit") process.exit(message.code);
    if (message.type === "crash") process.kill(process.pid, "SIGKILL");
    if (message.type === "closeStdin") {
      // Node keeps fd 0 open behind a destroyed stdin; close it so the parent's next write gets EPIPE.
      process.stdin.destroy();
      closeSync(0);
    }
    if (message.type === "denyDatabase") {
      // The shape of IMsgError.permissionDenied as imsg prints it.
      process.stderr.write(
        `authorization denied (code: 23)\n\n⚠️  Permission Error: Cannot access Messages database\n\nThe Messages database at ${message.path} requires Full Disk Access permission.\n\nTo fix:\n1. Open System Settings → Privacy & Security → Full Disk Access\n`,
        () => process.exit(1),
      );
      return;
    }
    if (message.type === "split") split = true;
    if (message.type === "garble") garble = true;
    if (message.type === "answer") {
      if (message.error) fail(message.id, message.error);
      else {
        if ((message.result as { subscription?: number } | undefined)?.subscription !== undefined)
          subscription = (message.result as { subscription: number }).subscription;
        write({ jsonrpc: "2.0", id: message.id, result: message.result });
      }
    }
    if (message.type === "rows" && subscription !== undefined)
      for (const row of message.rows) write({ jsonrpc: "2.0", method: "message", params: { subscription, message: row } });
  });
  control.on("close", () => process.exit(0));
  control.on("error", () => process.exit(1));

  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line === "") continue;
      let request: { jsonrpc?: unknown; id?: number | string; method?: unknown; params?: Record<string, unknown> };
      try {
        request = JSON.parse(line) as typeof request;
      } catch (error) {
        fail(null, { code: -32700, message: "Parse error", data: String(error) });
        continue;
      }
      if (request.jsonrpc !== undefined && request.jsonrpc !== "2.0") {
        fail(request.id, { code: -32600, message: "Invalid Request", data: "jsonrpc must be 2.0" });
        continue;
      }
      const id = request.id ?? "";
      const params = request.params ?? {};
      if (request.method === "watch.subscribe") {
        const since = Number(params["since_rowid"] ?? 0);
        report({ type: "subscribe", id, since: params["since_rowid"] === undefined ? undefined : since, attachments: params["attachments"] === true });
      } else if (request.method === "send") {
        report({ type: "send", id, params });
      } else if (request.method === "chats.list") {
        report({ type: "chats", id, limit: Math.max(1, Number(params["limit"] ?? 20)) });
      } else if (request.method === "messages.history") {
        if (params["chat_id"] === undefined) fail(id, { code: -32602, message: "Invalid params", data: "chat_id is required" });
        else report({ type: "history", id, chatId: Number(params["chat_id"]), limit: Math.max(1, Number(params["limit"] ?? 50)) });
      } else {
        fail(id, { code: -32601, message: "Method not found", data: String(request.method) });
      }
    }
  });
  process.stdin.on("end", () => process.exit(0));
  control.on("open", () => {
    for (const text of queued.splice(0)) control.send(text);
  });
}
