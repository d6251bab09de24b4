import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import type { GatewayServer, GatewayServerOptions } from "../src/server.js";
import { connectClient, connectParams, startGateway, type RawClient } from "./harness.js";
import { MemoryProvider, waitFor } from "./memory-channel.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.close();
  await server?.stop();
  server = undefined;
});

async function start(
  provider: MemoryProvider,
  overrides: Partial<GatewayServerOptions> = {},
  channelConfig: Record<string, unknown> = { dmPolicy: "open", allowFrom: ["*"] },
) {
  server = await startGateway({
    agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
    channels: { loaders: { memory: async () => provider.definition() }, config: { memory: channelConfig }, env: {} },
    ...overrides,
  });
  await waitFor("the memory account to start", () => server!.channels!.snapshot().channels.memory?.accounts[0]?.running);
  return server;
}

async function operator(gateway: GatewayServer, scopes = ["operator.admin"]) {
  const { client } = await connectClient(gateway, () => connectParams({ scopes }));
  clients.push(client);
  return client;
}

describe("channels in the gateway", () => {
  it("answers a channel DM with the agent and reports the account in channels.status and health", async () => {
    const provider = new MemoryProvider();
    const gateway = await start(provider);
    await provider.deliver(provider.inbound({ text: "ping", id: "1" }));
    await waitFor("the reply", () => provider.sent[0]);
    expect(provider.sent[0]).toMatchObject({ chatId: "dm-u1", text: "Echo: ping" });

    const client = await operator(gateway, ["operator.read"]);
    const status = (await client.call("channels.status", {})).payload;
    expect(status.channels.memory.accounts[0]).toMatchObject({
      accountId: "default",
      state: "connected",
      running: true,
      connected: true,
      lastInboundAt: expect.any(Number),
      lastOutboundAt: expect.any(Number),
    });
    const health = (await client.call("health", {})).payload;
    expect(health.channels.memory.accounts[0]).toMatchObject({ accountId: "default", connected: true });
    expect(health.channelOrder).toEqual(["memory"]);
    expect(health.channelLabels).toEqual({ memory: "Memory" });
    // Read scope may look, not act.
    expect((await client.call("channels.stop", { channel: "memory" })).error).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.admin" });
  });

  it("gives the agent a send tool that goes through the outbox", async () => {
    const provider = new MemoryProvider();
    const tool = createOfflineProvider({ mode: "tool", tool: { name: "send", arguments: { to: "chat-42", message: "hello from the agent" } } });
    const gateway = await start(provider, { agent: { resolveModel: () => ({ provider: tool, model: "tool" }), listModels: async () => [] } });
    const client = await operator(gateway);
    client.send({ type: "req", id: "run", method: "agent", params: { message: "tell chat-42 hello", idempotencyKey: "tool-run" } });
    await client.response("run");
    const final = await client.response("run");
    expect(final.payload.result.payloads[0].text).toMatch(/^Tool send returned: sent on memory to chat-42 \(message id m1\)/);
    expect(provider.sent).toEqual([{ chatId: "chat-42", text: "hello from the agent", id: "m1" }]);
    const outbox = (await client.call("channels.outbox.list", {})).payload.entries;
    expect(outbox[0]).toMatchObject({ status: "sent", idempotencyKey: expect.stringMatching(/^agent:/) });
  });

  it("serves a channel webhook on the gateway port; the adapter refuses a bad secret", async () => {
    const provider = new MemoryProvider();
    const gateway = await start(provider, {}, { dmPolicy: "open", allowFrom: ["*"], webhookSecret: "s3cret" });
    const url = `http://127.0.0.1:${gateway.port}/hooks/memory/default`;
    const body = JSON.stringify({ id: "w1", text: "via webhook", from: "u9" });
    const forged = await fetch(url, { method: "POST", headers: { "x-secret": "wrong" }, body });
    expect(forged.status).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    const ok = await fetch(url, { method: "POST", headers: { "x-secret": "s3cret" }, body });
    expect(ok.status).toBe(200);
    await waitFor("the reply", () => provider.sent[0]);
    expect(provider.sent[0]).toMatchObject({ chatId: "dm-u9", text: "Echo: via webhook" });
    const huge = await fetch(url, { method: "POST", headers: { "x-secret": "s3cret" }, body: "x".repeat(1_100_000) }).catch((error: unknown) => error);
    expect(huge instanceof Response ? huge.status : 413).toBe(413);
  });

  it("refuses to start with a bad channel key, naming it", async () => {
    const provider = new MemoryProvider();
    await expect(startGateway({ channels: { loaders: { memory: async () => provider.definition() }, config: { memory: { botTokn: "x" } } } })).rejects.toThrow(
      /^channels\.memory\.botTokn: unknown setting/,
    );
  });
});
