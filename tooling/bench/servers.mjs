// The child servers the bench measures against, each run as `run.mjs --<name>` in its own process.
import http from "node:http";
import net from "node:net";
import { WebSocketServer } from "./common.mjs";

// The raw ws baseline server. It answers every request with
// {type:"res",id,ok:true,payload:{ok:true}}; method "fanout" first sends params.frame to every
// open socket (the baseline for the event fan-out figure). GET on any path answers 200.
export function baselineServer() {
  const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
  const server = http.createServer((_req, res) => res.end("ok"));
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (frame.method === "fanout") {
        const text = typeof frame.params?.frame === "string" ? frame.params.frame : JSON.stringify(frame.params?.frame ?? {});
        for (const client of wss.clients) client.send(text);
      }
      ws.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true } }));
    });
  });
  server.listen(port, "127.0.0.1");
  process.on("SIGTERM", () => process.exit(0));
}

/** A bare TCP echo in its own process, for the machine's cross-process loopback round trip. */
export function tcpEchoServer() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on("data", (data) => socket.write(data));
  });
  server.listen(Number(process.argv[process.argv.indexOf("--port") + 1]), "127.0.0.1", () => process.send?.("ready"));
  process.on("SIGTERM", () => process.exit(0));
}
