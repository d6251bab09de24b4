import type { Database } from "better-sqlite3";
import type { DevicePairingPendingRequest } from "@openclaw/protocol";
import { prepared } from "../store/statements.js";

/** A paired device, with its pinned key and metadata and what it was approved for. */
export interface PairedDevice {
  readonly deviceId: string;
  readonly publicKey: string;
  readonly displayName?: string | undefined;
  /** Pinned in normalized form (trimmed, ASCII-lowercased). */
  readonly platform: string;
  readonly deviceFamily: string;
  readonly clientId?: string | undefined;
  readonly clientMode?: string | undefined;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly remoteIp?: string | undefined;
  readonly createdAtMs: number;
  readonly approvedAtMs: number;
  readonly approvedVia: string;
}

/** A device token's stored form: only the hash of the token is ever kept. */
export interface DeviceTokenRecord {
  readonly deviceId: string;
  readonly role: string;
  readonly tokenHash: string;
  readonly scopes: readonly string[];
  readonly createdAtMs: number;
  readonly rotatedAtMs?: number | undefined;
  readonly revokedAtMs?: number | undefined;
  readonly lastUsedAtMs?: number | undefined;
}

interface PairedRow {
  device_id: string;
  public_key: string;
  display_name: string | null;
  platform: string | null;
  device_family: string | null;
  client_id: string | null;
  client_mode: string | null;
  roles: string;
  scopes: string;
  remote_ip: string | null;
  created_at_ms: number;
  approved_at_ms: number;
  approved_via: string | null;
}

interface TokenRow {
  device_id: string;
  role: string;
  token_hash: string;
  scopes: string;
  created_at_ms: number;
  rotated_at_ms: number | null;
  revoked_at_ms: number | null;
  last_used_at_ms: number | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toPaired(row: PairedRow): PairedDevice {
  return {
    deviceId: row.device_id,
    publicKey: row.public_key,
    displayName: orUndefined(row.display_name),
    platform: row.platform ?? "",
    deviceFamily: row.device_family ?? "",
    clientId: orUndefined(row.client_id),
    clientMode: orUndefined(row.client_mode),
    roles: JSON.parse(row.roles) as string[],
    scopes: JSON.parse(row.scopes) as string[],
    remoteIp: orUndefined(row.remote_ip),
    createdAtMs: row.created_at_ms,
    approvedAtMs: row.approved_at_ms,
    approvedVia: row.approved_via ?? "operator",
  };
}

function toToken(row: TokenRow): DeviceTokenRecord {
  return {
    deviceId: row.device_id,
    role: row.role,
    tokenHash: row.token_hash,
    scopes: JSON.parse(row.scopes) as string[],
    createdAtMs: row.created_at_ms,
    rotatedAtMs: orUndefined(row.rotated_at_ms),
    revokedAtMs: orUndefined(row.revoked_at_ms),
    lastUsedAtMs: orUndefined(row.last_used_at_ms),
  };
}

/** Paired devices, their tokens and pending pairing requests, in the SQLite store. */
export class DeviceRegistry {
  constructor(private readonly db: Database) {}

  /** Run several changes as one transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  paired(deviceId: string): PairedDevice | undefined {
    const row = prepared<[string], PairedRow>(this.db, "SELECT * FROM paired_devices WHERE device_id = ?").get(deviceId);
    return row ? toPaired(row) : undefined;
  }

  listPaired(): PairedDevice[] {
    return prepared<[], PairedRow>(this.db, "SELECT * FROM paired_devices ORDER BY approved_at_ms").all().map(toPaired);
  }

  savePaired(device: PairedDevice): void {
    prepared(
      this.db,
      `INSERT INTO paired_devices (device_id, public_key, display_name, platform, device_family, client_id, client_mode, roles, scopes, remote_ip, created_at_ms, approved_at_ms, approved_via)
         VALUES (@deviceId, @publicKey, @displayName, @platform, @deviceFamily, @clientId, @clientMode, @roles, @scopes, @remoteIp, @createdAtMs, @approvedAtMs, @approvedVia)
         ON CONFLICT (device_id) DO UPDATE SET public_key = excluded.public_key, display_name = excluded.display_name, platform = excluded.platform,
           device_family = excluded.device_family, client_id = excluded.client_id, client_mode = excluded.client_mode, roles = excluded.roles,
           scopes = excluded.scopes, remote_ip = excluded.remote_ip, approved_at_ms = excluded.approved_at_ms, approved_via = excluded.approved_via`,
    ).run({
      ...device,
      displayName: device.displayName ?? null,
      clientId: device.clientId ?? null,
      clientMode: device.clientMode ?? null,
      remoteIp: device.remoteIp ?? null,
      roles: JSON.stringify(device.roles),
      scopes: JSON.stringify(device.scopes),
    });
  }

  rename(deviceId: string, displayName: string): boolean {
    return prepared(this.db, "UPDATE paired_devices SET display_name = ? WHERE device_id = ?").run(displayName, deviceId).changes > 0;
  }

  /** Delete a device; its tokens go with it (foreign key cascade). */
  removePaired(deviceId: string): boolean {
    return prepared(this.db, "DELETE FROM paired_devices WHERE device_id = ?").run(deviceId).changes > 0;
  }

  token(deviceId: string, role: string): DeviceTokenRecord | undefined {
    const row = prepared<[string, string], TokenRow>(this.db, "SELECT * FROM device_tokens WHERE device_id = ? AND role = ?").get(deviceId, role);
    return row ? toToken(row) : undefined;
  }

  tokens(deviceId: string): DeviceTokenRecord[] {
    return prepared<[string], TokenRow>(this.db, "SELECT * FROM device_tokens WHERE device_id = ? ORDER BY role").all(deviceId).map(toToken);
  }

  /** Store a new token hash for (device, role), replacing any previous one. */
  saveToken(record: DeviceTokenRecord): void {
    prepared(
      this.db,
      `INSERT INTO device_tokens (device_id, role, token_hash, scopes, created_at_ms, rotated_at_ms, revoked_at_ms, last_used_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)
         ON CONFLICT (device_id, role) DO UPDATE SET token_hash = excluded.token_hash, scopes = excluded.scopes,
           rotated_at_ms = excluded.rotated_at_ms, revoked_at_ms = NULL, last_used_at_ms = NULL`,
    ).run(record.deviceId, record.role, record.tokenHash, JSON.stringify(record.scopes), record.createdAtMs, record.rotatedAtMs ?? null);
  }

  revokeToken(deviceId: string, role: string, at: number): boolean {
    return (
      prepared(this.db, "UPDATE device_tokens SET revoked_at_ms = ? WHERE device_id = ? AND role = ? AND revoked_at_ms IS NULL").run(at, deviceId, role)
        .changes > 0
    );
  }

  touchToken(deviceId: string, role: string, at: number): void {
    prepared(this.db, "UPDATE device_tokens SET last_used_at_ms = ? WHERE device_id = ? AND role = ?").run(at, deviceId, role);
  }

  pendingForDevice(deviceId: string): DevicePairingPendingRequest | undefined {
    const row = prepared<[string], { payload: string }>(this.db, "SELECT payload FROM pairing_requests WHERE device_id = ? ORDER BY updated_at_ms DESC").get(
      deviceId,
    );
    return row ? (JSON.parse(row.payload) as DevicePairingPendingRequest) : undefined;
  }

  pending(requestId: string): DevicePairingPendingRequest | undefined {
    const row = prepared<[string], { payload: string }>(this.db, "SELECT payload FROM pairing_requests WHERE request_id = ?").get(requestId);
    return row ? (JSON.parse(row.payload) as DevicePairingPendingRequest) : undefined;
  }

  listPending(): DevicePairingPendingRequest[] {
    return prepared<[], { payload: string }>(this.db, "SELECT payload FROM pairing_requests ORDER BY created_at_ms")
      .all()
      .map((row) => JSON.parse(row.payload) as DevicePairingPendingRequest);
  }

  savePending(request: DevicePairingPendingRequest, createdAtMs: number): void {
    prepared(
      this.db,
      `INSERT INTO pairing_requests (request_id, device_id, public_key, payload, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (request_id) DO UPDATE SET payload = excluded.payload, updated_at_ms = excluded.updated_at_ms`,
    ).run(request.requestId, request.deviceId, request.publicKey, JSON.stringify(request), createdAtMs, request.ts);
  }

  removePending(requestId: string): boolean {
    return prepared(this.db, "DELETE FROM pairing_requests WHERE request_id = ?").run(requestId).changes > 0;
  }

  /** Requests last refreshed before `cutoff`: expired. */
  stalePending(cutoff: number): DevicePairingPendingRequest[] {
    return prepared<[number], { payload: string }>(this.db, "SELECT payload FROM pairing_requests WHERE updated_at_ms < ?")
      .all(cutoff)
      .map((row) => JSON.parse(row.payload) as DevicePairingPendingRequest);
  }
}
