import { describe, expect, it } from "vitest";
import { GatewayRequestError } from "@openclaw/client";
import { CliError } from "./errors.js";
import { failureLines, renderFailure } from "./output.js";

describe("renderFailure: how a failed command is reported", () => {
  const refusal = new CliError("node.invoke failed: node command not allowed (reason: not-approved)", 1, {
    code: "INVALID_REQUEST",
    details: { reason: "not-approved", command: "system.notify" },
  });

  it("with --json, prints {ok:false,error:{code,message,details}} on stdout and nothing on stderr", () => {
    const failure = renderFailure(refusal, { json: true, verbose: false });
    expect(JSON.parse(failure.stdout)).toEqual({
      ok: false,
      error: {
        code: "INVALID_REQUEST",
        message: "node.invoke failed: node command not allowed (reason: not-approved)",
        details: { reason: "not-approved", command: "system.notify" },
      },
    });
    expect(failure.stderr).toBe("");
    expect(failure.exitCode).toBe(1);
  });

  it("with --json, an unexpected error still has a code and keeps its exit status non-zero", () => {
    const failure = renderFailure(new TypeError("boom"), { json: true, verbose: false });
    expect(JSON.parse(failure.stdout)).toEqual({ ok: false, error: { code: "INTERNAL_ERROR", message: "boom" } });
    expect(failure.exitCode).toBe(1);
  });

  it("without --json, prints one line on stderr; --verbose adds the stack and the cause", () => {
    expect(renderFailure(refusal, { json: false, verbose: false })).toEqual({
      stdout: "",
      stderr: "openclaw: node.invoke failed: node command not allowed (reason: not-approved)\n",
      exitCode: 1,
    });
    const withCause = new CliError("outer", 2, { cause: new Error("inner") });
    const verbose = renderFailure(withCause, { json: false, verbose: true });
    expect(verbose.stderr).toMatch(/^openclaw: outer\nCliError: outer\n/);
    expect(verbose.stderr).toContain("caused by: Error: inner");
    expect(verbose.exitCode).toBe(2);
  });
});

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
