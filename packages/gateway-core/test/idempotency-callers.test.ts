import { describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import type { GatewayServer } from "../src/index.js";
import { RawClient, closeAfterEach, connectClient, connectParams, createDevice, signConnect, startGateway, uiParams } from "./harness.js";

const opened = closeAfterEach();
const clients = opened.clients;

function nodeParams(): ConnectParams {
  return connectParams({
    role: "node",
    scopes: [],
    client: { id: "node-host", version: "1", platform: "linux", mode: "node" },
    caps: [],
    commands: ["notes.read"],
  });
}

async function open(gateway: GatewayServer, build: (nonce: string) => ConnectParams): Promise<RawClient> {
  const { client, hello } = await connectClient(gateway, build);
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("idempotency cache per caller", () => {
  it("never hands one caller's cached node.invoke answer to another, and refuses a key reused with other params", async () => {
    const server = await startGateway({ nodeCommands: { allow: ["notes.read"] } });
    opened.gateways.push(server);
    const admin = await open(server, () => connectParams({ scopes: ["operator.admin"] }));
    const nodeDevice = createDevice();
    const node = await open(server, (nonce) => signConnect(nodeDevice, nodeParams(), nonce));
    const requested = await admin.event("node.pair.requested");
    expect((await admin.call("node.pair.approve", { requestId: requested.payload.requestId })).ok).toBe(true);

    // The node answers each request with who it thinks it is serving, by arrival order.
    let served = 0;
    void (async () => {
      for (;;) {
        const request = await node.event("node.invoke.request").catch(() => undefined);
        if (!request) return;
        served += 1;
        node.send({
          type: "req",
          id: `res-${served}`,
          method: "node.invoke.result",
          params: { id: request.payload.id, nodeId: request.payload.nodeId, ok: true, payload: { listing: `answer-${served}` } },
        });
      }
    })();

    const invoke = { nodeId: nodeDevice.id, command: "notes.read", params: { path: "/home" }, idempotencyKey: "shared-key" };
    const first = await admin.call("node.invoke", invoke);

    expect(first.payload.payload).toEqual({ listing: "answer-1" });
    // The same caller repeating itself gets the cached answer; the node is not asked again.
    expect((await admin.call("node.invoke", invoke)).payload.payload).toEqual({ listing: "answer-1" });
    expect(served).toBe(1);

    // A write-scoped device reusing the admin's key is a different caller: its call runs on its own.
    const writer = createDevice();
    const writeParams = uiParams({ scopes: ["operator.write"] });
    const other = await open(server, (nonce) => signConnect(writer, writeParams, nonce));
    const second = await other.call("node.invoke", invoke);
    expect(second.payload?.payload).not.toEqual({ listing: "answer-1" });
    expect(second.payload.payload).toEqual({ listing: "answer-2" });
    expect(served).toBe(2);

    // Reusing a key with other params is a client bug, named as such.
    const reused = await other.call("node.invoke", { ...invoke, params: { path: "/etc" } });
    expect(reused.error).toMatchObject({ code: "INVALID_REQUEST", details: { reason: "idempotency-key-reused", method: "node.invoke" } });
    expect(reused.error.message).toContain('idempotencyKey "shared-key" was already used for a different node.invoke request');
    expect(served).toBe(2);
  });
});
