import type { Database, Statement } from "better-sqlite3";

const caches = new WeakMap<Database, Map<string, Statement<unknown[], unknown>>>();

/**
 * The prepared statement for `sql` on `db`, prepared once and reused: preparing is the costly part
 * of a query, and stores run the same few statements on every handshake, turn or message.
 * A cached statement must not be switched into `pluck`/`raw`/`expand` mode by one caller only.
 */
export function prepared<Params extends unknown[] | {} = unknown[], Row = unknown>(db: Database, sql: string): Statement<Params, Row> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Statement<Params, Row>;
}
