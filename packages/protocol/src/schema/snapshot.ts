import { Type, type Static } from "@sinclair/typebox";
import { StateVersion } from "./frames.js";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";

/** One entry of the presence table (gateway itself, operators, nodes). */
export const PresenceEntry = openObject({
  host: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  modelIdentifier: Type.Optional(Type.String()),
  timeZone: Type.Optional(Type.String()),
  mode: Type.Optional(Type.String()),
  clientId: Type.Optional(Type.String()),
  lastInputSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  reason: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  text: Type.Optional(Type.String()),
  ts: NonNegativeInt,
  onlineSince: Type.Optional(NonNegativeInt),
  lastActivityAt: Type.Optional(NonNegativeInt),
  deviceId: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scopes: Type.Optional(Type.Array(Type.String())),
  instanceId: Type.Optional(Type.String()),
});
export type PresenceEntry = Static<typeof PresenceEntry>;

/** Recent session entry inside a health snapshot. */
export const HealthSessionRef = openObject({
  key: Type.String(),
  updatedAt: Type.Union([NonNegativeInt, Type.Null()]),
  age: Type.Optional(Type.Union([NonNegativeInt, Type.Null()])),
});

/** Session store summary inside a health snapshot. */
export const HealthSessions = openObject({
  path: Type.String(),
  count: NonNegativeInt,
  recent: Type.Array(HealthSessionRef),
});

/** Per-agent heartbeat configuration inside a health snapshot. */
export const HealthHeartbeat = openObject({
  enabled: Type.Boolean(),
  every: Type.String(),
  everyMs: Type.Union([NonNegativeInt, Type.Null()]),
  prompt: Type.Optional(Type.String()),
  target: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  session: Type.Optional(Type.String()),
  ackMaxChars: Type.Optional(NonNegativeInt),
});

export const HealthAgent = openObject({
  agentId: NonEmptyString,
  name: Type.Optional(Type.String()),
  isDefault: Type.Boolean(),
  heartbeat: HealthHeartbeat,
  sessions: HealthSessions,
});

/** Event-loop health of the gateway process. */
export const EventLoopHealth = openObject({
  degraded: Type.Boolean(),
  degradedSinceMs: Type.Union([Type.Number(), Type.Null()]),
  reasons: Type.Array(Type.String()),
  intervalMs: Type.Number(),
  delayP99Ms: Type.Number(),
  delayMaxMs: Type.Number(),
  utilization: Type.Number(),
  cpuCoreRatio: Type.Optional(Type.Number()),
});

/** The gateway's health. Every field is optional: `{}` until the first probe. */
export const HealthSnapshot = openObject({
  ok: Type.Optional(Type.Boolean()),
  ts: Type.Optional(NonNegativeInt),
  durationMs: Type.Optional(Type.Number({ minimum: 0 })),
  channels: Type.Optional(StringRecord(AnyJson)),
  channelOrder: Type.Optional(Type.Array(Type.String())),
  channelLabels: Type.Optional(StringRecord(Type.String())),
  heartbeatSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  defaultAgentId: Type.Optional(Type.String()),
  agents: Type.Optional(Type.Array(HealthAgent)),
  sessions: Type.Optional(HealthSessions),
  eventLoop: Type.Optional(EventLoopHealth),
});
export type HealthSnapshot = Static<typeof HealthSnapshot>;

/** Default routing keys of the gateway. */
export const SessionDefaults = openObject({
  defaultAgentId: NonEmptyString,
  mainKey: NonEmptyString,
  mainSessionKey: NonEmptyString,
  scope: Type.Optional(Type.String()),
  modelConfigured: Type.Optional(Type.Boolean()),
  ownership: Type.Optional(Type.String()),
  selectionRequired: Type.Optional(Type.Boolean()),
});

export const AUTH_MODES = ["none", "token", "password", "trusted-proxy"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** State handed to every client in `hello-ok`. */
export const Snapshot = openObject({
  presence: Type.Array(PresenceEntry),
  health: HealthSnapshot,
  stateVersion: StateVersion,
  uptimeMs: NonNegativeInt,
  configPath: Type.Optional(Type.String()),
  stateDir: Type.Optional(Type.String()),
  sessionDefaults: Type.Optional(SessionDefaults),
  authMode: Type.Optional(StringEnum(AUTH_MODES)),
  appliedConfigHash: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type Snapshot = Static<typeof Snapshot>;

/** Limits the gateway enforces on this connection. */
export const Policy = openObject({
  maxPayload: NonNegativeInt,
  maxBufferedBytes: NonNegativeInt,
  tickIntervalMs: NonNegativeInt,
  attachments: Type.Optional(closedObject({ maxBytes: NonNegativeInt, maxImageBytes: NonNegativeInt })),
});
export type Policy = Static<typeof Policy>;

/** A device token issued alongside the primary one (setup-code bootstrap). */
export const IssuedDeviceToken = openObject({
  deviceToken: NonEmptyString,
  role: NonEmptyString,
  scopes: Type.Array(NonEmptyString),
  issuedAtMs: NonNegativeInt,
});

/** The authority this connection ended up with. */
export const HelloAuth = openObject({
  method: Type.Optional(Type.String()),
  role: NonEmptyString,
  scopes: Type.Array(NonEmptyString),
  deviceToken: Type.Optional(NonEmptyString),
  issuedAtMs: Type.Optional(NonNegativeInt),
  deviceTokens: Type.Optional(Type.Array(IssuedDeviceToken)),
});
export type HelloAuth = Static<typeof HelloAuth>;

export const HelloServer = openObject({
  version: NonEmptyString,
  connId: NonEmptyString,
  commit: Type.Optional(Type.String()),
  host: Type.Optional(Type.String()),
  bootId: Type.Optional(Type.String()),
  buildId: Type.Optional(Type.String()),
});

export const HelloFeatures = openObject({
  methods: Type.Array(NonEmptyString),
  events: Type.Array(NonEmptyString),
  capabilities: Type.Optional(Type.Array(NonEmptyString)),
});

/** Payload of the successful `connect` response. */
export const HelloOk = openObject({
  type: Type.Literal("hello-ok"),
  protocol: Type.Integer({ minimum: 1 }),
  server: HelloServer,
  features: HelloFeatures,
  snapshot: Snapshot,
  pluginSurfaceUrls: Type.Optional(StringRecord(Type.String())),
  auth: HelloAuth,
  policy: Policy,
});
export type HelloOk = Static<typeof HelloOk>;
