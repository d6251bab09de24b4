// The TCP echo child (run as `run.mjs --tcp-echo-server`); the raw ws baseline is baseline-server.mjs.
import net from "node:net";

/** A bare TCP echo in its own process, for the machine's cross-process loopback round trip. */
export function tcpEchoServer() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on("data", (data) => socket.write(data));
  });
  server.listen(Number(process.argv[process.argv.indexOf("--port") + 1]), "127.0.0.1", () => process.send?.("ready"));
  process.on("SIGTERM", () => process.exit(0));
}
