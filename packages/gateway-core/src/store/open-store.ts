import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { migrate, readSchemaVersion } from "./migrate.js";
import { type Migration, migrations as defaultMigrations } from "./migrations.js";
import { keepDatabase } from "./statements.js";

/**
 * SQLite's page cache for the one connection, in KiB. better-sqlite3 builds SQLite with a default of
 * 16 000 KiB, and the cache fills towards that bound as the database grows: in a long soak that showed
 * as the process's malloc heap growing steadily for hours. The state database is read by key, and the
 * OS keeps the file's pages in its own cache, so 2 MiB (SQLite's own default) is enough.
 */
export const PAGE_CACHE_KIB = 2048;

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
    db.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
    // WAL before migrating: each migration commits on its own, and a rollback-journal commit costs
    // several fsyncs where a WAL commit costs one (creating a new database took 30-80 ms instead of
    // 5-25 on a VM disk). A database from a newer gateway keeps its (persistent) journal mode: migrate
    // refuses it below. Table rebuilds in migrations run without FK enforcement, so that comes last.
    if (readSchemaVersion(db) <= (options.migrations ?? defaultMigrations).length) db.exec("PRAGMA journal_mode = WAL");
    migrate(db, options.migrations === undefined ? {} : { migrations: options.migrations });
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
