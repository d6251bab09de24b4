import type { Database, Statement } from "better-sqlite3";

/**
 * Every database this package opens, with the statements prepared on it, kept reachable until the process exits.
 *
 * better-sqlite3 12 wraps each database and statement in a `node::ObjectWrap`. Built against Node 24's headers, the
 * wrapper's destructor removes an environment cleanup hook, and that needs a current Node environment. V8 runs the
 * destructor from inside a garbage collection, where there is none, so Node aborts the whole process
 * (`Assertion failed: (env) != nullptr` in `RemoveEnvironmentCleanupHook`) at the first collection that finds a
 * statement or database nobody references any more. A wrapper that stays reachable is never collected: Node deletes it
 * itself, safely, when the process exits. So a statement is prepared once per database and kept, and a closed
 * database keeps its small JavaScript objects here (`close()` still frees SQLite's memory and the file).
 */
const kept = new Map<Database, Map<string, Statement<unknown[], unknown>>>();

/** Keep `db` and the statements {@link prepared} on it reachable until the process exits (see `kept` for why). */
export function keepDatabase(db: Database): Database {
  if (!kept.has(db)) kept.set(db, new Map());
  return db;
}

/**
 * The prepared statement for `sql` on `db`, prepared once and kept: preparing is the costly part of a query, stores
 * run the same few statements on every handshake, turn or message, and a statement that became garbage could abort
 * the process on Node 24 (see `kept`). Never call `db.prepare` or `db.pragma` directly; `db.exec` creates no
 * statement object and is fine for SQL that returns nothing the caller needs (`PRAGMA x = y`, DDL).
 * A cached statement must not be switched into `pluck`/`raw`/`expand` mode by one caller only.
 */
export function prepared<Params extends unknown[] | {} = unknown[], Row = unknown>(db: Database, sql: string): Statement<Params, Row> {
  let cache = kept.get(db);
  if (cache === undefined) {
    cache = new Map();
    kept.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    // eslint-disable-next-line no-restricted-syntax -- the one place that prepares, and it keeps what it prepares
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Statement<Params, Row>;
}
