import { describe, expect, it } from "vitest";
import { MethodError, toErrorShape } from "./errors.js";

describe("toErrorShape", () => {
  it("keeps a domain error's text and a MethodError's shape", () => {
    expect(toErrorShape(new Error("node n is not connected"))).toEqual({ code: "UNAVAILABLE", message: "node n is not connected" });
    expect(toErrorShape(MethodError.invalidRequest("bad key"))).toEqual({ code: "INVALID_REQUEST", message: "bad key" });
  });

  it("never sends an engine error's text, such as a stack overflow, to a client", () => {
    for (const error of [new RangeError("Maximum call stack size exceeded"), new TypeError("Cannot read properties of undefined (reading 'x')")]) {
      expect(toErrorShape(error)).toEqual({ code: "UNAVAILABLE", message: "internal error (see the gateway log)" });
    }
  });
});
