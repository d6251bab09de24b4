import type { Migration } from "../store/migrations.js";

/**
 * Cron jobs and their run log. Append to the store's `migrations` list; `version`
 * must equal its position there.
 */
export const cronMigration: Migration = {
  version: 5,
  name: "cron",
  up(db) {
    // The whole CronJob lives in `job`; `next_run_at_ms` and `enabled` are copies
    // kept in step with it so the scheduler finds due jobs with an index.
    db.exec(`
      CREATE TABLE cron_jobs (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL CHECK (json_valid(job)),
        next_run_at_ms INTEGER,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX cron_jobs_due ON cron_jobs (enabled, next_run_at_ms);

      -- No foreign key to cron_jobs: the log outlives a removed (or deleteAfterRun) job.
      -- UNIQUE (job_id, scheduled_for_ms) is the claim on a slot: whoever inserts the row
      -- runs it, so a slot never fires twice, across timers, instances and restarts.
      CREATE TABLE cron_runs (
        run_id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        scheduled_for_ms INTEGER NOT NULL,
        started_at_ms INTEGER NOT NULL,
        ended_at_ms INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'error', 'aborted')),
        error TEXT,
        summary TEXT,
        session_key TEXT,
        UNIQUE (job_id, scheduled_for_ms)
      ) STRICT;

      CREATE INDEX cron_runs_started ON cron_runs (started_at_ms);
    `);
  },
};
