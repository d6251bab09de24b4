import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { RawClient, TOKEN, connectClient, connectParams, createDevice, signConnect, startGateway } from "./harness.js";

let server: GatewayServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = await startGateway();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function open(): Promise<RawClient> {
  const client = await RawClient.open(server.url);
  clients.push(client);
  return client;
}

describe("handshake", () => {
  it("sends connect.challenge first, without seq", async () => {
    const client = await open();
    const challenge = await client.next();
    expect(challenge).toMatchObject({ type: "event", event: "connect.challenge", payload: { nonce: expect.any(String), ts: expect.any(Number) } });
    expect(challenge.seq).toBeUndefined();
  });

  it("answers hello-ok with the registry's features, snapshot, auth and policy", async () => {
    const { client, hello } = await connectClient(server);
    clients.push(client);
    expect(hello.ok).toBe(true);
    const payload = hello.payload;
    expect(payload).toMatchObject({
      type: "hello-ok",
      protocol: 4,
      server: { version: "0.0.0-test", connId: expect.any(String) },
      snapshot: { presence: expect.any(Array), health: { ok: true }, stateVersion: { presence: 1, health: 1 }, uptimeMs: expect.any(Number) },
      auth: { role: "operator", scopes: ["operator.read"] },
      policy: { maxPayload: 26214400, maxBufferedBytes: 52428800, tickIntervalMs: 30000 },
    });
    expect(payload.features.methods).toContain("health");
    expect(payload.features.methods).not.toContain("connect");
    expect(payload.features.events).toContain("tick");
  });

  it("closes 1000 without answering a non-JSON first frame", async () => {
    const client = await open();
    await client.event("connect.challenge");
    client.sendRaw("not json{");
    expect(await client.waitClosed()).toEqual({ code: 1000, reason: "" });
    expect(client.frames).toEqual([]);
  });

  it("closes 1008 on a first frame that is not a request", async () => {
    const client = await open();
    await client.event("connect.challenge");
    client.send({ type: "event", event: "x" });
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: "invalid request frame" });
  });

  it("refuses a first request that is not connect", async () => {
    const client = await open();
    await client.event("connect.challenge");
    client.send({ type: "req", id: "1", method: "health" });
    const res = await client.response("1");
    expect(res.error).toEqual({ code: "INVALID_REQUEST", message: "invalid handshake: first request must be connect" });
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: "invalid handshake: first request must be connect" });
  });

  it("refuses invalid connect params with the reference message", async () => {
    const client = await open();
    await client.event("connect.challenge");
    client.send({ type: "req", id: "1", method: "connect", params: { ...connectParams(), foo: 1 } });
    expect((await client.response("1")).error).toEqual({ code: "INVALID_REQUEST", message: "invalid connect params: at root: unexpected property 'foo'" });
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: "invalid connect params: at root: unexpected property 'foo'" });
  });

  it("closes 1002 on a protocol mismatch", async () => {
    const { client, hello } = await connectClient(server, () => connectParams({ minProtocol: 5, maxProtocol: 5 }));
    expect(hello.error).toEqual({
      code: "INVALID_REQUEST",
      message: "protocol mismatch",
      details: { code: "PROTOCOL_MISMATCH", clientMinProtocol: 5, clientMaxProtocol: 5, expectedProtocol: 4, minimumProbeProtocol: 3 },
    });
    expect(await client.waitClosed()).toEqual({ code: 1002, reason: "protocol mismatch" });
  });

  it("accepts probes and v3 nodes by their own ranges", async () => {
    const probe = await connectClient(server, () =>
      connectParams({ minProtocol: 3, maxProtocol: 3, client: { id: "cli", version: "1", platform: "linux", mode: "probe" } }),
    );
    clients.push(probe.client);
    expect(probe.hello.payload.protocol).toBe(3);
  });

  it("refuses a wrong token with the reference error and close", async () => {
    const { client, hello } = await connectClient(server, () => connectParams({ auth: { token: "wrong" } }));
    expect(hello.error).toEqual({
      code: "INVALID_REQUEST",
      message: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
      details: { code: "AUTH_TOKEN_MISMATCH", authReason: "token_mismatch", canRetryWithDeviceToken: false, recommendedNextStep: "update_auth_credentials" },
    });
    expect((await client.waitClosed()).code).toBe(1008);
  });

  it("asks for a device identity when nothing is presented", async () => {
    const { client, hello } = await connectClient(server, () => connectParams({ auth: undefined }));
    expect(hello.error).toEqual({ code: "NOT_PAIRED", message: "device identity required", details: { code: "DEVICE_IDENTITY_REQUIRED" } });
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: "device identity required" });
  });

  it("clears the scopes of a device-less client that is not a trusted local helper", async () => {
    const { client, hello } = await connectClient(server, () => connectParams({ client: { id: "cli", version: "1", platform: "linux", mode: "probe" } }));
    clients.push(client);
    expect(hello.payload.auth.scopes).toEqual([]);
    const res = await client.call("system-presence");
    expect(res.error).toEqual({
      code: "FORBIDDEN",
      message: "missing scope: operator.read",
      details: { code: "MISSING_SCOPE", missingScope: "operator.read", requiredScopes: ["operator.read"] },
    });
  });

  it("keeps the scopes of the loopback CLI and backend helper", async () => {
    const backend = await connectClient(server, () => connectParams({ client: { id: "gateway-client", version: "1", platform: "linux", mode: "backend" } }));
    clients.push(backend.client);
    expect(backend.hello.payload.auth.scopes).toEqual(["operator.read"]);
  });

  it("verifies a device proof signed over v3, and over v2", async () => {
    const device = createDevice();
    for (const version of ["v3", "v2"] as const) {
      const { client, hello } = await connectClient(server, (nonce) =>
        signConnect(device, connectParams({ client: { id: "openclaw-tui", version: "1", platform: "linux", mode: "ui" }, scopes: ["operator.admin"] }), nonce, {
          version,
        }),
      );
      clients.push(client);
      expect(hello.ok).toBe(true);
      expect(hello.payload.auth.scopes).toEqual(["operator.admin"]);
    }
  });

  it("reports device proof failures in the reference order", async () => {
    const device = createDevice();
    const other = createDevice();
    const base = connectParams({ client: { id: "openclaw-tui", version: "1", platform: "linux", mode: "ui" } });
    const cases: [string, (nonce: string) => unknown][] = [
      [
        "DEVICE_AUTH_DEVICE_ID_MISMATCH",
        (nonce) => ({ ...signConnect(device, base, nonce), device: { ...signConnect(device, base, nonce).device!, id: other.id } }),
      ],
      ["DEVICE_AUTH_SIGNATURE_EXPIRED", (nonce) => signConnect(device, base, nonce, { signedAt: Date.now() - 600_000 })],
      ["DEVICE_AUTH_NONCE_REQUIRED", () => signConnect(device, base, "   ")],
      ["DEVICE_AUTH_NONCE_MISMATCH", () => signConnect(device, base, "some-other-nonce")],
      ["DEVICE_AUTH_SIGNATURE_INVALID", (nonce) => ({ ...signConnect(device, base, nonce), scopes: ["operator.admin"] })],
    ];
    for (const [code, build] of cases) {
      const { client, hello } = await connectClient(server, build as never);
      expect(hello.error?.details?.code, code).toBe(code);
      expect((await client.waitClosed()).code).toBe(1008);
    }
  });

  it("refuses a replayed connect frame on a new socket (new nonce)", async () => {
    const device = createDevice();
    let captured: unknown;
    const first = await connectClient(server, (nonce) => {
      captured = signConnect(device, connectParams({ client: { id: "openclaw-tui", version: "1", platform: "linux", mode: "ui" } }), nonce);
      return captured as never;
    });
    clients.push(first.client);
    expect(first.hello.ok).toBe(true);
    const replay = await connectClient(server, () => captured as never);
    expect(replay.hello.error?.details?.code).toBe("DEVICE_AUTH_NONCE_MISMATCH");
  });

  it("closes the socket when no connect arrives in time", async () => {
    await server.stop();
    server = await startGateway({ handshakeTimeoutMs: 50 });
    const client = await open();
    expect((await client.waitClosed()).code).toBe(1000);
  });

  it("closes 1009 on an oversized pre-handshake frame", async () => {
    const client = await open();
    await client.event("connect.challenge");
    client.sendRaw("x".repeat(70_000));
    expect(await client.waitClosed()).toEqual({ code: 1009, reason: "preauth payload too large" });
  });

  it("uses the token only in constant-time comparison (a prefix is still a mismatch)", async () => {
    const { hello } = await connectClient(server, () => connectParams({ auth: { token: TOKEN.slice(0, -1) } }));
    expect(hello.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
  });
});

describe("device-less rules from the real gateway", () => {
  it("clears the scopes of a loopback CLI that sends an Origin header", async () => {
    const { client, hello } = await connectClient(server, () => connectParams(), { origin: `http://127.0.0.1:${server.port}` });
    clients.push(client);
    expect(hello.payload.auth.scopes).toEqual([]);
  });

  it("requires a device from Control UI and TUI clients", async () => {
    const { hello } = await connectClient(server, () => connectParams({ client: { id: "openclaw-tui", version: "1", platform: "linux", mode: "ui" } }));
    expect(hello.error).toEqual({
      code: "INVALID_REQUEST",
      message: "control ui requires device identity (use HTTPS or localhost secure context)",
      details: { code: "CONTROL_UI_DEVICE_IDENTITY_REQUIRED" },
    });
  });

  it("refuses the upgrade when a loopback socket carries forwarding headers from an untrusted proxy", async () => {
    await expect(RawClient.open(server.url, { "x-forwarded-for": "203.0.113.9" })).rejects.toThrow(/403/);
  });
});
