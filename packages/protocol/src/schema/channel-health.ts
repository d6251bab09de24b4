import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, NonNegativeInt, openObject } from "./primitives.js";

// A terminal account (a WhatsApp logout, say) must not look healthy: each account's entry in
// `channels.status` and `health.channels` carries its transport, whether inbound messages can reach
// the agent, and whether it is stuck for good. The account status and health snapshot are open
// objects, so these ride on them as added fields.

/** How an account's provider connection stands, as its health reports it. */
export const CHANNEL_TRANSPORT_STATES = ["up", "connecting", "down", "stopped"] as const;

/** One account's health. */
export const ChannelAccountHealth = openObject({
  /** `up`: the provider connection is live; `connecting`: starting; `down`: lost or refused; `stopped`: by the operator or disabled. */
  transport: Type.Union(CHANNEL_TRANSPORT_STATES.map((state) => Type.Literal(state))),
  /** Whether an inbound message can reach the agent right now; "connected but deaf" is `closed`. */
  inbound: Type.Union([Type.Literal("admitting"), Type.Literal("closed")]),
  inboundReason: Type.Optional(Type.String()),
  /** Stuck until the operator acts (logged out, replaced, failed for good): no retry will fix it. */
  terminal: Type.Boolean(),
  terminalSince: Type.Optional(NonNegativeInt),
  /** What is wrong and what to do, when something is. */
  problem: Type.Optional(Type.String()),
  lastErrorAt: Type.Optional(NonNegativeInt),
});
export type ChannelAccountHealth = Static<typeof ChannelAccountHealth>;

/** One account that needs attention, as the health snapshot's `channelHealth.problems` lists it. */
export const ChannelHealthProblem = openObject({
  channel: NonEmptyString,
  accountId: NonEmptyString,
  state: NonEmptyString,
  terminal: Type.Boolean(),
  problem: Type.String(),
});
export type ChannelHealthProblem = Static<typeof ChannelHealthProblem>;

/**
 * The channels' part of the overall health: `degraded` while any enabled account is down or
 * terminal. Shaped like the reference gateway's `modelRuntime` and `eventLoop` blocks, which
 * report `degraded` beside a top-level `ok` that keeps meaning "the gateway answers".
 */
export const ChannelHealthSummary = openObject({
  degraded: Type.Boolean(),
  problems: Type.Array(ChannelHealthProblem),
});
export type ChannelHealthSummary = Static<typeof ChannelHealthSummary>;
