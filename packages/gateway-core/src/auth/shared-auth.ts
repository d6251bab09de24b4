import type { IncomingHttpHeaders } from "node:http";
import type { AuthFailureReason, AuthMode, ConnectAuth } from "@openclaw/protocol";
import { addressMatcher, isLoopbackAddress, normalizeAddress } from "../transport/locality.js";
import type { RateLimitPolicy } from "./rate-limit.js";
import { secretsEqual } from "./secret-compare.js";

export interface TrustedProxySettings {
  /** Header carrying the authenticated user, e.g. `x-forwarded-user`. */
  readonly userHeader: string;
  readonly requiredHeaders: readonly string[];
  /** Empty means any user. */
  readonly allowUsers: readonly string[];
  /** Accept a proxy on loopback (it must also be listed in trustedProxies). @default false */
  readonly allowLoopback: boolean;
}

export interface AuthSettings {
  readonly mode: AuthMode;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly trustedProxy?: TrustedProxySettings | undefined;
  /** Proxy addresses or CIDRs whose forwarded headers are believed. */
  readonly trustedProxies: readonly string[];
  readonly allowRealIpFallback: boolean;
  readonly allowTailscale: boolean;
  readonly rateLimit: RateLimitPolicy;
}

/** Resolves a tailnet address to its login, as `tailscale whois` would. Injected so tests need no tailscaled. */
export type TailscaleWhois = (address: string) => Promise<{ login: string } | undefined>;

export interface AuthRequest {
  readonly remoteAddress: string;
  readonly headers: IncomingHttpHeaders;
}

export type SharedAuthOutcome =
  | { readonly kind: "ok"; readonly method: "token" | "password" | "none" | "trusted-proxy" | "tailscale"; readonly user?: string }
  /** Nothing was presented: never counted against the rate limit. */
  | { readonly kind: "missing"; readonly reason: AuthFailureReason }
  /** A wrong credential, or a misconfiguration; `counts` says whether it feeds the rate limiter. */
  | { readonly kind: "failed"; readonly reason: AuthFailureReason; readonly counts: boolean };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text.trim().length > 0 ? text.trim() : undefined;
}

function checkSecret(presented: string | undefined, expected: string | undefined, kind: "token" | "password"): SharedAuthOutcome {
  if (expected === undefined || expected.length === 0) return { kind: "failed", reason: `${kind}_missing_config`, counts: false };
  if (presented === undefined || presented.length === 0) return { kind: "missing", reason: `${kind}_missing` };
  return secretsEqual(presented, expected) ? { kind: "ok", method: kind } : { kind: "failed", reason: `${kind}_mismatch`, counts: true };
}

/** The client address a trusted proxy vouches for, or undefined. */
function forwardedClient(settings: AuthSettings, headers: IncomingHttpHeaders): string | undefined {
  const forwardedFor = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  if (forwardedFor) return normalizeAddress(forwardedFor);
  return settings.allowRealIpFallback ? header(headers, "x-real-ip") : undefined;
}

function evaluateTrustedProxy(settings: AuthSettings, request: AuthRequest): SharedAuthOutcome {
  const proxy = settings.trustedProxy;
  const fail = (reason: AuthFailureReason): SharedAuthOutcome => ({ kind: "failed", reason, counts: false });
  if (!proxy) return fail("trusted_proxy_untrusted_source");
  const trusted = settings.trustedProxies.some((entry) => addressMatcher(entry)(request.remoteAddress));
  if (!trusted) return fail("trusted_proxy_untrusted_source");
  if (isLoopbackAddress(request.remoteAddress) && !proxy.allowLoopback) return fail("trusted_proxy_untrusted_source");
  const client = forwardedClient(settings, request.headers);
  if (client === undefined || isLoopbackAddress(client)) return fail("trusted_proxy_untrusted_source");
  for (const name of proxy.requiredHeaders) {
    if (header(request.headers, name) === undefined) return fail(`trusted_proxy_missing_header_${name.toLowerCase()}`);
  }
  const user = header(request.headers, proxy.userHeader);
  if (user === undefined) return fail("trusted_proxy_user_missing");
  if (proxy.allowUsers.length > 0 && !proxy.allowUsers.includes(user)) return fail("trusted_proxy_user_not_allowed");
  return { kind: "ok", method: "trusted-proxy", user };
}

async function evaluateTailscale(request: AuthRequest, whois: TailscaleWhois | undefined): Promise<SharedAuthOutcome | undefined> {
  const login = header(request.headers, "tailscale-user-login");
  if (login === undefined) return undefined;
  const fail = (reason: AuthFailureReason): SharedAuthOutcome => ({ kind: "failed", reason, counts: true });
  // Only a local Serve proxy can inject these headers; anything else is a forgery attempt.
  if (!isLoopbackAddress(request.remoteAddress)) return fail("tailscale_proxy_missing");
  for (const name of ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"]) {
    if (header(request.headers, name) === undefined) return fail("tailscale_proxy_missing");
  }
  const address = header(request.headers, "x-forwarded-for")!.split(",")[0]!.trim();
  let identity: { login: string } | undefined;
  try {
    identity = whois ? await whois(address) : undefined;
  } catch {
    identity = undefined;
  }
  if (identity === undefined) return fail("tailscale_whois_failed");
  if (identity.login.toLowerCase() !== login.toLowerCase()) return fail("tailscale_user_mismatch");
  return { kind: "ok", method: "tailscale", user: identity.login };
}

/** Evaluate the shared (gateway-wide) credentials of a `connect`. */
export async function evaluateSharedAuth(
  settings: AuthSettings,
  auth: ConnectAuth | undefined,
  request: AuthRequest,
  whois?: TailscaleWhois,
): Promise<SharedAuthOutcome> {
  switch (settings.mode) {
    case "none":
      return { kind: "ok", method: "none" };
    case "trusted-proxy": {
      const outcome = evaluateTrustedProxy(settings, request);
      // A same-host caller may still use the configured password directly.
      if (outcome.kind !== "ok" && settings.password && auth?.password) return checkSecret(auth.password, settings.password, "password");
      return outcome;
    }
    case "token":
    case "password": {
      const presented = settings.mode === "token" ? auth?.token : auth?.password;
      const outcome = checkSecret(presented, settings.mode === "token" ? settings.token : settings.password, settings.mode);
      if (outcome.kind === "missing" && settings.allowTailscale) return (await evaluateTailscale(request, whois)) ?? outcome;
      return outcome;
    }
  }
}
