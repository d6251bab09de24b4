import { describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { renderFailure } from "./output.js";

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
