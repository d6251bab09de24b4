import { createPublicKey, verify, type KeyObject } from "node:crypto";
import {
  DEVICE_SIGNATURE_SKEW_MS,
  base64UrlDecode,
  base64UrlEncode,
  buildDeviceAuthPayload,
  decodeDevicePublicKey,
  deriveDeviceId,
  ed25519SpkiFromRaw,
  signedCredential,
  type ConnectParams,
  type DeviceAuthPayloadVersion,
  type DeviceProofFailureReason,
} from "@openclaw/protocol";

export type DeviceProofResult =
  | { readonly ok: true; readonly version: DeviceAuthPayloadVersion; readonly publicKey: string }
  | { readonly ok: false; readonly reason: DeviceProofFailureReason };

/**
 * Verify the signed device proof of a `connect`, in the reference gateway's
 * order, so the first failure reported is the same one.
 */
export function verifyDeviceProof(params: ConnectParams, challengeNonce: string, now: number): DeviceProofResult {
  const device = params.device!;
  const facts = publicKeyFacts(device.publicKey);
  if (facts === undefined || facts.deviceId !== device.id) return { ok: false, reason: "device-id-mismatch" };
  const { raw, key } = facts;
  if (!Number.isFinite(device.signedAt) || Math.abs(now - device.signedAt) > DEVICE_SIGNATURE_SKEW_MS) return { ok: false, reason: "device-signature-stale" };
  if (device.nonce.trim().length === 0) return { ok: false, reason: "device-nonce-missing" };
  if (device.nonce !== challengeNonce) return { ok: false, reason: "device-nonce-mismatch" };

  const signature = base64UrlDecode(device.signature);
  if (signature === undefined || signature.length !== 64) return { ok: false, reason: "device-signature" };
  if (key === undefined) return { ok: false, reason: "device-public-key" };
  const common = {
    deviceId: device.id,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? "operator",
    scopes: params.scopes ?? [],
    signedAtMs: device.signedAt,
    token: signedCredential(params.auth),
    nonce: device.nonce,
  };
  for (const version of ["v3", "v2"] as const) {
    const payload = buildDeviceAuthPayload({ version, ...common, platform: params.client.platform, deviceFamily: params.client.deviceFamily });
    if (verify(null, Buffer.from(payload, "utf8"), key, signature)) return { ok: true, version, publicKey: base64UrlEncode(raw) };
  }
  return { ok: false, reason: "device-signature" };
}

interface PublicKeyFacts {
  readonly raw: Uint8Array;
  readonly deviceId: string;
  /** Undefined when the bytes are not a usable Ed25519 key. */
  readonly key: KeyObject | undefined;
}

/** Keys seen recently, most recent last: a device reconnects with the same key, and hashing and importing it each time costs more than the handshake's own work. */
const knownKeys = new Map<string, PublicKeyFacts>();
const KNOWN_KEYS_MAX = 1024;

/** What a `device.publicKey` decodes to; undefined when it is not a key at all. */
function publicKeyFacts(encoded: string): PublicKeyFacts | undefined {
  const known = knownKeys.get(encoded);
  if (known !== undefined) {
    knownKeys.delete(encoded);
    knownKeys.set(encoded, known);
    return known;
  }
  const raw = decodeDevicePublicKey(encoded);
  if (raw === undefined) return undefined;
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: Buffer.from(ed25519SpkiFromRaw(raw)), format: "der", type: "spki" });
  } catch {
    key = undefined;
  }
  const facts = { raw, deviceId: deriveDeviceId(raw), key };
  knownKeys.set(encoded, facts);
  if (knownKeys.size > KNOWN_KEYS_MAX) knownKeys.delete(knownKeys.keys().next().value!);
  return facts;
}
