import { Type, type Static } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";

export const CronSchedule = Type.Union([
  closedObject({ kind: Type.Literal("at"), at: Type.Union([NonNegativeInt, NonEmptyString]) }),
  closedObject({ kind: Type.Literal("every"), everyMs: Type.Integer({ minimum: 1 }), anchorMs: Type.Optional(NonNegativeInt) }),
  closedObject({
    kind: Type.Literal("cron"),
    expr: NonEmptyString,
    tz: Type.Optional(Type.String()),
    staggerMs: Type.Optional(NonNegativeInt),
  }),
]);
export type CronSchedule = Static<typeof CronSchedule>;

export const CronPayload = Type.Union([
  closedObject({ kind: Type.Literal("systemEvent"), text: NonEmptyString }),
  closedObject({
    kind: Type.Literal("agentTurn"),
    message: NonEmptyString,
    model: Type.Optional(Type.String()),
    thinking: Type.Optional(Type.String()),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
]);

export const CronDelivery = closedObject({
  mode: StringEnum(["none", "announce", "webhook"] as const),
  channel: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  bestEffort: Type.Optional(Type.Boolean()),
});

const SessionTarget = Type.String({ pattern: "^(main|isolated|current|session:.+)$" });
const WakeMode = StringEnum(["next-heartbeat", "now"] as const);

export const CronJobState = openObject({
  nextRunAtMs: Type.Optional(NonNegativeInt),
  runningAtMs: Type.Optional(NonNegativeInt),
  lastRunAtMs: Type.Optional(NonNegativeInt),
  lastRunStatus: Type.Optional(StringEnum(["ok", "error", "skipped"] as const)),
  lastError: Type.Optional(Type.String()),
  lastDurationMs: Type.Optional(NonNegativeInt),
  consecutiveErrors: Type.Optional(NonNegativeInt),
});

export const CronJob = openObject({
  id: NonEmptyString,
  agentId: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
  name: NonEmptyString,
  description: Type.Optional(Type.String()),
  enabled: Type.Boolean(),
  deleteAfterRun: Type.Optional(Type.Boolean()),
  createdAtMs: NonNegativeInt,
  updatedAtMs: NonNegativeInt,
  schedule: CronSchedule,
  sessionTarget: Type.String(),
  wakeMode: Type.String(),
  payload: AnyJson,
  delivery: Type.Optional(AnyJson),
  state: CronJobState,
});
export type CronJob = Static<typeof CronJob>;

export const CronAddParams = closedObject({
  name: NonEmptyString,
  agentId: Type.Optional(NonEmptyString),
  sessionKey: Type.Optional(NonEmptyString),
  description: Type.Optional(Type.String()),
  enabled: Type.Optional(Type.Boolean()),
  deleteAfterRun: Type.Optional(Type.Boolean()),
  schedule: CronSchedule,
  sessionTarget: SessionTarget,
  wakeMode: WakeMode,
  payload: CronPayload,
  delivery: Type.Optional(CronDelivery),
});
export type CronAddParams = Static<typeof CronAddParams>;

export const CronIdParams = closedObject({ id: Type.Optional(NonEmptyString), jobId: Type.Optional(NonEmptyString) });
export const CronUpdateParams = closedObject({
  id: Type.Optional(NonEmptyString),
  jobId: Type.Optional(NonEmptyString),
  patch: closedObject({
    name: Type.Optional(NonEmptyString),
    description: Type.Optional(Type.String()),
    enabled: Type.Optional(Type.Boolean()),
    deleteAfterRun: Type.Optional(Type.Boolean()),
    schedule: Type.Optional(CronSchedule),
    sessionTarget: Type.Optional(SessionTarget),
    wakeMode: Type.Optional(WakeMode),
    payload: Type.Optional(CronPayload),
    delivery: Type.Optional(CronDelivery),
  }),
});
export const CronRunParams = closedObject({
  id: Type.Optional(NonEmptyString),
  jobId: Type.Optional(NonEmptyString),
  mode: Type.Optional(StringEnum(["due", "force"] as const)),
});
export const CronListParams = closedObject({
  includeDisabled: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(NonNegativeInt),
  query: Type.Optional(Type.String()),
  enabled: Type.Optional(Type.Boolean()),
  agentId: Type.Optional(Type.String()),
});
export const CronListResult = openObject({ jobs: Type.Array(CronJob), total: Type.Optional(NonNegativeInt) });
export const CronStatusResult = openObject({
  enabled: Type.Boolean(),
  jobs: NonNegativeInt,
  nextWakeAtMs: Type.Optional(Type.Union([NonNegativeInt, Type.Null()])),
});
export const CronRemoveResult = openObject({ ok: Type.Literal(true), removed: Type.Boolean() });
export const CronRunResult = openObject({ ok: Type.Boolean(), runId: Type.Optional(Type.String()) });
/**
 * One finished run. Our gateway fills every field; OpenClaw 2026.9.6 writes `ts`, `action`, `runAtMs`
 * and `durationMs` and may leave out `runId` and `status`, so a client reading either gateway needs
 * only `jobId`.
 */
export const CronRunLogEntry = openObject({
  jobId: NonEmptyString,
  runId: Type.Optional(NonEmptyString),
  startedAtMs: Type.Optional(NonNegativeInt),
  endedAtMs: Type.Optional(NonNegativeInt),
  status: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  /** When the entry was written (OpenClaw's name for the end of the run). */
  ts: Type.Optional(NonNegativeInt),
  action: Type.Optional(Type.String()),
  runAtMs: Type.Optional(NonNegativeInt),
  durationMs: Type.Optional(NonNegativeInt),
});
export const CronRunsParams = closedObject({
  scope: Type.Optional(StringEnum(["job", "all"] as const)),
  id: Type.Optional(NonEmptyString),
  jobId: Type.Optional(NonEmptyString),
  runId: Type.Optional(NonEmptyString),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(NonNegativeInt),
  status: Type.Optional(Type.String()),
});
export const CronRunsResult = openObject({ entries: Type.Array(CronRunLogEntry), total: Type.Optional(NonNegativeInt) });

/** Payload of the `cron` event. */
export const CronEvent = openObject({
  jobId: NonEmptyString,
  action: StringEnum(["added", "updated", "removed", "started", "finished"] as const),
  job: Type.Optional(CronJob),
  runAtMs: Type.Optional(NonNegativeInt),
  durationMs: Type.Optional(NonNegativeInt),
  status: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  runId: Type.Optional(Type.String()),
  nextRunAtMs: Type.Optional(NonNegativeInt),
  meta: Type.Optional(StringRecord(AnyJson)),
});
