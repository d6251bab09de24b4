// Scheduler
export { CronScheduler, type CronSchedulerOptions, type CronRunner, type CronRunRefusal, type CronEvent } from "./scheduler.js";

// Schema step for the store
export { cronMigration } from "./migration.js";

// Schedules and jobs
export { computeNextRunAtMs, scheduleProblem, parseAtMs, MAX_TIMER_DELAY_MS, type NextRunContext } from "./schedule.js";
export { resolveCronSessionKey, type CronPayload, type CronJobPatch } from "./job-definition.js";
export type { CronRunEntry, CronRunQuery, CronRunStatus } from "./job-store.js";
