import type { IncomingHttpHeaders } from "node:http";
import {
  MIN_NODE_PROTOCOL_VERSION,
  MIN_PROBE_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  WireErrors,
  WireMessages,
  isRole,
  normalizeScopes,
  type ConnectParams,
  type ErrorShape,
  type Role,
} from "@openclaw/protocol";
import { browserOriginAllowed } from "../auth/browser-origin.js";
import { capScopes, identityGrant, scopeCap } from "../auth/identity-scopes.js";
import type { AttemptSource, CredentialClass, FailedAuthLimiter } from "../auth/rate-limit.js";
import { attributedClientAddress, claimsTailscaleIdentity, evaluateSharedAuth, type AuthSettings, type SharedAuthOutcome } from "../auth/shared-auth.js";
import type { TailscaleWhois } from "../auth/tailscale.js";
import type { InterfaceAddresses } from "../auth/trusted-proxy.js";
import { verifyDeviceProof } from "./device-proof.js";

/** Who got in, and with what authority. */
export interface Admission {
  readonly protocol: number;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly params: ConnectParams;
  readonly authMethod: string;
  readonly deviceId: string | undefined;
  /** base64url raw public key of a verified device. */
  readonly publicKey: string | undefined;
  readonly local: boolean;
  /** A browser page (an `Origin` header, or a Control UI / WebChat client): never a trusted local client. */
  readonly browser: boolean;
  /** A device token issued or reused for this connection (device-identity issue). */
  readonly deviceToken?: { readonly token: string; readonly issuedAtMs: number };
  /** The user a trusted proxy or Tailscale Serve vouched for. */
  readonly identity?: ProxiedIdentity;
}

/** Who a trusted proxy or Tailscale Serve says is connecting, and how far the proxy lets them go. */
export interface ProxiedIdentity {
  readonly user: string;
  /** The scopes the client asked for, after the proxy's cap. */
  readonly requestedScopes: readonly string[];
  /** `x-openclaw-scopes`: undefined when the proxy sent none (no cap). */
  readonly scopeCap: readonly string[] | undefined;
}

export interface HandshakeFailure {
  readonly error: ErrorShape;
  readonly closeCode: number;
  readonly closeReason: string;
}

/** Device tokens and the pairing decision (see pairing/device-pairing.ts). */
export interface DeviceGate {
  verifyDeviceToken(deviceId: string, role: string, scopes: readonly string[], presented: string): { ok: true } | { ok: false; reason: string };
  hasLiveToken(deviceId: string, role: string): boolean;
  admit(candidate: Admission, remoteAddress: string): Admission | HandshakeFailure;
}

export interface HandshakeEnvironment {
  readonly auth: AuthSettings;
  readonly limiter: FailedAuthLimiter;
  readonly whois?: TailscaleWhois | undefined;
  /** This host's addresses, for the trusted-proxy local-interface check. @default os.networkInterfaces() */
  readonly interfaces?: InterfaceAddresses | undefined;
  readonly devices: DeviceGate;
  readonly ready: () => boolean;
  readonly now: () => number;
  readonly allowedOrigins: readonly string[];
  /** Waits out a failed-auth delay; rejects when `signal` aborts (the socket closed). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface HandshakeRequest {
  readonly params: ConnectParams;
  readonly nonce: string;
  readonly remoteAddress: string;
  readonly headers: IncomingHttpHeaders;
  readonly local: boolean;
  /** Aborted when the socket closes, so a throttled attempt stops waiting. */
  readonly signal: AbortSignal;
}

export function isHandshakeFailure(value: Admission | HandshakeFailure): value is HandshakeFailure {
  return "error" in value;
}

/** Close with the error message as reason, as the reference gateway does. */
export function failWith(error: ErrorShape, closeCode = 1008, closeReason = error.message): HandshakeFailure {
  return { error, closeCode, closeReason };
}

function negotiateProtocol(params: ConnectParams, role: string): number | undefined {
  const { minProtocol, maxProtocol } = params;
  if (maxProtocol >= PROTOCOL_VERSION && minProtocol <= PROTOCOL_VERSION) return PROTOCOL_VERSION;
  if (params.client.mode === "probe" && maxProtocol >= MIN_PROBE_PROTOCOL_VERSION && minProtocol <= PROTOCOL_VERSION)
    return Math.min(maxProtocol, PROTOCOL_VERSION);
  if (role === "node" && params.client.mode === "node" && maxProtocol >= MIN_NODE_PROTOCOL_VERSION && minProtocol <= MIN_NODE_PROTOCOL_VERSION)
    return MIN_NODE_PROTOCOL_VERSION;
  return undefined;
}

/** Clients that run in a browser page, by the id they declare (a page also sends `Origin`). */
const BROWSER_CLIENT_IDS = new Set(["openclaw-control-ui", "webchat-ui", "webchat", "openclaw-browser-copilot"]);

function isBrowserClient(params: ConnectParams, origin: string | undefined): boolean {
  return origin !== undefined || params.client.mode === "webchat" || BROWSER_CLIENT_IDS.has(params.client.id);
}

/** Device-less helpers the reference gateway admits on a direct loopback socket with shared auth. */
function isTrustedLocalHelper(params: ConnectParams): boolean {
  const { id, mode } = params.client;
  return (id === "cli" && mode === "cli") || (id === "gateway-client" && mode === "backend");
}

function authFailure(
  env: HandshakeEnvironment,
  request: HandshakeRequest,
  outcome: Exclude<SharedAuthOutcome, { kind: "ok" }>,
  canRetryWithDeviceToken = false,
): HandshakeFailure {
  if (outcome.kind === "failed" && outcome.counts) env.limiter.recordFailure(attemptSource(env, request), "shared-secret");
  const audience = request.params.client.mode === "webchat" || request.params.client.id === "openclaw-control-ui" ? "browser" : "other";
  return failWith(WireErrors.authFailure(outcome.reason, { audience, canRetryWithDeviceToken }));
}

/** Counted against the client a trusted proxy or Serve names, not the proxy every client shares. */
function attemptSource(env: HandshakeEnvironment, request: HandshakeRequest): AttemptSource {
  return { address: attributedClientAddress(env.auth, request), loopback: request.local, origin: request.headers.origin };
}

function rateLimited(retryAfterMs: number): HandshakeFailure {
  return failWith(WireErrors.authFailure("rate_limited", { retryAfterMs }));
}

/**
 * Lockout first, then the throttle: a credential of a locked-out class is never checked, and
 * an attempt after recent failures waits its turn. Undefined means go ahead and check it.
 */
async function throttle(
  env: HandshakeEnvironment,
  request: HandshakeRequest,
  kind: CredentialClass,
  releases: (() => void)[],
): Promise<HandshakeFailure | undefined> {
  const gate = env.limiter.gate(attemptSource(env, request), kind);
  if (gate.kind === "locked") return rateLimited(gate.retryAfterMs);
  releases.push(gate.release);
  if (gate.waitMs > 0) await env.sleep(gate.waitMs, request.signal);
  return undefined;
}

function presentsSharedSecret(params: ConnectParams): boolean {
  return Boolean(params.auth?.token || params.auth?.password);
}

/**
 * The connect pipeline after the frame and params are valid. Order matters:
 * it decides which error a client sees first.
 */
export async function runHandshake(env: HandshakeEnvironment, request: HandshakeRequest): Promise<Admission | HandshakeFailure> {
  // Throttled credential classes are held for this attempt until it is decided.
  const releases: (() => void)[] = [];
  try {
    return await admit(env, request, releases);
  } finally {
    for (const release of releases) release();
  }
}

async function admit(env: HandshakeEnvironment, request: HandshakeRequest, releases: (() => void)[]): Promise<Admission | HandshakeFailure> {
  const { params } = request;
  if (!env.ready()) return failWith(WireErrors.gatewayStarting(), 1013, "gateway starting");

  const roleName = params.role ?? "operator";
  const protocol = negotiateProtocol(params, roleName);
  if (protocol === undefined) {
    return failWith(
      WireErrors.protocolMismatch(params.minProtocol, params.maxProtocol, PROTOCOL_VERSION, MIN_PROBE_PROTOCOL_VERSION),
      1002,
      WireMessages.protocolMismatch,
    );
  }
  if (!isRole(roleName)) return failWith(WireErrors.invalidRole());

  const origin = request.headers.origin;
  if (origin !== undefined && !browserOriginAllowed(origin, env.auth, env.allowedOrigins, request)) {
    return failWith({
      code: "INVALID_REQUEST",
      message: "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)",
      details: { code: "CONTROL_UI_ORIGIN_NOT_ALLOWED", reason: "origin-mismatch" },
    });
  }

  // A locked-out shared secret is not checked at all; a device may still get in with its own token.
  let shared: SharedAuthOutcome;
  const throttled = presentsSharedSecret(params) || claimsTailscaleIdentity(env.auth, params.auth, request);
  const sharedRefusal = throttled ? await throttle(env, request, "shared-secret", releases) : undefined;
  if (sharedRefusal !== undefined) {
    if (params.device === undefined || !(params.auth?.deviceToken ?? params.auth?.token)) return sharedRefusal;
    shared = { kind: "failed", reason: "rate_limited", counts: false };
  } else {
    shared = await evaluateSharedAuth(env.auth, params.auth, request, env.whois, env.interfaces);
  }
  let scopes: readonly string[] = params.scopes ?? [];
  const identity = shared.kind === "ok" && shared.user !== undefined ? proxiedIdentity(shared.user, scopes, request.headers) : undefined;
  // Scopes the identity grants for this session only; the device is asked for the rest.
  const granted = identity ? identityGrant(env.auth.identityScopes, identity.user, identity.requestedScopes) : [];

  if (params.device === undefined) {
    if (shared.kind === "missing") return failWith(WireErrors.deviceIdentityRequired());
    if (shared.kind !== "ok") return authFailure(env, request, shared);
    env.limiter.recordSuccess(attemptSource(env, request), "shared-secret");
    if (roleName === "node") return failWith(WireErrors.deviceIdentityRequired());
    if ((params.client.mode === "ui" || params.client.mode === "webchat") && shared.method !== "trusted-proxy") {
      return failWith({
        code: "INVALID_REQUEST",
        message: "control ui requires device identity (use HTTPS or localhost secure context)",
        details: { code: "CONTROL_UI_DEVICE_IDENTITY_REQUIRED" },
      });
    }
    // Without a device, self-declared scopes are dropped unless this is a trusted local helper
    // (a browser page is never one, even on loopback).
    const helper = request.local && isTrustedLocalHelper(params) && origin === undefined;
    if (!helper) scopes = granted;
    return {
      protocol,
      role: roleName,
      scopes,
      params,
      authMethod: shared.method,
      deviceId: undefined,
      publicKey: undefined,
      local: request.local,
      ...(identity ? { identity } : {}),
      browser: isBrowserClient(params, origin),
    };
  }

  const proof = verifyDeviceProof(params, request.nonce, env.now());
  if (!proof.ok) return failWith(WireErrors.deviceProof(proof.reason));
  const deviceId = params.device.id;

  let authMethod: string;
  if (shared.kind === "ok") {
    env.limiter.recordSuccess(attemptSource(env, request), "shared-secret");
    authMethod = shared.method;
  } else {
    // Not in on the shared secret: the device's own token may still admit it. Its bucket is its
    // own, and a locked-out device-token class is refused before the token is compared.
    const explicit = params.auth?.deviceToken;
    const presented = explicit ?? params.auth?.token;
    if (presented && (explicit !== undefined || env.devices.hasLiveToken(deviceId, roleName))) {
      const refusal = await throttle(env, request, "device-token", releases);
      if (refusal !== undefined) return refusal;
    }
    const tokenCheck = presented ? env.devices.verifyDeviceToken(deviceId, roleName, normalizeScopes(scopes), presented) : undefined;
    if (tokenCheck?.ok) {
      env.limiter.recordSuccess(attemptSource(env, request), "device-token");
      authMethod = "device-token";
    } else if (explicit !== undefined) {
      env.limiter.recordFailure(attemptSource(env, request), "device-token");
      return failWith(WireErrors.authFailure(tokenCheck?.ok === false && tokenCheck.reason === "scope-mismatch" ? "scope_mismatch" : "device_token_mismatch"));
    } else if (shared.kind === "failed" && shared.reason === "rate_limited") {
      return rateLimited(env.limiter.retryAfterMs(attemptSource(env, request), "shared-secret"));
    } else {
      return authFailure(env, request, shared, env.devices.hasLiveToken(deviceId, roleName));
    }
  }

  const candidate: Admission = {
    protocol,
    role: roleName,
    scopes: identity ? identity.requestedScopes.filter((scope) => !granted.includes(scope)) : scopes,
    params,
    authMethod,
    deviceId: params.device.id,
    publicKey: proof.publicKey,
    local: request.local,
    ...(identity ? { identity } : {}),
    browser: isBrowserClient(params, origin),
  };
  const admitted = env.devices.admit(candidate, request.remoteAddress);
  if (isHandshakeFailure(admitted) || granted.length === 0) return admitted;
  return { ...admitted, scopes: normalizeScopes([...admitted.scopes, ...granted]) };
}

/** The identity a proxy vouched for, with the client's request cut down to the proxy's `x-openclaw-scopes`. */
function proxiedIdentity(user: string, requested: readonly string[], headers: IncomingHttpHeaders): ProxiedIdentity {
  const cap = scopeCap(headers);
  return { user, requestedScopes: normalizeScopes(capScopes(requested, cap)), scopeCap: cap };
}
