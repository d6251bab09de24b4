import type { PresenceEntry } from "@openclaw/protocol";

const SELF_KEY = "gateway:self";

interface Row {
  entry: PresenceEntry;
  /** The connection that put it here; only it may take it away on disconnect. */
  owner: string | undefined;
}

/** Entries reported by `system-event` (no connection owns them) kept at most; the stalest go first. */
export const MAX_REPORTED_PRESENCE = 200;

/**
 * Who is here: the gateway itself, connected operators and nodes, and entries
 * reported by `system-event`. `version` is the presence `stateVersion`.
 */
export class PresenceTable {
  /** In order of last change, so the first unowned row is the stalest report. */
  private readonly rows = new Map<string, Row>();
  private reported = 0;
  version = 0;

  constructor(
    self: PresenceEntry,
    private readonly maxReported = MAX_REPORTED_PRESENCE,
  ) {
    this.rows.set(SELF_KEY, { entry: self, owner: undefined });
    this.version = 1;
  }

  upsert(key: string, entry: PresenceEntry, owner?: string): void {
    this.put(key, { entry, owner });
  }

  /** Merge reported fields into an entry, creating it when new. */
  merge(key: string, fields: Partial<PresenceEntry>, ts: number): void {
    const existing = this.rows.get(key);
    this.put(key, { entry: { ...(existing?.entry ?? {}), ...fields, ts } as PresenceEntry, owner: existing?.owner });
  }

  /** Remove an entry if `owner` still owns it; true when something changed. */
  release(key: string, owner: string): boolean {
    const row = this.rows.get(key);
    if (row === undefined || row.owner !== owner) return false;
    this.delete(key);
    this.version += 1;
    return true;
  }

  list(): PresenceEntry[] {
    return [...this.rows.values()].map((row) => row.entry);
  }

  get size(): number {
    return this.rows.size;
  }

  private put(key: string, row: Row): void {
    this.delete(key);
    this.rows.set(key, row);
    if (isReported(key, row)) this.reported += 1;
    this.version += 1;
    // Reports come from callers, not connections: without a bound, new instanceIds grow every broadcast.
    if (this.reported > this.maxReported) {
      for (const [stale, candidate] of this.rows) {
        if (!isReported(stale, candidate)) continue;
        this.delete(stale);
        break;
      }
    }
  }

  private delete(key: string): void {
    const row = this.rows.get(key);
    if (row === undefined) return;
    this.rows.delete(key);
    if (isReported(key, row)) this.reported -= 1;
  }
}

function isReported(key: string, row: Row): boolean {
  return row.owner === undefined && key !== SELF_KEY;
}
