import type { Migration } from "../store/migrations.js";

/**
 * An outbox message's file: a JSON reference into the media store (`{ sha256, sizeBytes,
 * contentType?, fileName? }`), never the bytes. NULL for text-only messages and every row written
 * before this step. Append to the store's `migrations` list; `version` must equal its position.
 */
export const outboxMediaMigration: Migration = {
  version: 10,
  name: "outbox-media",
  up(db) {
    db.exec(`ALTER TABLE channel_outbox ADD COLUMN media TEXT CHECK (media IS NULL OR json_valid(media));`);
  },
};
