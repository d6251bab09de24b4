import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer } from "../src/server.js";
import { connectClient, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("handshake flood", () => {
  it("closes 5000 sockets that never send connect at the handshake timeout, while a real client gets in", { timeout: 120_000 }, async () => {
    const count = 5000;
    const timeoutMs = 3_000;
    server = await startGateway({ handshakeTimeoutMs: timeoutMs });
    const rssBefore = process.memoryUsage().rss;
    const closes: Promise<number>[] = [];
    const sockets: WebSocket[] = [];
    const opened: number[] = [];
    // Open in batches so the test's own client side does not become the bottleneck.
    for (let start = 0; start < count; start += 250) {
      const batch = Array.from({ length: Math.min(250, count - start) }, () => {
        const socket = new WebSocket(server!.url);
        sockets.push(socket);
        closes.push(new Promise((resolve) => socket.on("close", (code) => resolve(code))));
        socket.on("error", () => undefined);
        return new Promise<void>((resolve) => socket.on("open", () => (opened.push(Date.now()), resolve())));
      });
      await Promise.all(batch);
    }
    expect(server.connectionCount).toBe(count);

    // A legitimate client connects in the middle of the flood.
    const { client, hello } = await connectClient(server);
    expect(hello.ok).toBe(true);
    expect((await client.call("health", {})).ok).toBe(true);

    const codes = await Promise.all(closes);
    // Every idle socket was closed by the gateway, as the reference does it (1000, no reason); the test closes none.
    expect(new Set(codes)).toEqual(new Set([1000]));
    expect(Date.now() - opened[opened.length - 1]!).toBeGreaterThanOrEqual(timeoutMs - 500);
    // The server sees the last closes a moment after the clients do.
    for (let waited = 0; server.connectionCount > 1 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.connectionCount).toBe(1);
    // Bounded memory: the flood's sockets are released, not kept (generous bound: 40 KB per socket).
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(rssGrowth).toBeLessThan(count * 40_000);
    client.ws.close();
  });
});
