/**
 * A device identity: an Ed25519 key pair whose public half the gateway pairs with.
 * The private key never leaves `sign`, so it can live in a keychain, WebCrypto or a file.
 */
export interface DeviceIdentity {
  /** Lowercase hex SHA-256 of the raw 32-byte public key. */
  readonly id: string;
  /** base64url (no padding) of the raw 32-byte public key. */
  readonly publicKey: string;
  /** Ed25519 signature (64 bytes) over `payload`. */
  sign(payload: Uint8Array): Promise<Uint8Array>;
}

/** Which device token: one per gateway, device and role. */
export interface DeviceTokenKey {
  readonly gatewayUrl: string;
  readonly deviceId: string;
  readonly role: string;
}

/** A device token the gateway issued in `hello-ok.auth`. */
export interface DeviceTokenRecord {
  readonly token: string;
  /** The scopes the token was issued with. */
  readonly scopes: readonly string[];
  readonly issuedAtMs: number;
}

/** Where issued device tokens are kept between connections. Methods may be sync or async. */
export interface DeviceTokenStore {
  get(key: DeviceTokenKey): Promise<DeviceTokenRecord | undefined> | DeviceTokenRecord | undefined;
  set(key: DeviceTokenKey, record: DeviceTokenRecord): Promise<void> | void;
  clear(key: DeviceTokenKey): Promise<void> | void;
}

/** The map key of a {@link DeviceTokenKey}; `|` never occurs in device ids or roles. */
export function deviceTokenKeyString(key: DeviceTokenKey): string {
  return `${key.gatewayUrl}|${key.deviceId}|${key.role}`;
}

/** Keeps device tokens for the life of the process: the default outside Node, and handy in tests. */
export class InMemoryDeviceTokenStore implements DeviceTokenStore {
  private readonly records = new Map<string, DeviceTokenRecord>();

  get(key: DeviceTokenKey): DeviceTokenRecord | undefined {
    return this.records.get(deviceTokenKeyString(key));
  }

  set(key: DeviceTokenKey, record: DeviceTokenRecord): void {
    this.records.set(deviceTokenKeyString(key), { ...record, scopes: [...record.scopes] });
  }

  clear(key: DeviceTokenKey): void {
    this.records.delete(deviceTokenKeyString(key));
  }
}
