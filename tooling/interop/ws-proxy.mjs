// A logging WebSocket proxy for the interop runners that put a real OpenClaw client (the node
// host, the TUI) between themselves and a gateway: every frame is forwarded both ways and
// recorded, so a runner can check what the client sent and what the gateway answered.
//
// Plain Node ESM on Node 20. `ws` is not hoisted to the repo root, so it is resolved through
// packages/gateway-core (a dependency there).
import { appendFile } from "node:fs/promises";
import { createRequire } from "node:module";

import { parseJson } from "./lib.mjs";

/** The `ws` module, or undefined when it cannot be resolved (run pnpm install). */
export function loadWs() {
  const bases = [import.meta.url, new URL("../../packages/gateway-core/package.json", import.meta.url)];
  for (const base of bases) {
    try {
      return createRequire(base)("ws");
    } catch {
      // try the next place
    }
  }
  return undefined;
}

export const WS_UNAVAILABLE = "cannot resolve the `ws` package (looked next to tooling/interop and in packages/gateway-core); run pnpm install";

/**
 * A WebSocket proxy on a free loopback port that forwards every frame both ways to `upstream`
 * and records it (in memory as `frames`, and as text lines in `logPath`, passed through `redact`).
 * Each entry is `{ conn, dir: "->" (to the gateway) | "<-" | "--", at, text, frame }`; `at` is
 * when the proxy received it.
 *
 * `delayToClient(frame)`, when given, is asked about each gateway frame just before it would
 * go to the client and returns how many ms to hold it first; later frames of that connection
 * queue behind it, so the order never changes.
 */
export async function startProxy(WebSocket, upstream, logPath, redact, { delayToClient } = {}) {
  const frames = [];
  const started = Date.now();
  // One append at a time, so the file keeps the order the frames passed in.
  let written = Promise.resolve();
  const record = (conn, dir, text) => {
    const entry = { conn, dir, at: Date.now() - started, text, frame: parseJson(text) };
    frames.push(entry);
    const line = `${(entry.at / 1000).toFixed(2)} #${conn} ${dir} ${redact(text)}\n`;
    written = written.then(() => appendFile(logPath, line).catch(() => {}));
    return entry;
  };
  const wss = new WebSocket.WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  let connections = 0;
  const sockets = new Set();
  const timers = new Set();
  wss.on("connection", (down, req) => {
    const conn = ++connections;
    record(conn, "--", `open ${req.url ?? "/"}`);
    const up = new WebSocket(new URL(req.url ?? "/", upstream).href, { perMessageDeflate: false });
    sockets.add(down).add(up);
    const pending = [];
    up.on("open", () => {
      for (const text of pending.splice(0)) up.send(text);
    });
    down.on("message", (data) => {
      const text = data.toString("utf8");
      record(conn, "->", text);
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else pending.push(text);
    });
    // Gateway frames (and its close) on their way to the client, in order.
    const toClient = [];
    const pump = () => {
      while (toClient.length > 0) {
        const next = toClient[0];
        next.due ??= Date.now() + (next.frame ? (delayToClient?.(next.frame) ?? 0) : 0);
        const wait = next.due - Date.now();
        if (wait > 0) {
          if (!next.timer) {
            next.timer = setTimeout(() => (timers.delete(next.timer), (next.timer = undefined), pump()), wait);
            timers.add(next.timer);
          }
          return;
        }
        toClient.shift();
        next.deliver();
      }
    };
    up.on("message", (data) => {
      const text = data.toString("utf8");
      const { frame } = record(conn, "<-", text);
      toClient.push({ frame, deliver: () => down.readyState === WebSocket.OPEN && down.send(text) });
      pump();
    });
    // Mirror closes; 1005/1006 cannot be sent, so they become 1000 / a terminate.
    const mirror = (to, dir) => (code, reason) => {
      record(conn, dir, `close ${code} ${JSON.stringify(reason.toString("utf8"))}`);
      if (to.readyState === WebSocket.OPEN || to.readyState === WebSocket.CONNECTING) {
        if (code === 1005 || code === 1006 || code === 1004 || code === 1015) to.close(1000);
        else to.close(code, reason);
      }
    };
    down.on("close", mirror(up, "->"));
    const closeDown = mirror(down, "<-");
    up.on("close", (code, reason) => {
      toClient.push({ deliver: () => closeDown(code, reason) });
      pump();
    });
    up.on("error", (error) => {
      record(conn, "<-", `upstream error ${error.message}`);
      down.terminate();
    });
    down.on("error", () => {});
  });
  return {
    port: wss.address().port,
    frames,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
      await written;
    },
  };
}

/**
 * The requests clients sent through the proxy, each with the gateway's answer (`res`, or
 * undefined when none came): `[{ conn, at, method, params, res }]`, in the order sent.
 */
export function requestsWithAnswers(frames) {
  const answers = new Map();
  for (const entry of frames) {
    if (entry.dir === "<-" && entry.frame?.type === "res") answers.set(`${entry.conn}:${entry.frame.id}`, entry.frame);
  }
  return frames
    .filter((entry) => entry.dir === "->" && entry.frame?.type === "req")
    .map((entry) => ({
      conn: entry.conn,
      at: entry.at,
      method: entry.frame.method,
      params: entry.frame.params,
      res: answers.get(`${entry.conn}:${entry.frame.id}`),
    }));
}
