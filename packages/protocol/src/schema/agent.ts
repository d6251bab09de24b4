import { Type, type Static } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";
import { SessionOptionFields, ThinkingFields } from "./session-options.js";

export const Attachment = openObject({
  type: Type.Optional(Type.String()),
  mimeType: Type.Optional(Type.String()),
  fileName: Type.Optional(Type.String()),
  content: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
});

/** Params of `agent`: one run, answered twice (accepted, then final). */
export const AgentParams = closedObject({
  message: NonEmptyString,
  idempotencyKey: NonEmptyString,
  agentId: Type.Optional(NonEmptyString),
  provider: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  replyTo: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  sessionKey: Type.Optional(NonEmptyString),
  thinking: Type.Optional(Type.String()),
  deliver: Type.Optional(Type.Boolean()),
  attachments: Type.Optional(Type.Array(Attachment)),
  channel: Type.Optional(Type.String()),
  replyChannel: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  replyAccountId: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
  groupId: Type.Optional(Type.String()),
  groupChannel: Type.Optional(Type.String()),
  groupSpace: Type.Optional(Type.String()),
  timeout: Type.Optional(NonNegativeInt),
  bestEffortDeliver: Type.Optional(Type.Boolean()),
  lane: Type.Optional(Type.String()),
  promptMode: Type.Optional(StringEnum(["full", "minimal", "none"] as const)),
  extraSystemPrompt: Type.Optional(Type.String()),
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});
export type AgentParams = Static<typeof AgentParams>;

export const RUN_STATUSES = ["accepted", "ok", "error", "timeout", "in_flight"] as const;

/** Both answers of `agent`: the ack (`accepted`) and the final result. */
export const AgentResult = openObject({
  runId: NonEmptyString,
  status: StringEnum(RUN_STATUSES),
  acceptedAt: Type.Optional(NonNegativeInt),
  sessionKey: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  result: Type.Optional(
    openObject({
      payloads: Type.Array(openObject({ text: Type.Optional(Type.String()), mediaUrl: Type.Optional(Type.String()) })),
      meta: openObject({ durationMs: Type.Number({ minimum: 0 }) }),
      deliveryStatus: Type.Optional(Type.String()),
    }),
  ),
});
export type AgentResult = Static<typeof AgentResult>;

export const AgentWaitParams = closedObject({
  runId: NonEmptyString,
  timeoutMs: Type.Optional(NonNegativeInt),
});
export const AgentWaitResult = openObject({
  runId: Type.Optional(Type.String()),
  status: StringEnum(["ok", "error", "timeout"] as const),
  startedAt: Type.Optional(NonNegativeInt),
  endedAt: Type.Optional(NonNegativeInt),
  summary: Type.Optional(Type.String()),
  outputText: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
});

export const AgentIdentityParams = closedObject({
  agentId: Type.Optional(NonEmptyString),
  sessionKey: Type.Optional(NonEmptyString),
});
export const AgentIdentityResult = openObject({
  agentId: NonEmptyString,
  name: Type.Optional(Type.String()),
  avatar: Type.Optional(Type.String()),
  emoji: Type.Optional(Type.String()),
});

export const AgentsListResult = openObject({
  defaultId: NonEmptyString,
  mainKey: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  agents: Type.Array(
    openObject({
      id: NonEmptyString,
      name: Type.Optional(Type.String()),
      workspace: Type.Optional(Type.String()),
      /** `{ primary: "provider/model" }` */
      model: Type.Optional(AnyJson),
      /** The levels of the agent's model. */
      ...ThinkingFields,
    }),
  ),
});

/** Payload of the `agent` event; `seq` counts per run, from 1. */
export const AgentEvent = openObject({
  runId: NonEmptyString,
  seq: NonNegativeInt,
  stream: NonEmptyString,
  ts: NonNegativeInt,
  data: StringRecord(AnyJson),
  sessionKey: Type.Optional(Type.String()),
  spawnedBy: Type.Optional(NonEmptyString),
  isHeartbeat: Type.Optional(Type.Boolean()),
});
export type AgentEvent = Static<typeof AgentEvent>;

export const ChatContentPart = openObject({ type: NonEmptyString, text: Type.Optional(Type.String()) });
export const ChatMessage = openObject({
  role: NonEmptyString,
  content: Type.Union([Type.String(), Type.Array(ChatContentPart)]),
  timestamp: Type.Optional(NonNegativeInt),
  id: Type.Optional(Type.String()),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const CHAT_STATES = ["delta", "final", "aborted", "error"] as const;

/** Payload of the `chat` event: the UI-level projection of a run. */
export const ChatEvent = openObject({
  runId: NonEmptyString,
  sessionKey: NonEmptyString,
  agentId: Type.Optional(Type.String()),
  seq: NonNegativeInt,
  state: StringEnum(CHAT_STATES),
  message: Type.Optional(ChatMessage),
  deltaText: Type.Optional(Type.String()),
  replace: Type.Optional(Type.Boolean()),
  usage: Type.Optional(AnyJson),
  stopReason: Type.Optional(Type.String()),
  errorMessage: Type.Optional(Type.String()),
  errorKind: Type.Optional(StringEnum(["refusal", "timeout", "rate_limit", "context_length", "unknown"] as const)),
});
export type ChatEvent = Static<typeof ChatEvent>;

export const SessionKey = Type.String({ minLength: 1, maxLength: 512 });

export const ChatHistoryParams = closedObject({
  sessionKey: SessionKey,
  agentId: Type.Optional(NonEmptyString),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  maxChars: Type.Optional(Type.Integer({ minimum: 1 })),
  cursor: Type.Optional(Type.String()),
  offset: Type.Optional(NonNegativeInt),
  messageId: Type.Optional(Type.String()),
});
export const ChatHistoryResult = openObject({
  sessionKey: NonEmptyString,
  sessionId: Type.Optional(Type.String()),
  /** The session's own settings. */
  ...SessionOptionFields,
  messages: Type.Array(ChatMessage),
  hasMore: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(Type.String()),
});

export const QUEUE_MODES = ["steer", "followup", "collect", "interrupt"] as const;

export const ChatSendParams = closedObject({
  sessionKey: SessionKey,
  agentId: Type.Optional(NonEmptyString),
  sessionId: Type.Optional(Type.String()),
  message: Type.String(),
  thinking: Type.Optional(Type.String()),
  deliver: Type.Optional(Type.Boolean()),
  attachments: Type.Optional(Type.Array(Attachment)),
  timeoutMs: Type.Optional(NonNegativeInt),
  queueMode: Type.Optional(StringEnum(QUEUE_MODES)),
  idempotencyKey: NonEmptyString,
});
export type ChatSendParams = Static<typeof ChatSendParams>;
export const ChatSendResult = openObject({
  runId: NonEmptyString,
  status: StringEnum(["started", "in_flight", "ok", "error", "timeout", "aborted"] as const),
});

export const ChatAbortParams = closedObject({
  sessionKey: SessionKey,
  agentId: Type.Optional(NonEmptyString),
  runId: Type.Optional(NonEmptyString),
});
export const ChatAbortResult = openObject({
  ok: Type.Literal(true),
  aborted: Type.Boolean(),
  runIds: Type.Optional(Type.Array(Type.String())),
});

export const ChatInjectParams = closedObject({
  sessionKey: SessionKey,
  agentId: Type.Optional(NonEmptyString),
  message: NonEmptyString,
  label: Type.Optional(Type.String({ maxLength: 100 })),
});
export const ChatInjectResult = openObject({ ok: Type.Literal(true), messageId: Type.Optional(Type.String()) });
