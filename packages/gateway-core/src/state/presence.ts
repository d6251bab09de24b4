import type { PresenceEntry } from "@openclaw/protocol";

interface Row {
  entry: PresenceEntry;
  /** The connection that put it here; only it may take it away on disconnect. */
  owner: string | undefined;
}

/**
 * Who is here: the gateway itself, connected operators and nodes, and entries
 * reported by `system-event`. `version` is the presence `stateVersion`.
 */
export class PresenceTable {
  private readonly rows = new Map<string, Row>();
  version = 0;

  constructor(self: PresenceEntry) {
    this.rows.set("gateway:self", { entry: self, owner: undefined });
    this.version = 1;
  }

  upsert(key: string, entry: PresenceEntry, owner?: string): void {
    this.rows.set(key, { entry, owner });
    this.version += 1;
  }

  /** Merge reported fields into an entry, creating it when new. */
  merge(key: string, fields: Partial<PresenceEntry>, ts: number): void {
    const existing = this.rows.get(key);
    this.rows.set(key, { entry: { ...(existing?.entry ?? {}), ...fields, ts } as PresenceEntry, owner: existing?.owner });
    this.version += 1;
  }

  /** Remove an entry if `owner` still owns it; true when something changed. */
  release(key: string, owner: string): boolean {
    const row = this.rows.get(key);
    if (row === undefined || row.owner !== owner) return false;
    this.rows.delete(key);
    this.version += 1;
    return true;
  }

  list(): PresenceEntry[] {
    return [...this.rows.values()].map((row) => row.entry);
  }
}
