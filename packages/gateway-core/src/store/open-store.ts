import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { migrate } from "./migrate.js";
import type { Migration } from "./migrations.js";
import { keepDatabase } from "./statements.js";

export interface OpenStoreOptions {
  /** How long a statement waits for another connection's write lock before failing. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** @default the gateway's own `migrations` list */
  readonly migrations?: readonly Migration[];
}

/** An open, fully migrated state database. */
export interface Store {
  readonly db: Database;
  readonly path: string;
  /** Close the connection; later calls do nothing. */
  close(): void;
}

/** `<stateDir>/state/openclaw.sqlite`, the one database file of a gateway. */
export function resolveStorePath(stateDir: string): string {
  return join(stateDir, "state", "openclaw.sqlite");
}

/**
 * Open (creating if needed) the SQLite state database at `path` and migrate it
 * to the latest schema. The parent directory is created 0700 and the file 0600,
 * because it holds device token hashes and pairing records.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it gets 0600; SQLite then gives -wal and -shm the same mode.
  closeSync(openSync(path, "a", 0o600));

  const db = keepDatabase(new BetterSqlite3(path));
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // Migrate first: a database from a newer gateway is refused before we change its
    // (persistent) journal mode, and table rebuilds in migrations run without FK enforcement.
    migrate(db, options.migrations === undefined ? {} : { migrations: options.migrations });
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    db.close();
    throw error;
  }

  return {
    db,
    path,
    close() {
      if (db.open) db.close();
    },
  };
}

/** A migrated database that lives only in memory: for tests and embedded use without a state dir. */
export function openMemoryStore(options: OpenStoreOptions = {}): Store {
  const db = keepDatabase(new BetterSqlite3(":memory:"));
  migrate(db, options.migrations === undefined ? {} : { migrations: options.migrations });
  db.exec("PRAGMA foreign_keys = ON");
  return {
    db,
    path: ":memory:",
    close() {
      if (db.open) db.close();
    },
  };
}
