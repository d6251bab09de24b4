import type { Migration } from "./migrations.js";

/**
 * Token usage per run, and the runs accepted but not finished, so a crash loses no accepted
 * message. Append to the store's `migrations` list; `version` must equal its position.
 */
export const agentRunsMigration: Migration = {
  version: 7,
  name: "agent-usage-and-pending-runs",
  up(db) {
    db.exec(`
      -- One row per run that reported tokens. session_id tells the session's generations apart:
      -- a reset starts the totals again while the older rows stay.
      CREATE TABLE run_usage (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        session_key TEXT NOT NULL REFERENCES sessions (session_key) ON DELETE CASCADE,
        session_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        created_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX run_usage_session ON run_usage (session_key, session_id);

      -- Written when a run is accepted, removed when it ends; what is left after a crash is what
      -- the restart has to account for. seq keeps the order they were accepted in.
      CREATE TABLE pending_runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL UNIQUE,
        session_key TEXT NOT NULL REFERENCES sessions (session_key) ON DELETE CASCADE,
        session_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running')),
        resume INTEGER NOT NULL CHECK (resume IN (0, 1)),
        folded_run_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(folded_run_ids)),
        accepted_at_ms INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
