import type { Broadcast } from "../events/bus.js";
import { randomBytes, randomUUID } from "node:crypto";
import {
  ADMIN_SCOPE,
  GatewayErrorDetailCodes,
  PAIRING_PENDING_TTL_MS,
  WireErrors,
  normalizeDeviceMetadata,
  normalizeScopes,
  scopeSatisfied,
  scopesCovered,
  type DevicePairingPendingRequest,
  type NodeCommandReview,
  type PairedDeviceSummary,
  type PairingReason,
} from "@openclaw/protocol";
import { hashToken, secretsEqual } from "../auth/secret-compare.js";
import { ForbiddenError, InvalidInputError, NotFoundError } from "../errors.js";
import type { DeviceAutoApprove } from "../auth/trusted-proxy.js";
import type { Admission, HandshakeFailure } from "../handshake/connect.js";
import { failWith } from "../handshake/connect.js";
import { proxyAutoApproval } from "./auto-approve.js";
import { mergeDeviceRecord, type DeviceApproval } from "./device-record.js";
import type { DeviceRegistry, PairedDevice } from "./device-registry.js";
import { pairedDeviceSummary } from "./device-summary.js";

/** A handshaken connection, as pairing sees it. */
export interface LiveConnection {
  readonly connId: string;
  readonly deviceId: string | undefined;
  readonly role: string;
  readonly authMethod: string;
}

export interface PairingHooks {
  readonly broadcast: Broadcast;
  readonly connections: () => readonly LiveConnection[];
  /** Close matching connections with 4001 `client invalidated: <reason>`. */
  readonly invalidate: (match: (connection: LiveConnection) => boolean, reason: string) => void;
  /** A node-role connect waits for device pairing; the node service records the commands it declared. */
  readonly nodeAwaitingPairing?: (candidate: Admission, remoteAddress: string) => void;
  /**
   * An operator approved a node-role device: the node service approves its declared commands in
   * the same step and returns which it opened.
   */
  readonly nodeApproved?: (deviceId: string, approverScopes: readonly string[]) => NodeCommandReview | undefined;
}

export interface PairingPolicy {
  /** Approve new local devices without an operator. @default true */
  readonly autoApproveLocal: boolean;
  /** `gateway.auth.trustedProxy.deviceAutoApprove`: approve devices of proxy-authenticated users. @default off */
  readonly proxyAutoApprove?: DeviceAutoApprove | undefined;
}

/** Who is acting on a pairing method. */
export interface PairingActor {
  readonly connId: string;
  readonly deviceId: string | undefined;
  readonly scopes: readonly string[];
  readonly authMethod: string;
}

export type DeviceTokenCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "device-not-paired" | "role-missing" | "token-missing" | "token-revoked" | "token-mismatch" | "scope-mismatch" };

const REQUIREMENTS: Record<PairingReason, string> = {
  "not-paired": "device is not approved yet",
  "role-upgrade": "role upgrade pending approval",
  "scope-upgrade": "scope upgrade pending approval",
  "metadata-upgrade": "device metadata change pending approval",
};

/** 32 random bytes, base64url: the same shape as the reference gateway's tokens. */
function mintToken(): string {
  return randomBytes(32).toString("base64url");
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify(normalizeScopes(a ?? [])) === JSON.stringify(normalizeScopes(b ?? []));
}

/**
 * Device pairing and device tokens: decides at connect whether a verified device
 * is admitted, creates pending requests, and serves the `device.*` methods.
 */
export class DevicePairing {
  constructor(
    private readonly registry: DeviceRegistry,
    private readonly hooks: PairingHooks,
    private policy: PairingPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** A changed `gateway.nodes.pairing`: decisions from now on follow it; paired devices stay paired. */
  setPolicy(policy: PairingPolicy): void {
    this.policy = policy;
  }

  /** Check a presented device token for (device, role) and the scopes asked for. */
  verifyDeviceToken(deviceId: string, role: string, scopes: readonly string[], presented: string): DeviceTokenCheck {
    const device = this.registry.paired(deviceId);
    if (device === undefined) return { ok: false, reason: "device-not-paired" };
    if (!device.roles.includes(role)) return { ok: false, reason: "role-missing" };
    const token = this.registry.token(deviceId, role);
    if (token === undefined) return { ok: false, reason: "token-missing" };
    if (token.revokedAtMs !== undefined) return { ok: false, reason: "token-revoked" };
    if (!secretsEqual(hashToken(presented), token.tokenHash)) return { ok: false, reason: "token-mismatch" };
    if (!scopesCovered(token.scopes, scopes)) return { ok: false, reason: "scope-mismatch" };
    this.registry.touchToken(deviceId, role, this.now());
    return { ok: true };
  }

  /** Whether the device holds a live token for the role (a client may retry with it). */
  hasLiveToken(deviceId: string, role: string): boolean {
    const token = this.registry.token(deviceId, role);
    return token !== undefined && token.revokedAtMs === undefined;
  }

  /** The pairing decision for a connect whose device proof and credentials already checked out. */
  admit(candidate: Admission, remoteAddress: string): Admission | HandshakeFailure {
    this.sweepExpired();
    const deviceId = candidate.deviceId!;
    const client = candidate.params.client;
    const platform = normalizeDeviceMetadata(client.platform);
    const deviceFamily = normalizeDeviceMetadata(client.deviceFamily);
    const scopes = normalizeScopes(candidate.scopes);
    const device = this.registry.paired(deviceId);

    let reason: PairingReason | undefined;
    if (device === undefined || device.publicKey !== candidate.publicKey) reason = "not-paired";
    else if (!device.roles.includes(candidate.role)) reason = "role-upgrade";
    else if (!scopesCovered(device.scopes, scopes)) reason = "scope-upgrade";
    else if (device.platform !== platform || device.deviceFamily !== deviceFamily) reason = "metadata-upgrade";

    if (reason === undefined) return this.withToken(candidate, device!);

    // A new platform or device family (an OS update) grants nothing: a local, non-browser reconnect updates
    // the record even with autoApproveLocal off (spec §4.4); from elsewhere the change waits for an operator.
    if (reason === "metadata-upgrade" && candidate.local && !candidate.browser) {
      const updated = { ...device!, platform, deviceFamily };
      this.registry.transaction(() => {
        this.registry.savePaired(updated);
        this.dropPending(deviceId);
      });
      return this.withToken(candidate, updated);
    }

    // Silent approval only for the local holder of the shared secret: it could approve anything
    // anyway. A device asking for more with only its own token, or a metadata change from elsewhere, waits.
    const silent = candidate.local && this.policy.autoApproveLocal && candidate.authMethod !== "device-token" && reason !== "metadata-upgrade";
    if (silent) return this.withToken(candidate, this.approveNow(candidate, device, scopes, remoteAddress, "silent"));
    const proxied = proxyAutoApproval(candidate, reason, this.policy.proxyAutoApprove);
    if (proxied) {
      const approved = this.approveNow(candidate, device, proxied.deviceScopes, remoteAddress, "trusted-proxy");
      return this.withToken({ ...candidate, scopes: proxied.sessionScopes }, approved);
    }

    const request = this.requestPairing(candidate, reason, device, remoteAddress);
    if (candidate.role === "node") this.hooks.nodeAwaitingPairing?.(candidate, remoteAddress);
    const requirement = REQUIREMENTS[reason];
    const error = WireErrors.pairingRequired(requirement, {
      reason,
      requestId: request.requestId,
      deviceId,
      requestedRole: candidate.role,
      requestedScopes: scopes,
      ...(device ? { approvedRoles: [...device.roles], approvedScopes: [...device.scopes] } : {}),
      remediationHint: `approve it with: openclaw devices approve ${request.requestId}`,
      pauseReconnect: true,
      waitForResolution: true,
    });
    return failWith(error, 1008, `${error.message} (requestId: ${request.requestId})`);
  }

  /** Pair the candidate's device now, for `scopes`, replacing any pending request of it. */
  private approveNow(
    candidate: Admission,
    device: PairedDevice | undefined,
    scopes: readonly string[],
    remoteAddress: string,
    approvedVia: string,
  ): PairedDevice {
    const client = candidate.params.client;
    return this.registry.transaction(() => {
      const record = this.merge(device, {
        deviceId: candidate.deviceId!,
        publicKey: candidate.publicKey!,
        displayName: client.displayName,
        platform: normalizeDeviceMetadata(client.platform),
        deviceFamily: normalizeDeviceMetadata(client.deviceFamily),
        clientId: client.id,
        clientMode: client.mode,
        role: candidate.role,
        scopes,
        remoteIp: remoteAddress,
        approvedVia,
      });
      this.dropPending(candidate.deviceId!);
      return record;
    });
  }

  /** Removes the device's pending request, if any; true when there was one. */
  private dropPending(deviceId: string): boolean {
    const pending = this.registry.pendingForDevice(deviceId);
    if (pending) this.registry.removePending(pending.requestId);
    return pending !== undefined;
  }

  private withToken(candidate: Admission, device: PairedDevice): Admission {
    const existing = this.registry.token(device.deviceId, candidate.role);
    // A client that came in on its device token already holds it; only the hash is stored,
    // so a shared-secret connect gets a fresh one (the previous one stops working).
    if (candidate.authMethod === "device-token" && existing && existing.revokedAtMs === undefined) return candidate;
    const token = mintToken();
    const issuedAtMs = this.now();
    const scopes = candidate.role === "operator" ? normalizeScopes(device.scopes) : [];
    this.registry.saveToken({
      deviceId: device.deviceId,
      role: candidate.role,
      tokenHash: hashToken(token),
      scopes,
      createdAtMs: existing?.createdAtMs ?? issuedAtMs,
      rotatedAtMs: existing ? issuedAtMs : undefined,
    });
    return { ...candidate, deviceToken: { token, issuedAtMs } };
  }

  private merge(existing: PairedDevice | undefined, next: DeviceApproval): PairedDevice {
    const record = mergeDeviceRecord(existing, next, this.now());
    this.registry.savePaired(record);
    return record;
  }

  private requestPairing(candidate: Admission, reason: PairingReason, device: PairedDevice | undefined, remoteAddress: string): DevicePairingPendingRequest {
    const client = candidate.params.client;
    const scopes = normalizeScopes(candidate.scopes);
    const now = this.now();
    const previous = this.registry.pendingForDevice(candidate.deviceId!);
    const sameAsk =
      previous !== undefined &&
      previous.role === candidate.role &&
      previous.publicKey === candidate.publicKey &&
      previous.reason === reason &&
      sameList(previous.scopes, scopes);
    const request: DevicePairingPendingRequest = {
      requestId: sameAsk ? previous.requestId : randomUUID(),
      deviceId: candidate.deviceId!,
      publicKey: candidate.publicKey!,
      ...(client.displayName ? { displayName: client.displayName } : {}),
      platform: client.platform,
      ...(client.deviceFamily ? { deviceFamily: client.deviceFamily } : {}),
      clientId: client.id,
      clientMode: client.mode,
      role: candidate.role,
      roles: normalizeScopes([...(device?.roles ?? []), candidate.role]),
      scopes,
      remoteIp: remoteAddress,
      silent: false,
      isRepair: device !== undefined,
      reason,
      ts: now,
    };
    this.registry.transaction(() => {
      if (previous && !sameAsk) this.registry.removePending(previous.requestId);
      this.registry.savePending(request, sameAsk ? (previous.ts ?? now) : now);
    });
    if (previous && !sameAsk)
      this.hooks.broadcast("device.pair.resolved", { requestId: previous.requestId, deviceId: previous.deviceId, decision: "rejected", ts: now });
    if (!sameAsk) this.hooks.broadcast("device.pair.requested", request);
    return request;
  }

  /** Drop requests not retried for five minutes, announcing each as expired. */
  sweepExpired(): void {
    const now = this.now();
    for (const request of this.registry.stalePending(now - PAIRING_PENDING_TTL_MS)) {
      this.registry.removePending(request.requestId);
      this.hooks.broadcast("device.pair.resolved", { requestId: request.requestId, deviceId: request.deviceId, decision: "expired", ts: now });
    }
  }

  private summary(device: PairedDevice, connected: ReadonlySet<string>): PairedDeviceSummary {
    return pairedDeviceSummary(device, this.registry.tokens(device.deviceId), connected);
  }

  list(actor: PairingActor): { pending: DevicePairingPendingRequest[]; paired: PairedDeviceSummary[] } {
    this.sweepExpired();
    const connected = new Set(this.hooks.connections().flatMap((connection) => (connection.deviceId ? [connection.deviceId] : [])));
    // A device that came in on its own token sees only itself, unless it is an admin.
    const ownOnly = actor.authMethod === "device-token" && !scopeSatisfied(actor.scopes, ADMIN_SCOPE);
    const visible = (deviceId: string) => !ownOnly || deviceId === actor.deviceId;
    return {
      pending: this.registry.listPending().filter((request) => visible(request.deviceId)),
      paired: this.registry
        .listPaired()
        .filter((device) => visible(device.deviceId))
        .map((device) => this.summary(device, connected)),
    };
  }

  /**
   * Approves a pending request. A node-role device gets its declared commands approved with it
   * (`nodeCommandReview` says which); approving a non-operator role needs operator.admin.
   */
  approve(requestId: string, actor: PairingActor): { requestId: string; device: PairedDeviceSummary; nodeCommandReview?: NodeCommandReview } {
    this.sweepExpired();
    const request = this.registry.pending(requestId);
    if (request === undefined) throw new NotFoundError("unknown requestId");
    const needed = [...(request.role === "operator" ? [] : [ADMIN_SCOPE]), ...(request.scopes ?? [])];
    const missing = needed.find((scope) => !scopeSatisfied(actor.scopes, scope));
    if (missing !== undefined) {
      throw new ForbiddenError("device pairing approval denied", {
        details: { code: GatewayErrorDetailCodes.MISSING_SCOPE, missingScope: missing, requiredScopes: needed },
      });
    }
    const device = this.registry.transaction(() => {
      const record = this.merge(this.registry.paired(request.deviceId), {
        deviceId: request.deviceId,
        publicKey: request.publicKey,
        displayName: request.displayName,
        platform: normalizeDeviceMetadata(request.platform),
        deviceFamily: normalizeDeviceMetadata(request.deviceFamily),
        clientId: request.clientId,
        clientMode: request.clientMode,
        role: request.role ?? "operator",
        scopes: request.scopes ?? [],
        remoteIp: request.remoteIp,
        approvedVia: "operator",
      });
      this.registry.removePending(requestId);
      return record;
    });
    this.hooks.broadcast("device.pair.resolved", { requestId, deviceId: request.deviceId, decision: "approved", ts: this.now() });
    const review = request.role === "node" ? this.hooks.nodeApproved?.(request.deviceId, actor.scopes) : undefined;
    return { requestId, device: this.summary(device, new Set()), ...(review ? { nodeCommandReview: review } : {}) };
  }

  reject(requestId: string): { requestId: string; deviceId: string } {
    const request = this.registry.pending(requestId);
    if (request === undefined) throw new NotFoundError("unknown requestId");
    this.registry.removePending(requestId);
    this.hooks.broadcast("device.pair.resolved", { requestId, deviceId: request.deviceId, decision: "rejected", ts: this.now() });
    return { requestId, deviceId: request.deviceId };
  }

  remove(deviceId: string): { deviceId: string } {
    const removed = this.registry.transaction(() => {
      const hadPending = this.dropPending(deviceId);
      return this.registry.removePaired(deviceId) || hadPending;
    });
    if (!removed) throw new NotFoundError(`unknown deviceId: ${deviceId}`);
    this.hooks.invalidate((connection) => connection.deviceId === deviceId, "device removed");
    return { deviceId };
  }

  rename(deviceId: string, label: string): { deviceId: string; label: string } {
    if (!this.registry.rename(deviceId, label)) throw new NotFoundError(`unknown deviceId: ${deviceId}`);
    return { deviceId, label };
  }

  rotate(deviceId: string, role: string, requested: readonly string[] | undefined, actor: PairingActor) {
    const device = this.registry.paired(deviceId);
    if (device === undefined || !device.roles.includes(role)) throw new InvalidInputError(`device ${deviceId} is not paired for role ${role}`);
    const scopes = normalizeScopes(requested ?? this.registry.token(deviceId, role)?.scopes ?? (role === "operator" ? device.scopes : []));
    if (!scopesCovered(device.scopes, scopes)) throw new InvalidInputError("requested scopes exceed the device's approved scopes");
    const missing = scopes.find((scope) => !scopeSatisfied(actor.scopes, scope));
    if (missing !== undefined) throw ForbiddenError.fromWire(WireErrors.missingScope(missing, scopes));
    const token = mintToken();
    const rotatedAtMs = this.now();
    const previous = this.registry.token(deviceId, role);
    this.registry.saveToken({ deviceId, role, tokenHash: hashToken(token), scopes, createdAtMs: previous?.createdAtMs ?? rotatedAtMs, rotatedAtMs });
    this.hooks.invalidate(
      (connection) =>
        connection.deviceId === deviceId && connection.role === role && connection.authMethod === "device-token" && connection.connId !== actor.connId,
      "device token rotated",
    );
    const inBand = actor.deviceId === deviceId;
    return {
      deviceId,
      role,
      ...(inBand ? { token } : {}),
      scopes,
      rotatedAtMs,
      tokenDelivery: inBand ? ("in-band" as const) : ("withheld-cross-device" as const),
    };
  }

  revoke(deviceId: string, role: string) {
    const revokedAtMs = this.now();
    if (!this.registry.revokeToken(deviceId, role, revokedAtMs)) throw new InvalidInputError(`no live device token for ${deviceId} (${role})`);
    this.hooks.invalidate(
      (connection) => connection.deviceId === deviceId && connection.role === role && connection.authMethod === "device-token",
      "device token revoked",
    );
    return { deviceId, role, revokedAtMs };
  }
}
