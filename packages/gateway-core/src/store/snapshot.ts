import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { readSchemaVersion } from "./migrate.js";
import { SCHEMA_VERSION } from "./migrations.js";
import { keepDatabase, prepared } from "./statements.js";

/**
 * A consistent copy of the store at `destination`, taken with `VACUUM INTO` through a read-only
 * connection: a running gateway keeps writing, and the copy is the database as of one read
 * transaction (WAL included), compacted. Nothing is migrated. (SQLite's backup API would do the same,
 * but better-sqlite3's backup object is one this package cannot keep, and a dropped one aborts Node 24;
 * see store/statements.ts.)
 */
export function snapshotStore(source: string, destination: string): void {
  if (!existsSync(source)) throw new Error(`no store at ${source}`);
  const db = keepDatabase(new BetterSqlite3(source, { readonly: true, fileMustExist: true }));
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    prepared(db, "VACUUM INTO ?").run(destination);
  } finally {
    db.close();
  }
}

/** What `checkStore` found: SQLite's integrity check and the schema version against this build's. */
export interface StoreCheck {
  readonly ok: boolean;
  /** `PRAGMA integrity_check`'s findings; `["ok"]` when sound. */
  readonly integrity: readonly string[];
  readonly schemaVersion: number;
  /** A store from a newer gateway: this build refuses to open it. */
  readonly newerThanThisBuild: boolean;
}

/** Checks a store file read-only, as `backup verify` and `doctor` report it. */
export function checkStore(path: string): StoreCheck {
  const db = keepDatabase(new BetterSqlite3(path, { readonly: true, fileMustExist: true }));
  try {
    const integrity = (prepared(db, "PRAGMA integrity_check").all() as { integrity_check: string }[]).map((row) => row.integrity_check);
    const schemaVersion = readSchemaVersion(db);
    const newerThanThisBuild = schemaVersion > SCHEMA_VERSION;
    return { ok: integrity.length === 1 && integrity[0] === "ok" && !newerThanThisBuild, integrity, schemaVersion, newerThanThisBuild };
  } finally {
    db.close();
  }
}
