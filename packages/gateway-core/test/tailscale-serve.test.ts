import { afterEach, describe, expect, it } from "vitest";
import { createFakeTailscale, waitFor, type FakeTailscale } from "@openclaw/testing";
import { createTailscaleWhois, type AuthSettings, type GatewayServer, type TailscaleWhoisResolver } from "../src/index.js";
import { RawClient, TOKEN, connectClient, connectParams, startGateway, tokenAuth } from "./harness.js";

/** What tailscaled's Serve proxy adds to a request from a tailnet device, here alice's laptop. */
const SERVE_HEADERS = {
  "x-forwarded-for": "100.64.0.5",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "gateway.example-tailnet.ts.net",
  "tailscale-user-login": "alice@example.com",
  "tailscale-user-name": "Alice",
};
const PEERS = { "100.64.0.5": "alice@example.com", "100.64.0.6": "bob@example.com", "100.64.0.7": { tags: ["tag:server"] } };

let fake: FakeTailscale | undefined;
let resolver: TailscaleWhoisResolver | undefined;
let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  await resolver?.close();
  fake?.close();
  [fake, resolver, server] = [undefined, undefined, undefined];
});

/** A gateway whose whois runs the fake `tailscale` CLI, as the composition root wires it. */
async function startServeGateway(auth: Partial<AuthSettings> = {}): Promise<GatewayServer> {
  fake = createFakeTailscale(PEERS);
  resolver = createTailscaleWhois({ binary: fake.binary });
  server = await startGateway({
    auth: tokenAuth({ allowTailscale: true, identityScopes: { "alice@example.com": ["operator.read", "operator.write"] }, ...auth }),
    whois: resolver.whois,
  });
  return server;
}

/** Connect as a device-less CLI through "Serve": the socket is loopback, the headers are Serve's. */
async function serveConnect(gateway: GatewayServer, headers: Record<string, string>, scopes = ["operator.read", "operator.admin"]) {
  const result = await connectClient(gateway, () => connectParams({ auth: undefined, scopes }), headers);
  clients.push(result.client);
  return result.hello;
}

const whoisCalls = () => fake!.calls().filter((call) => call.args[0] === "whois");

describe("Tailscale Serve identity", () => {
  it("admits a Serve-forwarded connect as the whois-confirmed user, under the default trustedProxies, with its identityScopes", async () => {
    const gateway = await startServeGateway();
    const hello = await serveConnect(gateway, SERVE_HEADERS);
    expect(hello.ok).toBe(true);
    // Asked for read + admin; alice's identity grants read and write: the session gets the overlap.
    expect(hello.payload.auth).toMatchObject({ method: "tailscale", role: "operator", scopes: ["operator.read"] });
    expect(whoisCalls().map((call) => call.args)).toEqual([["whois", "--json", "100.64.0.5"]]);
  });

  it("caches whois answers: a second connect from the same device runs no second lookup", async () => {
    const gateway = await startServeGateway();
    expect((await serveConnect(gateway, SERVE_HEADERS)).ok).toBe(true);
    expect((await serveConnect(gateway, SERVE_HEADERS)).ok).toBe(true);
    expect(whoisCalls()).toHaveLength(1);
  });

  it("refuses forged headers whose X-Forwarded-For belongs to another login", async () => {
    const gateway = await startServeGateway();
    const hello = await serveConnect(gateway, { ...SERVE_HEADERS, "x-forwarded-for": "100.64.0.6" });
    expect(hello.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "unauthorized: tailscale identity mismatch (use Tailscale Serve auth or gateway token/password)",
      details: { code: "AUTH_TAILSCALE_IDENTITY_MISMATCH", authReason: "tailscale_user_mismatch" },
    });
    // A tagged node has no user, so no login can be claimed for it either.
    const tagged = await serveConnect(gateway, { ...SERVE_HEADERS, "x-forwarded-for": "100.64.0.7", "tailscale-user-login": "tagged-devices" });
    expect(tagged.error?.details).toMatchObject({ authReason: "tailscale_whois_failed" });
  });

  it("answers tailscale_whois_failed when tailscale cannot say who it is, and does not cache the failure", async () => {
    const gateway = await startServeGateway();
    fake!.setBehaviour({ whois: "fail" });
    const failed = await serveConnect(gateway, SERVE_HEADERS);
    expect(failed.error).toMatchObject({
      message: "unauthorized: tailscale identity check failed (use Tailscale Serve auth or gateway token/password)",
      details: { code: "AUTH_TAILSCALE_WHOIS_FAILED", authReason: "tailscale_whois_failed" },
    });
    const unknown = await serveConnect(gateway, { ...SERVE_HEADERS, "x-forwarded-for": "100.64.0.99" });
    expect(unknown.error?.details).toMatchObject({ authReason: "tailscale_whois_failed" });
    fake!.setBehaviour({ whois: "answer" });
    expect((await serveConnect(gateway, SERVE_HEADERS)).ok).toBe(true);
  });

  it("rate-limits failed Tailscale logins per tailnet client, like other failed auth", async () => {
    const gateway = await startServeGateway({ rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true } });
    const forged = { ...SERVE_HEADERS, "x-forwarded-for": "100.64.0.6" };
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await serveConnect(gateway, forged)).error?.details?.authReason).toBe("tailscale_user_mismatch");
    const locked = await serveConnect(gateway, forged);
    expect(locked.error).toMatchObject({ retryable: true, details: { code: "AUTH_RATE_LIMITED" } });
    expect(whoisCalls()).toHaveLength(1);
    // Another tailnet device behind the same Serve proxy is not locked out with it.
    expect((await serveConnect(gateway, SERVE_HEADERS)).ok).toBe(true);
  });

  it("without a login header a Serve request needs the token; with it, it connects", async () => {
    const gateway = await startServeGateway();
    const { "tailscale-user-login": _login, ...anonymous } = SERVE_HEADERS;
    const result = await connectClient(gateway, () => connectParams(), anonymous);
    clients.push(result.client);
    expect(result.hello.payload.auth).toMatchObject({ method: "token" });
    expect(whoisCalls()).toHaveLength(0);
  });
});

describe("Serve-shaped requests when Tailscale is off", () => {
  it("are refused at the upgrade (403, an unattributed local proxy), as before", async () => {
    server = await startGateway();
    await expect(RawClient.open(server.url, SERVE_HEADERS)).rejects.toThrow(/403/);
  });

  it("are let in to authenticate with the token when the gateway runs Serve itself", async () => {
    server = await startGateway({ auth: tokenAuth({ tailscaleMode: "serve", allowTailscale: false }) });
    const { "tailscale-user-login": _login, ...anonymous } = SERVE_HEADERS;
    const result = await connectClient(server, () => connectParams({ auth: { token: TOKEN } }), anonymous);
    clients.push(result.client);
    expect(result.hello.ok).toBe(true);
    // The identity header alone is not accepted while allowTailscale is off.
    const headerOnly = await connectClient(server, () => connectParams({ auth: undefined }), SERVE_HEADERS);
    clients.push(headerOnly.client);
    expect(headerOnly.hello.error?.details?.code).toBe("DEVICE_IDENTITY_REQUIRED");
  });
});

describe("the whois resolver", () => {
  it("kills a lookup that outlives its timeout", async () => {
    fake = createFakeTailscale(PEERS, { whois: "hang" });
    resolver = createTailscaleWhois({ binary: fake.binary, timeoutMs: 1000 });
    await expect(resolver.whois("100.64.0.5")).rejects.toThrow("tailscale whois --json 100.64.0.5 did not finish within 1000 ms");
    // On a slow machine the process may be killed before it could record itself; whatever it recorded is gone.
    for (const call of whoisCalls()) expect(() => process.kill(call.pid, 0)).toThrow(/ESRCH/);
  });

  it("kills running lookups when closed, and refuses new ones", async () => {
    fake = createFakeTailscale(PEERS, { whois: "hang" });
    resolver = createTailscaleWhois({ binary: fake.binary });
    const pending = resolver.whois("100.64.0.5");
    const call = await waitFor("the whois process to start", () => whoisCalls()[0]);
    const closed = resolver.close();
    await expect(pending).rejects.toThrow(/shutting down/);
    await closed;
    expect(() => process.kill(call.pid, 0)).toThrow(/ESRCH/);
    await expect(resolver.whois("100.64.0.5")).rejects.toThrow(/closed/);
  });
});
