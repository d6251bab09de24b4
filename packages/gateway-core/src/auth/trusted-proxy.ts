import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import type { AuthFailureReason } from "@openclaw/protocol";
import { addressMatcher, isLoopbackAddress, normalizeAddress } from "../transport/locality.js";
import type { AuthRequest, SharedAuthOutcome } from "./outcome.js";
import { headerValue, identitiesMatch } from "./request-headers.js";

/** The scopes a proxy-authenticated device is approved for when the config names none. */
export const DEFAULT_AUTO_APPROVE_SCOPES: readonly string[] = ["operator.approvals", "operator.read", "operator.write"];

/** Pairing of new devices that connect through the trusted proxy as an allowed user. */
export interface DeviceAutoApprove {
  /** @default false */
  readonly enabled: boolean;
  /** The most a device is approved for. @default ["operator.approvals", "operator.read", "operator.write"] */
  readonly scopes: readonly string[];
}

export interface TrustedProxySettings {
  /** Header carrying the authenticated user, e.g. `x-forwarded-user`. */
  readonly userHeader: string;
  /** Headers that must be present and non-blank (the proxy always sets them). @default [] */
  readonly requiredHeaders: readonly string[];
  /** Empty means any user. @default [] */
  readonly allowUsers: readonly string[];
  /** Accept a proxy on loopback (it must also be listed in trustedProxies). @default false */
  readonly allowLoopback: boolean;
  /** @default { enabled: false, scopes: DEFAULT_AUTO_APPROVE_SCOPES } */
  readonly deviceAutoApprove?: DeviceAutoApprove | undefined;
}

/** The parts of the auth settings the proxy checks read. */
export interface ProxyTrust {
  readonly trustedProxy?: TrustedProxySettings | undefined;
  /** Proxy addresses or CIDRs whose forwarded headers are believed. */
  readonly trustedProxies: readonly string[];
  /** Take the client from `X-Real-IP` when `X-Forwarded-For` is absent. @default false */
  readonly allowRealIpFallback: boolean;
}

/** This host's own addresses; injectable so tests can pretend a proxy address is local. */
export type InterfaceAddresses = () => readonly string[];

/** Every address of every interface of this host (what `os.networkInterfaces()` lists). */
export const hostInterfaceAddresses: InterfaceAddresses = () =>
  Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => stripZone(entry.address)));

function stripZone(address: string): string {
  const percent = address.indexOf("%");
  return normalizeAddress(percent === -1 ? address : address.slice(0, percent));
}

const compiled = new WeakMap<readonly string[], ((address: string) => boolean)[]>();

/** Matchers for a proxy list, built once per list; entries that are not addresses match nothing (config validation names them). */
function proxyMatchers(entries: readonly string[]): ((address: string) => boolean)[] {
  let matchers = compiled.get(entries);
  if (matchers === undefined) {
    matchers = entries.flatMap((entry) => {
      try {
        return [addressMatcher(entry)];
      } catch {
        return [];
      }
    });
    compiled.set(entries, matchers);
  }
  return matchers;
}

/** Whether `address` is one of the configured trusted proxies. */
export function isTrustedProxy(trustedProxies: readonly string[], address: string): boolean {
  const normalized = stripZone(address);
  return proxyMatchers(trustedProxies).some((matches) => matches(normalized));
}

/** One `X-Forwarded-For` entry as an address: `1.2.3.4`, `1.2.3.4:5678`, `::1` or `[::1]:80`; undefined when it is none. */
function forwardedAddress(entry: string): string | undefined {
  let text = entry.trim();
  if (text.startsWith("[")) text = text.slice(1, text.indexOf("]") === -1 ? undefined : text.indexOf("]"));
  else if (isIP(text) === 0 && /^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  return isIP(stripZone(text)) === 0 ? undefined : stripZone(text);
}

/**
 * The client a trusted proxy vouches for: the right-most `X-Forwarded-For` entry that is not
 * itself a trusted proxy (entries left of it could be written by anyone), or `X-Real-IP` when
 * `allowRealIpFallback` is on and there is no `X-Forwarded-For`. Undefined when neither names an
 * address.
 */
export function forwardedClientAddress(trust: ProxyTrust, headers: IncomingHttpHeaders): string | undefined {
  const forwardedFor = headerValue(headers, "x-forwarded-for");
  if (forwardedFor === undefined) {
    const realIp = trust.allowRealIpFallback ? headerValue(headers, "x-real-ip") : undefined;
    return realIp === undefined ? undefined : forwardedAddress(realIp);
  }
  const chain = forwardedFor.split(",").map(forwardedAddress);
  if (chain.some((address) => address === undefined)) return undefined;
  const addresses = chain as string[];
  for (let index = addresses.length - 1; index >= 0; index -= 1) {
    if (!isTrustedProxy(trust.trustedProxies, addresses[index]!)) return addresses[index];
  }
  return addresses[0];
}

function refuse(reason: AuthFailureReason): SharedAuthOutcome {
  // Proxy failures are configuration or routing mistakes, not guesses: they never lock anyone out.
  return { kind: "failed", reason, counts: false };
}

/** Check 3: a proxy must not be this host itself on a non-loopback address (that would be a local caller dodging check 2). */
function localInterfaceRefusal(source: string, interfaces: InterfaceAddresses): AuthFailureReason | undefined {
  if (isLoopbackAddress(source)) return undefined;
  let own: readonly string[];
  try {
    own = interfaces();
  } catch {
    return "trusted_proxy_local_interface_check_failed";
  }
  return own.includes(source) ? "trusted_proxy_local_interface_source" : undefined;
}

/**
 * Trusted-proxy auth, in the spec's order: configured at all; the socket is a trusted proxy that
 * names a non-loopback client; a loopback proxy only with `allowLoopback`; not one of this host's
 * own addresses; required headers and the user header present; the user allowed.
 */
export function evaluateTrustedProxy(trust: ProxyTrust, request: AuthRequest, interfaces: InterfaceAddresses = hostInterfaceAddresses): SharedAuthOutcome {
  const proxy = trust.trustedProxy;
  if (proxy === undefined) return refuse("trusted_proxy_config_missing");
  if (trust.trustedProxies.length === 0) return refuse("trusted_proxy_no_proxies_configured");
  const source = stripZone(request.remoteAddress);
  if (!isTrustedProxy(trust.trustedProxies, source)) return refuse("trusted_proxy_untrusted_source");
  const client = forwardedClientAddress(trust, request.headers);
  if (client === undefined || isLoopbackAddress(client)) return refuse("trusted_proxy_untrusted_source");
  if (isLoopbackAddress(source) && !proxy.allowLoopback) return refuse("trusted_proxy_loopback_source");
  const local = localInterfaceRefusal(source, interfaces);
  if (local !== undefined) return refuse(local);
  for (const name of proxy.requiredHeaders) {
    if (headerValue(request.headers, name) === undefined) return refuse(`trusted_proxy_missing_header_${name.toLowerCase()}`);
  }
  const user = headerValue(request.headers, proxy.userHeader);
  if (user === undefined) return refuse("trusted_proxy_user_missing");
  if (proxy.allowUsers.length > 0 && !proxy.allowUsers.some((allowed) => identitiesMatch(allowed, user))) return refuse("trusted_proxy_user_not_allowed");
  return { kind: "ok", method: "trusted-proxy", user };
}
