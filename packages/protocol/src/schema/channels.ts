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
/** Per-account state of one channel. */
export const ChannelAccountStatus = openObject({
  accountId: NonEmptyString,
  state: NonEmptyString,
  connected: Type.Optional(Type.Boolean()),
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
