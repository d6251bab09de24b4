import { Type } from "@sinclair/typebox";
import { NonEmptyString, NonNegativeInt, StringEnum, closedObject, openObject } from "./primitives.js";
import { SessionKey } from "./agent.js";
import { SessionOptionFields, ThinkingFields, ThinkingLevel } from "./session-options.js";

export const SESSION_KINDS = ["direct", "group", "global", "unknown"] as const;

/** One session as `sessions.list` lists it and `sessions.describe` describes it. */
export const SessionRow = openObject({
  key: NonEmptyString,
  kind: StringEnum(SESSION_KINDS),
  agentId: Type.Optional(Type.String()),
  isMain: Type.Optional(Type.Boolean()),
  label: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  updatedAt: Type.Union([NonNegativeInt, Type.Null()]),
  sessionId: Type.Optional(Type.String()),
  /** The provider and model the session's runs use (its own, else the agent's). */
  modelProvider: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  ...SessionOptionFields,
  ...ThinkingFields,
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
    ...ThinkingFields,
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

/**
 * `sessions.patch` fields that change how the session's tools run (elevation, exec host and
 * policy). They need `operator.admin`; this gateway implements none of them and refuses them.
 */
export const SESSION_RUNTIME_OVERRIDES = ["elevatedLevel", "execHost", "execSecurity", "execAsk", "execNode"] as const;

export const SessionsPatchParams = closedObject({
  key: SessionKey,
  /** The agent a session key without an `agent:<id>:` prefix belongs to. */
  agentId: Type.Optional(NonEmptyString),
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

/** A session record as `sessions.patch`, `sessions.create` and `sessions.reset` answer it. */
export const SessionEntry = openObject({
  sessionId: NonEmptyString,
  createdAt: Type.Optional(NonNegativeInt),
  updatedAt: NonNegativeInt,
  label: Type.Optional(Type.String()),
  /** The session's own model ref, when it has one. */
  model: Type.Optional(Type.String()),
  ...SessionOptionFields,
});

/** A session's model and thinking levels, resolved against the providers the gateway runs. */
export const ResolvedSession = openObject({
  modelProvider: Type.String(),
  model: Type.String(),
  /** The level runs use: the session's own, else the model's default. */
  thinkingLevel: Type.Optional(Type.String()),
  /** The levels the model takes; this gateway always sends them (the reference leaves them out of `sessions.create`). */
  thinkingLevels: Type.Optional(Type.Array(ThinkingLevel)),
  thinkingDefault: Type.Optional(Type.String()),
  /** Why `thinkingLevels` is empty. */
  thinkingUnsupportedReason: Type.Optional(Type.String()),
});

export const SessionsPatchResult = openObject({
  ok: Type.Literal(true),
  /** Where the session store lives. */
  path: Type.Optional(Type.String()),
  key: NonEmptyString,
  entry: SessionEntry,
  resolved: ResolvedSession,
});

/** What the TUI's `/new` and the Control UI send: a key (or none, for a fresh one), a parent, a first message. */
export const SessionsCreateParams = closedObject({
  /** A key without an `agent:<id>:` prefix is put under `agentId`; none makes `agent:<agentId>:dashboard:<uuid>`. */
  key: Type.Optional(SessionKey),
  agentId: Type.Optional(NonEmptyString),
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  model: Type.Optional(NonEmptyString),
  parentSessionKey: Type.Optional(SessionKey),
  /** The new session takes over from its parent: it starts with the parent's model and settings. */
  succeedsParent: Type.Optional(Type.Boolean()),
  /** Asks for the reference gateway's `/new` plugin hooks; this gateway has none to run. */
  emitCommandHooks: Type.Optional(Type.Boolean()),
  /** The first message: a run starts with it. */
  message: Type.Optional(Type.String()),
});
export const SessionsCreateResult = openObject({
  ok: Type.Literal(true),
  key: NonEmptyString,
  sessionId: NonEmptyString,
  entry: SessionEntry,
  runStarted: Type.Boolean(),
  /** The run `message` started. */
  runId: Type.Optional(NonEmptyString),
  resolved: ResolvedSession,
});

export const SessionsResetParams = closedObject({
  key: SessionKey,
  reason: Type.Optional(StringEnum(["new", "reset"] as const)),
});
export const SessionsResetResult = openObject({ ok: Type.Literal(true), key: NonEmptyString, entry: SessionEntry });
export const SessionsDeleteParams = closedObject({ key: SessionKey, deleteTranscript: Type.Optional(Type.Boolean()) });
export const SessionsDeleteResult = openObject({ ok: Type.Literal(true), key: NonEmptyString, deleted: Type.Boolean() });

export const SessionsSubscribeParams = closedObject({});
export const SessionsSubscribeResult = openObject({ subscribed: Type.Boolean() });

/** Payload of `sessions.changed`: a delta of the session index. */
export const SessionsChangedEvent = openObject({
  sessionKey: Type.Optional(Type.String()),
  /** The session's id after the change (a reset gives it a new one). */
  sessionId: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  activeRunIds: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  ts: Type.Optional(NonNegativeInt),
});

export const SessionsDescribeParams = closedObject({
  key: SessionKey,
  /** The TUI names the agent of a key without an `agent:<id>:` prefix; this gateway looks keys up as given. */
  agentId: Type.Optional(NonEmptyString),
});
/** One session's row, as `sessions.list` has it; `null` when the session does not exist. */
export const SessionsDescribeResult = openObject({ session: Type.Union([SessionRow, Type.Null()]) });
