import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import { startIdentityProxy, type IdentityProxy, type IdentityProxyOptions } from "@openclaw/testing";
import type { AuthSettings, GatewayServer, TrustedProxySettings } from "../src/index.js";
import { RawClient, connectParams, createDevice, signConnect, startGateway, tokenAuth, uiParams, type Frame } from "./harness.js";

/**
 * The gateway behind a real reverse proxy (http-proxy) that logs users in by session token and
 * forwards WebSocket upgrades from 127.0.0.3, the only trusted proxy address.
 *
 * The spec refuses a forwarded client on loopback, so clients reach the proxy through this
 * host's own non-loopback address when it has one; on a host without one, the proxy reports a
 * documentation address for them, as a proxy behind a load balancer would.
 */
const PROXY_SOURCE = "127.0.0.3";
const EXTERNAL = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;
const CLIENT_ROUTE: Pick<IdentityProxyOptions, "host" | "clientAddress"> = EXTERNAL ? { host: EXTERNAL } : { clientAddress: "203.0.113.10" };
const SESSIONS = { "alice-session": "alice@example.com", "bob-session": "bob@example.com", "mallory-session": "mallory@example.com" };
const PROXY: TrustedProxySettings = {
  userHeader: "x-forwarded-user",
  requiredHeaders: ["x-forwarded-proto"],
  allowUsers: ["alice@example.com", "bob@example.com"],
  allowLoopback: true,
  deviceAutoApprove: { enabled: true, scopes: ["operator.approvals", "operator.read"] },
};

let server: GatewayServer | undefined;
const proxies: IdentityProxy[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) {
    client.close();
    await client.waitClosed();
  }
  for (const proxy of proxies.splice(0)) await proxy.close();
  await server?.stop();
  server = undefined;
});

function proxyAuth(proxy: Partial<TrustedProxySettings> = {}, auth: Partial<AuthSettings> = {}): AuthSettings {
  return tokenAuth({
    mode: "trusted-proxy",
    token: undefined,
    trustedProxies: [PROXY_SOURCE],
    trustedProxy: { ...PROXY, ...proxy },
    identityScopes: { "alice@example.com": ["operator.read", "operator.write"] },
    ...auth,
  });
}

async function startProxied(proxy: Partial<TrustedProxySettings> = {}, auth: Partial<AuthSettings> = {}): Promise<GatewayServer> {
  server = await startGateway({ auth: proxyAuth(proxy, auth) });
  return server;
}

async function proxyFor(gateway: GatewayServer, options: Partial<IdentityProxyOptions> = {}): Promise<IdentityProxy> {
  const proxy = await startIdentityProxy({
    target: `http://127.0.0.1:${gateway.port}`,
    localAddress: PROXY_SOURCE,
    sessions: SESSIONS,
    ...CLIENT_ROUTE,
    ...options,
  });
  proxies.push(proxy);
  return proxy;
}

/** Open `url` with `headers`, answer the challenge with `build(nonce)`, and return the connect answer. */
async function connectVia(url: string, build: (nonce: string) => ConnectParams, headers: Record<string, string>): Promise<Frame> {
  const client = await RawClient.open(url, headers);
  clients.push(client);
  const nonce = (await client.event("connect.challenge")).payload.nonce as string;
  client.send({ type: "req", id: "c1", method: "connect", params: build(nonce) });
  return client.response("c1");
}

const session = (token: string) => ({ authorization: `Bearer ${token}` });
const cli = (scopes: string[]) => () => connectParams({ auth: undefined, scopes });

describe("trusted-proxy auth behind a real reverse proxy", () => {
  it("admits the user the proxy names, with that user's identityScopes as far as requested", async () => {
    const gateway = await startProxied();
    const proxy = await proxyFor(gateway);
    const alice = await connectVia(proxy.url, cli(["operator.read", "operator.write", "operator.admin"]), session("alice-session"));
    expect(alice.payload?.auth).toMatchObject({ method: "trusted-proxy", scopes: ["operator.read", "operator.write"] });
    // An allowed user without identityScopes gets in with no scopes at all (default-deny).
    const bob = await connectVia(proxy.url, cli(["operator.read"]), session("bob-session"));
    expect(bob.payload?.auth).toMatchObject({ method: "trusted-proxy", scopes: [] });
    // The proxy overwrites a user header the client sent itself.
    const forged = await connectVia(proxy.url, cli(["operator.read"]), { ...session("bob-session"), "x-forwarded-user": "alice@example.com" });
    expect(forged.payload?.auth.scopes).toEqual([]);
    // A session the proxy does not know never reaches the gateway.
    await expect(RawClient.open(proxy.url, session("stolen"))).rejects.toThrow(/401/);
    expect(proxy.refused).toBe(1);
  });

  it("caps the session with the proxy's x-openclaw-scopes", async () => {
    const gateway = await startProxied();
    const proxy = await proxyFor(gateway, { headers: { "x-forwarded-proto": "https", "x-openclaw-scopes": "operator.read" } });
    const alice = await connectVia(proxy.url, cli(["operator.read", "operator.write"]), session("alice-session"));
    expect(alice.payload?.auth.scopes).toEqual(["operator.read"]);
  });

  it("refuses a user who is not in allowUsers", async () => {
    const gateway = await startProxied();
    const proxy = await proxyFor(gateway);
    const mallory = await connectVia(proxy.url, cli(["operator.read"]), session("mallory-session"));
    expect(mallory.error).toMatchObject({ message: "unauthorized", details: { code: "AUTH_UNAUTHORIZED", authReason: "trusted_proxy_user_not_allowed" } });
  });

  it("refuses a request that lacks a required header", async () => {
    const gateway = await startProxied();
    const proxy = await proxyFor(gateway, { headers: {} });
    const alice = await connectVia(proxy.url, cli(["operator.read"]), session("alice-session"));
    expect(alice.error).toMatchObject({
      message: "unauthorized: trusted proxy header missing (x-forwarded-proto)",
      details: { code: "AUTH_IDENTITY_HEADER_REQUIRED", authReason: "trusted_proxy_missing_header_x-forwarded-proto" },
    });
  });

  it("refuses a loopback proxy unless allowLoopback is on", async () => {
    const gateway = await startProxied({ allowLoopback: false });
    const proxy = await proxyFor(gateway);
    const alice = await connectVia(proxy.url, cli(["operator.read"]), session("alice-session"));
    expect(alice.error?.details).toMatchObject({ authReason: "trusted_proxy_loopback_source" });
  });

  it("pairs a new device of an allowed user automatically, for at most deviceAutoApprove.scopes", async () => {
    const gateway = await startProxied();
    const proxy = await proxyFor(gateway);
    const device = createDevice();
    const asked = uiParams({ auth: undefined, scopes: ["operator.admin", "operator.read", "operator.write"] });
    const first = await connectVia(proxy.url, (nonce) => signConnect(device, asked, nonce), session("bob-session"));
    expect(first.ok).toBe(true);
    expect(first.payload.auth).toMatchObject({ method: "trusted-proxy", scopes: ["operator.read"], deviceToken: expect.any(String) });

    // The device token it was given works on its own, for the approved scopes only.
    const direct = `ws://127.0.0.1:${gateway.port}`;
    const again = await connectVia(
      direct,
      (nonce) => signConnect(device, uiParams({ auth: { deviceToken: first.payload.auth.deviceToken }, scopes: ["operator.read"] }), nonce),
      {},
    );
    expect(again.payload?.auth).toMatchObject({ method: "device-token", scopes: ["operator.read"] });
    const more = await connectVia(
      direct,
      (nonce) => signConnect(device, uiParams({ auth: { deviceToken: first.payload.auth.deviceToken }, scopes: ["operator.write"] }), nonce),
      {},
    );
    expect(more.error?.details).toMatchObject({ code: "AUTH_SCOPE_MISMATCH" });
  });

  it("leaves a new device to an operator when deviceAutoApprove is off", async () => {
    const gateway = await startProxied({ deviceAutoApprove: { enabled: false, scopes: ["operator.read"] } });
    const proxy = await proxyFor(gateway);
    const device = createDevice();
    const refused = await connectVia(proxy.url, (nonce) => signConnect(device, uiParams({ auth: undefined }), nonce), session("bob-session"));
    expect(refused.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "PAIRING_REQUIRED", reason: "not-paired" } });
  });
});

describe("bypassing the proxy", () => {
  const forged = { "x-forwarded-user": "alice@example.com", "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https" };

  it("a direct loopback connect with forged proxy headers is refused at the upgrade (403)", async () => {
    const gateway = await startProxied();
    await expect(RawClient.open(`ws://127.0.0.1:${gateway.port}`, forged)).rejects.toThrow(/403/);
  });

  it("a direct connect from an address that is not a trusted proxy is refused with trusted_proxy_untrusted_source", async () => {
    // A user header outside x-forwarded-* gets past the upgrade; the address check still refuses it.
    const gateway = await startProxied({ userHeader: "x-auth-user" });
    const hello = await connectVia(`ws://127.0.0.1:${gateway.port}`, cli(["operator.read"]), { "x-auth-user": "alice@example.com" });
    expect(hello.error?.details).toMatchObject({ code: "AUTH_UNAUTHORIZED", authReason: "trusted_proxy_untrusted_source" });
  });

  it.skipIf(EXTERNAL === undefined)(
    "a proxy on one of this host's own non-loopback addresses is refused with trusted_proxy_local_interface_source",
    async () => {
      server = await startGateway({ hosts: ["127.0.0.1", EXTERNAL!], auth: proxyAuth({}, { trustedProxies: [EXTERNAL!] }) });
      const proxy = await proxyFor(server, {
        target: `http://${EXTERNAL}:${server.port}`,
        localAddress: EXTERNAL!,
        host: "127.0.0.1",
        clientAddress: "203.0.113.10",
      });
      const alice = await connectVia(proxy.url, cli(["operator.read"]), session("alice-session"));
      expect(alice.error?.details).toMatchObject({ authReason: "trusted_proxy_local_interface_source" });
    },
  );
});
