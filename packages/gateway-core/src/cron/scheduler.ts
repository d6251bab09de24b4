import { randomUUID } from "node:crypto";
import type { CronAddParams, CronJob, EventPayload } from "@openclaw/protocol";
import type { Database } from "better-sqlite3";
import { UnknownCronJobError } from "../errors.js";
import { createJob, jobPayload, patchJob, resolveCronSessionKey, type CronJobPatch } from "./job-definition.js";
import { CronJobStore, type CronRunEntry, type CronRunQuery, type CronRunStatus } from "./job-store.js";
import { MAX_TIMER_DELAY_MS, computeNextRunAtMs } from "./schedule.js";

/**
 * The payload of a `cron` event. The protocol lists `sessionKey`, which the
 * protocol schema does not name yet; the schema is open, so it passes validation.
 */
export type CronEvent = EventPayload<"cron"> & { sessionKey?: string };

/** Where runs go: the gateway's system-event queue and agent runtime. */
export interface CronRunner {
  /** Queue `text` for the session's next turn; `wakeMode: "now"` asks for that turn at once. */
  systemEvent(text: string, sessionKey: string | undefined, options: { wakeMode: string }): void;
  /** One agent turn; resolves when it ends (a failed turn resolves with `status: "error"`). */
  agentTurn(
    message: string,
    sessionKey: string,
    options: { model?: string; timeoutSeconds?: number },
  ): Promise<{ status: "ok" | "error" | "aborted"; summary?: string; error?: string; runId: string }>;
}

export interface CronSchedulerOptions {
  /** A store migrated with `cronMigration`. */
  readonly db: Database;
  readonly runner: CronRunner;
  readonly broadcast: (event: "cron", payload: CronEvent) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout, unref'd so a forgotten scheduler never holds the process open */
  readonly setTimer?: (fire: () => void, delayMs: number) => unknown;
  /** @default clearTimeout */
  readonly clearTimer?: (handle: unknown) => void;
  /** Failures outside any run (a store error in a timer tick). @default ignored */
  readonly onError?: (error: unknown) => void;
}

/** Why `run` did not start a run. */
export type CronRunRefusal = "not-due" | "already-running" | "already-ran" | "stopped";

type Trigger = "schedule" | "due" | "force";
type RunOutcome = { status: Exclude<CronRunStatus, "running">; summary?: string | undefined; error?: string | undefined };
type Claim = { job: CronJob; runId: string; sessionKey: string; startedAtMs: number } | { refused: CronRunRefusal };

/**
 * Runs persisted cron jobs on one timer, armed for the earliest due job.
 *
 * A run first claims its slot by inserting `(job_id, scheduled_for_ms)` into
 * `cron_runs`, in the same transaction that advances the job's next run; a slot
 * whose row exists is skipped. So a slot never runs twice: not when a timer fires
 * twice, not when two schedulers share the database, not after a restart. A job
 * found overdue (after downtime) runs once for all missed slots, then is
 * rescheduled from now.
 */
export class CronScheduler {
  private readonly store: CronJobStore;
  private readonly now: () => number;
  private readonly setTimer: (fire: () => void, delayMs: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly running = new Map<string, Promise<void>>();
  private timer: unknown;
  private started = false;

  constructor(private readonly options: CronSchedulerOptions) {
    this.store = new CronJobStore(options.db);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fire, delayMs) => setTimeout(fire, delayMs).unref());
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** Arm the timer; overdue jobs run at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.store.closeInterruptedRuns(this.now());
    this.arm();
  }

  /** Clear the timer and wait for runs in progress. No new run starts afterwards. */
  async stop(): Promise<void> {
    this.started = false;
    this.disarm();
    await this.whenIdle();
  }

  /** Resolves once no run of this scheduler is in progress. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Whether the timer is armed (tests prove `stop()` clears it). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  list(): CronJob[] {
    return this.store.all();
  }

  get(id: string): CronJob | undefined {
    return this.store.get(id);
  }

  status(): { enabled: boolean; jobs: number; nextWakeAtMs: number | null } {
    return { enabled: this.started, jobs: this.store.count(), nextWakeAtMs: this.nextWakeAtMs() ?? null };
  }

  /** Throws `InvalidCronJobError` for a bad schedule, past `at` or impossible target. */
  add(params: CronAddParams): CronJob {
    const job = createJob(params, randomUUID(), this.now());
    this.store.save(job);
    this.emit({ jobId: job.id, action: "added", job, ...nextRun(job) });
    this.arm();
    return job;
  }

  update(id: string, patch: CronJobPatch): CronJob {
    const job = this.store.transaction(() => {
      const current = this.store.get(id);
      if (current === undefined) throw new UnknownCronJobError(id);
      const patched = patchJob(current, patch, this.now());
      this.store.save(patched);
      return patched;
    });
    this.emit({ jobId: id, action: "updated", job, ...nextRun(job) });
    this.arm();
    return job;
  }

  /** False if there was no such job. A run in progress finishes; its log row stays. */
  remove(id: string): boolean {
    const removed = this.store.delete(id);
    if (removed) {
      this.emit({ jobId: id, action: "removed" });
      this.arm();
    }
    return removed;
  }

  /**
   * Start a run now and return without waiting for it (poll `runs`). `force` runs
   * even if not due, for a slot at the current instant; `due` runs the pending slot
   * only if it is due, so it cannot double up with the timer.
   */
  run(id: string, mode: "due" | "force" = "force"): { ok: true; runId: string } | { ok: false; reason: CronRunRefusal } {
    if (this.store.get(id) === undefined) throw new UnknownCronJobError(id);
    if (!this.started) return { ok: false, reason: "stopped" };
    if (this.running.has(id)) return { ok: false, reason: "already-running" };
    const claim = this.launch(id, mode, this.now());
    return "refused" in claim ? { ok: false, reason: claim.refused } : { ok: true, runId: claim.runId };
  }

  runs(query: CronRunQuery): { entries: CronRunEntry[]; total: number } {
    return this.store.listRuns(query);
  }

  private tick(): void {
    if (!this.started) return;
    try {
      const now = this.now();
      for (const id of this.store.dueJobIds(now)) if (!this.running.has(id)) this.launch(id, "schedule", now);
    } catch (error) {
      this.options.onError?.(error);
    }
    this.arm();
  }

  private launch(id: string, trigger: Trigger, nowMs: number): Claim {
    const claim = this.claim(id, trigger, nowMs);
    if ("refused" in claim) return claim;
    const done = this.execute(claim)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running.delete(id);
        this.arm();
      });
    this.running.set(id, done);
    return claim;
  }

  // One transaction: insert the run row (the claim) and move the job past the slot.
  private claim(id: string, trigger: Trigger, nowMs: number): Claim {
    return this.store.transaction((): Claim => {
      const job = this.store.get(id);
      if (job === undefined) return { refused: "not-due" };
      const slot = trigger === "force" ? nowMs : job.state.nextRunAtMs;
      if (trigger !== "force" && (!job.enabled || slot === undefined || slot > nowMs)) return { refused: "not-due" };
      const runId = randomUUID();
      const sessionKey = resolveCronSessionKey(job, runId);
      const claimed = this.store.claimRun({ runId, jobId: id, scheduledForMs: slot ?? nowMs, startedAtMs: nowMs, sessionKey });
      const state = { ...job.state };
      if (trigger !== "force") {
        // Rescheduled from now: however many slots were missed, this one run covers them.
        const next = job.schedule.kind === "at" ? undefined : computeNextRunAtMs(job.schedule, { nowMs, createdAtMs: job.createdAtMs, jobId: id });
        if (next === undefined) delete state.nextRunAtMs;
        else state.nextRunAtMs = next;
      }
      if (claimed) state.runningAtMs = nowMs;
      this.store.save({ ...job, state });
      return claimed ? { job, runId, sessionKey, startedAtMs: nowMs } : { refused: "already-ran" };
    });
  }

  private async execute({ job, runId, sessionKey, startedAtMs }: Extract<Claim, { runId: string }>): Promise<void> {
    this.emit({ jobId: job.id, action: "started", runAtMs: startedAtMs, runId, sessionKey });
    let outcome: RunOutcome;
    try {
      const payload = jobPayload(job);
      if (payload.kind === "systemEvent") {
        this.options.runner.systemEvent(payload.text, sessionKey, { wakeMode: job.wakeMode });
        outcome = { status: "ok", summary: "system event queued" };
      } else {
        const options = {
          ...(payload.model === undefined ? {} : { model: payload.model }),
          ...(payload.timeoutSeconds === undefined ? {} : { timeoutSeconds: payload.timeoutSeconds }),
        };
        const result = await this.options.runner.agentTurn(payload.message, sessionKey, options);
        outcome = {
          status: result.status,
          summary: result.summary,
          error: result.status === "ok" ? undefined : (result.error ?? `agent turn ${result.status}`),
        };
      }
    } catch (error) {
      outcome = { status: "error", error: error instanceof Error ? error.message : String(error) };
    }
    const endedAtMs = this.now();
    const after = this.finish(job.id, runId, startedAtMs, endedAtMs, outcome);
    this.emit({
      jobId: job.id,
      action: "finished",
      runId,
      sessionKey,
      runAtMs: startedAtMs,
      durationMs: Math.max(0, endedAtMs - startedAtMs),
      status: outcome.status,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
      ...(after === "removed" || after === undefined ? {} : nextRun(after)),
    });
    if (after === "removed") this.emit({ jobId: job.id, action: "removed" });
  }

  // Close the run row and fold the outcome into the job's state (re-read: it may have been patched meanwhile).
  private finish(id: string, runId: string, startedAtMs: number, endedAtMs: number, outcome: RunOutcome): CronJob | "removed" | undefined {
    return this.store.transaction(() => {
      this.store.finishRun(runId, { endedAtMs, ...outcome });
      const job = this.store.get(id);
      if (job === undefined) return undefined;
      const ok = outcome.status === "ok";
      if (ok && job.deleteAfterRun === true) {
        this.store.delete(id);
        return "removed" as const;
      }
      const state = {
        ...job.state,
        lastRunAtMs: startedAtMs,
        lastRunStatus: ok ? ("ok" as const) : ("error" as const),
        lastDurationMs: Math.max(0, endedAtMs - startedAtMs),
      };
      state.consecutiveErrors = ok ? 0 : (job.state.consecutiveErrors ?? 0) + 1;
      delete state.runningAtMs;
      if (ok) delete state.lastError;
      else state.lastError = outcome.error ?? outcome.status;
      // A one-shot is done once it ran, whatever the outcome: it must not fire again.
      const oneShotDone = job.schedule.kind === "at";
      if (oneShotDone) delete state.nextRunAtMs;
      const updated: CronJob = { ...job, enabled: oneShotDone ? false : job.enabled, updatedAtMs: endedAtMs, state };
      this.store.save(updated);
      return updated;
    });
  }

  private nextWakeAtMs(): number | undefined {
    // A job this scheduler is running waits for its run to end before its next slot counts.
    return this.store.upcoming(this.running.size + 1).find((entry) => !this.running.has(entry.id))?.nextRunAtMs;
  }

  // One timer for all jobs, re-armed after every change; long waits are split under setTimeout's limit.
  private arm(): void {
    this.disarm();
    if (!this.started) return;
    let wakeAt: number | undefined;
    try {
      wakeAt = this.nextWakeAtMs();
    } catch (error) {
      // Runs from timers and promise callbacks: a store failure is reported, never thrown into Node.
      this.options.onError?.(error);
      return;
    }
    if (wakeAt === undefined) return;
    const delay = Math.min(Math.max(0, wakeAt - this.now()), MAX_TIMER_DELAY_MS);
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.clearTimer(this.timer);
    this.timer = undefined;
  }

  private emit(payload: CronEvent): void {
    this.options.broadcast("cron", payload);
  }
}

function nextRun(job: CronJob): { nextRunAtMs?: number } {
  return job.state.nextRunAtMs === undefined ? {} : { nextRunAtMs: job.state.nextRunAtMs };
}
