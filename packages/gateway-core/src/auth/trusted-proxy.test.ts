import { describe, expect, it } from "vitest";
import { capScopes, identityGrant, scopeCap } from "./identity-scopes.js";
import { evaluateTrustedProxy, forwardedClientAddress, type ProxyTrust, type TrustedProxySettings } from "./trusted-proxy.js";

const proxy: TrustedProxySettings = {
  userHeader: "x-forwarded-user",
  requiredHeaders: ["x-forwarded-proto"],
  allowUsers: ["alice@example.com"],
  allowLoopback: false,
};
const trust = (overrides: Partial<ProxyTrust> = {}): ProxyTrust => ({
  trustedProxy: proxy,
  trustedProxies: ["10.1.0.0/16", "127.0.0.3"],
  allowRealIpFallback: false,
  ...overrides,
});
const good = { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https", "x-forwarded-user": "alice@example.com" };
const noInterfaces = () => ["192.0.2.50"];
const check = (remoteAddress: string, headers: Record<string, string>, settings = trust(), interfaces = noInterfaces) =>
  evaluateTrustedProxy(settings, { remoteAddress, headers }, interfaces);
const reason = (outcome: ReturnType<typeof check>) => (outcome.kind === "ok" ? "ok" : outcome.reason);

describe("trusted-proxy evaluation order", () => {
  it("accepts an allowed user from a trusted proxy, emails compared case-insensitively", () => {
    expect(check("10.1.2.3", good)).toEqual({ kind: "ok", method: "trusted-proxy", user: "alice@example.com" });
    expect(check("10.1.2.3", { ...good, "x-forwarded-user": "Alice@Example.com" })).toMatchObject({ kind: "ok" });
  });

  it("0: refuses a mode without its section or without any proxy", () => {
    expect(reason(check("10.1.2.3", good, trust({ trustedProxy: undefined })))).toBe("trusted_proxy_config_missing");
    expect(reason(check("10.1.2.3", good, trust({ trustedProxies: [] })))).toBe("trusted_proxy_no_proxies_configured");
  });

  it("1: refuses a source that is not a trusted proxy, and a forwarded client that is missing or loopback", () => {
    expect(reason(check("10.2.0.1", good))).toBe("trusted_proxy_untrusted_source");
    expect(reason(check("127.0.0.1", good))).toBe("trusted_proxy_untrusted_source");
    const { "x-forwarded-for": _for, ...unattributed } = good;
    expect(reason(check("10.1.2.3", unattributed))).toBe("trusted_proxy_untrusted_source");
    expect(reason(check("10.1.2.3", { ...good, "x-forwarded-for": "127.0.0.1" }))).toBe("trusted_proxy_untrusted_source");
    expect(reason(check("10.1.2.3", { ...good, "x-forwarded-for": "not-an-address" }))).toBe("trusted_proxy_untrusted_source");
  });

  it("2: refuses a listed loopback proxy unless allowLoopback", () => {
    expect(reason(check("127.0.0.3", good))).toBe("trusted_proxy_loopback_source");
    const loopbackOk = trust({ trustedProxy: { ...proxy, allowLoopback: true } });
    expect(reason(check("127.0.0.3", good, loopbackOk))).toBe("ok");
    expect(reason(check("::ffff:127.0.0.3", good, loopbackOk))).toBe("ok");
  });

  it("3: refuses a proxy address that is this host's own interface, and fails closed when interfaces cannot be read", () => {
    const settings = trust({ trustedProxies: ["10.1.0.0/16", "192.0.2.50"] });
    expect(reason(check("192.0.2.50", good, settings))).toBe("trusted_proxy_local_interface_source");
    const broken = () => {
      throw new Error("uv_interface_addresses failed");
    };
    expect(reason(check("10.1.2.3", good, settings, broken))).toBe("trusted_proxy_local_interface_check_failed");
  });

  it("4 and 5: required headers, the user header, then allowUsers", () => {
    const { "x-forwarded-proto": _proto, ...noProto } = good;
    expect(reason(check("10.1.2.3", noProto))).toBe("trusted_proxy_missing_header_x-forwarded-proto");
    expect(reason(check("10.1.2.3", { ...good, "x-forwarded-proto": "  " }))).toBe("trusted_proxy_missing_header_x-forwarded-proto");
    const { "x-forwarded-user": _user, ...noUser } = good;
    expect(reason(check("10.1.2.3", noUser))).toBe("trusted_proxy_user_missing");
    expect(reason(check("10.1.2.3", { ...good, "x-forwarded-user": "mallory@example.com" }))).toBe("trusted_proxy_user_not_allowed");
    expect(reason(check("10.1.2.3", { ...good, "x-forwarded-user": "mallory" }, trust({ trustedProxy: { ...proxy, allowUsers: [] } })))).toBe("ok");
  });
});

describe("forwarded client address", () => {
  it("takes the right-most X-Forwarded-For entry that is not a trusted proxy", () => {
    const settings = trust();
    expect(forwardedClientAddress(settings, { "x-forwarded-for": "203.0.113.9, 198.51.100.7, 10.1.0.4" })).toBe("198.51.100.7");
    expect(forwardedClientAddress(settings, { "x-forwarded-for": "10.1.0.5, 10.1.0.4" })).toBe("10.1.0.5");
    expect(forwardedClientAddress(settings, { "x-forwarded-for": "198.51.100.7:51234" })).toBe("198.51.100.7");
    expect(forwardedClientAddress(settings, { "x-forwarded-for": "[2001:db8::7]:443" })).toBe("2001:db8::7");
  });

  it("uses X-Real-IP only with allowRealIpFallback and without X-Forwarded-For", () => {
    expect(forwardedClientAddress(trust(), { "x-real-ip": "198.51.100.7" })).toBeUndefined();
    expect(forwardedClientAddress(trust({ allowRealIpFallback: true }), { "x-real-ip": "198.51.100.7" })).toBe("198.51.100.7");
    expect(forwardedClientAddress(trust({ allowRealIpFallback: true }), { "x-real-ip": "198.51.100.7", "x-forwarded-for": "203.0.113.1" })).toBe("203.0.113.1");
  });
});

describe("identity scopes", () => {
  const table = { "Alice@Example.com": ["operator.write", "operator.approvals"], bob: ["operator.admin"] };

  it("grants what the identity has of what was requested, emails case-insensitively", () => {
    expect(identityGrant(table, "alice@example.com", ["operator.read", "operator.approvals", "operator.admin"])).toEqual([
      "operator.approvals",
      "operator.read",
    ]);
    expect(identityGrant(table, "bob", ["operator.pairing"])).toEqual(["operator.pairing"]);
    expect(identityGrant(table, "Bob", ["operator.read"])).toEqual([]);
    expect(identityGrant(undefined, "bob", ["operator.read"])).toEqual([]);
  });

  it("reads the x-openclaw-scopes cap: absent is no cap, empty is no scopes", () => {
    expect(scopeCap({})).toBeUndefined();
    expect(scopeCap({ "x-openclaw-scopes": "" })).toEqual([]);
    expect(scopeCap({ "x-openclaw-scopes": "operator.write, operator.read" })).toEqual(["operator.read", "operator.write"]);
    expect(capScopes(["operator.read", "operator.admin"], ["operator.write"])).toEqual(["operator.read"]);
    expect(capScopes(["operator.read"], undefined)).toEqual(["operator.read"]);
    expect(capScopes(["operator.read"], [])).toEqual([]);
  });
});
