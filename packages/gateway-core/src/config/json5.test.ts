import { describe, expect, it } from "vitest";
import { parseJson5 } from "./json5.js";

describe("parseJson5", () => {
  it("reads plain JSON and JSON5 alike", () => {
    expect(parseJson5('{"gateway":{"port":18789},"list":[1,-0,"a\\u0041"]}')).toEqual({ gateway: { port: 18789 }, list: [1, -0, "aA"] });
    expect(parseJson5("// a comment\n{ gateway: { port: 18789, }, list: [1, 'a', 0x10], }")).toEqual({ gateway: { port: 18789 }, list: [1, "a", 16] });
  });

  it("keeps a __proto__ key as an own property, as json5 does", () => {
    const parsed = parseJson5('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("throws json5's error, with line and column, for a document that is neither", () => {
    expect(() => parseJson5("{\n  port: ?\n}")).toThrow(/JSON5: invalid character '\?' at 2:9/);
  });
});
