import { describe, expect, it } from "vitest";
import { GatewayRequestError } from "@openclaw/client";
import { CliError } from "./io.js";
import { failureLines } from "./output.js";

describe("failure output", () => {
  it("adds the reason and the fix from the gateway's error details when the message does not say them", () => {
    const refused = new GatewayRequestError("node.invoke", {
      code: "INVALID_REQUEST",
      message: "node command not allowed",
      details: { reason: "not-allowlisted", command: "camera.snap", remediationHint: "add it to gateway.nodes.commands.allow" },
    });
    expect(failureLines(new CliError(refused.message, 1, { cause: refused }))).toEqual([
      "node.invoke failed: node command not allowed",
      "reason: not-allowlisted",
      "fix: add it to gateway.nodes.commands.allow",
    ]);
  });

  it("says nothing twice, and prints a plain error as its message", () => {
    const said = new GatewayRequestError("node.invoke", {
      code: "INVALID_REQUEST",
      message: "node command not allowed: x is denied (reason denied); remove it from gateway.nodes.commands.deny",
      details: { reason: "denied", remediationHint: "remove it from gateway.nodes.commands.deny" },
    });
    expect(failureLines(said)).toHaveLength(1);
    expect(failureLines(new Error("gateway not reachable"))).toEqual(["gateway not reachable"]);
    expect(failureLines(new CliError("pairing required", 1, { cause: { details: { hint: "run openclaw devices approve r1" } } }))).toEqual([
      "pairing required",
      "fix: run openclaw devices approve r1",
    ]);
  });
});
