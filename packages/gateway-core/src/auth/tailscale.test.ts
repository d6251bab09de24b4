import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT } from "./rate-limit.js";
import { claimsTailscaleIdentity, evaluateSharedAuth, type AuthSettings } from "./shared-auth.js";
import { decodeTailscaleHeader, evaluateTailscale, tailscaleServeClient, type TailscaleWhois } from "./tailscale.js";
import { parseWhoisOutput } from "../tailscale/whois.js";
import { tailscaleExposureCommands } from "../tailscale/exposure.js";

const serve = { "x-forwarded-for": "100.64.0.5", "x-forwarded-proto": "https", "x-forwarded-host": "gw.example-tailnet.ts.net" };
const alice = { ...serve, "tailscale-user-login": "alice@example.com" };
const whoisOf =
  (table: Record<string, string>): TailscaleWhois =>
  async (address) =>
    table[address] === undefined ? undefined : { login: table[address]! };
const reason = (outcome: Awaited<ReturnType<typeof evaluateTailscale>>) => (outcome === undefined ? "none" : outcome.kind === "ok" ? "ok" : outcome.reason);

describe("Tailscale Serve requests", () => {
  it("are loopback peers with one tailnet address in X-Forwarded-For and X-Forwarded-Host", () => {
    expect(tailscaleServeClient("127.0.0.1", serve)).toBe("100.64.0.5");
    expect(tailscaleServeClient("::1", { ...serve, "x-forwarded-for": "fd7a:115c:a1e0::5" })).toBe("fd7a:115c:a1e0::5");
    expect(tailscaleServeClient("192.0.2.9", serve)).toBeUndefined();
    // tailscaled sets exactly one address; a list means another proxy appended to it.
    expect(tailscaleServeClient("127.0.0.1", { ...serve, "x-forwarded-for": "100.64.0.9, 100.64.0.5" })).toBeUndefined();
    expect(tailscaleServeClient("127.0.0.1", { ...serve, "x-forwarded-for": "127.0.0.1" })).toBeUndefined();
    const { "x-forwarded-host": _host, ...noHost } = serve;
    expect(tailscaleServeClient("127.0.0.1", noHost)).toBeUndefined();
    expect(tailscaleServeClient("127.0.0.1", { ...serve, "x-real-ip": "100.64.0.5" })).toBeUndefined();
  });

  it("decode tailscaled's RFC 2047 header words", () => {
    expect(decodeTailscaleHeader("alice@example.com")).toBe("alice@example.com");
    expect(decodeTailscaleHeader("=?utf-8?q?J=C3=BCrgen_M=C3=BCller?=")).toBe("Jürgen Müller");
  });
});

describe("Tailscale identity evaluation", () => {
  it("accepts the login whois confirms for the forwarded address", async () => {
    const outcome = await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: alice }, whoisOf({ "100.64.0.5": "Alice@example.com" }));
    expect(outcome).toEqual({ kind: "ok", method: "tailscale", user: "Alice@example.com" });
  });

  it("gives the spec's reason for each failure", async () => {
    const whois = whoisOf({ "100.64.0.5": "alice@example.com", "100.64.0.6": "bob@example.com" });
    expect(reason(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: { ...alice, "x-forwarded-for": "100.64.0.6" } }, whois))).toBe(
      "tailscale_user_mismatch",
    );
    expect(reason(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: { ...alice, "x-forwarded-for": "100.64.0.7" } }, whois))).toBe(
      "tailscale_whois_failed",
    );
    const broken: TailscaleWhois = async () => {
      throw new Error("tailscaled is not running");
    };
    expect(reason(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: alice }, broken))).toBe("tailscale_whois_failed");
    expect(reason(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: alice }, undefined))).toBe("tailscale_whois_failed");
    expect(reason(await evaluateTailscale({ remoteAddress: "192.0.2.9", headers: alice }, whois))).toBe("tailscale_proxy_missing");
    const { "x-forwarded-proto": _proto, ...noProto } = alice;
    expect(reason(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: noProto }, whois))).toBe("tailscale_proxy_missing");
    // A Serve request without an identity (a tagged node, a Funnel visitor) is missing credentials, not a wrong one.
    expect(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: serve }, whois)).toEqual({ kind: "missing", reason: "tailscale_user_missing" });
    expect(await evaluateTailscale({ remoteAddress: "127.0.0.1", headers: {} }, whois)).toBeUndefined();
  });

  it("applies only without a token or password, and only when allowed", async () => {
    const settings: AuthSettings = {
      mode: "token",
      token: "t",
      trustedProxies: [],
      allowRealIpFallback: false,
      allowTailscale: true,
      rateLimit: DEFAULT_RATE_LIMIT,
    };
    const request = { remoteAddress: "127.0.0.1", headers: alice };
    expect(claimsTailscaleIdentity(settings, undefined, request)).toBe(true);
    expect(claimsTailscaleIdentity(settings, { token: "t" }, request)).toBe(false);
    expect(claimsTailscaleIdentity({ ...settings, allowTailscale: false }, undefined, request)).toBe(false);
    expect(await evaluateSharedAuth({ ...settings, allowTailscale: false }, undefined, request, whoisOf({ "100.64.0.5": "alice@example.com" }))).toMatchObject({
      kind: "missing",
      reason: "token_missing",
    });
    expect(await evaluateSharedAuth(settings, { token: "t" }, request)).toMatchObject({ kind: "ok", method: "token" });
  });

  it("auth mode none refuses what a proxy relays", async () => {
    const none: AuthSettings = { mode: "none", trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT };
    expect(await evaluateSharedAuth(none, undefined, { remoteAddress: "127.0.0.1", headers: {} })).toMatchObject({ kind: "ok" });
    expect(await evaluateSharedAuth(none, undefined, { remoteAddress: "127.0.0.1", headers: serve })).toMatchObject({ reason: "proxy_attribution_required" });
  });
});

describe("tailscale CLI output and commands", () => {
  it("reads the login from whois JSON; a tagged node has no user", () => {
    expect(parseWhoisOutput(JSON.stringify({ Node: { Tags: null }, UserProfile: { LoginName: "alice@example.com", DisplayName: "Alice" } }))).toEqual({
      login: "alice@example.com",
      displayName: "Alice",
    });
    expect(parseWhoisOutput(JSON.stringify({ Node: { Tags: ["tag:server"] }, UserProfile: { LoginName: "tagged-devices" } }))).toBeUndefined();
    expect(() => parseWhoisOutput("no match for IP:port")).toThrow(/not JSON/);
  });

  it("routes HTTPS 443 to the gateway's loopback port, and removes only that route", () => {
    expect(tailscaleExposureCommands({ mode: "serve", port: 18789 })).toEqual({
      up: ["serve", "--bg", "--yes", "--https=443", "http://127.0.0.1:18789"],
      down: ["serve", "--https=443", "off"],
    });
    expect(tailscaleExposureCommands({ mode: "funnel", port: 18789, tls: true }).up).toEqual([
      "funnel",
      "--bg",
      "--yes",
      "--https=443",
      "https+insecure://127.0.0.1:18789",
    ]);
  });
});
