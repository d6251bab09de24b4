import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, NonNegativeInt, closedObject, openObject } from "./primitives.js";
import { NodeCommandReview, PAIRING_DECISIONS } from "./nodes.js";
import { StringEnum } from "./primitives.js";

export const PAIRING_REASONS = ["not-paired", "role-upgrade", "scope-upgrade", "metadata-upgrade"] as const;
export type PairingReason = (typeof PAIRING_REASONS)[number];

/** A device waiting for approval, as broadcast and listed. */
export const DevicePairingPendingRequest = openObject({
  requestId: NonEmptyString,
  deviceId: NonEmptyString,
  publicKey: NonEmptyString,
  displayName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  clientId: Type.Optional(Type.String()),
  clientMode: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scopes: Type.Optional(Type.Array(Type.String())),
  remoteIp: Type.Optional(Type.String()),
  silent: Type.Optional(Type.Boolean()),
  isRepair: Type.Optional(Type.Boolean()),
  reason: Type.Optional(StringEnum(PAIRING_REASONS)),
  ts: NonNegativeInt,
});
export type DevicePairingPendingRequest = Static<typeof DevicePairingPendingRequest>;

/** A device token's metadata; token values are never returned. */
export const DeviceTokenSummary = openObject({
  role: NonEmptyString,
  scopes: Type.Array(Type.String()),
  createdAtMs: NonNegativeInt,
  rotatedAtMs: Type.Optional(NonNegativeInt),
  revokedAtMs: Type.Optional(NonNegativeInt),
  lastUsedAtMs: Type.Optional(NonNegativeInt),
});

export const PairedDeviceSummary = openObject({
  deviceId: NonEmptyString,
  publicKey: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  clientId: Type.Optional(Type.String()),
  clientMode: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scopes: Type.Optional(Type.Array(Type.String())),
  remoteIp: Type.Optional(Type.String()),
  createdAtMs: Type.Optional(NonNegativeInt),
  approvedAtMs: Type.Optional(NonNegativeInt),
  approvedVia: Type.Optional(Type.String()),
  connected: Type.Optional(Type.Boolean()),
  tokens: Type.Optional(Type.Array(DeviceTokenSummary)),
});
export type PairedDeviceSummary = Static<typeof PairedDeviceSummary>;

export const DevicePairListResult = openObject({
  pending: Type.Array(DevicePairingPendingRequest),
  paired: Type.Array(PairedDeviceSummary),
});
export const DevicePairApproveResult = openObject({
  requestId: NonEmptyString,
  device: PairedDeviceSummary,
  /** For a node: the declared commands approved with the device, and those that stay refused. */
  nodeCommandReview: Type.Optional(NodeCommandReview),
});
export const DevicePairRejectResult = openObject({ requestId: NonEmptyString, deviceId: NonEmptyString });
export const DeviceIdParams = closedObject({ deviceId: NonEmptyString });
export const DeviceIdResult = openObject({ deviceId: NonEmptyString });
export const DevicePairRenameParams = closedObject({ deviceId: NonEmptyString, label: Type.String({ minLength: 1, maxLength: 64 }) });
export const DevicePairRenameResult = openObject({ deviceId: NonEmptyString, label: Type.String() });

export const DeviceTokenRotateParams = closedObject({
  deviceId: NonEmptyString,
  role: NonEmptyString,
  scopes: Type.Optional(Type.Array(NonEmptyString)),
});
export const DeviceTokenRotateResult = openObject({
  deviceId: NonEmptyString,
  role: NonEmptyString,
  token: Type.Optional(NonEmptyString),
  scopes: Type.Array(Type.String()),
  rotatedAtMs: NonNegativeInt,
  tokenDelivery: StringEnum(["in-band", "withheld-cross-device"] as const),
});
export const DeviceTokenRevokeParams = closedObject({ deviceId: NonEmptyString, role: NonEmptyString });
export const DeviceTokenRevokeResult = openObject({ deviceId: NonEmptyString, role: NonEmptyString, revokedAtMs: NonNegativeInt });

export const DevicePairResolvedEvent = openObject({
  requestId: NonEmptyString,
  deviceId: NonEmptyString,
  decision: StringEnum(PAIRING_DECISIONS),
  ts: NonNegativeInt,
});
