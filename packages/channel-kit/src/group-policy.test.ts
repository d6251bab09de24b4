import { describe, expect, it } from "vitest";
import type { InboundMessage } from "./adapter.js";
import { evaluateGroupPolicy, resolveMentionGate, type GroupPolicyConfig } from "./group-policy.js";

const evaluate = (policy: GroupPolicyConfig, chatId = "g1", senderId = "alice") => evaluateGroupPolicy({ channel: "slack", chatId, senderId, policy });

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: "telegram",
    accountId: "default",
    chat: { kind: "group", id: "g1" },
    sender: { id: "42" },
    text: "hello",
    mentions: [],
    providerMessageId: "m1",
    timestamp: 0,
    ...overrides,
  };
}

describe("evaluateGroupPolicy", () => {
  it("defaults to an empty allowlist, which denies", () => {
    expect(evaluate({})).toEqual({ action: "deny", reason: "empty-allow-list" });
  });

  it("allows listed groups and listed senders", () => {
    expect(evaluate({ groups: ["g1"] })).toEqual({ action: "allow" });
    expect(evaluate({ allowFrom: ["@ALICE"] }, "g9")).toEqual({ action: "allow" });
    expect(evaluate({ groups: ["g2"], allowFrom: ["bob"] })).toEqual({ action: "deny", reason: "not-allowlisted" });
  });

  it("does not treat * as a wildcard in allowlist mode", () => {
    expect(evaluate({ groups: ["*"] })).toEqual({ action: "deny", reason: "empty-allow-list" });
  });

  it("fails closed on invalid lists and unknown modes", () => {
    expect(evaluate({ groups: "g1" })).toEqual({ action: "deny", reason: "invalid-allow-list" });
    expect(evaluate({ mode: "all", groups: ["g1"] })).toEqual({ action: "deny", reason: "unknown-mode" });
  });

  it("open allows and disabled denies", () => {
    expect(evaluate({ mode: "open" })).toEqual({ action: "allow" });
    expect(evaluate({ mode: "disabled", groups: ["g1"] })).toEqual({ action: "deny", reason: "groups-disabled" });
  });
});

describe("resolveMentionGate", () => {
  const bot = { id: "999", username: "ClawBot" };

  it("skips unmentioned group messages by default", () => {
    expect(resolveMentionGate(message(), bot)).toEqual({ wasMentioned: false, skip: true });
  });

  it("counts a mention of the bot id or username, in any case and with @", () => {
    expect(resolveMentionGate(message({ mentions: ["999"] }), bot)).toEqual({ wasMentioned: true, skip: false });
    expect(resolveMentionGate(message({ mentions: ["@clawbot"] }), bot)).toEqual({ wasMentioned: true, skip: false });
    expect(resolveMentionGate(message({ mentions: ["@someone"] }), bot).skip).toBe(true);
  });

  it("counts a reply to the bot as a mention unless turned off", () => {
    const reply = message({ replyTo: { messageId: "m0", senderId: "999" } });
    expect(resolveMentionGate(reply, bot)).toEqual({ wasMentioned: true, skip: false });
    expect(resolveMentionGate(reply, bot, { replyToBotCounts: false }).skip).toBe(true);
    expect(resolveMentionGate(message({ replyTo: { messageId: "m0", senderId: "7" } }), bot).skip).toBe(true);
  });

  it("lets everything through when mentions are not required, and never gates DMs", () => {
    expect(resolveMentionGate(message(), bot, { requireMention: false })).toEqual({ wasMentioned: false, skip: false });
    expect(resolveMentionGate(message({ chat: { kind: "dm", id: "42" } }), bot).skip).toBe(false);
  });
});
