import type { CronAddParams, CronJob, MethodParams } from "@openclaw/protocol";
import { InvalidCronJobError } from "../errors.js";
import { computeNextRunAtMs, scheduleProblem } from "./schedule.js";

/** What a job does when it fires. */
export type CronPayload = CronAddParams["payload"];
/** The fields `cron.update` may change. */
export type CronJobPatch = MethodParams<"cron.update">["patch"];

const DEFAULT_AGENT_ID = "main";

/** A job's payload; jobs are only stored after validation, so the wire's `unknown` is narrowed here once. */
export function jobPayload(job: CronJob): CronPayload {
  return job.payload as CronPayload;
}

/**
 * The session a run talks to: `session:<key>` → that key; `isolated` → a fresh
 * `cron:<jobId>:<runId>` per run; `current` → the session that created the job
 * (its `sessionKey`), else main; `main` → `agent:<agentId|main>:main`.
 */
export function resolveCronSessionKey(job: CronJob, runId: string): string {
  const target = job.sessionTarget;
  if (target.startsWith("session:")) return target.slice("session:".length);
  if (target === "isolated") return `cron:${job.id}:${runId}`;
  if (target === "current" && job.sessionKey !== undefined) return job.sessionKey;
  return `agent:${job.agentId ?? DEFAULT_AGENT_ID}:main`;
}

/** A new job from `cron.add` params, with its first `nextRunAtMs`. Throws {@link InvalidCronJobError}. */
export function createJob(params: CronAddParams, id: string, nowMs: number): CronJob {
  assertValid(params, nowMs);
  const enabled = params.enabled ?? true;
  const job: CronJob = {
    id,
    name: params.name,
    ...(params.agentId === undefined ? {} : { agentId: params.agentId }),
    ...(params.sessionKey === undefined ? {} : { sessionKey: params.sessionKey }),
    ...(params.description === undefined ? {} : { description: params.description }),
    enabled,
    ...(params.deleteAfterRun === undefined ? {} : { deleteAfterRun: params.deleteAfterRun }),
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    schedule: params.schedule,
    sessionTarget: params.sessionTarget,
    wakeMode: params.wakeMode,
    payload: params.payload,
    ...(params.delivery === undefined ? {} : { delivery: params.delivery }),
    state: {},
  };
  return withNextRun(job, nowMs);
}

/**
 * `job` with `patch` applied. The next run is recomputed from now when the
 * schedule changes or the job is re-enabled; a disabled job has none.
 */
export function patchJob(job: CronJob, patch: CronJobPatch, nowMs: number): CronJob {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as CronJobPatch;
  const next: CronJob = { ...job, ...defined, state: { ...job.state }, updatedAtMs: nowMs };
  assertValid(
    { schedule: next.schedule, sessionTarget: next.sessionTarget, payload: jobPayload(next) },
    nowMs,
    // An unchanged `at` that is already past is still owed its run; only a new one must be in the future.
    defined.schedule === undefined,
  );
  const rescheduled = defined.schedule !== undefined || (next.enabled && !job.enabled);
  if (!next.enabled) {
    delete next.state.nextRunAtMs;
    return next;
  }
  return rescheduled ? withNextRun(next, nowMs) : next;
}

function withNextRun(job: CronJob, nowMs: number): CronJob {
  const state = { ...job.state };
  const next = job.enabled ? computeNextRunAtMs(job.schedule, { nowMs, createdAtMs: job.createdAtMs, jobId: job.id }) : undefined;
  if (next === undefined) delete state.nextRunAtMs;
  else state.nextRunAtMs = next;
  return { ...job, state };
}

function assertValid(job: Pick<CronAddParams, "schedule" | "sessionTarget" | "payload">, nowMs: number, scheduleUnchanged = false): void {
  const problem = scheduleUnchanged ? undefined : scheduleProblem(job.schedule, nowMs);
  if (problem !== undefined) throw new InvalidCronJobError(problem);
  // A system event is queued into an existing session's next turn; a fresh isolated
  // session would never be read, so the pairing is refused rather than silently lost.
  if (job.payload.kind === "systemEvent" && job.sessionTarget === "isolated") {
    throw new InvalidCronJobError('sessionTarget "isolated" needs an agentTurn payload; use "main" or "session:<key>" for a systemEvent');
  }
}
