import { normalizeScopes } from "@openclaw/protocol";
import type { PairedDevice } from "./device-registry.js";

/** What one approval (silent, by the proxy, or by an operator) says about a device. */
export interface DeviceApproval {
  readonly deviceId: string;
  readonly publicKey: string;
  readonly displayName: string | undefined;
  readonly platform: string;
  readonly deviceFamily: string;
  readonly clientId: string | undefined;
  readonly clientMode: string | undefined;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly remoteIp: string | undefined;
  /** `silent`, `trusted-proxy` or `operator`. */
  readonly approvedVia: string;
}

/**
 * The paired record after an approval: roles and scopes add to those of the same key, a new key
 * starts over (it is a different device under the same id), and the metadata is the newest.
 */
export function mergeDeviceRecord(existing: PairedDevice | undefined, next: DeviceApproval, now: number): PairedDevice {
  const sameKey = existing?.publicKey === next.publicKey;
  return {
    deviceId: next.deviceId,
    publicKey: next.publicKey,
    displayName: next.displayName ?? existing?.displayName,
    platform: next.platform,
    deviceFamily: next.deviceFamily,
    clientId: next.clientId,
    clientMode: next.clientMode,
    roles: normalizeScopes([...(sameKey ? (existing?.roles ?? []) : []), next.role]),
    scopes: normalizeScopes([...(sameKey ? (existing?.scopes ?? []) : []), ...next.scopes]),
    remoteIp: next.remoteIp,
    createdAtMs: sameKey && existing ? existing.createdAtMs : now,
    approvedAtMs: now,
    approvedVia: next.approvedVia,
  };
}
