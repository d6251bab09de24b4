import { afterEach, describe, expect, it, vi } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { GatewaySocket } from "../src/transport/gateway-socket.js";
import { RawClient, connectClient, connectParams, createDevice, signConnect, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

async function ui(gateway: GatewayServer, scopes: string[] = ["operator.read"]) {
  const device = createDevice();
  const { client, hello } = await connectClient(gateway, (nonce) =>
    signConnect(
      device,
      connectParams({ client: { id: "openclaw-tui", version: "1", platform: "linux", mode: "ui", instanceId: device.id.slice(0, 8) }, scopes }),
      nonce,
    ),
  );
  expect(hello.ok).toBe(true);
  clients.push(client);
  return { client, hello, device };
}

describe("events", () => {
  it("ticks every policy.tickIntervalMs with per-connection seq", async () => {
    server = await startGateway({ policy: { tickIntervalMs: 40 } });
    const { client, hello } = await connectClient(server);
    clients.push(client);
    expect(hello.payload.policy.tickIntervalMs).toBe(40);
    const first = await client.event("tick");
    const second = await client.event("tick");
    expect(second.seq).toBe(first.seq! + 1);
    expect(second.payload.ts).toBeGreaterThanOrEqual(first.payload.ts);
  });

  it("broadcasts presence with stateVersion on connect and disconnect", async () => {
    server = await startGateway();
    const watcher = await ui(server);
    const joined = await watcher.client.event("presence");
    const own = joined.payload.presence.find((entry: { deviceId?: string }) => entry.deviceId === watcher.device.id);
    expect(own).toMatchObject({ mode: "ui", reason: "connect", roles: ["operator"] });
    expect(joined.stateVersion).toEqual({ presence: 2, health: 1 });
    expect(joined.seq).toBe(1);

    const other = await ui(server);
    const second = await watcher.client.event("presence");
    expect(second.payload.presence).toHaveLength(3);
    expect(second.seq).toBe(2);
    other.client.close();
    const left = await watcher.client.event("presence");
    expect(left.payload.presence).toHaveLength(2);
    expect(left.stateVersion!.presence).toBe(4);
  });

  it("does not add CLI clients to presence", async () => {
    server = await startGateway();
    const { client } = await connectClient(server);
    clients.push(client);
    const presence = await client.call("system-presence");
    expect(presence.payload).toHaveLength(1);
    expect(presence.payload[0]).toMatchObject({ mode: "gateway", reason: "self" });
  });

  it("sends scoped events only to connections holding the scope", async () => {
    server = await startGateway();
    const pairing = await ui(server, ["operator.pairing"]);
    const reader = await ui(server, ["operator.read"]);
    server.bus.broadcast("device.pair.requested", { requestId: "r", deviceId: "d", publicKey: "k", ts: 1 });
    server.bus.broadcast("tick", { ts: 1 });
    expect((await pairing.client.event("device.pair.requested")).payload.requestId).toBe("r");
    await reader.client.event("tick");
    expect(reader.client.frames.some((frame) => frame.event === "device.pair.requested")).toBe(false);
  });

  it("a broadcast reaches each client as a text frame with the payload's multi-byte text intact and its own seq", async () => {
    server = await startGateway();
    const first = await ui(server);
    const second = await ui(server);
    await first.client.event("presence");
    const kinds: boolean[] = [];
    first.client.ws.on("message", (_data, isBinary) => kinds.push(isBinary));
    const text = "héllo wörld, 你好, 🦞 ".repeat(400);
    server.bus.broadcast("tick", { ts: 7, text } as never);
    const got = await first.client.event("tick");
    const other = await second.client.event("tick");
    expect(got.payload).toEqual({ ts: 7, text });
    expect(other.payload).toEqual({ ts: 7, text });
    expect(kinds).toContain(false);
    expect(kinds).not.toContain(true);
    expect(got.seq).toBeGreaterThan(0);
    server.bus.broadcast("tick", { ts: 8 });
    expect((await first.client.event("tick")).seq).toBe(got.seq! + 1);
  });

  it("a broadcast writes the shared bytes to each socket without a copy per recipient", async () => {
    server = await startGateway();
    const first = await ui(server);
    const second = await ui(server);
    await first.client.event("presence");
    const parts = vi.spyOn(GatewaySocket.prototype, "sendTextInParts");
    const concat = vi.spyOn(Buffer, "concat");
    try {
      expect(server.bus.broadcast("tick", { ts: 9 })).toBe(2);
      expect(parts.mock.results.map((result) => result.value)).toEqual([true, true]);
      expect(parts.mock.calls[0]![0]).toBe(parts.mock.calls[1]![0]); // the same bytes, not copies
      expect(concat).not.toHaveBeenCalled();
    } finally {
      parts.mockRestore();
      concat.mockRestore();
    }
    expect((await first.client.event("tick")).payload).toEqual({ ts: 9 });
    expect((await second.client.event("tick")).payload).toEqual({ ts: 9 });
  });

  it("system-event updates presence and is broadcast", async () => {
    server = await startGateway();
    const watcher = await ui(server);
    await watcher.client.event("presence");
    const { client: admin } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"] }));
    clients.push(admin);
    expect((await admin.call("system-event", { text: "hello", instanceId: "box-1", host: "box" })).payload).toEqual({ ok: true });
    const update = await watcher.client.event("presence");
    expect(update.payload.presence.find((entry: { instanceId?: string }) => entry.instanceId === "box-1")).toMatchObject({ text: "hello", host: "box" });
    const status = await admin.call("status", {});
    expect(status.payload.queuedSystemEvents).toEqual([{ text: "hello", ts: expect.any(Number) }]);
  });

  it("closes a slow consumer with 1008 and keeps the others", async () => {
    server = await startGateway({ policy: { maxBufferedBytes: 64 * 1024 } });
    const slow = await ui(server);
    const fast = await ui(server);
    // Stop reading on the slow socket so the gateway's send buffer fills up.
    (slow.client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = "x".repeat(512 * 1024);
    for (let i = 0; i < 64 && !slow.client.closed && server.connectionCount === 2; i++) {
      server.bus.broadcast("chat", { runId: "r", sessionKey: "s", seq: i, state: "delta", deltaText: big });
      await fast.client.event("chat");
    }
    (slow.client.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.client.waitClosed()).toEqual({ code: 1008, reason: "slow consumer" });
    expect((await fast.client.call("health")).ok).toBe(true);
  });

  it("on stop, broadcasts shutdown, closes with 1012 and clears every timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    server = await startGateway();
    const { client } = await connectClient(server);
    const { client: pending } = { client: await RawClient.open(server.url) };
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const stopped = server.stop({ reason: "maintenance", restartExpectedMs: 1000 });
    const shutdown = await client.event("shutdown");
    expect(shutdown.payload).toEqual({ reason: "maintenance", restartExpectedMs: 1000 });
    expect(await client.waitClosed()).toEqual({ code: 1012, reason: "service restart" });
    expect((await pending.waitClosed()).code).toBe(1012);
    await stopped;
    expect(vi.getTimerCount()).toBe(0);
    server = undefined;
  });
});

describe("slow consumer close", () => {
  it("a client paused past ws's 30 s close timeout still reads the 1008 'slow consumer' close when it resumes", async () => {
    const gateway = await startGateway({ policy: { maxBufferedBytes: 1 << 20 } });
    try {
      const { client, hello } = await connectClient(gateway);
      expect(hello.ok).toBe(true);
      client.ws.pause();
      // Only timeouts made from here on are fake: ws's close timer, and the gateway's drain grace.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const padding = "x".repeat(64 * 1024);
        let delivered = 0;
        for (let round = 0; round < 5000; round += 1) {
          const reached = gateway.bus.broadcast("health", { padding, round } as never, { presence: 1, health: 1 });
          if (reached === 0 && delivered > 0) break;
          delivered += reached;
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(delivered).toBeGreaterThan(0);
        // Well past ws's own 30 s: a gateway that left the close to ws would have cut the socket by now.
        vi.advanceTimersByTime(60_000);
      } finally {
        vi.useRealTimers();
      }
      client.ws.resume();
      expect(await client.waitClosed()).toEqual({ code: 1008, reason: "slow consumer" });
    } finally {
      await gateway.stop();
    }
  });
});
