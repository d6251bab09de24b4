import type { CronJob } from "@openclaw/protocol";
import type { Database } from "better-sqlite3";
import { prepared } from "../store/statements.js";

/** How a run ended; `running` until it does. */
export type CronRunStatus = "running" | "ok" | "error" | "aborted";

/** One row of the run log, as `cron.runs` returns it. */
export interface CronRunEntry {
  readonly runId: string;
  readonly jobId: string;
  /** The slot this run was for: the due time, or the request time of a forced run. */
  readonly scheduledForMs: number;
  readonly startedAtMs: number;
  readonly endedAtMs?: number;
  readonly status: CronRunStatus;
  readonly error?: string;
  readonly summary?: string;
  readonly sessionKey?: string;
}

export interface CronRunQuery {
  readonly jobId?: string;
  readonly runId?: string;
  readonly status?: string;
  readonly limit: number;
  readonly offset: number;
}

interface RunRow {
  run_id: string;
  job_id: string;
  scheduled_for_ms: number;
  started_at_ms: number;
  ended_at_ms: number | null;
  status: CronRunStatus;
  error: string | null;
  summary: string | null;
  session_key: string | null;
}

/** The SQL behind the scheduler: `cron_jobs` and `cron_runs` (see migration.ts). */
export class CronJobStore {
  constructor(private readonly db: Database) {}

  /** Run `fn` in one write transaction, so a read-check-write cannot interleave with another connection. */
  transaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front: two connections claiming the same
    // slot then serialize instead of both reading the old state.
    return this.db.transaction(fn).immediate();
  }

  all(): CronJob[] {
    const rows = prepared(this.db, "SELECT job FROM cron_jobs ORDER BY created_at_ms, id").all() as { job: string }[];
    return rows.map((row) => parseJob(row.job));
  }

  get(id: string): CronJob | undefined {
    const row = prepared(this.db, "SELECT job FROM cron_jobs WHERE id = ?").get(id) as { job: string } | undefined;
    return row === undefined ? undefined : parseJob(row.job);
  }

  count(): number {
    return (prepared(this.db, "SELECT count(*) AS count FROM cron_jobs").get() as { count: number }).count;
  }

  /** Insert or replace the job, keeping the indexed columns in step with the JSON. */
  save(job: CronJob): void {
    prepared(
      this.db,
      `INSERT INTO cron_jobs (id, job, next_run_at_ms, enabled, created_at_ms, updated_at_ms)
         VALUES (@id, @job, @next, @enabled, @created, @updated)
         ON CONFLICT (id) DO UPDATE SET job = excluded.job, next_run_at_ms = excluded.next_run_at_ms,
           enabled = excluded.enabled, updated_at_ms = excluded.updated_at_ms`,
    ).run({
      id: job.id,
      job: JSON.stringify(job),
      next: job.enabled ? (job.state.nextRunAtMs ?? null) : null,
      enabled: job.enabled ? 1 : 0,
      created: job.createdAtMs,
      updated: job.updatedAtMs,
    });
  }

  delete(id: string): boolean {
    return prepared(this.db, "DELETE FROM cron_jobs WHERE id = ?").run(id).changes > 0;
  }

  /** Enabled jobs whose next run is at or before `nowMs`, earliest first. */
  dueJobIds(nowMs: number): string[] {
    const rows = prepared(this.db, "SELECT id FROM cron_jobs WHERE enabled = 1 AND next_run_at_ms <= ? ORDER BY next_run_at_ms, id").all(nowMs) as {
      id: string;
    }[];
    return rows.map((row) => row.id);
  }

  /** The earliest pending wake-ups, earliest first; `limit` lets the caller skip jobs it is already running. */
  upcoming(limit: number): { id: string; nextRunAtMs: number }[] {
    const rows = prepared(
      this.db,
      "SELECT id, next_run_at_ms AS next FROM cron_jobs WHERE enabled = 1 AND next_run_at_ms IS NOT NULL ORDER BY next_run_at_ms, id LIMIT ?",
    ).all(limit) as { id: string; next: number }[];
    return rows.map((row) => ({ id: row.id, nextRunAtMs: row.next }));
  }

  /**
   * Claim the slot `(jobId, scheduledForMs)` by inserting its run row. Returns
   * false when the row already exists: that slot ran (or is running) already.
   */
  claimRun(run: { runId: string; jobId: string; scheduledForMs: number; startedAtMs: number; sessionKey: string }): boolean {
    const result = prepared(
      this.db,
      `INSERT INTO cron_runs (run_id, job_id, scheduled_for_ms, started_at_ms, status, session_key)
         VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT (job_id, scheduled_for_ms) DO NOTHING`,
    ).run(run.runId, run.jobId, run.scheduledForMs, run.startedAtMs, run.sessionKey);
    return result.changes > 0;
  }

  finishRun(
    runId: string,
    end: { endedAtMs: number; status: Exclude<CronRunStatus, "running">; error?: string | undefined; summary?: string | undefined },
  ): void {
    prepared(this.db, "UPDATE cron_runs SET ended_at_ms = ?, status = ?, error = ?, summary = ? WHERE run_id = ?").run(
      end.endedAtMs,
      end.status,
      end.error ?? null,
      end.summary ?? null,
      runId,
    );
  }

  /**
   * Close run rows a process that died left `running`, and clear the jobs'
   * `runningAtMs`. Their outcome is unknown, so they count as errors.
   */
  closeInterruptedRuns(nowMs: number): void {
    this.transaction(() => {
      prepared(
        this.db,
        "UPDATE cron_runs SET status = 'error', ended_at_ms = ?, error = 'interrupted: the gateway stopped before the run finished' WHERE status = 'running'",
      ).run(nowMs);
      for (const job of this.all()) {
        if (job.state.runningAtMs === undefined) continue;
        const state = { ...job.state };
        delete state.runningAtMs;
        this.save({ ...job, state });
      }
    });
  }

  /** A page of the run log, newest first, with the total matching count. */
  listRuns(query: CronRunQuery): { entries: CronRunEntry[]; total: number } {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    if (query.jobId !== undefined) {
      clauses.push("job_id = ?");
      params.push(query.jobId);
    }
    if (query.runId !== undefined) {
      clauses.push("run_id = ?");
      params.push(query.runId);
    }
    if (query.status !== undefined) {
      clauses.push("status = ?");
      params.push(query.status);
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "";
    const { total } = prepared(this.db, `SELECT count(*) AS total FROM cron_runs ${where}`).get(...params) as { total: number };
    const rows = prepared(this.db, `SELECT * FROM cron_runs ${where} ORDER BY started_at_ms DESC, scheduled_for_ms DESC, run_id LIMIT ? OFFSET ?`).all(
      ...params,
      query.limit,
      query.offset,
    ) as RunRow[];
    return { entries: rows.map(toEntry), total };
  }
}

function parseJob(text: string): CronJob {
  // Rows are only written by save() from validated jobs, so the shape is trusted.
  return JSON.parse(text) as CronJob;
}

function toEntry(row: RunRow): CronRunEntry {
  return {
    runId: row.run_id,
    jobId: row.job_id,
    scheduledForMs: row.scheduled_for_ms,
    startedAtMs: row.started_at_ms,
    ...(row.ended_at_ms === null ? {} : { endedAtMs: row.ended_at_ms }),
    status: row.status,
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.summary === null ? {} : { summary: row.summary }),
    ...(row.session_key === null ? {} : { sessionKey: row.session_key }),
  };
}
