import { Type, type Static } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringRecord, closedObject, openObject } from "./primitives.js";

/** Params of `send`: one outbound message on a channel, deduplicated by `idempotencyKey`. */
export const SendParams = closedObject({
  to: NonEmptyString,
  message: Type.Optional(Type.String()),
  mediaUrl: Type.Optional(Type.String()),
  mediaUrls: Type.Optional(Type.Array(Type.String())),
  buffer: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
  contentType: Type.Optional(Type.String()),
  asVoice: Type.Optional(Type.Boolean()),
  gifPlayback: Type.Optional(Type.Boolean()),
  channel: Type.Optional(NonEmptyString),
  accountId: Type.Optional(NonEmptyString),
  agentId: Type.Optional(NonEmptyString),
  replyToId: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
  forceDocument: Type.Optional(Type.Boolean()),
  silent: Type.Optional(Type.Boolean()),
  parseMode: Type.Optional(Type.Literal("HTML")),
  sessionKey: Type.Optional(Type.String()),
  idempotencyKey: NonEmptyString,
});
export type SendParams = Static<typeof SendParams>;
export const SendResult = openObject({
  runId: NonEmptyString,
  messageId: Type.String(),
  channel: NonEmptyString,
  chatId: Type.Optional(Type.String()),
  channelId: Type.Optional(Type.String()),
  toJid: Type.Optional(Type.String()),
  conversationId: Type.Optional(Type.String()),
});

export const ChannelsStatusParams = closedObject({
  probe: Type.Optional(Type.Boolean()),
  channel: Type.Optional(NonEmptyString),
});
/**
 * Every state a channel account reports. Adapters report the connection states; the gateway adds
 * `disabled` (turned off in config) and `running` (started, adapter state not known yet).
 * `conflict`: another poller or webhook holds the token. `awaiting_link`: a QR or pairing code is
 * waiting to be scanned. `logged_out`, `replaced`, `unregistered`: the provider ended the session
 * and only a relink helps.
 */
export const ChannelAccountState = Type.Union([
  Type.Literal("stopped"),
  Type.Literal("starting"),
  Type.Literal("connecting"),
  Type.Literal("connected"),
  Type.Literal("reconnecting"),
  Type.Literal("conflict"),
  Type.Literal("awaiting_link"),
  Type.Literal("logged_out"),
  Type.Literal("replaced"),
  Type.Literal("unregistered"),
  Type.Literal("failed"),
  Type.Literal("disabled"),
  Type.Literal("running"),
]);
export type ChannelAccountState = Static<typeof ChannelAccountState>;

/**
 * Per-account state of one channel. `state` stays an open string on the wire, so a client accepts
 * states a newer gateway adds; what our adapters report is {@link ChannelAccountState}.
 */
export const ChannelAccountStatus = openObject({
  accountId: NonEmptyString,
  state: NonEmptyString,
  configured: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
  running: Type.Optional(Type.Boolean()),
  /** For channels that link a device (WhatsApp): whether the account has been linked. */
  linked: Type.Optional(Type.Boolean()),
  connected: Type.Optional(Type.Boolean()),
  reconnectAttempts: Type.Optional(NonNegativeInt),
  lastConnectedAt: Type.Optional(NonNegativeInt),
  lastInboundAt: Type.Optional(NonNegativeInt),
  lastOutboundAt: Type.Optional(NonNegativeInt),
  lastError: Type.Optional(Type.String()),
  relinkNeeded: Type.Optional(Type.Boolean()),
  qr: Type.Optional(Type.String()),
});
export const ChannelsStatusResult = openObject({
  ts: NonNegativeInt,
  channels: StringRecord(openObject({ accounts: Type.Array(ChannelAccountStatus) })),
  channelOrder: Type.Optional(Type.Array(Type.String())),
});
export const ChannelAccountParams = closedObject({ channel: NonEmptyString, accountId: Type.Optional(NonEmptyString) });
export const ChannelAccountResult = openObject({ ok: Type.Boolean(), channel: NonEmptyString, accountId: Type.Optional(Type.String()) });

/** A sender waiting for DM pairing approval on a channel. */
export const ChannelPairingRequest = openObject({
  code: NonEmptyString,
  channel: NonEmptyString,
  accountId: Type.Optional(Type.String()),
  senderId: NonEmptyString,
  senderName: Type.Optional(Type.String()),
  createdAtMs: NonNegativeInt,
  meta: Type.Optional(AnyJson),
});
export const ChannelsPairingListParams = closedObject({ channel: Type.Optional(NonEmptyString) });
export const ChannelsPairingListResult = openObject({ requests: Type.Array(ChannelPairingRequest) });
export const ChannelsPairingCodeParams = closedObject({ channel: NonEmptyString, code: NonEmptyString, accountId: Type.Optional(NonEmptyString) });

/** Where an outbox entry stands: waiting, being sent, delivered, or dead-lettered for the operator. */
export const OutboxStatus = Type.Union([Type.Literal("pending"), Type.Literal("sending"), Type.Literal("sent"), Type.Literal("dead")]);
export type OutboxStatus = Static<typeof OutboxStatus>;

/** One logical outbound message in the durable outbox. */
export const OutboxEntry = openObject({
  id: NonNegativeInt,
  idempotencyKey: NonEmptyString,
  channel: NonEmptyString,
  accountId: NonEmptyString,
  chatId: NonEmptyString,
  status: OutboxStatus,
  attempts: NonNegativeInt,
  chunksSent: NonNegativeInt,
  createdAtMs: NonNegativeInt,
  expiresAtMs: NonNegativeInt,
  nextAttemptAtMs: Type.Optional(NonNegativeInt),
  sentAtMs: Type.Optional(NonNegativeInt),
  lastError: Type.Optional(Type.String()),
  deadReason: Type.Optional(Type.String()),
  preview: Type.String(),
});
export type OutboxEntry = Static<typeof OutboxEntry>;
export const ChannelsOutboxListParams = closedObject({
  status: Type.Optional(OutboxStatus),
  channel: Type.Optional(NonEmptyString),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export const ChannelsOutboxListResult = openObject({ entries: Type.Array(OutboxEntry) });
export const ChannelsOutboxRetryParams = closedObject({ id: NonNegativeInt });
export const ChannelsOutboxRetryResult = openObject({ ok: Type.Boolean(), entry: OutboxEntry });
export const ChannelsOutboxPruneParams = closedObject({
  /** Only entries accepted at least this long ago. @default 0 (all) */
  olderThanMs: Type.Optional(NonNegativeInt),
  /** Also delete delivered entries, not just dead letters. @default false */
  includeSent: Type.Optional(Type.Boolean()),
});
export const ChannelsOutboxPruneResult = openObject({ ok: Type.Boolean(), removed: NonNegativeInt });

/** Starts linking a channel account that logs in with a device link (WhatsApp): a QR in `channels.status`, or a pairing code for `phoneNumber`. */
export const ChannelsLoginParams = closedObject({
  channel: NonEmptyString,
  accountId: Type.Optional(NonEmptyString),
  phoneNumber: Type.Optional(Type.String({ pattern: "^\\+?[0-9 ()-]{6,24}$" })),
});
export const ChannelsLoginResult = openObject({
  ok: Type.Boolean(),
  channel: NonEmptyString,
  accountId: NonEmptyString,
  state: NonEmptyString,
  linked: Type.Boolean(),
  qr: Type.Optional(Type.String()),
  pairingCode: Type.Optional(Type.String()),
});
