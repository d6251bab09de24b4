import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { readSchemaVersion } from "./migrate.js";
import { SCHEMA_VERSION } from "./migrations.js";

/**
 * A consistent copy of the store at `destination`, taken with SQLite's online backup API through a
 * read-only connection: a running gateway keeps writing, and the copy is the database as of one
 * moment (WAL included). Nothing is migrated.
 */
export async function snapshotStore(source: string, destination: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`no store at ${source}`);
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(destination);
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
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
    const schemaVersion = readSchemaVersion(db);
    const newerThanThisBuild = schemaVersion > SCHEMA_VERSION;
    return { ok: integrity.length === 1 && integrity[0] === "ok" && !newerThanThisBuild, integrity, schemaVersion, newerThanThisBuild };
  } finally {
    db.close();
  }
}
