/** A job definition or patch the scheduler cannot accept; the message says which field and why. */
export class InvalidCronJobError extends Error {
  readonly code = "CRON_INVALID_JOB";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidCronJobError";
  }
}

/** No job has this id (never added, or removed). */
export class UnknownCronJobError extends Error {
  readonly code = "CRON_UNKNOWN_JOB";
  constructor(readonly jobId: string) {
    super(`unknown cron job: ${jobId}`);
    this.name = "UnknownCronJobError";
  }
}
