import { afterEach, describe, expect, it } from "vitest";
import { type GatewayServer } from "../src/index.js";
import { FailedAuthLimiter, evaluateSharedAuth, secretsEqual } from "../src/internal.js";
import { RawClient, TOKEN, connectClient, connectParams, startGateway, tokenAuth } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

describe("secret comparison", () => {
  it("matches only identical secrets, whatever the lengths", () => {
    expect(secretsEqual("abc", "abc")).toBe(true);
    expect(secretsEqual("abc", "abd")).toBe(false);
    expect(secretsEqual("ab", "abc")).toBe(false);
    expect(secretsEqual("", "abc")).toBe(false);
  });
});

describe("failed-auth rate limiting", () => {
  const remote = (address: string) => ({ address, loopback: false });
  const loopback = { address: "127.0.0.1", loopback: true };

  it("locks an address out after maxAttempts failures in the window, per credential class", () => {
    let now = 1000;
    const limiter = new FailedAuthLimiter({ maxAttempts: 3, windowMs: 100, lockoutMs: 500, exemptLoopback: true }, () => now);
    expect(limiter.recordFailure(remote("10.0.0.1"), "shared-secret")).toBe(0);
    expect(limiter.recordFailure(remote("10.0.0.1"), "shared-secret")).toBe(0);
    expect(limiter.recordFailure(remote("10.0.0.1"), "shared-secret")).toBe(500);
    expect(limiter.retryAfterMs(remote("10.0.0.1"), "shared-secret")).toBe(500);
    expect(limiter.gate(remote("10.0.0.1"), "shared-secret")).toEqual({ kind: "locked", retryAfterMs: 500 });
    expect(limiter.retryAfterMs(remote("10.0.0.1"), "device-token")).toBe(0);
    expect(limiter.gate(remote("10.0.0.1"), "device-token")).toMatchObject({ kind: "wait", waitMs: 0 });
    expect(limiter.retryAfterMs(remote("10.0.0.2"), "shared-secret")).toBe(0);
    now += 501;
    expect(limiter.retryAfterMs(remote("10.0.0.1"), "shared-secret")).toBe(0);
  });

  it("forgets failures outside the window and never locks out loopback without an Origin", () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxAttempts: 2, windowMs: 100, lockoutMs: 500, exemptLoopback: true }, () => now);
    limiter.recordFailure(remote("10.0.0.1"), "shared-secret");
    now = 200;
    expect(limiter.recordFailure(remote("10.0.0.1"), "shared-secret")).toBe(0);
    for (let i = 0; i < 10; i++) expect(limiter.recordFailure(loopback, "shared-secret")).toBe(0);
    // A browser page on loopback is not exempt, and its bucket is its origin, not the address.
    const page = { ...loopback, origin: "http://evil.example" };
    limiter.recordFailure(page, "shared-secret");
    expect(limiter.recordFailure(page, "shared-secret")).toBe(500);
    expect(limiter.retryAfterMs({ ...loopback, origin: "http://other.example" }, "shared-secret")).toBe(0);
  });

  it("delays each attempt after a failure progressively, loopback included: 250 ms, 0.5 s, 1 s … capped at 5 s", () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true }, () => now);
    const first = limiter.gate(loopback, "shared-secret");
    expect(first).toMatchObject({ kind: "wait", waitMs: 0 });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      limiter.recordFailure(loopback, "shared-secret");
      const gate = limiter.gate(loopback, "shared-secret");
      if (gate.kind !== "wait") throw new Error(`attempt ${attempt} was refused: ${JSON.stringify(gate)}`);
      waits.push(gate.waitMs);
      now += gate.waitMs;
      gate.release();
    }
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    // A success starts the key over.
    limiter.recordSuccess(loopback, "shared-secret");
    expect(limiter.gate(loopback, "shared-secret")).toMatchObject({ kind: "wait", waitMs: 0 });
  });

  it("after a failure lets one attempt of a key through at a time; a parallel guess is refused with the time to retry", () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxAttempts: 100, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true }, () => now);
    for (let i = 0; i < 3; i += 1) limiter.recordFailure(loopback, "shared-secret");
    const held = limiter.gate(loopback, "shared-secret");
    expect(held).toMatchObject({ kind: "wait", waitMs: 1000 });
    expect(limiter.gate(loopback, "shared-secret")).toEqual({ kind: "locked", retryAfterMs: 1000 });
    // Other classes and other addresses are not held up.
    expect(limiter.gate(loopback, "device-token")).toMatchObject({ kind: "wait", waitMs: 0 });
    expect(limiter.gate({ address: "127.0.0.2", loopback: true }, "shared-secret")).toMatchObject({ kind: "wait", waitMs: 0 });
    if (held.kind === "wait") held.release();
    now = 1000;
    expect(limiter.gate(loopback, "shared-secret")).toMatchObject({ kind: "wait", waitMs: 0 });
  });

  it("decays: a key that failed nothing for a whole window waits no more", () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxAttempts: 10, windowMs: 1000, lockoutMs: 300_000, exemptLoopback: true }, () => now);
    limiter.recordFailure(loopback, "shared-secret");
    const soon = limiter.gate(loopback, "shared-secret");
    expect(soon).toMatchObject({ kind: "wait", waitMs: 250 });
    if (soon.kind === "wait") soon.release();
    now = 2000;
    expect(limiter.gate(loopback, "shared-secret")).toMatchObject({ kind: "wait", waitMs: 0 });
  });

  it("over the wire: the 11th attempt from a non-local peer is refused with retryAfterMs, and the right token too", async () => {
    server = await startGateway({ isLocal: () => false });
    for (let i = 0; i < 10; i++) {
      const { hello } = await connectClient(server, () => connectParams({ auth: { token: `wrong-${i}` } }));
      expect(hello.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    }
    const locked = await connectClient(server, () => connectParams());
    expect(locked.hello.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "unauthorized: too many failed authentication attempts (retry later)",
      retryable: true,
      retryAfterMs: expect.any(Number),
      details: { code: "AUTH_RATE_LIMITED" },
    });
    expect(locked.hello.error.retryAfterMs).toBeGreaterThan(290_000);
  });

  it("over the wire: after retryAfterMs the right token gets in again; loopback stays exempt when configured", async () => {
    const rateLimit = { maxAttempts: 3, windowMs: 60_000, lockoutMs: 400, exemptLoopback: true };
    server = await startGateway({ auth: tokenAuth({ rateLimit }), isLocal: () => false });
    for (let i = 0; i < 3; i++) await connectClient(server, () => connectParams({ auth: { token: `wrong-${i}` } }));
    const locked = (await connectClient(server, () => connectParams())).hello.error;
    expect(locked?.details?.code).toBe("AUTH_RATE_LIMITED");
    expect(locked.retryAfterMs).toBeGreaterThan(0);
    expect(locked.retryAfterMs).toBeLessThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, locked.retryAfterMs + 50));
    expect((await connectClient(server, () => connectParams())).hello.ok).toBe(true);
    await server.stop();

    // The same brute force from loopback is never locked out while exemptLoopback is on.
    server = await startGateway({ auth: tokenAuth({ rateLimit }) });
    for (let i = 0; i < 6; i++)
      expect((await connectClient(server, () => connectParams({ auth: { token: `wrong-${i}` } }))).hello.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    expect((await connectClient(server, () => connectParams())).hello.ok).toBe(true);
  });

  it("does not count missing credentials", async () => {
    server = await startGateway({ isLocal: () => false });
    for (let i = 0; i < 12; i++) {
      const { hello } = await connectClient(server, () => connectParams({ auth: undefined }));
      expect(hello.error?.details?.code).toBe("DEVICE_IDENTITY_REQUIRED");
    }
    expect((await connectClient(server, () => connectParams())).hello.ok).toBe(true);
  });
});

describe("auth modes", () => {
  it("password mode", async () => {
    server = await startGateway({ auth: tokenAuth({ mode: "password", token: undefined, password: "s3cret" }) });
    expect((await connectClient(server, () => connectParams({ auth: { password: "s3cret" } }))).hello.ok).toBe(true);
    const wrong = await connectClient(server, () => connectParams({ auth: { password: "nope" } }));
    expect(wrong.hello.error?.details?.code).toBe("AUTH_PASSWORD_MISMATCH");
  });

  it("token mode without a configured token fails closed", async () => {
    server = await startGateway({ auth: tokenAuth({ token: undefined }) });
    const { hello } = await connectClient(server, () => connectParams({ auth: { token: "anything" } }));
    expect(hello.error?.details?.code).toBe("AUTH_TOKEN_NOT_CONFIGURED");
  });

  it("none mode admits without credentials", async () => {
    server = await startGateway({ auth: tokenAuth({ mode: "none", token: undefined }) });
    const { client, hello } = await connectClient(server, () => connectParams({ auth: undefined }));
    clients.push(client);
    expect(hello.payload.auth).toMatchObject({ method: "none", scopes: ["operator.read"] });
  });
});

describe("trusted-proxy mode", () => {
  const settings = tokenAuth({
    mode: "trusted-proxy",
    token: undefined,
    trustedProxies: ["10.1.0.0/16"],
    trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: ["x-forwarded-proto"], allowUsers: ["alice"], allowLoopback: false },
  });
  const request = (remoteAddress: string, headers: Record<string, string>) => ({ remoteAddress, headers });
  const good = { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https", "x-forwarded-user": "alice" };

  it("accepts an allowed user from a trusted proxy", async () => {
    expect(await evaluateSharedAuth(settings, undefined, request("10.1.2.3", good))).toEqual({ kind: "ok", method: "trusted-proxy", user: "alice" });
  });

  it("refuses untrusted sources, loopback sources, missing headers and other users", async () => {
    expect(await evaluateSharedAuth(settings, undefined, request("10.2.0.1", good))).toMatchObject({
      kind: "failed",
      reason: "trusted_proxy_untrusted_source",
    });
    expect(await evaluateSharedAuth(settings, undefined, request("127.0.0.1", good))).toMatchObject({ kind: "failed" });
    const { "x-forwarded-proto": _proto, ...noProto } = good;
    expect(await evaluateSharedAuth(settings, undefined, request("10.1.2.3", noProto))).toMatchObject({
      reason: "trusted_proxy_missing_header_x-forwarded-proto",
    });
    expect(await evaluateSharedAuth(settings, undefined, request("10.1.2.3", { ...good, "x-forwarded-user": "mallory" }))).toMatchObject({
      reason: "trusted_proxy_user_not_allowed",
    });
    const { "x-forwarded-user": _user, ...noUser } = good;
    expect(await evaluateSharedAuth(settings, undefined, request("10.1.2.3", noUser))).toMatchObject({ reason: "trusted_proxy_user_missing" });
  });
});

describe("tailscale identity", () => {
  const settings = tokenAuth({ allowTailscale: true });
  const headers = {
    "tailscale-user-login": "alice@example.com",
    "x-forwarded-for": "100.64.0.5",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "gw.ts.net",
  };

  it("accepts a login the whois resolver confirms, when no token is sent", async () => {
    const whois = async (address: string) => (address === "100.64.0.5" ? { login: "alice@example.com" } : undefined);
    expect(await evaluateSharedAuth(settings, undefined, { remoteAddress: "127.0.0.1", headers }, whois)).toMatchObject({ kind: "ok", method: "tailscale" });
  });

  it("refuses a mismatch, a failed whois, and headers from a non-loopback peer", async () => {
    expect(await evaluateSharedAuth(settings, undefined, { remoteAddress: "127.0.0.1", headers }, async () => ({ login: "bob@example.com" }))).toMatchObject({
      reason: "tailscale_user_mismatch",
    });
    expect(
      await evaluateSharedAuth(settings, undefined, { remoteAddress: "127.0.0.1", headers }, async () => {
        throw new Error("no daemon");
      }),
    ).toMatchObject({ reason: "tailscale_whois_failed" });
    expect(await evaluateSharedAuth(settings, undefined, { remoteAddress: "192.0.2.1", headers }, async () => ({ login: "alice@example.com" }))).toMatchObject({
      reason: "tailscale_proxy_missing",
    });
  });

  it("never applies when disabled, and a token still wins", async () => {
    expect(await evaluateSharedAuth(tokenAuth(), undefined, { remoteAddress: "127.0.0.1", headers })).toMatchObject({ kind: "missing" });
    expect(await evaluateSharedAuth(settings, { token: TOKEN }, { remoteAddress: "127.0.0.1", headers })).toMatchObject({ kind: "ok", method: "token" });
  });
});
