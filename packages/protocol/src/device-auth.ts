import { base64UrlDecode, fromHex, sha256, toHex } from "./encoding.js";
import type { ConnectAuth } from "./schema/connect.js";

/** Versions of the signed connect payload. v3 is preferred; v2 is still accepted. */
export type DeviceAuthPayloadVersion = "v2" | "v3";

export interface DeviceAuthPayloadInput {
  readonly version: DeviceAuthPayloadVersion;
  readonly deviceId: string;
  readonly clientId: string;
  readonly clientMode: string;
  /** The resolved role: `connect.role`, or `"operator"` when omitted. */
  readonly role: string;
  /** `connect.scopes` in the order sent. */
  readonly scopes: readonly string[];
  readonly signedAtMs: number;
  /** The credential from {@link signedCredential}; absent becomes "". */
  readonly token?: string | null;
  readonly nonce: string;
  readonly platform?: string | null;
  readonly deviceFamily?: string | null;
}

/** Raw Ed25519 keys are wrapped in SPKI DER with this prefix for verification. */
export const ED25519_SPKI_PREFIX_HEX = "302a300506032b6570032100";

/** Trim, then lowercase only A–Z: the form platform and deviceFamily are signed and pinned in. */
export function normalizeDeviceMetadata(value: string | null | undefined): string {
  return (value ?? "").trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The credential a client signs over: the first present of `auth.token`,
 * `auth.deviceToken`, `auth.bootstrapToken` (even when empty); never the password.
 */
export function signedCredential(auth: ConnectAuth | undefined): string {
  return auth?.token ?? auth?.deviceToken ?? auth?.bootstrapToken ?? "";
}

/** The exact `|`-joined string a device signs for `connect`. */
export function buildDeviceAuthPayload(input: DeviceAuthPayloadInput): string {
  const fields = [
    input.version,
    input.deviceId,
    input.clientId,
    input.clientMode,
    input.role,
    input.scopes.join(","),
    String(input.signedAtMs),
    input.token ?? "",
    input.nonce,
  ];
  if (input.version === "v3") fields.push(normalizeDeviceMetadata(input.platform), normalizeDeviceMetadata(input.deviceFamily));
  return fields.join("|");
}

/** Device id: lowercase hex SHA-256 of the raw 32-byte public key. */
export function deriveDeviceId(rawPublicKey: Uint8Array): string {
  return toHex(sha256(rawPublicKey));
}

const SPKI_PREFIX = fromHex(ED25519_SPKI_PREFIX_HEX)!;

/**
 * The raw 32-byte key from a wire `publicKey`: base64url of the raw key (preferred),
 * or a PEM SPKI block. Undefined when it is neither.
 */
export function decodeDevicePublicKey(publicKey: string): Uint8Array | undefined {
  if (publicKey.includes("BEGIN")) {
    const body = publicKey.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const der = base64UrlDecode(body);
    if (!der || der.length !== SPKI_PREFIX.length + 32) return undefined;
    for (let i = 0; i < SPKI_PREFIX.length; i++) if (der[i] !== SPKI_PREFIX[i]) return undefined;
    return der.slice(SPKI_PREFIX.length);
  }
  const raw = base64UrlDecode(publicKey);
  return raw && raw.length === 32 ? raw : undefined;
}

/** Wrap a raw Ed25519 key as SPKI DER, for verifiers that want it. */
export function ed25519SpkiFromRaw(rawPublicKey: Uint8Array): Uint8Array {
  const der = new Uint8Array(SPKI_PREFIX.length + rawPublicKey.length);
  der.set(SPKI_PREFIX);
  der.set(rawPublicKey, SPKI_PREFIX.length);
  return der;
}
