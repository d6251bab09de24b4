import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprintsEqual, formatFingerprint, normalizeFingerprint } from "./fingerprint.js";

const digest = createHash("sha256").update("certificate").digest();
const canonical = formatFingerprint(digest);
const plainLower = digest.toString("hex");

describe("normalizeFingerprint", () => {
  it("produces Node's uppercase colon form", () => {
    expect(canonical).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(normalizeFingerprint(canonical)).toBe(canonical);
  });

  it("accepts plain hex and colon pairs in any case, with surrounding whitespace", () => {
    expect(normalizeFingerprint(plainLower)).toBe(canonical);
    expect(normalizeFingerprint(plainLower.toUpperCase())).toBe(canonical);
    expect(normalizeFingerprint(canonical.toLowerCase())).toBe(canonical);
    expect(normalizeFingerprint(`  ${canonical}\n`)).toBe(canonical);
  });

  it("rejects anything that is not a SHA-256 fingerprint, saying what was expected", () => {
    for (const bad of ["", plainLower.slice(2), `${plainLower}00`, `zz${plainLower.slice(2)}`, canonical.replace(":", ""), `${canonical}:`]) {
      expect(() => normalizeFingerprint(bad)).toThrow(/expected a SHA-256 fingerprint/);
    }
    // A SHA-1 fingerprint is the wrong digest, not a shorter spelling.
    expect(() => normalizeFingerprint(createHash("sha1").update("x").digest("hex"))).toThrow(RangeError);
  });
});

describe("fingerprintsEqual", () => {
  it("matches the same digest across spellings", () => {
    expect(fingerprintsEqual(canonical, plainLower)).toBe(true);
    expect(fingerprintsEqual(canonical.toLowerCase(), plainLower.toUpperCase())).toBe(true);
  });

  it("tells a different digest apart, even by one byte", () => {
    const lastByteFlipped = Buffer.from(digest);
    lastByteFlipped[31] = (lastByteFlipped[31] ?? 0) ^ 1;
    expect(fingerprintsEqual(canonical, formatFingerprint(lastByteFlipped))).toBe(false);
  });

  it("never matches a malformed pin", () => {
    expect(fingerprintsEqual(canonical, "")).toBe(false);
    expect(fingerprintsEqual("not hex", "not hex")).toBe(false);
    expect(fingerprintsEqual(canonical, canonical.slice(0, 20))).toBe(false);
  });
});
