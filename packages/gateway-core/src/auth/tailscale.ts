import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import type { AuthFailureReason } from "@openclaw/protocol";
import { isLoopbackAddress, normalizeAddress } from "../transport/locality.js";
import type { AuthRequest, SharedAuthOutcome } from "./outcome.js";
import { headerValue, identitiesMatch } from "./request-headers.js";

/** The user behind a tailnet address, as `tailscale whois` reports it. */
export interface TailscaleIdentity {
  /** `UserProfile.LoginName`, e.g. `alice@example.com`. */
  readonly login: string;
  readonly displayName?: string | undefined;
}

/**
 * Resolves a tailnet address to its user, as `tailscale whois` would. Undefined when no user is
 * behind it (an unknown address, or a tagged node); a throw when the lookup itself failed.
 * Injected so tests need no tailscaled.
 */
export type TailscaleWhois = (address: string) => Promise<TailscaleIdentity | undefined>;

/** Whether Tailscale Serve's requests reach this gateway: they arrive on loopback with forwarding headers. */
export interface TailscaleIngress {
  /** Accept `Tailscale-User-Login` (checked with whois) instead of a token or password. */
  readonly allowTailscale: boolean;
  /** The gateway set up Serve or Funnel itself (`gateway.tailscale.mode`). @default "off" */
  readonly tailscaleMode?: "off" | "serve" | "funnel" | undefined;
}

/** Whether loopback requests shaped like Tailscale Serve's are let in as Serve rather than refused as an unknown proxy. */
export function acceptsTailscaleIngress(settings: TailscaleIngress): boolean {
  return settings.allowTailscale || (settings.tailscaleMode ?? "off") !== "off";
}

/**
 * The tailnet client of a request shaped like Tailscale Serve's: a loopback peer, one address in
 * `X-Forwarded-For` (tailscaled sets it to the connection's source, never a list) and
 * `X-Forwarded-Host`. Undefined for anything else.
 */
export function tailscaleServeClient(remoteAddress: string, headers: IncomingHttpHeaders): string | undefined {
  if (!isLoopbackAddress(remoteAddress)) return undefined;
  if (headers["forwarded"] !== undefined || headers["x-real-ip"] !== undefined) return undefined;
  const forwardedFor = headerValue(headers, "x-forwarded-for");
  if (forwardedFor === undefined || headerValue(headers, "x-forwarded-host") === undefined) return undefined;
  const address = normalizeAddress(forwardedFor);
  return isIP(address) === 0 || isLoopbackAddress(address) ? undefined : address;
}

/**
 * tailscaled writes non-ASCII header values as RFC 2047 `=?utf-8?q?…?=` words; plain ASCII
 * passes as it is.
 */
export function decodeTailscaleHeader(value: string): string {
  const word = /^=\?utf-8\?q\?(.*)\?=$/i.exec(value);
  if (word === null) return value;
  const bytes: number[] = [];
  const text = word[1]!;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === "_") bytes.push(0x20);
    else if (char === "=" && /^[0-9a-f]{2}$/i.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(...Buffer.from(char, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** What a connect without a token or password claims through Tailscale Serve; undefined when it claims nothing. */
export async function evaluateTailscale(request: AuthRequest, whois: TailscaleWhois | undefined): Promise<SharedAuthOutcome | undefined> {
  const header = headerValue(request.headers, "tailscale-user-login");
  const serveClient = tailscaleServeClient(request.remoteAddress, request.headers);
  if (header === undefined) {
    // A Serve request without an identity: a tagged node, or a Funnel visitor.
    return serveClient === undefined ? undefined : { kind: "missing", reason: "tailscale_user_missing" };
  }
  const fail = (reason: AuthFailureReason): SharedAuthOutcome => ({ kind: "failed", reason, counts: true });
  // Only the local Serve proxy sets these headers; from anywhere else they are a forgery attempt.
  if (serveClient === undefined || headerValue(request.headers, "x-forwarded-proto") === undefined) return fail("tailscale_proxy_missing");
  let identity: TailscaleIdentity | undefined;
  try {
    identity = whois ? await whois(serveClient) : undefined;
  } catch {
    identity = undefined;
  }
  if (identity === undefined) return fail("tailscale_whois_failed");
  // The address Serve saw must belong to the user the header names: a local process can write
  // the headers, but not make tailscaled vouch for them.
  if (!identitiesMatch(identity.login, decodeTailscaleHeader(header))) return fail("tailscale_user_mismatch");
  return { kind: "ok", method: "tailscale", user: identity.login };
}
