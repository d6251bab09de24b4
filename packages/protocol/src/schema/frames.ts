import { Type, type Static } from "@sinclair/typebox";
import { ErrorShape } from "./errors.js";
import { AnyJson, NonEmptyString, NonNegativeInt, closedObject } from "./primitives.js";

/** Client → gateway call. */
export const RequestFrame = closedObject({
  type: Type.Literal("req"),
  id: NonEmptyString,
  method: NonEmptyString,
  params: Type.Optional(AnyJson),
  traceparent: Type.Optional(Type.String({ maxLength: 128 })),
});
export type RequestFrame = Static<typeof RequestFrame>;

/** Gateway → client answer; `agent` answers twice with the same id. */
export const ResponseFrame = closedObject({
  type: Type.Literal("res"),
  id: NonEmptyString,
  ok: Type.Boolean(),
  payload: Type.Optional(AnyJson),
  error: Type.Optional(ErrorShape),
});
export type ResponseFrame = Static<typeof ResponseFrame>;

/** Per-state counters carried by `presence` and `health` events. */
export const StateVersion = closedObject({
  presence: NonNegativeInt,
  health: NonNegativeInt,
});
export type StateVersion = Static<typeof StateVersion>;

/** Gateway → client push. `seq` counts per connection; targeted events omit it. */
export const EventFrame = closedObject({
  type: Type.Literal("event"),
  event: NonEmptyString,
  payload: Type.Optional(AnyJson),
  seq: Type.Optional(NonNegativeInt),
  stateVersion: Type.Optional(StateVersion),
});
export type EventFrame = Static<typeof EventFrame>;

/**
 * Client → gateway: stop the pending request with this id (a timeout or an abort on the
 * client). Additive: OpenClaw 2026.9.6 answers it as an invalid request frame, we abort
 * the request's handler and send nothing for the cancel itself.
 */
export const CancelFrame = closedObject({
  type: Type.Literal("cancel"),
  id: NonEmptyString,
});
export type CancelFrame = Static<typeof CancelFrame>;

/** Every frame on the wire, discriminated by `type`. */
export const GatewayFrame = Type.Union([RequestFrame, ResponseFrame, EventFrame, CancelFrame]);
export type GatewayFrame = Static<typeof GatewayFrame>;
