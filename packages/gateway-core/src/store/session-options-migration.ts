import type { Migration } from "./migrations.js";

/**
 * Per-session settings (thinking level, verbosity, send policy, …) as one JSON object per
 * session, so a new setting needs no schema step. Append to the store's `migrations` list.
 */
export const sessionOptionsMigration: Migration = {
  version: 8,
  name: "session-options",
  up(db) {
    db.exec(`ALTER TABLE sessions ADD COLUMN options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options));`);
  },
};
