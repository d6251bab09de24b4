import { Type, type Static } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, closedObject, openObject } from "./primitives.js";

/** Params of methods that take nothing. */
export const EmptyParams = closedObject({});

/** `health` may force a fresh probe. */
export const HealthParams = closedObject({ probe: Type.Optional(Type.Boolean()) });

/** `status` params: the CLI asks to leave out the channel summary. */
export const StatusParams = closedObject({ includeChannelSummary: Type.Optional(Type.Boolean()) });

/** The `/status` summary. Its shape is not schema-fixed upstream; these are the keys clients read. */
export const StatusResult = openObject({
  runtimeVersion: NonEmptyString,
  heartbeat: Type.Optional(AnyJson),
  channelSummary: Type.Optional(Type.Array(AnyJson)),
  queuedSystemEvents: Type.Optional(Type.Array(AnyJson)),
  sessions: Type.Optional(AnyJson),
  eventLoop: Type.Optional(AnyJson),
  processMemory: Type.Optional(AnyJson),
  pid: Type.Optional(NonNegativeInt),
});
export type StatusResult = Static<typeof StatusResult>;

export const SystemEventParams = closedObject({
  text: NonEmptyString,
  idempotencyKey: Type.Optional(NonEmptyString),
  sessionKey: Type.Optional(NonEmptyString),
  wake: Type.Optional(Type.Boolean()),
  deviceId: Type.Optional(Type.String()),
  instanceId: Type.Optional(Type.String()),
  host: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  mode: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  modelIdentifier: Type.Optional(Type.String()),
  lastInputSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  reason: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scopes: Type.Optional(Type.Array(Type.String())),
  tags: Type.Optional(Type.Array(Type.String())),
});

export const OkResult = openObject({ ok: Type.Literal(true) });

export const HEARTBEAT_STATUSES = ["sent", "ok-empty", "ok-token", "skipped", "failed"] as const;

/** Payload of the `heartbeat` event, and what `last-heartbeat` returns. */
export const HeartbeatEvent = openObject({
  ts: NonNegativeInt,
  status: StringEnum(HEARTBEAT_STATUSES),
  to: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  preview: Type.Optional(Type.String()),
  durationMs: Type.Optional(Type.Number({ minimum: 0 })),
  hasMedia: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String()),
  channel: Type.Optional(Type.String()),
  silent: Type.Optional(Type.Boolean()),
  indicatorType: Type.Optional(StringEnum(["ok", "alert", "error"] as const)),
});
export type HeartbeatEvent = Static<typeof HeartbeatEvent>;

export const LastHeartbeatResult = Type.Union([HeartbeatEvent, Type.Null()]);

export const SetHeartbeatsParams = closedObject({ enabled: Type.Boolean() });
export const SetHeartbeatsResult = openObject({ ok: Type.Literal(true), enabled: Type.Boolean() });

/** `wake` is an open object upstream. */
export const WakeParams = openObject({
  mode: StringEnum(["now", "next-heartbeat"] as const),
  text: Type.String(),
  sessionKey: Type.Optional(NonEmptyString),
  agentId: Type.Optional(NonEmptyString),
});

export const LogsTailParams = closedObject({
  cursor: Type.Optional(NonNegativeInt),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});
export type LogsTailParams = Static<typeof LogsTailParams>;

/** A page of the gateway's JSON-lines log, from `cursor` (a byte offset). */
export const LogsTailResult = openObject({
  file: Type.String(),
  cursor: NonNegativeInt,
  size: NonNegativeInt,
  lines: Type.Array(Type.String()),
  truncated: Type.Optional(Type.Boolean()),
  reset: Type.Optional(Type.Boolean()),
});
export type LogsTailResult = Static<typeof LogsTailResult>;

/** Payload of the `tick` event. */
export const TickEvent = openObject({ ts: NonNegativeInt });

/** Payload of the `shutdown` event, sent before close 1012. */
export const ShutdownEvent = openObject({
  reason: NonEmptyString,
  restartExpectedMs: Type.Optional(NonNegativeInt),
});
export type ShutdownEvent = Static<typeof ShutdownEvent>;

/** The TUI's model picker names its agent; every agent of this gateway has the same models. */
export const ModelsListParams = closedObject({ view: Type.Optional(Type.String()), agentId: Type.Optional(NonEmptyString) });
/** One model: `provider/id` is the ref `sessions.patch {model}` takes. */
export const ModelEntry = openObject({
  id: NonEmptyString,
  name: Type.String(),
  provider: NonEmptyString,
  contextWindow: Type.Optional(NonNegativeInt),
  /** Whether the model takes thinking levels. */
  reasoning: Type.Optional(Type.Boolean()),
});
export const ModelsListResult = openObject({ models: Type.Array(ModelEntry) });

export const CommandsListParams = closedObject({
  agentId: Type.Optional(NonEmptyString),
  scope: Type.Optional(Type.String()),
  includeArgs: Type.Optional(Type.Boolean()),
});
export const CommandEntry = openObject({
  name: NonEmptyString,
  description: Type.Optional(Type.String()),
  textAliases: Type.Optional(Type.Array(Type.String())),
  category: Type.Optional(Type.String()),
  acceptsArgs: Type.Optional(Type.Boolean()),
});
export const CommandsListResult = openObject({ commands: Type.Array(CommandEntry) });

export const VoicewakeGetResult = openObject({ triggers: Type.Array(Type.String()) });
export const VoicewakeSetParams = closedObject({ triggers: Type.Array(Type.String()) });
export const VoicewakeChangedEvent = openObject({ triggers: Type.Array(Type.String()) });

export const TalkModeParams = closedObject({ enabled: Type.Boolean(), phase: Type.Optional(Type.String()) });
export const TalkModeEvent = openObject({ enabled: Type.Boolean(), phase: Type.Optional(Type.String()), ts: NonNegativeInt });

export const QuestionListResult = openObject({ questions: Type.Array(AnyJson) });
export const TaskSuggestionsListResult = openObject({ suggestions: Type.Array(AnyJson) });
