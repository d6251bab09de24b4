import { describe, expect, it } from "vitest";
import { auditDmPolicy, evaluateDmPolicy, type DmPolicyConfig } from "./dm-policy.js";
import { normalizeSenderId } from "./sender-id.js";

const evaluate = (policy: DmPolicyConfig, senderId = "alice", approvedSenders: string[] = []) =>
  evaluateDmPolicy({ channel: "telegram", senderId, policy, approvedSenders });

describe("evaluateDmPolicy", () => {
  it("defaults to pairing: unknown senders pair, listed and approved senders are allowed", () => {
    expect(evaluate({})).toEqual({ action: "pair" });
    expect(evaluate({ allowFrom: ["alice"] })).toEqual({ action: "allow" });
    expect(evaluate({}, "bob", ["bob"])).toEqual({ action: "allow" });
  });

  it('does not let "*" skip pairing (issue #136082)', () => {
    expect(evaluate({ mode: "pairing", allowFrom: ["*"] })).toEqual({ action: "pair" });
  });

  it("allowlist allows listed senders, denies the rest and never pairs", () => {
    expect(evaluate({ mode: "allowlist", allowFrom: ["@Alice"] })).toEqual({ action: "allow" });
    expect(evaluate({ mode: "allowlist", allowFrom: ["carol"] })).toEqual({ action: "deny", reason: "not-allowlisted" });
  });

  it("allowlist ignores the pairing store", () => {
    expect(evaluate({ mode: "allowlist", allowFrom: ["carol"] }, "bob", ["bob"])).toEqual({ action: "deny", reason: "not-allowlisted" });
  });

  it("fails closed on an empty allowlist, including one holding only blanks or a wildcard", () => {
    for (const allowFrom of [[], ["  "], ["*"], undefined]) {
      expect(evaluate({ mode: "allowlist", allowFrom })).toEqual({ action: "deny", reason: "empty-allow-list" });
    }
  });

  it("fails closed on a list that is not a list of strings", () => {
    for (const allowFrom of ["alice", { alice: true }, [1], [null], ["alice", 2]]) {
      for (const mode of ["pairing", "allowlist", "open"]) {
        expect(evaluate({ mode, allowFrom })).toEqual({ action: "deny", reason: "invalid-allow-list" });
      }
    }
  });

  it("fails closed on an unknown mode", () => {
    for (const mode of ["Open", "public", "", 1, null, true]) {
      expect(evaluate({ mode, allowFrom: ["*", "alice"] })).toEqual({ action: "deny", reason: "unknown-mode" });
    }
  });

  it('open needs "*"', () => {
    expect(evaluate({ mode: "open", allowFrom: ["*"] }, "anyone")).toEqual({ action: "allow" });
    expect(evaluate({ mode: "open", allowFrom: ["alice"] })).toEqual({ action: "deny", reason: "open-without-wildcard" });
    expect(evaluate({ mode: "open" })).toEqual({ action: "deny", reason: "open-without-wildcard" });
  });

  it("disabled denies everyone, listed or not", () => {
    expect(evaluate({ mode: "disabled", allowFrom: ["alice", "*"] })).toEqual({ action: "deny", reason: "dm-disabled" });
  });

  it("denies an empty or wildcard sender id instead of matching it", () => {
    expect(evaluate({ allowFrom: ["alice"] }, "  ")).toEqual({ action: "deny", reason: "invalid-sender" });
    expect(evaluate({ mode: "allowlist", allowFrom: ["*", "alice"] }, "*")).toEqual({ action: "deny", reason: "invalid-sender" });
  });

  it("normalizes case, leading @ and leading +", () => {
    expect(evaluate({ mode: "allowlist", allowFrom: ["+15551234567"] }, "15551234567")).toEqual({ action: "allow" });
    expect(evaluate({ mode: "allowlist", allowFrom: ["@BobSmith"] }, "bobsmith")).toEqual({ action: "allow" });
    expect(normalizeSenderId("slack", " U012ABC ")).toBe("u012abc");
  });

  it("matches a WhatsApp sender's JID with the phone number an operator wrote, and nothing looser", () => {
    const whatsapp = (allowFrom: string[], senderId: string) => evaluateDmPolicy({ channel: "whatsapp", senderId, policy: { mode: "allowlist", allowFrom } });
    expect(whatsapp(["+15551234567"], "15551234567@s.whatsapp.net")).toEqual({ action: "allow" });
    expect(whatsapp(["15551234567"], "15551234567:12@s.whatsapp.net")).toEqual({ action: "allow" });
    expect(whatsapp(["15551234567@s.whatsapp.net"], "15551234567@s.whatsapp.net")).toEqual({ action: "allow" });
    expect(whatsapp(["+15551234567"], "15551234568@s.whatsapp.net")).toEqual({ action: "deny", reason: "not-allowlisted" });
    // A linked id (@lid) or a group is not a phone number: it only matches itself.
    expect(whatsapp(["+15551234567"], "15551234567@lid")).toEqual({ action: "deny", reason: "not-allowlisted" });
    expect(whatsapp(["+15551234567"], "15551234567@g.us")).toEqual({ action: "deny", reason: "not-allowlisted" });
  });

  it("accepts a channel-specific normalizer", () => {
    const normalize = (raw: string) => raw.replace(/@s\.whatsapp\.net$/, "").replace(/^\+/, "");
    expect(
      evaluateDmPolicy({ channel: "whatsapp", senderId: "15551234567@s.whatsapp.net", policy: { mode: "allowlist", allowFrom: ["+15551234567"] }, normalize }),
    ).toEqual({ action: "allow" });
  });
});

describe("auditDmPolicy", () => {
  it("warns about the settings that surprise operators", () => {
    expect(auditDmPolicy({ allowFrom: ["*"] })[0]).toMatch(/"\*" is ignored/);
    expect(auditDmPolicy({ mode: "open" })[0]).toMatch(/needs "\*"/);
    expect(auditDmPolicy({ mode: "allowlist", allowFrom: [] })[0]).toMatch(/denies every DM/);
    expect(auditDmPolicy({ mode: "everyone" })[0]).toMatch(/unknown mode/);
    expect(auditDmPolicy({ mode: "allowlist", allowFrom: ["alice"] })).toEqual([]);
  });
});
