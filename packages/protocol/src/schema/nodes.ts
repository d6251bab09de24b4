import { Type, type Static } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";

/** One node as listed by `node.list` and `node.describe`. */
export const NodeSummary = openObject({
  nodeId: NonEmptyString,
  displayName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  coreVersion: Type.Optional(Type.String()),
  uiVersion: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  modelIdentifier: Type.Optional(Type.String()),
  remoteIp: Type.Optional(Type.String()),
  caps: Type.Array(Type.String()),
  commands: Type.Array(Type.String()),
  pathEnv: Type.Optional(Type.String()),
  permissions: Type.Optional(StringRecord(Type.Boolean())),
  connectedAtMs: Type.Optional(NonNegativeInt),
  paired: Type.Boolean(),
  connected: Type.Boolean(),
  lastSeenAtMs: Type.Optional(NonNegativeInt),
  lastSeenReason: Type.Optional(Type.String()),
});
export type NodeSummary = Static<typeof NodeSummary>;

export const NodeListResult = openObject({ ts: NonNegativeInt, nodes: Type.Array(NodeSummary) });
export const NodeIdParams = closedObject({ nodeId: NonEmptyString });
export const NodeDescribeResult = openObject({ ...NodeSummary.properties, ts: NonNegativeInt });

export const NodeInvokeParams = closedObject({
  nodeId: NonEmptyString,
  command: NonEmptyString,
  params: Type.Optional(AnyJson),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  idempotencyKey: NonEmptyString,
  sessionKey: Type.Optional(Type.String()),
});
export type NodeInvokeParams = Static<typeof NodeInvokeParams>;
export const NodeInvokeResult = openObject({
  ok: Type.Literal(true),
  nodeId: NonEmptyString,
  command: NonEmptyString,
  payload: Type.Optional(AnyJson),
  payloadJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export const NodeError = openObject({ code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) });

/** Node → gateway: the answer to a `node.invoke.request`. */
export const NodeInvokeResultParams = closedObject({
  id: NonEmptyString,
  nodeId: NonEmptyString,
  ok: Type.Boolean(),
  payload: Type.Optional(AnyJson),
  payloadJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  error: Type.Optional(NodeError),
});
export type NodeInvokeResultParams = Static<typeof NodeInvokeResultParams>;
export const NodeAckResult = openObject({ ok: Type.Literal(true), ignored: Type.Optional(Type.Boolean()) });

/** Node → gateway: a streamed chunk before the final result. */
export const NodeInvokeProgressParams = closedObject({
  invokeId: NonEmptyString,
  nodeId: NonEmptyString,
  seq: NonNegativeInt,
  chunk: Type.String({ maxLength: 16_384 }),
});

export const NodeEventParams = closedObject({
  event: NonEmptyString,
  payload: Type.Optional(AnyJson),
  payloadJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export const NodeEventResult = openObject({
  ok: Type.Boolean(),
  event: NonEmptyString,
  handled: Type.Boolean(),
  reason: Type.Optional(Type.String()),
});

export const PENDING_WORK_TYPES = ["status.request", "location.request"] as const;
export const PendingWorkItem = openObject({
  id: NonEmptyString,
  type: StringEnum(PENDING_WORK_TYPES),
  priority: StringEnum(["normal", "high"] as const),
  createdAtMs: NonNegativeInt,
  expiresAtMs: Type.Optional(NonNegativeInt),
  payload: Type.Optional(AnyJson),
});
export const NodePendingDrainParams = closedObject({ maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) });
export const NodePendingDrainResult = openObject({
  nodeId: NonEmptyString,
  revision: NonNegativeInt,
  items: Type.Array(PendingWorkItem),
  hasMore: Type.Boolean(),
});
export const NodePendingPullResult = openObject({ items: Type.Array(PendingWorkItem) });
export const NodePendingAckParams = closedObject({ ids: Type.Array(NonEmptyString) });
export const NodePendingEnqueueParams = closedObject({
  nodeId: NonEmptyString,
  type: StringEnum(PENDING_WORK_TYPES),
  priority: Type.Optional(StringEnum(["normal", "high"] as const)),
  expiresInMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 86_400_000 })),
  wake: Type.Optional(Type.Boolean()),
});
export const NodePendingEnqueueResult = openObject({ ok: Type.Literal(true), item: PendingWorkItem });

export const NodePluginSurfaceRefreshParams = closedObject({ surface: Type.Literal("canvas") });
export const NodePluginSurfaceRefreshResult = openObject({ surface: Type.Literal("canvas"), url: Type.String(), expiresAtMs: NonNegativeInt });

export const NodeRenameParams = closedObject({ nodeId: NonEmptyString, displayName: Type.String({ minLength: 1, maxLength: 128 }) });
export const NodeRenameResult = openObject({ nodeId: NonEmptyString, displayName: Type.String() });

export const NODE_COMMAND_REFUSALS = ["not-declared", "not-approved", "denied", "not-allowlisted"] as const;
/** Why a node command is refused (`details.reason` of "node command not allowed"). */
export type NodeCommandRefusal = (typeof NODE_COMMAND_REFUSALS)[number];

/** A declared command an approval leaves refused, why, and what opens it. */
export const NodeCommandWithheld = openObject({
  command: NonEmptyString,
  reason: StringEnum(NODE_COMMAND_REFUSALS),
  remediationHint: Type.String(),
});
export type NodeCommandWithheld = Static<typeof NodeCommandWithheld>;

/** Which of a node's declared commands its approval opens, and which stay refused. */
export const NodeCommandReview = openObject({
  approved: Type.Array(Type.String()),
  withheld: Type.Array(NodeCommandWithheld),
});
export type NodeCommandReview = Static<typeof NodeCommandReview>;

/** A node's declared surface waiting for approval. */
export const NodePairingPendingRequest = openObject({
  requestId: NonEmptyString,
  nodeId: NonEmptyString,
  displayName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  modelIdentifier: Type.Optional(Type.String()),
  caps: Type.Optional(Type.Array(Type.String())),
  commands: Type.Optional(Type.Array(Type.String())),
  permissions: Type.Optional(StringRecord(Type.Boolean())),
  remoteIp: Type.Optional(Type.String()),
  silent: Type.Optional(Type.Boolean()),
  isRepair: Type.Optional(Type.Boolean()),
  ts: NonNegativeInt,
  /** What approving it would open under the gateway's command policy as it is now. */
  commandReview: Type.Optional(NodeCommandReview),
});
export const NodePairedSummary = openObject({
  nodeId: NonEmptyString,
  displayName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  caps: Type.Optional(Type.Array(Type.String())),
  commands: Type.Optional(Type.Array(Type.String())),
  approvedAtMs: Type.Optional(NonNegativeInt),
});
export const NodePairListResult = openObject({
  pending: Type.Array(NodePairingPendingRequest),
  paired: Type.Array(NodePairedSummary),
});
export const RequestIdParams = closedObject({ requestId: NonEmptyString });
export const NodePairApproveResult = openObject({
  requestId: NonEmptyString,
  node: NodePairedSummary,
  /** Which declared commands this approval opened and which stay refused. */
  commandReview: Type.Optional(NodeCommandReview),
});
export const NodePairRejectResult = openObject({ requestId: NonEmptyString, nodeId: NonEmptyString });
export const NodePairRemoveResult = openObject({ nodeId: NonEmptyString });

export const PAIRING_DECISIONS = ["approved", "rejected", "expired"] as const;
export const NodePairResolvedEvent = openObject({
  requestId: NonEmptyString,
  nodeId: NonEmptyString,
  decision: StringEnum(PAIRING_DECISIONS),
  ts: NonNegativeInt,
});

/** Gateway → node: run a command. `paramsJSON` is a JSON string, or null. */
export const NodeInvokeRequestEvent = openObject({
  id: NonEmptyString,
  nodeId: NonEmptyString,
  command: NonEmptyString,
  paramsJSON: Type.Union([Type.String(), Type.Null()]),
  timeoutMs: Type.Optional(NonNegativeInt),
  idempotencyKey: Type.Optional(Type.String()),
});
export type NodeInvokeRequestEvent = Static<typeof NodeInvokeRequestEvent>;
export const NodeInvokeCancelEvent = openObject({ invokeId: NonEmptyString, nodeId: NonEmptyString });
export const NodeInvokeInputEvent = openObject({
  id: NonEmptyString,
  nodeId: NonEmptyString,
  seq: NonNegativeInt,
  payloadJSON: Type.String({ maxLength: 16_384 }),
});
export const NodePresenceEvent = openObject({
  nodeId: NonEmptyString,
  lastSeenAtMs: Type.Optional(NonNegativeInt),
  reason: Type.Optional(Type.String()),
});
