import type { Database } from "better-sqlite3";
import { cronMigration } from "../cron/migration.js";
import { nodesMigration } from "../nodes/node-store.js";
import { channelsMigration } from "../channels/migration.js";
import { agentRunsMigration } from "./agent-runs-migration.js";
import { sessionOptionsMigration } from "./session-options-migration.js";
import { transcriptAttachmentsMigration } from "./transcript-attachments-migration.js";
import { outboxMediaMigration } from "../channels/outbox-media-migration.js";
import { prepared } from "./statements.js";

/**
 * One schema step. `up` runs inside a transaction together with the
 * `user_version` bump, so a step is applied completely or not at all.
 */
export interface Migration {
  /** Equals the migration's position in the list, starting at 1. */
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}

/** Every schema step, oldest first. Append only: a released step is never edited. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "meta",
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
      prepared(db, "INSERT INTO meta (key, value) VALUES ('created_at', ?)").run(new Date().toISOString());
    },
  },
  {
    version: 2,
    name: "device-pairing",
    up(db) {
      // JSON columns carry CHECK(json_valid) so a bad write fails here, not at read time.
      db.exec(`
        CREATE TABLE paired_devices (
          device_id TEXT PRIMARY KEY,
          public_key TEXT NOT NULL,
          display_name TEXT,
          platform TEXT,
          device_family TEXT,
          client_id TEXT,
          client_mode TEXT,
          roles TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(roles)),
          scopes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
          remote_ip TEXT,
          created_at_ms INTEGER NOT NULL,
          approved_at_ms INTEGER NOT NULL,
          approved_via TEXT
        ) STRICT;

        CREATE TABLE device_tokens (
          device_id TEXT NOT NULL REFERENCES paired_devices (device_id) ON DELETE CASCADE,
          role TEXT NOT NULL,
          token_hash TEXT NOT NULL,
          scopes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
          created_at_ms INTEGER NOT NULL,
          rotated_at_ms INTEGER,
          revoked_at_ms INTEGER,
          last_used_at_ms INTEGER,
          PRIMARY KEY (device_id, role)
        ) STRICT;

        CREATE TABLE pairing_requests (
          request_id TEXT PRIMARY KEY,
          device_id TEXT NOT NULL,
          public_key TEXT NOT NULL,
          payload TEXT NOT NULL CHECK (json_valid(payload)),
          created_at_ms INTEGER NOT NULL,
          updated_at_ms INTEGER NOT NULL
        ) STRICT;

        -- Requests are looked up and superseded per device on every unpaired connect.
        CREATE INDEX pairing_requests_device_id ON pairing_requests (device_id);
      `);
    },
  },
  {
    version: 3,
    name: "sessions-and-transcripts",
    up(db) {
      db.exec(`
        CREATE TABLE sessions (
          session_key TEXT PRIMARY KEY,
          session_id TEXT NOT NULL,
          agent_id TEXT NOT NULL,
          label TEXT,
          model TEXT,
          created_at_ms INTEGER NOT NULL,
          updated_at_ms INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE transcript_entries (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          session_key TEXT NOT NULL REFERENCES sessions (session_key) ON DELETE CASCADE,
          run_id TEXT,
          role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'system')),
          text TEXT NOT NULL,
          extra TEXT CHECK (extra IS NULL OR json_valid(extra)),
          created_at_ms INTEGER NOT NULL
        ) STRICT;

        -- chat.history pages backwards through one session.
        CREATE INDEX transcript_entries_session ON transcript_entries (session_key, id);
      `);
    },
  },
  nodesMigration,
  cronMigration,
  channelsMigration,
  agentRunsMigration,
  sessionOptionsMigration,
  transcriptAttachmentsMigration,
  outboxMediaMigration,
];

/** The schema version this code creates and understands. */
export const SCHEMA_VERSION: number = migrations.length;
