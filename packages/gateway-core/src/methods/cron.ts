import { type CronJob, type MethodParams } from "@openclaw/protocol";
import type { CronScheduler } from "../cron/scheduler.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { MethodHandler } from "./types.js";

type CronMethod = "cron.list" | "cron.status" | "cron.get" | "cron.add" | "cron.update" | "cron.remove" | "cron.run" | "cron.runs";
export type CronHandlers = { [M in CronMethod]: MethodHandler<M> };

/** @default 200, the most `cron.list` accepts, so a client that never pages still sees every job */
export const CRON_LIST_DEFAULT_LIMIT = 200;
/** @default 50 */
export const CRON_RUNS_DEFAULT_LIMIT = 50;

/** `cron.*`, backed by the scheduler. Scheduler errors become INVALID_REQUEST with their message. */
export function createCronHandlers(scheduler: CronScheduler): CronHandlers {
  const known = (method: string, params: { id?: string | undefined; jobId?: string | undefined }): CronJob => {
    const id = requireJobId(method, params);
    const job = scheduler.get(id);
    if (job === undefined) throw new NotFoundError(`unknown cron job: ${id}`);
    return job;
  };

  return {
    "cron.list": (params) => {
      const filtered = filterJobs(scheduler.list(), params).sort(byNextRun);
      const offset = params.offset ?? 0;
      const limit = params.limit ?? CRON_LIST_DEFAULT_LIMIT;
      return { jobs: filtered.slice(offset, offset + limit), total: filtered.length };
    },

    "cron.status": () => scheduler.status(),

    "cron.get": (params) => known("cron.get", params),

    "cron.add": (params) => scheduler.add(params),

    "cron.update": (params) => scheduler.update(requireJobId("cron.update", params), params.patch),

    "cron.remove": (params) => ({ ok: true as const, removed: scheduler.remove(requireJobId("cron.remove", params)) }),

    "cron.run": (params) => {
      const job = known("cron.run", params);
      return scheduler.run(job.id, params.mode ?? "force");
    },

    "cron.runs": (params) => {
      const id = params.id ?? params.jobId;
      const scope = params.scope ?? (id === undefined ? "all" : "job");
      if (scope === "job") requireJobId("cron.runs", params);
      else if (id !== undefined) throw new InvalidInputError('cron.runs: scope "all" takes no id; drop it, or use scope "job"');
      return scheduler.runs({
        ...(scope === "job" && id !== undefined ? { jobId: id } : {}),
        ...(params.runId === undefined ? {} : { runId: params.runId }),
        ...(params.status === undefined ? {} : { status: params.status }),
        limit: params.limit ?? CRON_RUNS_DEFAULT_LIMIT,
        offset: params.offset ?? 0,
      });
    },
  };
}

/** The job id from `{ id }` or `{ jobId }` (older clients send `jobId`); exactly one must be given. */
function requireJobId(method: string, params: { id?: string | undefined; jobId?: string | undefined }): string {
  if (params.id !== undefined && params.jobId !== undefined) {
    throw new InvalidInputError(`${method}: give either id or jobId, not both`);
  }
  const id = params.id ?? params.jobId;
  if (id === undefined) throw new InvalidInputError(`${method}: id (or jobId) is required`);
  return id;
}

function filterJobs(jobs: CronJob[], params: MethodParams<"cron.list">): CronJob[] {
  const query = params.query?.trim().toLowerCase();
  return jobs.filter((job) => {
    // An explicit `enabled` wins; otherwise disabled jobs are shown only on request.
    if (params.enabled !== undefined ? job.enabled !== params.enabled : !job.enabled && params.includeDisabled !== true) return false;
    if (params.agentId !== undefined && (job.agentId ?? "main") !== params.agentId) return false;
    if (query) {
      const haystack = [job.id, job.name, job.description ?? ""].join("\n").toLowerCase();
      if (!haystack.includes(query)) return false;
    }
    return true;
  });
}

// Soonest first; jobs with no next run (disabled, finished one-shots) last, oldest first.
function byNextRun(a: CronJob, b: CronJob): number {
  const left = a.state.nextRunAtMs ?? Number.POSITIVE_INFINITY;
  const right = b.state.nextRunAtMs ?? Number.POSITIVE_INFINITY;
  if (left !== right) return left < right ? -1 : 1;
  return a.createdAtMs - b.createdAtMs;
}
