import type { Database } from "better-sqlite3";
import { prepared } from "../src/store/statements.js";

// Tests read the database through the same kept statements as the code (src/store/statements.ts says why nothing
// calls db.prepare or db.pragma). These stand in for pluck(), which would switch a shared statement's mode.

/** The first column of the first row of `sql`, or undefined when there is no row. */
export function firstValue(db: Database, sql: string, ...params: unknown[]): unknown {
  const row = prepared<unknown[], Record<string, unknown>>(db, sql).get(...params);
  return row === undefined ? undefined : Object.values(row)[0];
}

/** The first column of every row of `sql`. */
export function firstColumn(db: Database, sql: string, ...params: unknown[]): unknown[] {
  return prepared<unknown[], Record<string, unknown>>(db, sql)
    .all(...params)
    .map((row) => Object.values(row)[0]);
}
