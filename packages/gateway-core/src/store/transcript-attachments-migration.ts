import type { Migration } from "./migrations.js";

/**
 * A user entry's attachments (a channel message's photos, voice notes, files, …) as a JSON array of
 * `InboundMedia`; NULL on entries without any, and on every entry written before this step.
 * Append to the store's `migrations` list; `version` must equal its position.
 */
export const transcriptAttachmentsMigration: Migration = {
  version: 9,
  name: "transcript-attachments",
  up(db) {
    db.exec(`ALTER TABLE transcript_entries ADD COLUMN attachments TEXT CHECK (attachments IS NULL OR json_valid(attachments));`);
  },
};
