import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./http.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  const headers = (init: Record<string, string>) => new Headers(init);

  it("reads seconds, fractional seconds and HTTP dates", () => {
    expect(parseRetryAfter(headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(parseRetryAfter(headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(30_000);
    // A date in the past means "now".
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0);
  });

  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter(headers({ "retry-after": "2", "retry-after-ms": "120" }), now)).toBe(120);
  });

  it("ignores missing and malformed values", () => {
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "-3" }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after-ms": "x", "retry-after": "1" }), now)).toBe(1000);
  });
});
