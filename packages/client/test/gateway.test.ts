import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer } from "@openclaw/gateway-core";
import { GatewayClient, GatewayClosedError, GatewayRequestError, InMemoryDeviceTokenStore, connect, type ConnectOptions } from "../src/index.js";
import { FileDeviceTokenStore, createNodeIdentity } from "../src/node.js";
import { TOKEN, recordStatuses, startGateway, tokenAuth, waitForStatus } from "./helpers.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(overrides: Parameters<typeof startGateway>[0] = {}): Promise<GatewayServer> {
  const server = await startGateway(overrides);
  cleanups.push(() => server.stop());
  return server;
}

async function client(options: Partial<ConnectOptions> & { url: string }): Promise<GatewayClient> {
  const connected = await connect({ token: TOKEN, WebSocket, ...options });
  cleanups.push(() => connected.close());
  return connected;
}

describe("against a real gateway", () => {
  it("connects with a token and makes typed calls", async () => {
    const server = await gateway();
    const gatewayClient = await client({ url: server.url });
    expect(gatewayClient.status.state).toBe("open");
    expect(gatewayClient.hello?.type).toBe("hello-ok");
    expect(gatewayClient.hello?.auth.scopes).toEqual(["operator.read", "operator.write"]);

    const health = await gatewayClient.call("health");
    expect(health.defaultAgentId).toBe("main");
    const status = await gatewayClient.call("status", { includeChannelSummary: false });
    expect(status).toBeTypeOf("object");
  });

  it("rejects a failing call with GatewayRequestError carrying the wire code", async () => {
    const server = await gateway();
    const gatewayClient = await client({ url: server.url, scopes: [] });
    const error = await gatewayClient.call("status").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({ code: "FORBIDDEN", method: "status", detailCode: "MISSING_SCOPE", retryable: false });
  });

  it("delivers ticks to on() and events(), and ends iterators on close", async () => {
    const server = await gateway({ policy: { tickIntervalMs: 40 } });
    const gatewayClient = await client({ url: server.url });
    const viaOn = new Promise<number>((resolve) => gatewayClient.on("tick", (tick) => resolve(tick.ts)));
    const ticks = gatewayClient.events("tick");
    const first = await ticks.next();
    expect(first.done).toBe(false);
    expect(first.value?.payload.ts).toBeTypeOf("number");
    expect(first.value?.seq).toBeTypeOf("number");
    expect(await viaOn).toBeTypeOf("number");
    await gatewayClient.close();
    // Buffered ticks may still drain; then the iterator ends.
    for await (const _tick of ticks) continue;
    expect((await ticks.next()).done).toBe(true);
  });

  it("delivers presence with its stateVersion", async () => {
    const server = await gateway();
    const watcher = await client({ url: server.url });
    const presence = new Promise<{ version: number; count: number }>((resolve) =>
      watcher.on("presence", (payload, message) => resolve({ version: message.stateVersion!.presence, count: payload.presence.length })),
    );
    // A "test" client is tracked in presence (backend and cli clients are not).
    await client({ url: server.url, client: { id: "test", mode: "test" } });
    const seen = await presence;
    expect(seen.version).toBeGreaterThan(watcher.hello!.snapshot.stateVersion.presence);
    expect(seen.count).toBeGreaterThanOrEqual(2);
  });

  it("signs connect with a device identity and stores the issued device token", async () => {
    const server = await gateway();
    const identity = createNodeIdentity();
    const store = new InMemoryDeviceTokenStore();
    const first = await client({ url: server.url, identity, identityStore: store });
    const issued = first.hello?.auth.deviceToken;
    expect(issued).toBeTypeOf("string");
    expect(store.get({ gatewayUrl: server.url, deviceId: identity.id, role: "operator" })?.token).toBe(issued);
    await first.close();

    // Without the shared token the stored device token gets in on its own.
    const second = await client({ url: server.url, token: undefined, identity, identityStore: store });
    expect(second.hello?.auth.method).toBe("device-token");
    expect(await second.call("health")).toBeTypeOf("object");
  });

  it("clears a stored device token the gateway refuses (file store)", async () => {
    const server = await gateway();
    const dir = await mkdtemp(join(tmpdir(), "openclaw-client-gw-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const identity = createNodeIdentity();
    const store = new FileDeviceTokenStore(join(dir, "device-auth.json"));
    const key = { gatewayUrl: server.url, deviceId: identity.id, role: "operator" };
    await store.set(key, { token: "stale-device-token", scopes: [], issuedAtMs: 1 });
    const error = await connect({ url: server.url, WebSocket, identity, identityStore: store }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect((error as GatewayRequestError).detailCode).toBe("AUTH_TOKEN_MISMATCH");
    expect(await store.get(key)).toBeUndefined();

    await store.set(key, { token: "stale-device-token", scopes: [], issuedAtMs: 1 });
    const explicit = await connect({ url: server.url, WebSocket, identity, identityStore: store, deviceToken: "wrong-explicit" }).catch(
      (caught: unknown) => caught,
    );
    expect((explicit as GatewayRequestError).detailCode).toBe("AUTH_DEVICE_TOKEN_MISMATCH");
    expect(await store.get(key)).toBeUndefined();

    // With the shared token the device gets a fresh token, which the file keeps.
    const fresh = await client({ url: server.url, identity, identityStore: store });
    expect((await store.get(key))?.token).toBe(fresh.hello?.auth.deviceToken);
  });

  it("fails a wrong token with AUTH_TOKEN_MISMATCH and stays closed", async () => {
    const server = await gateway();
    const gatewayClient = new GatewayClient({ url: server.url, token: "wrong", WebSocket, reconnect: { initialMs: 1 } });
    cleanups.push(() => gatewayClient.close());
    const statuses = recordStatuses(gatewayClient);
    const error = await gatewayClient.opened().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({ code: "INVALID_REQUEST", detailCode: "AUTH_TOKEN_MISMATCH", method: "connect" });
    // `closed` is final: no timer is left that could try again.
    expect(statuses).toEqual(["connecting", "closed"]);
    await expect(gatewayClient.call("health")).rejects.toBeInstanceOf(GatewayClosedError);
  });

  it("stops reconnecting when the restarted gateway refuses the token", async () => {
    const server = await startGateway();
    const port = server.port;
    const gatewayClient = await client({ url: server.url, reconnect: { initialMs: 20, maxMs: 100 } });
    const statuses = recordStatuses(gatewayClient);
    await server.stop();
    const restarted = await gateway({ port, auth: tokenAuth("another-token") });
    expect(restarted.port).toBe(port);
    const closed = await waitForStatus(gatewayClient, "closed");
    expect(closed.reason).toMatchObject({ detailCode: "AUTH_TOKEN_MISMATCH" });
    // Each attempt before the gateway came back was refused at TCP level; the first refusal by the gateway ended it.
    expect(statuses.at(-1)).toBe("closed");
    expect(statuses.filter((state) => state === "closed")).toHaveLength(1);
  });

  it("rejects a pending call retryably when the gateway restarts, then reconnects by itself", async () => {
    let release = () => {};
    const hang = new Promise<{ models: [] }>((resolve) => (release = () => resolve({ models: [] })));
    const server = await startGateway({ handlers: { "models.list": () => hang } });
    cleanups.push(async () => release());
    const port = server.port;
    const gatewayClient = await client({ url: server.url, reconnect: { initialMs: 20, maxMs: 100 } });
    const statuses = recordStatuses(gatewayClient);
    const firstConnId = gatewayClient.hello!.server.connId;

    const pending = gatewayClient.call("models.list", {});
    const settled = pending.catch((caught: unknown) => caught);
    const shutdown = new Promise((resolve) => gatewayClient.on("shutdown", resolve));
    await server.stop();
    await shutdown;
    const error = await settled;
    expect(error).toBeInstanceOf(GatewayClosedError);
    expect(error).toMatchObject({ closeCode: 1012, retryable: true });
    expect(gatewayClient.status.state).toBe("reconnecting");

    const restarted = await gateway({ port, handlers: { "models.list": () => ({ models: [] }) } });
    const open = await waitForStatus(gatewayClient, "open");
    expect(open.hello.server.connId).not.toBe(firstConnId);
    expect(statuses).toContain("reconnecting");
    expect(statuses.at(-1)).toBe("open");
    expect(restarted.connectionCount).toBe(1);
    expect(await gatewayClient.call("models.list", {})).toEqual({ models: [] });
  });

  it("waits for the reconnect before sending a call made while reconnecting", async () => {
    const server = await startGateway();
    const port = server.port;
    const gatewayClient = await client({ url: server.url, reconnect: { initialMs: 20, maxMs: 100 } });
    await server.stop();
    await waitForStatus(gatewayClient, "reconnecting");
    const call = gatewayClient.call("health");
    await gateway({ port });
    expect(await call).toBeTypeOf("object");
  });
});
