import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MigrationError, StoreVersionError } from "../src/errors.js";
import { SCHEMA_VERSION, migrate, migrations, openStore, readSchemaVersion, resolveStorePath, type Migration, type Store } from "../src/store/index.js";
import { PAGE_CACHE_KIB } from "../src/store/open-store.js";
import { keepDatabase, prepared } from "../src/store/statements.js";
import { firstValue } from "./sql.js";

let stateDir: string;
const opened: Store[] = [];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "openclaw-store-"));
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function open(path = resolveStorePath(stateDir)): Store {
  const store = openStore(path);
  opened.push(store);
  return store;
}

function tableNames(store: Store): string[] {
  const rows = prepared(store.db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return rows.map((row) => row.name);
}

describe("openStore", () => {
  it("creates a fresh database at the latest schema version", () => {
    const store = open();
    expect(SCHEMA_VERSION).toBe(migrations.length);
    expect(readSchemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(tableNames(store)).toEqual([
      "channel_allow_entries",
      "channel_inbound",
      "channel_outbox",
      "channel_outbox_attempts",
      "channel_pairing_requests",
      "cron_jobs",
      "cron_runs",
      "device_tokens",
      "meta",
      "node_pair_requests",
      "node_pending_work",
      "node_surfaces",
      "paired_devices",
      "pairing_requests",
      "pending_runs",
      "run_usage",
      "sessions",
      "sqlite_sequence",
      "transcript_entries",
    ]);
    const createdAt = firstValue(store.db, "SELECT value FROM meta WHERE key = 'created_at'");
    expect(typeof createdAt).toBe("string");
  });

  it("turns on WAL, foreign keys and a busy timeout", () => {
    const store = open();
    expect(firstValue(store.db, "PRAGMA journal_mode")).toBe("wal");
    expect(firstValue(store.db, "PRAGMA foreign_keys")).toBe(1);
    expect(firstValue(store.db, "PRAGMA busy_timeout")).toBe(5000);
  });

  it("bounds SQLite's page cache at 2 MiB rather than better-sqlite3's built-in 16 000 KiB", () => {
    const builtIn = new BetterSqlite3(join(stateDir, "plain.sqlite"));
    try {
      expect(firstValue(builtIn, "PRAGMA cache_size")).toBe(-16000);
    } finally {
      builtIn.close();
    }
    expect(PAGE_CACHE_KIB).toBe(2048);
    expect(firstValue(open().db, "PRAGMA cache_size")).toBe(-2048);
  });

  it("creates the directory 0700 and the database files 0600", () => {
    const store = open();
    store.db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')");
    expect(statSync(join(stateDir, "state")).mode & 0o777).toBe(0o700);
    for (const suffix of ["", "-wal", "-shm"]) {
      const file = `${store.path}${suffix}`;
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
  });

  it("cascades token deletes from a removed device", () => {
    const store = open();
    prepared(store.db, "INSERT INTO paired_devices (device_id, public_key, roles, scopes, created_at_ms, approved_at_ms) VALUES (?, ?, ?, ?, ?, ?)").run(
      "dev-1",
      "pk",
      '["operator"]',
      '["operator.read"]',
      1,
      2,
    );
    prepared(store.db, "INSERT INTO device_tokens (device_id, role, token_hash, scopes, created_at_ms) VALUES (?, ?, ?, ?, ?)").run(
      "dev-1",
      "operator",
      "hash",
      '["operator.read"]',
      3,
    );
    prepared(store.db, "DELETE FROM paired_devices WHERE device_id = ?").run("dev-1");
    expect(firstValue(store.db, "SELECT count(*) FROM device_tokens")).toBe(0);
    expect(() => store.db.exec("INSERT INTO device_tokens (device_id, role, token_hash, created_at_ms) VALUES ('ghost', 'node', 'h', 1)")).toThrow(
      /FOREIGN KEY/,
    );
  });

  it("migrates a version-1 database to the latest version and keeps its data", () => {
    const path = join(stateDir, "v1.sqlite");
    const old = keepDatabase(new BetterSqlite3(path));
    expect(migrate(old, { upTo: 1 })).toEqual({ from: 0, to: 1 });
    old.exec("INSERT INTO meta (key, value) VALUES ('owner', 'alice')");
    old.close();

    const store = open(path);
    expect(readSchemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(firstValue(store.db, "SELECT value FROM meta WHERE key = 'owner'")).toBe("alice");
    expect(tableNames(store)).toContain("paired_devices");
  });

  it("rolls back a failing migration and leaves user_version unchanged", () => {
    const db = keepDatabase(new BetterSqlite3(join(stateDir, "broken.sqlite")));
    try {
      const first = migrations[0] as Migration;
      const broken: Migration = {
        version: 2,
        name: "broken",
        up(target) {
          target.exec("CREATE TABLE half_done (x INTEGER)");
          throw new Error("boom");
        },
      };
      expect(() => migrate(db, { migrations: [first, broken] })).toThrow(MigrationError);
      expect(() => migrate(db, { migrations: [first, broken] })).toThrow(/migration 2 \(broken\) failed and was rolled back: boom/);
      expect(readSchemaVersion(db)).toBe(1);
      expect(firstValue(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'")).toBe(0);
    } finally {
      db.close();
    }
  });

  it("refuses a database written by a newer gateway, naming both versions", () => {
    const path = join(stateDir, "newer.sqlite");
    const newer = keepDatabase(new BetterSqlite3(path));
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    newer.close();

    expect(() => openStore(path)).toThrow(StoreVersionError);
    expect(() => openStore(path)).toThrow(
      `database ${path} has schema version ${SCHEMA_VERSION + 5}, but this gateway only knows versions up to ${SCHEMA_VERSION}`,
    );
    // Refused before anything was changed: the journal mode is still the default.
    const check = keepDatabase(new BetterSqlite3(path));
    expect(firstValue(check, "PRAGMA journal_mode")).toBe("delete");
    check.close();
  });

  it("rejects a migration list with a gap", () => {
    const db = keepDatabase(new BetterSqlite3(":memory:"));
    const gap: Migration = { version: 3, name: "gap", up() {} };
    expect(() => migrate(db, { migrations: [...migrations.slice(0, 1), gap] })).toThrow(/entry 1 \(gap\) has version 3, expected 2/);
    db.close();
  });

  it("close is idempotent", () => {
    const store = open();
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(store.db.open).toBe(false);
  });
});
