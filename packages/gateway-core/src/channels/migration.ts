import type { Migration } from "../store/migrations.js";

/**
 * Channel state: the inbound log (dedupe + durable ingress), the outbox and its attempts,
 * and DM pairing. Append to the store's `migrations` list; `version` must equal its position.
 */
export const channelsMigration: Migration = {
  version: 6,
  name: "channels",
  up(db) {
    db.exec(`
      -- One row per provider message ever admitted. The primary key is the dedupe key; the row is
      -- written before the provider is acked, and stays as a tombstone after it is handled.
      CREATE TABLE channel_inbound (
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        received_at_ms INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dropped')),
        message TEXT NOT NULL CHECK (json_valid(message)),
        outcome TEXT,
        PRIMARY KEY (channel, account_id, chat_id, message_id)
      ) STRICT;
      CREATE INDEX channel_inbound_pending ON channel_inbound (status, received_at_ms);

      -- One row per logical outbound message, stored before the first attempt.
      CREATE TABLE channel_outbox (
        id INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        text TEXT NOT NULL,
        reply_to TEXT,
        thread TEXT,
        session_key TEXT,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at_ms INTEGER NOT NULL,
        chunks_sent INTEGER NOT NULL DEFAULT 0,
        provider_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(provider_ids)),
        sent_at_ms INTEGER,
        last_error TEXT,
        dead_reason TEXT
      ) STRICT;
      CREATE INDEX channel_outbox_due ON channel_outbox (status, next_attempt_at_ms);

      -- One row per chunk sent or tried; outcome is 'sent' or the failure kind.
      CREATE TABLE channel_outbox_attempts (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES channel_outbox (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        chunk INTEGER NOT NULL,
        started_at_ms INTEGER NOT NULL,
        ended_at_ms INTEGER,
        outcome TEXT,
        error TEXT
      ) STRICT;
      CREATE INDEX channel_outbox_attempts_item ON channel_outbox_attempts (outbox_id, id);

      CREATE TABLE channel_pairing_requests (
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        code TEXT NOT NULL,
        sender_name TEXT,
        chat_id TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        PRIMARY KEY (channel, account_id, sender_id),
        UNIQUE (channel, code)
      ) STRICT;

      -- Senders an operator approved for DMs (never groups).
      CREATE TABLE channel_allow_entries (
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        approved_at_ms INTEGER NOT NULL,
        PRIMARY KEY (channel, account_id, sender_id)
      ) STRICT;
    `);
  },
};
