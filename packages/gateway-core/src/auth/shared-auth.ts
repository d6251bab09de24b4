import type { AuthMode, ConnectAuth } from "@openclaw/protocol";
import { hasForwardingHeaders, isLoopbackAddress } from "../transport/locality.js";
import type { IdentityScopes } from "./identity-scopes.js";
import type { AuthRequest, SharedAuthOutcome } from "./outcome.js";
import type { RateLimitPolicy } from "./rate-limit.js";
import { secretsEqual } from "./secret-compare.js";
import { acceptsTailscaleIngress, evaluateTailscale, tailscaleServeClient, type TailscaleWhois } from "./tailscale.js";
import {
  evaluateTrustedProxy,
  forwardedClientAddress,
  hostInterfaceAddresses,
  isTrustedProxy,
  type InterfaceAddresses,
  type TrustedProxySettings,
} from "./trusted-proxy.js";

export type { AuthRequest, SharedAuthOutcome } from "./outcome.js";

export interface AuthSettings {
  readonly mode: AuthMode;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly trustedProxy?: TrustedProxySettings | undefined;
  /** Proxy addresses or CIDRs whose forwarded headers are believed. */
  readonly trustedProxies: readonly string[];
  readonly allowRealIpFallback: boolean;
  /** Accept Tailscale Serve's identity headers (verified with whois) instead of a token or password. */
  readonly allowTailscale: boolean;
  /** `gateway.tailscale.mode`: Serve or Funnel set up by this gateway; their requests are let in to authenticate. @default "off" */
  readonly tailscaleMode?: "off" | "serve" | "funnel" | undefined;
  /** Session scopes per proxy- or Tailscale-authenticated user, capped by what the client asks for. @default {} */
  readonly identityScopes?: IdentityScopes | undefined;
  readonly rateLimit: RateLimitPolicy;
}

function checkSecret(presented: string | undefined, expected: string | undefined, kind: "token" | "password"): SharedAuthOutcome {
  if (expected === undefined || expected.length === 0) return { kind: "failed", reason: `${kind}_missing_config`, counts: false };
  if (presented === undefined || presented.length === 0) return { kind: "missing", reason: `${kind}_missing` };
  return secretsEqual(presented, expected) ? { kind: "ok", method: kind } : { kind: "failed", reason: `${kind}_mismatch`, counts: true };
}

/** A direct same-host caller: a loopback socket and no sign of a proxy in between. */
function directLocal(request: AuthRequest): boolean {
  return isLoopbackAddress(request.remoteAddress) && !hasForwardingHeaders(request.headers);
}

/**
 * The address a connect is counted against for failed-auth limits: the client a trusted proxy or
 * Tailscale Serve names, else the socket's own.
 */
export function attributedClientAddress(settings: AuthSettings, request: AuthRequest): string {
  if (acceptsTailscaleIngress(settings)) {
    const serveClient = tailscaleServeClient(request.remoteAddress, request.headers);
    if (serveClient !== undefined) return serveClient;
  }
  if (settings.mode === "trusted-proxy" && isTrustedProxy(settings.trustedProxies, request.remoteAddress)) {
    return forwardedClientAddress(settings, request.headers) ?? request.remoteAddress;
  }
  return request.remoteAddress;
}

/** Whether a connect rests on Tailscale identity headers (and so is throttled like a presented secret). */
export function claimsTailscaleIdentity(settings: AuthSettings, auth: ConnectAuth | undefined, request: AuthRequest): boolean {
  const presented = settings.mode === "token" ? auth?.token : settings.mode === "password" ? auth?.password : undefined;
  return settings.allowTailscale && !presented && request.headers["tailscale-user-login"] !== undefined;
}

/** Evaluate the shared (gateway-wide) credentials of a `connect`. */
export async function evaluateSharedAuth(
  settings: AuthSettings,
  auth: ConnectAuth | undefined,
  request: AuthRequest,
  whois?: TailscaleWhois,
  interfaces: InterfaceAddresses = hostInterfaceAddresses,
): Promise<SharedAuthOutcome> {
  switch (settings.mode) {
    case "none":
      // "none" trusts whoever can reach the socket; someone relayed by a proxy (Serve, Funnel, nginx) is not that.
      return hasForwardingHeaders(request.headers) ? { kind: "failed", reason: "proxy_attribution_required", counts: false } : { kind: "ok", method: "none" };
    case "trusted-proxy": {
      const outcome = evaluateTrustedProxy(settings, request, interfaces);
      // A same-host caller that bypasses the proxy may still use the configured password directly.
      if (outcome.kind !== "ok" && settings.password && auth?.password && directLocal(request))
        return checkSecret(auth.password, settings.password, "password");
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
