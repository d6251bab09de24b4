import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { prepared } from "../store/statements.js";

/** Approved node surfaces, node pairing requests and queued work for offline nodes. */
export const nodesMigration = {
  version: 4,
  name: "nodes",
  up(db: Database) {
    db.exec(`
      CREATE TABLE node_surfaces (
        node_id TEXT PRIMARY KEY,
        display_name TEXT,
        platform TEXT,
        device_family TEXT,
        commands TEXT NOT NULL CHECK (json_valid(commands)),
        caps TEXT NOT NULL CHECK (json_valid(caps)),
        approved_at_ms INTEGER NOT NULL,
        last_seen_at_ms INTEGER,
        last_seen_reason TEXT
      ) STRICT;

      CREATE TABLE node_pair_requests (
        request_id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        ts INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE node_pending_work (
        id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL,
        type TEXT NOT NULL,
        priority TEXT NOT NULL,
        payload TEXT CHECK (payload IS NULL OR json_valid(payload)),
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER
      ) STRICT;
      CREATE INDEX node_pending_work_node ON node_pending_work (node_id, created_at_ms);
    `);
  },
};

export interface NodeSurface {
  readonly nodeId: string;
  readonly displayName?: string | undefined;
  readonly platform?: string | undefined;
  readonly deviceFamily?: string | undefined;
  readonly commands: readonly string[];
  readonly caps: readonly string[];
  readonly approvedAtMs: number;
  readonly lastSeenAtMs?: number | undefined;
  readonly lastSeenReason?: string | undefined;
}

export interface NodePairRequest {
  readonly requestId: string;
  readonly nodeId: string;
  readonly displayName?: string;
  readonly platform?: string;
  readonly version?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly caps: readonly string[];
  readonly commands: readonly string[];
  readonly permissions?: Readonly<Record<string, boolean>>;
  readonly remoteIp?: string;
  readonly silent: boolean;
  readonly isRepair: boolean;
  readonly ts: number;
}

export interface PendingWork {
  readonly id: string;
  readonly type: "status.request" | "location.request";
  readonly priority: "normal" | "high";
  readonly createdAtMs: number;
  readonly expiresAtMs?: number;
  readonly payload?: unknown;
}

interface SurfaceRow {
  node_id: string;
  display_name: string | null;
  platform: string | null;
  device_family: string | null;
  commands: string;
  caps: string;
  approved_at_ms: number;
  last_seen_at_ms: number | null;
  last_seen_reason: string | null;
}

function toSurface(row: SurfaceRow): NodeSurface {
  return {
    nodeId: row.node_id,
    displayName: row.display_name ?? undefined,
    platform: row.platform ?? undefined,
    deviceFamily: row.device_family ?? undefined,
    commands: JSON.parse(row.commands) as string[],
    caps: JSON.parse(row.caps) as string[],
    approvedAtMs: row.approved_at_ms,
    lastSeenAtMs: row.last_seen_at_ms ?? undefined,
    lastSeenReason: row.last_seen_reason ?? undefined,
  };
}

export class NodeStore {
  constructor(private readonly db: Database) {}

  surface(nodeId: string): NodeSurface | undefined {
    const row = prepared<[string], SurfaceRow>(this.db, "SELECT * FROM node_surfaces WHERE node_id = ?").get(nodeId);
    return row ? toSurface(row) : undefined;
  }

  surfaces(): NodeSurface[] {
    return prepared<[], SurfaceRow>(this.db, "SELECT * FROM node_surfaces").all().map(toSurface);
  }

  approve(surface: NodeSurface): void {
    prepared(
      this.db,
      `INSERT INTO node_surfaces (node_id, display_name, platform, device_family, commands, caps, approved_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (node_id) DO UPDATE SET display_name = COALESCE(excluded.display_name, display_name), platform = excluded.platform,
           device_family = excluded.device_family, commands = excluded.commands, caps = excluded.caps, approved_at_ms = excluded.approved_at_ms`,
    ).run(
      surface.nodeId,
      surface.displayName ?? null,
      surface.platform ?? null,
      surface.deviceFamily ?? null,
      JSON.stringify(surface.commands),
      JSON.stringify(surface.caps),
      surface.approvedAtMs,
    );
  }

  removeSurface(nodeId: string): boolean {
    return prepared(this.db, "DELETE FROM node_surfaces WHERE node_id = ?").run(nodeId).changes > 0;
  }

  rename(nodeId: string, displayName: string): boolean {
    return prepared(this.db, "UPDATE node_surfaces SET display_name = ? WHERE node_id = ?").run(displayName, nodeId).changes > 0;
  }

  seen(nodeId: string, at: number, reason: string): void {
    prepared(this.db, "UPDATE node_surfaces SET last_seen_at_ms = ?, last_seen_reason = ? WHERE node_id = ?").run(at, reason, nodeId);
  }

  request(requestId: string): NodePairRequest | undefined {
    const row = prepared<[string], { payload: string }>(this.db, "SELECT payload FROM node_pair_requests WHERE request_id = ?").get(requestId);
    return row ? (JSON.parse(row.payload) as NodePairRequest) : undefined;
  }

  requestForNode(nodeId: string): NodePairRequest | undefined {
    const row = prepared<[string], { payload: string }>(this.db, "SELECT payload FROM node_pair_requests WHERE node_id = ? ORDER BY ts DESC").get(nodeId);
    return row ? (JSON.parse(row.payload) as NodePairRequest) : undefined;
  }

  requests(): NodePairRequest[] {
    return prepared<[], { payload: string }>(this.db, "SELECT payload FROM node_pair_requests ORDER BY ts")
      .all()
      .map((row) => JSON.parse(row.payload) as NodePairRequest);
  }

  saveRequest(request: NodePairRequest): void {
    prepared(this.db, "DELETE FROM node_pair_requests WHERE node_id = ? AND request_id != ?").run(request.nodeId, request.requestId);
    prepared(
      this.db,
      "INSERT INTO node_pair_requests (request_id, node_id, payload, ts) VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET payload = excluded.payload, ts = excluded.ts",
    ).run(request.requestId, request.nodeId, JSON.stringify(request), request.ts);
  }

  removeRequest(requestId: string): boolean {
    return prepared(this.db, "DELETE FROM node_pair_requests WHERE request_id = ?").run(requestId).changes > 0;
  }

  enqueue(nodeId: string, work: Omit<PendingWork, "id">): PendingWork {
    const item: PendingWork = { id: randomUUID(), ...work };
    prepared(this.db, "INSERT INTO node_pending_work (id, node_id, type, priority, payload, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      item.id,
      nodeId,
      item.type,
      item.priority,
      item.payload === undefined ? null : JSON.stringify(item.payload),
      item.createdAtMs,
      item.expiresAtMs ?? null,
    );
    return item;
  }

  /** Take up to `max` unexpired items, high priority first, removing them. */
  drain(nodeId: string, max: number, now: number): { items: PendingWork[]; hasMore: boolean } {
    return this.db.transaction(() => {
      prepared(this.db, "DELETE FROM node_pending_work WHERE node_id = ? AND expires_at_ms IS NOT NULL AND expires_at_ms <= ?").run(nodeId, now);
      const rows = prepared<
        [string, number],
        {
          id: string;
          type: PendingWork["type"];
          priority: PendingWork["priority"];
          payload: string | null;
          created_at_ms: number;
          expires_at_ms: number | null;
        }
      >(this.db, "SELECT * FROM node_pending_work WHERE node_id = ? ORDER BY priority = 'high' DESC, created_at_ms LIMIT ?").all(nodeId, max + 1);
      const taken = rows.slice(0, max);
      const remove = prepared(this.db, "DELETE FROM node_pending_work WHERE id = ?");
      for (const row of taken) remove.run(row.id);
      const items = taken.map((row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        createdAtMs: row.created_at_ms,
        ...(row.expires_at_ms !== null ? { expiresAtMs: row.expires_at_ms } : {}),
        ...(row.payload !== null ? { payload: JSON.parse(row.payload) as unknown } : {}),
      }));
      return { items, hasMore: rows.length > max };
    })();
  }
}
