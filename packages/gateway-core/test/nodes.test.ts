import { afterEach, describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import { createOfflineProvider } from "@openclaw/agent";
import type { GatewayServer, GatewayServerOptions } from "../src/index.js";
import { RawClient, connectClient, connectParams, createDevice, signConnect, startGateway, type Frame, type TestDevice } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

function nodeParams(commands: string[], overrides: Partial<ConnectParams> = {}): ConnectParams {
  return connectParams({
    role: "node",
    scopes: [],
    client: { id: "node-host", version: "1", platform: "ios", mode: "node", displayName: "phone" },
    caps: ["location"],
    commands,
    permissions: { "location.get": true },
    ...overrides,
  });
}

async function startNode(gateway: GatewayServer, device: TestDevice, commands: string[]) {
  const { client, hello } = await connectClient(gateway, (nonce) => signConnect(device, nodeParams(commands), nonce));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

async function operatorClient(gateway: GatewayServer, scopes = ["operator.admin"]) {
  const { client } = await connectClient(gateway, () => connectParams({ scopes }));
  clients.push(client);
  return client;
}

/** Answer every invoke request with `answer(frame)`; returns a stop function. */
function serve(node: RawClient, answer: (request: Frame) => Record<string, unknown> | undefined) {
  let running = true;
  void (async () => {
    while (running) {
      const request = await node.event("node.invoke.request").catch(() => undefined);
      if (!request || !running) return;
      const reply = answer(request);
      if (reply)
        node.send({
          type: "req",
          id: `res-${request.payload.id}`,
          method: "node.invoke.result",
          params: { id: request.payload.id, nodeId: request.payload.nodeId, ...reply },
        });
    }
  })();
  return () => (running = false);
}

async function approveNode(operator: RawClient) {
  const requested = await operator.event("node.pair.requested");
  const approved = await operator.call("node.pair.approve", { requestId: requested.payload.requestId });
  expect(approved.ok).toBe(true);
  return requested.payload;
}

async function start(options: Partial<GatewayServerOptions> = {}) {
  server = await startGateway(options);
  return server;
}

describe("nodes", () => {
  it("filters a node's commands until its surface is approved, then routes node.invoke", async () => {
    const gateway = await start();
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get", "camera.snap"]);

    const before = await operator.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "i1" });
    expect(before.error).toEqual({
      code: "INVALID_REQUEST",
      message: `node command not allowed: location.get is not approved for node "phone" (reason not-approved); approve it with: openclaw nodes approve ${device.id}`,
      details: { reason: "not-approved", command: "location.get", nodeId: device.id, remediationHint: `approve it with: openclaw nodes approve ${device.id}` },
    });
    const request = await approveNode(operator);
    expect(request).toMatchObject({ nodeId: device.id, commands: ["camera.snap", "location.get"], platform: "ios" });

    serve(node, (frame) => {
      expect(frame.payload).toMatchObject({ command: "location.get", paramsJSON: '{"desiredAccuracy":"precise"}', timeoutMs: 30000 });
      return { ok: true, payload: { lat: 1.5, lon: 2.5, accuracyMeters: 5, timestamp: "2026-11-24T00:00:00Z", isPrecise: true, source: "gps" } };
    });
    const answer = await operator.call("node.invoke", {
      nodeId: device.id,
      command: "location.get",
      params: { desiredAccuracy: "precise" },
      idempotencyKey: "i2",
    });
    expect(answer.payload).toMatchObject({ ok: true, nodeId: device.id, command: "location.get", payload: { lat: 1.5, lon: 2.5 } });
    // camera.snap is declared and approved but needs an explicit allow.
    expect((await operator.call("node.invoke", { nodeId: device.id, command: "camera.snap", idempotencyKey: "i3" })).error.details).toMatchObject({
      reason: "not-allowlisted",
      command: "camera.snap",
      remediationHint: expect.stringContaining("add it to gateway.nodes.commands.allow"),
    });

    const listed = (await operator.call("node.list", {})).payload.nodes;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ nodeId: device.id, displayName: "phone", connected: true, paired: true, commands: ["location.get"], caps: ["location"] });
  });

  it("allow opens custom commands and deny always wins", async () => {
    const gateway = await start({ nodeCommands: { allow: ["my.custom", "location.get"], deny: ["location.get"] } });
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get", "my.custom"]);
    await approveNode(operator);
    serve(node, (frame) => ({ ok: true, payloadJSON: JSON.stringify({ echoed: frame.payload.command }) }));
    expect((await operator.call("node.invoke", { nodeId: device.id, command: "my.custom", idempotencyKey: "c" })).payload).toMatchObject({
      payload: { echoed: "my.custom" },
      payloadJSON: '{"echoed":"my.custom"}',
    });
    expect((await operator.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "d" })).error.details.reason).toBe("denied");
    expect((await operator.call("node.invoke", { nodeId: device.id, command: "never.declared", idempotencyKey: "e" })).error.details.reason).toBe(
      "not-declared",
    );
  });

  it("times out, rejects on disconnect, ignores late results and refuses another node's result", async () => {
    const gateway = await start();
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get"]);
    await approveNode(operator);

    const timedOut = await operator.call("node.invoke", { nodeId: device.id, command: "location.get", timeoutMs: 50, idempotencyKey: "t1" });
    expect(timedOut.error).toMatchObject({ code: "UNAVAILABLE", message: "node invoke timed out", details: { nodeError: { code: "TIMEOUT" } } });
    const request = await node.event("node.invoke.request");
    expect((await node.event("node.invoke.cancel")).payload).toEqual({ invokeId: request.payload.id, nodeId: device.id });
    const late = await node.call("node.invoke.result", { id: request.payload.id, nodeId: device.id, ok: true, payload: {} });
    expect(late.payload).toEqual({ ok: true, ignored: true });
    expect((await node.call("node.invoke.result", { id: "x", nodeId: "someone-else", ok: true })).error).toEqual({
      code: "INVALID_REQUEST",
      message: "nodeId mismatch",
    });

    operator.send({ type: "req", id: "pending", method: "node.invoke", params: { nodeId: device.id, command: "location.get", idempotencyKey: "t2" } });
    await node.event("node.invoke.request");
    node.close();
    expect((await operator.response("pending")).error).toMatchObject({ code: "UNAVAILABLE", message: "node disconnected (location.get)" });
    expect((await operator.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "t3" })).error.details.nodeError.code).toBe(
      "NOT_CONNECTED",
    );
    const offline = (await operator.call("node.list", {})).payload.nodes[0];
    expect(offline).toMatchObject({ nodeId: device.id, connected: false, paired: true });
  });

  it("sends node.invoke.cancel when the operator goes away, and node errors reach the operator", async () => {
    const gateway = await start();
    const admin = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get"]);
    await approveNode(admin);
    const quitter = await operatorClient(gateway);
    quitter.send({ type: "req", id: "q", method: "node.invoke", params: { nodeId: device.id, command: "location.get", idempotencyKey: "q1" } });
    const request = await node.event("node.invoke.request");
    quitter.close();
    expect((await node.event("node.invoke.cancel")).payload.invokeId).toBe(request.payload.id);

    serve(node, () => ({ ok: false, error: { code: "LOCATION_PERMISSION_REQUIRED", message: "location permission required" } }));
    const failed = await admin.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "q2" });
    expect(failed.error).toEqual({
      code: "UNAVAILABLE",
      message: "location permission required",
      details: { nodeError: { code: "LOCATION_PERMISSION_REQUIRED", message: "location permission required" } },
    });
  });

  it("dedupes a retried invoke by its idempotency key", async () => {
    const gateway = await start();
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get"]);
    await approveNode(operator);
    let calls = 0;
    serve(node, () => ({ ok: true, payload: { n: ++calls } }));
    const [a, b] = await Promise.all([
      operator.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "same" }),
      operator.call("node.invoke", { nodeId: device.id, command: "location.get", idempotencyKey: "same" }),
    ]);
    expect(a.payload.payload).toEqual({ n: 1 });
    expect(b.payload.payload).toEqual({ n: 1 });
    expect(calls).toBe(1);
  });

  it("a newer connection of the same node replaces the old one", async () => {
    const gateway = await start();
    const device = createDevice();
    const first = await startNode(gateway, device, []);
    await startNode(gateway, device, []);
    expect(await first.waitClosed()).toEqual({ code: 1008, reason: "node replaced by a newer connection" });
    const operator = await operatorClient(gateway);
    expect((await operator.call("node.list", {})).payload.nodes).toHaveLength(1);
  });

  it("queues work for an offline node and drains it on reconnect; never sends operator broadcasts to nodes", async () => {
    const gateway = await start();
    const operator = await operatorClient(gateway);
    const device = createDevice();
    await operator.call("node.pending.enqueue", { nodeId: device.id, type: "location.request", priority: "high" });
    await operator.call("node.pending.enqueue", { nodeId: device.id, type: "status.request" });
    const node = await startNode(gateway, device, []);
    const drained = await node.call("node.pending.drain", { maxItems: 1 });
    expect(drained.payload).toMatchObject({ nodeId: device.id, items: [{ type: "location.request", priority: "high" }], hasMore: true });
    expect((await node.call("node.pending.drain", {})).payload).toMatchObject({ items: [{ type: "status.request" }], hasMore: false });
    gateway.bus.broadcast("device.pair.requested", { requestId: "r", deviceId: "d", publicKey: "k", ts: 1 });
    gateway.bus.broadcast("tick", { ts: 1 });
    await node.event("tick");
    expect(node.frames.some((frame) => frame.event === "device.pair.requested")).toBe(false);
    expect((await node.call("node.event", { event: "mystery" })).payload).toMatchObject({ handled: false });
    expect((await node.call("node.event", { event: "chat.subscribe", payload: { sessionKey: "s" } })).payload).toMatchObject({ handled: true });
  });

  it("a node needs a device identity, and operators cannot call node-only methods", async () => {
    const gateway = await start();
    const { hello } = await connectClient(gateway, () => nodeParams([]));
    expect(hello.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "DEVICE_IDENTITY_REQUIRED" } });
    const operator = await operatorClient(gateway);
    expect((await operator.call("node.invoke.result", { id: "x", nodeId: "y", ok: true })).error).toEqual({
      code: "INVALID_REQUEST",
      message: "unauthorized role: operator",
    });
  });

  it("offers approved node commands to the agent as tools", async () => {
    const provider = createOfflineProvider({ mode: "tool", tool: { name: "node_location_get", arguments: {} } });
    const gateway = await start({ agent: { resolveModel: () => ({ provider, model: "tool" }), listModels: async () => [] } });
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const node = await startNode(gateway, device, ["location.get"]);
    await approveNode(operator);
    serve(node, () => ({ ok: true, payload: { lat: 48.85, lon: 2.35 } }));
    operator.send({ type: "req", id: "run", method: "agent", params: { message: "where am I?", idempotencyKey: "where" } });
    await operator.response("run");
    const final = await operator.response("run");
    expect(final.payload.result.payloads[0].text).toContain('{"lat":48.85,"lon":2.35}');
    const history = (await operator.call("chat.history", { sessionKey: "agent:main:main" })).payload.messages;
    expect(history.map((message: { role: string }) => message.role)).toEqual(["user", "assistant", "toolResult", "assistant"]);
  });
});
