import { Type } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";

export const EXEC_DECISIONS = ["allow-once", "allow-always", "deny"] as const;

export const SystemRunPlan = closedObject({
  argv: Type.Array(Type.String()),
  cwd: Type.Optional(Type.String()),
  commandText: Type.String(),
  commandPreview: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
});

export const ExecApprovalRequestParams = closedObject({
  id: Type.Optional(NonEmptyString),
  command: Type.Optional(Type.String()),
  commandArgv: Type.Optional(Type.Array(Type.String())),
  systemRunPlan: Type.Optional(SystemRunPlan),
  env: Type.Optional(StringRecord(Type.String())),
  cwd: Type.Optional(Type.String()),
  nodeId: Type.Optional(Type.String()),
  host: Type.Optional(Type.String()),
  security: Type.Optional(Type.String()),
  ask: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  resolvedPath: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  twoPhase: Type.Optional(Type.Boolean()),
});
export const ExecApprovalRequestResult = openObject({
  id: NonEmptyString,
  decision: Type.Optional(Type.Union([StringEnum(EXEC_DECISIONS), Type.Null()])),
  status: Type.Optional(Type.Literal("accepted")),
});
export const ExecApprovalResolveParams = closedObject({ id: NonEmptyString, decision: StringEnum(EXEC_DECISIONS) });
export const ExecApprovalIdParams = closedObject({ id: NonEmptyString });
export const ExecApprovalRecord = openObject({
  id: NonEmptyString,
  request: AnyJson,
  createdAtMs: NonNegativeInt,
  expiresAtMs: NonNegativeInt,
  decision: Type.Optional(Type.Union([StringEnum(EXEC_DECISIONS), Type.Null()])),
});
export const ExecApprovalListResult = openObject({ approvals: Type.Array(ExecApprovalRecord) });

/** Payloads of `exec.approval.requested` and `exec.approval.resolved`. */
export const ExecApprovalRequestedEvent = openObject({
  id: NonEmptyString,
  request: AnyJson,
  createdAtMs: NonNegativeInt,
  expiresAtMs: NonNegativeInt,
});
export const ExecApprovalResolvedEvent = openObject({
  id: NonEmptyString,
  decision: Type.Union([StringEnum(EXEC_DECISIONS), Type.Null()]),
  resolvedBy: Type.Optional(Type.String()),
  ts: NonNegativeInt,
});

export const PluginApprovalListResult = Type.Array(AnyJson);
