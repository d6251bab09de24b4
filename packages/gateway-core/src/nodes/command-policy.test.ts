import { describe, expect, it } from "vitest";
import { approvalScopes, decideCommand, invocableCommands, remediationHint, reviewSurface, type CommandPolicyInput } from "./command-policy.js";

const linuxNode = (overrides: Partial<CommandPolicyInput> = {}): CommandPolicyInput => ({
  declared: ["garden.moisture", "location.get", "system.notify", "camera.snap", "system.which", "fs.listDir"],
  caps: [],
  platform: "linux",
  approved: undefined,
  allow: [],
  deny: [],
  ...overrides,
});

describe("node command policy", () => {
  it("refuses every declared command until the surface is approved, and never runs an undeclared one", () => {
    const input = linuxNode();
    expect(decideCommand(input, "system.notify")).toEqual({ allowed: false, reason: "not-approved" });
    expect(decideCommand(input, "garden.moisture")).toEqual({ allowed: false, reason: "not-approved" });
    expect(decideCommand(linuxNode({ approved: input.declared }), "garden.water")).toEqual({ allowed: false, reason: "not-declared" });
  });

  it("approving the declared surface opens custom and approval-gated commands with no allow entry", () => {
    const approved = linuxNode({ approved: linuxNode().declared });
    expect(decideCommand(approved, "garden.moisture")).toEqual({ allowed: true, via: "approved" });
    expect(decideCommand(approved, "location.get")).toEqual({ allowed: true, via: "approved" });
    expect(decideCommand(approved, "system.notify")).toEqual({ allowed: true, via: "platform-default" });
    expect(decideCommand(approved, "system.which")).toEqual({ allowed: true, via: "approved" });
  });

  it("keeps the commands the protocol wants explicitly allowed closed after approval, until allowlisted", () => {
    const approved = linuxNode({ approved: linuxNode().declared });
    expect(decideCommand(approved, "camera.snap")).toEqual({ allowed: false, reason: "not-allowlisted" });
    expect(decideCommand(approved, "fs.listDir")).toEqual({ allowed: false, reason: "not-allowlisted" });
    expect(decideCommand({ ...approved, allow: ["camera.snap"] }, "camera.snap")).toEqual({ allowed: true, via: "allowlisted" });
  });

  it("deny wins over approval, platform defaults and allow", () => {
    const approved = linuxNode({ approved: linuxNode().declared, allow: ["garden.moisture", "system.notify"], deny: ["garden.moisture", "system.notify"] });
    expect(decideCommand(approved, "garden.moisture")).toEqual({ allowed: false, reason: "denied" });
    expect(decideCommand(approved, "system.notify")).toEqual({ allowed: false, reason: "denied" });
  });

  it("a command declared after the last approval waits for the next one, while platform defaults keep working", () => {
    const widened = linuxNode({ approved: ["system.notify"] });
    expect(decideCommand(widened, "garden.moisture")).toEqual({ allowed: false, reason: "not-approved" });
    expect(decideCommand(widened, "system.notify")).toEqual({ allowed: true, via: "platform-default" });
    expect(invocableCommands(widened)).toEqual(["system.notify"]);
  });

  it("reviews a surface before approval: what it opens, and what stays refused with the fix", () => {
    const review = reviewSurface({ ...linuxNode(), deny: ["location.get"] }, "node-1");
    expect(review.approved).toEqual(["garden.moisture", "system.notify", "system.which"]);
    expect(review.withheld).toEqual([
      { command: "location.get", reason: "denied", remediationHint: "remove it from gateway.nodes.commands.deny (config.patch applies it without a restart)" },
      {
        command: "camera.snap",
        reason: "not-allowlisted",
        remediationHint: "add it to gateway.nodes.commands.allow (config.patch applies it without a restart)",
      },
      {
        command: "fs.listDir",
        reason: "not-allowlisted",
        remediationHint: "add it to gateway.nodes.commands.allow (config.patch applies it without a restart)",
      },
    ]);
  });

  it("each refusal's hint names the exact command or config key that lifts it", () => {
    expect(remediationHint("not-approved", "garden.moisture", "abc", false)).toBe("approve it with: openclaw nodes approve abc");
    expect(remediationHint("not-allowlisted", "camera.snap", "abc", false)).toBe(
      "add it to gateway.nodes.commands.allow (config.patch applies it without a restart), and approve the node: openclaw nodes approve abc",
    );
    expect(remediationHint("not-declared", "garden.water", "abc", true)).toContain("the node must list garden.water in its commands");
  });

  it("approving needs operator.write for any command and operator.admin for an admin command", () => {
    expect(approvalScopes([])).toEqual([]);
    expect(approvalScopes(["garden.moisture"])).toEqual(["operator.write"]);
    expect(approvalScopes(["garden.moisture", "system.run"])).toEqual(["operator.write", "operator.admin"]);
  });
});
