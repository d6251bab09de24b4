import type { Database } from "better-sqlite3";
import { MigrationError, StoreVersionError } from "../errors.js";
import { type Migration, migrations as defaultMigrations } from "./migrations.js";
import { prepared } from "./statements.js";

export interface MigrateOptions {
  /** Stop after this version; tests use it to build an older database. @default the last migration */
  readonly upTo?: number;
  /** @default the gateway's own `migrations` list */
  readonly migrations?: readonly Migration[];
}

/** The version the database started at and the version it is at now. */
export interface MigrateResult {
  readonly from: number;
  readonly to: number;
}

/** The schema version recorded in the database header (`PRAGMA user_version`). */
export function readSchemaVersion(db: Database): number {
  const row = prepared<[], { user_version?: unknown }>(db, "PRAGMA user_version").get();
  return typeof row?.user_version === "number" ? row.user_version : 0;
}

/**
 * Apply every migration newer than the database's `user_version`, each in its
 * own transaction together with the version bump. A step that throws is rolled
 * back and reported as {@link MigrationError}; earlier steps stay applied.
 * A database newer than the known migrations is refused with {@link StoreVersionError}.
 */
export function migrate(db: Database, options: MigrateOptions = {}): MigrateResult {
  const list = options.migrations ?? defaultMigrations;
  assertWellFormed(list);
  const latest = list.length;
  const target = options.upTo ?? latest;
  if (!Number.isInteger(target) || target < 0 || target > latest) {
    throw new RangeError(`migrate upTo: expected an integer 0..${latest}, got ${String(target)}`);
  }

  const from = readSchemaVersion(db);
  if (from > latest) throw new StoreVersionError(db.name, from, latest);

  for (const migration of list.slice(from, target)) {
    const apply = db.transaction(() => {
      migration.up(db);
      // user_version lives in the database header, which SQLite rolls back with the transaction.
      db.exec(`PRAGMA user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw new MigrationError(migration.version, migration.name, { cause: error });
    }
  }
  return { from, to: Math.max(from, target) };
}

// Versions double as list positions, so a gap or reordering would silently skip a step.
function assertWellFormed(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration list: entry ${index} (${migration.name}) has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
