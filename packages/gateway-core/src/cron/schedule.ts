import type { CronSchedule } from "@openclaw/protocol";
import { Cron } from "croner";

/**
 * The longest delay handed to one timer. Node's setTimeout fires at once (with a
 * warning) past 2^31-1 ms, so a far-off job is reached through several shorter waits.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The instant an `at` schedule names, or `undefined` if `at` is not a valid time. */
export function parseAtMs(at: number | string): number | undefined {
  const ms = typeof at === "number" ? at : /^\d+$/.test(at.trim()) ? Number(at.trim()) : Date.parse(at);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Whether `tz` is an IANA zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `schedule` cannot be scheduled at `nowMs`, or `undefined` if it can. The
 * messages are shown to the caller of `cron.add` / `cron.update` as is.
 */
export function scheduleProblem(schedule: CronSchedule, nowMs: number): string | undefined {
  switch (schedule.kind) {
    case "at": {
      const atMs = parseAtMs(schedule.at);
      if (atMs === undefined) return `schedule.at: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(schedule.at)}`;
      if (atMs <= nowMs) return `schedule.at: ${new Date(atMs).toISOString()} is in the past; give a future time`;
      return undefined;
    }
    case "every":
      return undefined;
    case "cron": {
      if (schedule.tz !== undefined && !isValidTimeZone(schedule.tz)) {
        return `schedule.tz: unknown time zone ${JSON.stringify(schedule.tz)}; use an IANA name such as "Europe/Berlin"`;
      }
      let next: Date | null;
      try {
        next = cronFor(schedule).nextRun(new Date(nowMs));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `schedule.expr: invalid cron expression ${JSON.stringify(schedule.expr)} (${reason})`;
      }
      return next === null ? `schedule.expr: ${JSON.stringify(schedule.expr)} never fires after now` : undefined;
    }
  }
}

export interface NextRunContext {
  readonly nowMs: number;
  /** Where an `every` schedule without `anchorMs` counts from: the job's creation. */
  readonly createdAtMs: number;
  /** Spreads `staggerMs` deterministically per job. */
  readonly jobId: string;
}

/**
 * The next time `schedule` is due strictly after `nowMs`, or `undefined` if it
 * never is again. An `at` schedule is returned even when past: a one-shot that
 * has not run yet is still owed its run (the caller clears it once it ran).
 */
export function computeNextRunAtMs(schedule: CronSchedule, context: NextRunContext): number | undefined {
  const { nowMs } = context;
  switch (schedule.kind) {
    case "at":
      return parseAtMs(schedule.at);
    case "every": {
      const anchor = schedule.anchorMs ?? context.createdAtMs;
      if (nowMs < anchor) return anchor;
      // The first slot after now; missed slots in between are skipped, not queued.
      return anchor + (Math.floor((nowMs - anchor) / schedule.everyMs) + 1) * schedule.everyMs;
    }
    case "cron": {
      const offset = staggerOffset(context.jobId, schedule.staggerMs ?? 0);
      const next = cronFor(schedule).nextRun(new Date(nowMs - offset));
      return next === null ? undefined : next.getTime() + offset;
    }
  }
}

function cronFor(schedule: Extract<CronSchedule, { kind: "cron" }>): Cron {
  // No callback: croner only evaluates the pattern and starts no timer of its own.
  return new Cron(schedule.expr, schedule.tz === undefined ? {} : { timezone: schedule.tz });
}

// A stable offset in [0, staggerMs) from the job id, so jobs sharing an expression
// (say every hour on the hour) do not all wake at the same instant.
function staggerOffset(jobId: string, staggerMs: number): number {
  if (staggerMs <= 0) return 0;
  let hash = 0;
  for (const char of jobId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % staggerMs;
}
