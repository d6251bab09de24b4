import { base64UrlEncode, deriveDeviceId, type DeviceIdentity } from "@openclaw/client";

const DB_NAME = "openclaw-control-ui";
const STORE = "device-identity";
const RECORD = "default";

interface StoredKeys {
  readonly privateKey: CryptoKey;
  readonly publicKeyRaw: ArrayBuffer;
}

/** Thrown when this page cannot hold a device key (no WebCrypto outside a secure context). */
export class InsecureContextError extends Error {
  readonly code = "INSECURE_CONTEXT";
  constructor() {
    super("This page cannot create a device identity: open the Control UI over https:// or from localhost (WebCrypto needs a secure context).");
    this.name = "InsecureContextError";
  }
}

/**
 * This browser's device identity: an Ed25519 key pair from WebCrypto. The private key is
 * created non-extractable and kept as a CryptoKey in IndexedDB, so script can sign with it
 * but never read it. Without IndexedDB the key lives for this page only.
 */
export async function loadOrCreateBrowserIdentity(): Promise<DeviceIdentity> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new InsecureContextError();
  let keys = await readKeys().catch(() => undefined);
  if (keys === undefined) {
    const pair = (await subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const fresh = { privateKey: pair.privateKey, publicKeyRaw: await subtle.exportKey("raw", pair.publicKey) };
    await writeKeys(fresh).catch(() => undefined);
    // Another tab may have stored its key first; everyone then uses that one.
    keys = (await readKeys().catch(() => undefined)) ?? fresh;
  }
  const raw = new Uint8Array(keys.publicKeyRaw);
  const privateKey = keys.privateKey;
  return {
    id: deriveDeviceId(raw),
    publicKey: base64UrlEncode(raw),
    sign: async (payload) => new Uint8Array(await subtle.sign("Ed25519", privateKey, payload as Uint8Array<ArrayBuffer>)),
  };
}

/** Remove the stored key pair; the next load creates a new device that must be paired again. */
export async function forgetBrowserIdentity(): Promise<void> {
  const db = await openDb();
  try {
    await request(db.transaction(STORE, "readwrite").objectStore(STORE).delete(RECORD));
  } finally {
    db.close();
  }
}

async function readKeys(): Promise<StoredKeys | undefined> {
  const db = await openDb();
  try {
    const value: unknown = await request(db.transaction(STORE, "readonly").objectStore(STORE).get(RECORD));
    if (value === undefined || value === null || typeof value !== "object") return undefined;
    const stored = value as Partial<StoredKeys>;
    return stored.privateKey instanceof CryptoKey && stored.publicKeyRaw instanceof ArrayBuffer ? (stored as StoredKeys) : undefined;
  } finally {
    db.close();
  }
}

async function writeKeys(keys: StoredKeys): Promise<void> {
  const db = await openDb();
  try {
    const transaction = db.transaction(STORE, "readwrite");
    // `add`, not `put`: if another tab stored a key first, keep theirs (the next load reads it).
    transaction.objectStore(STORE).add(keys, RECORD);
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB write failed"));
      transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB write aborted"));
    });
  } finally {
    db.close();
  }
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error ?? new Error("IndexedDB unavailable"));
  });
}

function request<T>(pending: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error ?? new Error("IndexedDB request failed"));
  });
}
