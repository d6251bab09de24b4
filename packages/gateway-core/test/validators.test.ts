import { describe, expect, it } from "vitest";
import { METHODS } from "@openclaw/protocol";
import { ValidatorSet } from "../src/dispatch/validators.js";

describe("validator set", () => {
  it("compiles every method's params schema in strict mode, checked against the meta-schema, once", () => {
    const validators = new ValidatorSet({ checkSchemas: true });
    expect(validators.compileAll()).toBe(Object.keys(METHODS).length);
    expect(validators.paramsOf("health")).toBe(validators.paramsOf("health"));
    expect(validators.paramsOf("health")?.({})).toBeUndefined();
    expect(validators.paramsOf("health")?.({ nope: 1 })).toMatch(/unexpected property/);
  });

  it("knows no method outside the registry, inherited keys included", () => {
    const validators = new ValidatorSet();
    expect(validators.paramsOf("no.such")).toBeUndefined();
    expect(validators.paramsOf("constructor")).toBeUndefined();
    expect(validators.paramsOf("__proto__")).toBeUndefined();
  });

  it("compiles the frame and connect validators on first use, then answers the same", () => {
    const validators = new ValidatorSet();
    const frame = { type: "req", id: "1", method: "health" };
    expect(validators.requestFrame(frame)).toBeUndefined();
    expect(validators.requestFrame({ ...frame, type: "nope" })).toBeDefined();
    expect(validators.requestFrame(frame)).toBeUndefined();
    expect(validators.cancelFrame({ type: "cancel" })).toBeDefined();
    expect(validators.connectParams({})).toMatch(/minProtocol|required/);
    expect(validators.connectParams({})).toBe(validators.connectParams({}));
  });
});
