import type { InboundMessage } from "./adapter.js";
import { normalizeSenderId } from "./sender-id.js";

export const GROUP_POLICY_MODES = ["disabled", "allowlist", "open"] as const;
export type GroupPolicyMode = (typeof GROUP_POLICY_MODES)[number];

export type GroupDenyReason = "groups-disabled" | "unknown-mode" | "invalid-allow-list" | "empty-allow-list" | "not-allowlisted";

export type GroupDecision = { readonly action: "allow" } | { readonly action: "deny"; readonly reason: GroupDenyReason };

/** Group access as configured; `unknown` because it comes from user config and must fail closed. */
export interface GroupPolicyConfig {
  /** @default "allowlist" */
  readonly mode?: unknown;
  /** Group/chat ids whose every member may talk to the bot. */
  readonly groups?: unknown;
  /** Sender ids allowed in any group. */
  readonly allowFrom?: unknown;
}

export interface GroupPolicyInput {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
  readonly policy: GroupPolicyConfig;
}

function isGroupPolicyMode(value: unknown): value is GroupPolicyMode {
  return typeof value === "string" && (GROUP_POLICY_MODES as readonly string[]).includes(value);
}

function readList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === "string")) return undefined;
  return value.map((entry) => entry.trim()).filter((entry) => entry !== "" && entry !== "*");
}

/**
 * Decide whether a group message may reach the agent. Missing config means `allowlist` with
 * nothing listed, so a new group is denied until an operator lists it. DM pairing approvals
 * never grant group access.
 */
export function evaluateGroupPolicy(input: GroupPolicyInput): GroupDecision {
  const mode = input.policy.mode === undefined ? "allowlist" : input.policy.mode;
  if (!isGroupPolicyMode(mode)) return { action: "deny", reason: "unknown-mode" };
  if (mode === "disabled") return { action: "deny", reason: "groups-disabled" };
  if (mode === "open") return { action: "allow" };
  const groups = readList(input.policy.groups);
  const senders = readList(input.policy.allowFrom);
  if (groups === undefined || senders === undefined) return { action: "deny", reason: "invalid-allow-list" };
  if (groups.length === 0 && senders.length === 0) return { action: "deny", reason: "empty-allow-list" };
  if (groups.includes(input.chatId.trim())) return { action: "allow" };
  const sender = normalizeSenderId(input.channel, input.senderId);
  if (sender !== "" && senders.some((entry) => normalizeSenderId(input.channel, entry) === sender)) return { action: "allow" };
  return { action: "deny", reason: "not-allowlisted" };
}

/** Who the bot is on this account, for recognising mentions. */
export interface BotIdentity {
  readonly id: string;
  readonly username?: string;
}

export interface MentionGateOptions {
  /** Drop unmentioned group messages. @default true */
  readonly requireMention?: boolean;
  /** A reply to one of the bot's messages counts as a mention. @default true */
  readonly replyToBotCounts?: boolean;
}

export interface MentionDecision {
  readonly wasMentioned: boolean;
  /** True when the message must not reach the agent (it may still be kept as history). */
  readonly skip: boolean;
}

/** Mention gating for group and channel messages; DMs are never gated. */
export function resolveMentionGate(message: InboundMessage, bot: BotIdentity, options: MentionGateOptions = {}): MentionDecision {
  const requireMention = options.requireMention ?? true;
  const replyToBotCounts = options.replyToBotCounts ?? true;
  const normalize = (raw: string) => normalizeSenderId(message.channel, raw);
  const names = new Set(
    [bot.id, bot.username]
      .filter((name): name is string => name !== undefined)
      .map(normalize)
      .filter((name) => name !== ""),
  );
  const mentioned = message.mentions.some((mention) => names.has(normalize(mention)));
  const repliedToBot = replyToBotCounts && message.replyTo?.senderId !== undefined && normalize(message.replyTo.senderId) === normalize(bot.id);
  const wasMentioned = mentioned || repliedToBot;
  if (message.chat.kind === "dm") return { wasMentioned, skip: false };
  return { wasMentioned, skip: requireMention && !wasMentioned };
}
