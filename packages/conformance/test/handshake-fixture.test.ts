import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allChecks } from "../src/index.js";
import { HANDSHAKE_ERRORS_FIXTURE } from "../src/handshake-fixture.js";
import { fixtureCheckId, parseHandshakeFixture } from "../src/checks/handshake-fixture.js";

describe("the shipped handshake-errors fixture", () => {
  it("is the repository's fixture, verbatim", () => {
    const original = readFileSync(new URL("../../../fixtures/openclaw-2026.9.6/handshake-errors.txt", import.meta.url), "utf8");
    expect(HANDSHAKE_ERRORS_FIXTURE).toBe(original);
  });

  it("has 21 cases, each a check with a unique id", () => {
    const cases = parseHandshakeFixture(HANDSHAKE_ERRORS_FIXTURE);
    expect(cases).toHaveLength(21);
    const ids = allChecks().map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const testCase of cases) expect(ids).toContain(fixtureCheckId(testCase.name));
    expect(ids).toContain("handshake.error.after.unknown-method");
  });
});
