import { describe, expect, it } from "vitest";
import {
  ConfigError,
  GatewayError,
  InvalidCronJobError,
  InvalidInputError,
  MethodError,
  NodeCommandError,
  NotFoundError,
  UnknownCronJobError,
  toErrorShape,
} from "./errors.js";

describe("toErrorShape", () => {
  it("maps gateway errors through one table, keeping message and details", () => {
    expect(toErrorShape(new InvalidInputError("bad key", { details: { key: "x" } }))).toEqual({
      code: "INVALID_REQUEST",
      message: "bad key",
      details: { key: "x" },
    });
    expect(toErrorShape(new NotFoundError("unknown node: n"))).toEqual({ code: "INVALID_REQUEST", message: "unknown node: n" });
    expect(toErrorShape(new NodeCommandError("node disconnected", { details: { nodeError: { code: "DISCONNECTED" } } }))).toMatchObject({
      code: "UNAVAILABLE",
      details: { nodeError: { code: "DISCONNECTED" } },
    });
    expect(toErrorShape(new UnknownCronJobError("j1"))).toEqual({ code: "INVALID_REQUEST", message: "unknown cron job: j1" });
    expect(toErrorShape(new InvalidCronJobError("bad schedule"))).toEqual({ code: "INVALID_REQUEST", message: "bad schedule" });
    expect(toErrorShape(new ConfigError("gateway.port: expected integer", [{ path: "gateway.port", message: "expected integer" }]))).toEqual({
      code: "INVALID_REQUEST",
      message: "gateway.port: expected integer",
      details: { issues: [{ path: "gateway.port", message: "expected integer" }] },
    });
  });

  it("gives every gateway error a stable code, its class name and the cause", () => {
    const cause = new Error("disk full");
    const error = new InvalidInputError("could not write", { cause });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", name: "InvalidInputError", cause });
  });

  it("sends a MethodError's wire shape as it is, and keeps other errors' text as UNAVAILABLE", () => {
    expect(toErrorShape(new MethodError({ code: "AGENT_RESULT_NOT_FOUND", message: "gone" }))).toEqual({ code: "AGENT_RESULT_NOT_FOUND", message: "gone" });
    expect(toErrorShape(new Error("node n is not connected"))).toEqual({ code: "UNAVAILABLE", message: "node n is not connected" });
  });

  it("never sends an engine error's text, such as a stack overflow, to a client", () => {
    for (const error of [new RangeError("Maximum call stack size exceeded"), new TypeError("Cannot read properties of undefined (reading 'x')")]) {
      expect(toErrorShape(error)).toEqual({ code: "UNAVAILABLE", message: "internal error (see the gateway log)" });
    }
  });
});
