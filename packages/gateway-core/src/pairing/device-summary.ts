import type { PairedDeviceSummary } from "@openclaw/protocol";
import type { DeviceTokenRecord, PairedDevice } from "./device-registry.js";

/** A paired device as `device.pair.list` shows it: its record, whether it is connected, and its tokens' metadata (never their values). */
export function pairedDeviceSummary(device: PairedDevice, tokens: readonly DeviceTokenRecord[], connected: ReadonlySet<string>): PairedDeviceSummary {
  return {
    deviceId: device.deviceId,
    publicKey: device.publicKey,
    ...(device.displayName ? { displayName: device.displayName } : {}),
    platform: device.platform,
    deviceFamily: device.deviceFamily,
    ...(device.clientId ? { clientId: device.clientId } : {}),
    ...(device.clientMode ? { clientMode: device.clientMode } : {}),
    roles: [...device.roles],
    scopes: [...device.scopes],
    ...(device.remoteIp ? { remoteIp: device.remoteIp } : {}),
    createdAtMs: device.createdAtMs,
    approvedAtMs: device.approvedAtMs,
    approvedVia: device.approvedVia,
    connected: connected.has(device.deviceId),
    tokens: tokens.map((token) => ({
      role: token.role,
      scopes: [...token.scopes],
      createdAtMs: token.createdAtMs,
      ...(token.rotatedAtMs !== undefined ? { rotatedAtMs: token.rotatedAtMs } : {}),
      ...(token.revokedAtMs !== undefined ? { revokedAtMs: token.revokedAtMs } : {}),
      ...(token.lastUsedAtMs !== undefined ? { lastUsedAtMs: token.lastUsedAtMs } : {}),
    })),
  };
}
