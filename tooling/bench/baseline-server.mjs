#!/usr/bin/env node
// The raw `ws` baseline: a bare Node process that opens a ws server and nothing else, so its
// start-up and idle RSS are what any Node ws server pays. `node baseline-server.mjs --port P`.
//
// Every request is answered with {type:"res",id,ok:true,payload:{ok:true}}, padded with a `pad`
// string to params.replyBytes bytes when a request asks (to answer as many bytes as the gateway's
// `health` does); method "fanout" first sends params.frame to every open socket, encoded once. A
// socket opened on the path /challenge first gets a `connect.challenge` event, as our gateway sends,
// so a client that waits for it before `connect` pays the same round trips as against the gateway.
// GET on any path answers 200.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../packages/gateway-core/package.json", import.meta.url));
const { WebSocketServer } = require("ws");

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const server = http.createServer((_req, res) => res.end("ok"));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on("connection", (ws, request) => {
  if (request.url === "/challenge") {
    ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: randomUUID(), ts: Date.now() } }));
  }
  ws.on("message", (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (frame.method === "fanout") {
      const text = typeof frame.params?.frame === "string" ? frame.params.frame : JSON.stringify(frame.params?.frame ?? {});
      // Encoded once; ws frames the same bytes for every socket (as text) without copying them.
      const bytes = Buffer.from(text);
      for (const client of wss.clients) client.send(bytes, { binary: false });
    }
    ws.send(answer(frame));
  });
});
server.listen(port, "127.0.0.1");

function answer(frame) {
  const text = JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true } });
  const wanted = frame.params?.replyBytes;
  if (!Number.isInteger(wanted)) return text;
  const padded = JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true, pad: "" } });
  return JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true, pad: "x".repeat(Math.max(0, wanted - padded.length)) } });
}
process.on("SIGTERM", () => process.exit(0));
