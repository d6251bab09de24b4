import { Type } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, closedObject, openObject } from "./primitives.js";
import { SessionKey } from "./agent.js";

export const SESSION_KINDS = ["direct", "group", "global", "unknown"] as const;

export const SessionRow = openObject({
  key: NonEmptyString,
  kind: StringEnum(SESSION_KINDS),
  label: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  updatedAt: Type.Union([NonNegativeInt, Type.Null()]),
  sessionId: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  hasActiveRun: Type.Optional(Type.Boolean()),
  activeRunIds: Type.Optional(Type.Array(Type.String())),
});

export const SessionsListParams = closedObject({
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  activeMinutes: Type.Optional(Type.Integer({ minimum: 1 })),
  includeGlobal: Type.Optional(Type.Boolean()),
  includeUnknown: Type.Optional(Type.Boolean()),
  includeDerivedTitles: Type.Optional(Type.Boolean()),
  includeLastMessage: Type.Optional(Type.Boolean()),
  label: Type.Optional(Type.String()),
  spawnedBy: Type.Optional(Type.String()),
  agentId: Type.Optional(NonEmptyString),
  search: Type.Optional(Type.String()),
});
export const SessionsListResult = openObject({
  ts: NonNegativeInt,
  path: Type.String(),
  count: NonNegativeInt,
  defaults: openObject({
    modelProvider: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()]),
    contextTokens: Type.Union([NonNegativeInt, Type.Null()]),
  }),
  sessions: Type.Array(SessionRow),
});

export const SessionsPreviewParams = closedObject({
  keys: Type.Array(SessionKey, { minItems: 1 }),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  maxChars: Type.Optional(Type.Integer({ minimum: 20 })),
});
export const SessionsPreviewResult = openObject({
  ts: NonNegativeInt,
  previews: Type.Array(
    openObject({
      key: NonEmptyString,
      status: Type.String(),
      items: Type.Array(openObject({ role: Type.String(), text: Type.String() })),
    }),
  ),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const SessionsPatchParams = closedObject({
  key: SessionKey,
  label: Nullable(Type.String({ minLength: 1, maxLength: 512 })),
  thinkingLevel: Nullable(Type.String()),
  verboseLevel: Nullable(Type.String()),
  reasoningLevel: Nullable(Type.String()),
  model: Nullable(Type.String()),
  responseUsage: Type.Optional(Type.Union([StringEnum(["off", "tokens", "full", "on"] as const), Type.Null()])),
  sendPolicy: Type.Optional(Type.Union([StringEnum(["allow", "deny"] as const), Type.Null()])),
  groupActivation: Type.Optional(Type.Union([StringEnum(["mention", "always"] as const), Type.Null()])),
  fastMode: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  elevatedLevel: Nullable(Type.String()),
  execHost: Nullable(Type.String()),
  execSecurity: Nullable(Type.String()),
  execAsk: Nullable(Type.String()),
  execNode: Nullable(Type.String()),
});
export const SessionEntryResult = openObject({ ok: Type.Literal(true), key: NonEmptyString, entry: AnyJson });

export const SessionsResetParams = closedObject({
  key: SessionKey,
  reason: Type.Optional(StringEnum(["new", "reset"] as const)),
});
export const SessionsDeleteParams = closedObject({ key: SessionKey, deleteTranscript: Type.Optional(Type.Boolean()) });
export const SessionsDeleteResult = openObject({ ok: Type.Literal(true), key: NonEmptyString, deleted: Type.Boolean() });

export const SessionsSubscribeParams = closedObject({});
export const SessionsSubscribeResult = openObject({ subscribed: Type.Boolean() });

/** Payload of `sessions.changed`: a delta of the session index. */
export const SessionsChangedEvent = openObject({
  sessionKey: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  activeRunIds: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  ts: Type.Optional(NonNegativeInt),
});

export const SessionsDescribeParams = closedObject({ key: SessionKey });
/** One session's settings and run state, as the TUI shows it. */
export const SessionsDescribeResult = openObject({
  key: NonEmptyString,
  sessionId: Type.Optional(Type.String()),
  kind: StringEnum(SESSION_KINDS),
  agentId: Type.Optional(Type.String()),
  isMain: Type.Optional(Type.Boolean()),
  label: Type.Optional(Type.String()),
  updatedAt: Type.Union([NonNegativeInt, Type.Null()]),
  modelProvider: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  hasActiveRun: Type.Boolean(),
  activeRunIds: Type.Array(Type.String()),
});
