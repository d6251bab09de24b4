import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { createNode, type GatewayNode, type NodeStatus } from "../src/index.js";
import { Cleanups, waitForNodeStatus } from "./helpers.js";

const cleanups = new Cleanups();
afterEach(async () => {
  vi.useRealTimers();
  await cleanups.run();
});

type ConnectReply = { error: Record<string, unknown> } | "hello";

/** A gateway that answers each `connect` with the next scripted reply; refusals close the socket like the real one. */
async function scriptedGateway(replies: ConnectReply[]): Promise<{ url: string; attempts: () => number; closed: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  let attempts = 0;
  let lastClosed: Promise<void> = Promise.resolve();
  wss.on("connection", (socket: WebSocket) => {
    lastClosed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { id: string; method: string; params: { role: string; scopes: string[] } };
      if (frame.method !== "connect") return;
      const reply = replies[Math.min(attempts++, replies.length - 1)]!;
      if (reply === "hello") {
        const hello = {
          type: "hello-ok",
          protocol: 4,
          server: { version: "fake", connId: "c" },
          features: { methods: [], events: [] },
          snapshot: { presence: [], health: {}, stateVersion: { presence: 0, health: 0 }, uptimeMs: 0 },
          auth: { role: frame.params.role, scopes: frame.params.scopes },
          policy: { maxPayload: 1_000_000, maxBufferedBytes: 1_000_000, tickIntervalMs: 30_000 },
        };
        socket.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: hello }));
        return;
      }
      socket.send(JSON.stringify({ type: "res", id: frame.id, ok: false, error: reply.error }));
      socket.close(1008, String(reply.error["message"]));
    });
    socket.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: `n-${Math.random()}`, ts: Date.now() } }));
  });
  cleanups.add(wss, (server) => {
    for (const client of server.clients) client.terminate();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, attempts: () => attempts, closed: () => lastClosed };
}

const pairingRequired = {
  error: {
    code: "NOT_PAIRED",
    message: "pairing required: device is not approved yet",
    details: { code: "PAIRING_REQUIRED", reason: "not-paired", requestId: "req-1", pauseReconnect: true },
  },
};

async function startNode(url: string, reconnect: Record<string, number> | false = { initialMs: 10, maxMs: 10, jitter: 0 }): Promise<GatewayNode> {
  const node = await createNode({ url, token: "t", displayName: "lifecycle", commands: { "system.notify": () => ({}) }, reconnect });
  return cleanups.add(node, (started) => started.close());
}

function record(node: GatewayNode): NodeStatus[] {
  const seen: NodeStatus[] = [node.status];
  node.onStatus((status) => seen.push(status));
  return seen;
}

describe("node lifecycle", () => {
  it("keeps retrying while pairing is pending, then opens once approved", async () => {
    const gateway = await scriptedGateway([pairingRequired, pairingRequired, "hello"]);
    const node = await startNode(gateway.url);
    const seen = record(node);
    await node.opened();
    expect(gateway.attempts()).toBe(3);
    expect(seen.map((status) => status.state)).toEqual(["connecting", "awaiting-pairing", "awaiting-pairing", "open"]);
    expect(seen[1]).toMatchObject({ requestId: "req-1", reason: "not-paired", attempt: 1, delayMs: 10 });
    expect(seen[2]).toMatchObject({ attempt: 2 });
  });

  it("treats an older gateway's bare NOT_PAIRED as pending pairing", async () => {
    const gateway = await scriptedGateway([{ error: { code: "NOT_PAIRED", message: "pairing required", details: { requestId: "old-1" } } }, "hello"]);
    const node = await startNode(gateway.url);
    expect(await waitForNodeStatus(node, "awaiting-pairing")).toMatchObject({ requestId: "old-1" });
    await node.opened();
  });

  it("closes for good on a refused token instead of retrying", async () => {
    const gateway = await scriptedGateway([
      {
        error: {
          code: "INVALID_REQUEST",
          message: "unauthorized: gateway token mismatch",
          details: { code: "AUTH_TOKEN_MISMATCH", recommendedNextStep: "update_auth_credentials" },
        },
      },
    ]);
    const node = await startNode(gateway.url);
    const closed = await waitForNodeStatus(node, "closed");
    expect(closed.reason).toMatchObject({ detailCode: "AUTH_TOKEN_MISMATCH" });
    expect(gateway.attempts()).toBe(1);
    await expect(node.opened()).rejects.toMatchObject({ detailCode: "AUTH_TOKEN_MISMATCH" });
  });

  it("with reconnect:false stops at the first pairing refusal", async () => {
    const gateway = await scriptedGateway([pairingRequired]);
    const node = await startNode(gateway.url, false);
    expect((await waitForNodeStatus(node, "closed")).reason).toMatchObject({ code: "NOT_PAIRED" });
  });

  it("clears its retry timer when closed while awaiting pairing", async () => {
    const gateway = await scriptedGateway([pairingRequired]);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    const node = await startNode(gateway.url, { initialMs: 60_000, maxMs: 60_000 });
    await waitForNodeStatus(node, "awaiting-pairing");
    // The server's own ws close timer is gone once its socket has closed; what is left is ours.
    await gateway.closed();
    expect(vi.getTimerCount()).toBe(1);
    await node.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(node.status.state).toBe("closed");
    await expect(node.opened()).rejects.toThrow("node closed");
  });
});
