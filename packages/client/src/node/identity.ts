import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { base64UrlEncode, deriveDeviceId } from "@openclaw/protocol";
import { GatewayConfigError } from "../errors.js";
import type { DeviceIdentity } from "../identity.js";
import { createFileExclusive, writeFileAtomic } from "./fs-atomic.js";

/** The identity file: `{ version: 1, deviceId, publicKey, privateKeyPem, createdAtMs }`, mode 0600. */
export interface StoredIdentity {
  readonly version: 1;
  readonly deviceId: string;
  /** base64url of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  /** PKCS#8 PEM of the Ed25519 private key. */
  readonly privateKeyPem: string;
  readonly createdAtMs: number;
}

/** A device identity backed by a Node Ed25519 key. */
export interface NodeDeviceIdentity extends DeviceIdentity {
  readonly createdAtMs: number;
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  // Ed25519 SPKI DER is a fixed 12-byte header followed by the 32-byte key.
  return new Uint8Array(createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12));
}

function identityFromKey(privateKey: KeyObject, createdAtMs: number): NodeDeviceIdentity {
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new GatewayConfigError(`device identity key must be Ed25519, got ${privateKey.asymmetricKeyType ?? "unknown"}`);
  }
  const raw = rawPublicKey(privateKey);
  return {
    id: deriveDeviceId(raw),
    publicKey: base64UrlEncode(raw),
    createdAtMs,
    sign: async (payload) => new Uint8Array(sign(null, payload, privateKey)),
  };
}

/** A fresh in-memory Ed25519 identity (lost when the process exits; see {@link loadOrCreateIdentity}). */
export function createNodeIdentity(): NodeDeviceIdentity {
  return identityFromKey(generateKeyPairSync("ed25519").privateKey, Date.now());
}

/** An identity from a PKCS#8 PEM private key, e.g. one kept in a secret store. */
export function identityFromPrivateKeyPem(privateKeyPem: string, createdAtMs = Date.now()): NodeDeviceIdentity {
  return identityFromKey(createPrivateKey(privateKeyPem), createdAtMs);
}

function stored(privateKey: KeyObject, identity: NodeDeviceIdentity): StoredIdentity {
  const privateKeyPem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return { version: 1, deviceId: identity.id, publicKey: identity.publicKey, privateKeyPem, createdAtMs: identity.createdAtMs };
}

async function readIdentityFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The identity kept at `path`, created (mode 0600, parent directories 0700) on first use.
 * The key is the truth: a stale `deviceId` or `publicKey` in the file is rewritten from it.
 */
export async function loadOrCreateIdentity(path: string): Promise<NodeDeviceIdentity> {
  const text = await readIdentityFile(path);
  if (text === undefined) {
    const privateKey = generateKeyPairSync("ed25519").privateKey;
    const identity = identityFromKey(privateKey, Date.now());
    // Two processes starting together must end up with one identity, not one each.
    if (await createFileExclusive(path, `${JSON.stringify(stored(privateKey, identity), null, 2)}\n`)) return identity;
    return loadOrCreateIdentity(path);
  }
  let file: Partial<StoredIdentity>;
  try {
    file = JSON.parse(text) as Partial<StoredIdentity>;
  } catch (error) {
    throw new GatewayConfigError(`device identity ${path} is not JSON; move it aside to create a new identity`, { cause: error });
  }
  if (typeof file.privateKeyPem !== "string")
    throw new GatewayConfigError(`device identity ${path} has no privateKeyPem; move it aside to create a new identity`);
  const privateKey = createPrivateKey(file.privateKeyPem);
  const identity = identityFromKey(privateKey, typeof file.createdAtMs === "number" ? file.createdAtMs : Date.now());
  if (file.version !== 1 || file.deviceId !== identity.id || file.publicKey !== identity.publicKey) {
    await writeFileAtomic(path, `${JSON.stringify(stored(privateKey, identity), null, 2)}\n`);
  }
  return identity;
}
