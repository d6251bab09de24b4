import { describe, expect, it } from "vitest";
import { computeNextRunAtMs, parseAtMs, scheduleProblem } from "../src/cron/schedule.js";

const at = (iso: string) => Date.parse(iso);
const context = (nowIso: string) => ({ nowMs: at(nowIso), createdAtMs: at("2025-01-01T00:00:00Z"), jobId: "job-1" });

describe("computeNextRunAtMs", () => {
  it("reads a cron expression in its time zone, across daylight saving", () => {
    const schedule = { kind: "cron" as const, expr: "0 9 * * *", tz: "America/New_York" };
    // 09:00 in New York is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
    expect(computeNextRunAtMs(schedule, context("2025-01-15T12:00:00Z"))).toBe(at("2025-01-15T14:00:00Z"));
    expect(computeNextRunAtMs(schedule, context("2025-07-15T12:00:00Z"))).toBe(at("2025-07-15T13:00:00Z"));
    // Already past 09:00 local: tomorrow.
    expect(computeNextRunAtMs(schedule, context("2025-01-15T15:00:00Z"))).toBe(at("2025-01-16T14:00:00Z"));
  });

  it("handles zones with half-hour offsets and defaults to the host zone without tz", () => {
    expect(computeNextRunAtMs({ kind: "cron", expr: "30 8 * * 1", tz: "Asia/Kolkata" }, context("2025-03-05T00:00:00Z"))).toBe(at("2025-03-10T03:00:00Z"));
    const local = computeNextRunAtMs({ kind: "cron", expr: "0 0 1 1 *" }, context("2025-06-01T00:00:00Z"));
    expect(local).toBe(new Date(2026, 0, 1).getTime());
  });

  it("is strictly after now, even exactly on a slot", () => {
    expect(computeNextRunAtMs({ kind: "cron", expr: "0 * * * *", tz: "UTC" }, context("2025-01-15T12:00:00Z"))).toBe(at("2025-01-15T13:00:00Z"));
    expect(computeNextRunAtMs({ kind: "every", everyMs: 60_000, anchorMs: at("2025-01-15T12:00:00Z") }, context("2025-01-15T12:00:00Z"))).toBe(
      at("2025-01-15T12:01:00Z"),
    );
  });

  it("counts `every` from the anchor (or creation), skipping missed slots", () => {
    const anchorMs = at("2025-01-15T12:00:00Z");
    expect(computeNextRunAtMs({ kind: "every", everyMs: 60_000, anchorMs }, context("2025-01-15T11:00:00Z"))).toBe(anchorMs);
    expect(computeNextRunAtMs({ kind: "every", everyMs: 60_000, anchorMs }, context("2025-01-15T12:10:30Z"))).toBe(at("2025-01-15T12:11:00Z"));
    expect(computeNextRunAtMs({ kind: "every", everyMs: 3_600_000 }, context("2025-01-01T05:30:00Z"))).toBe(at("2025-01-01T06:00:00Z"));
  });

  it("spreads a staggered expression by a stable per-job offset below staggerMs", () => {
    const schedule = { kind: "cron" as const, expr: "0 * * * *", tz: "UTC", staggerMs: 60_000 };
    const first = computeNextRunAtMs(schedule, context("2025-01-15T12:05:00Z"))!;
    const offset = first - at("2025-01-15T13:00:00Z");
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(60_000);
    expect(computeNextRunAtMs(schedule, context("2025-01-15T12:05:00Z"))).toBe(first);
    // Just before its staggered slot, the same slot is still next; on it, the next hour's.
    expect(computeNextRunAtMs(schedule, { ...context("2025-01-15T12:05:00Z"), nowMs: first - 1 })).toBe(first);
    expect(computeNextRunAtMs(schedule, { ...context("2025-01-15T12:05:00Z"), nowMs: first })).toBe(first + 3_600_000);
  });

  it("returns an `at` time as is, past or not", () => {
    expect(computeNextRunAtMs({ kind: "at", at: "2025-02-01T10:00:00+01:00" }, context("2025-03-01T00:00:00Z"))).toBe(at("2025-02-01T09:00:00Z"));
  });
});

describe("parseAtMs", () => {
  it("accepts epoch milliseconds, digit strings and ISO 8601", () => {
    expect(parseAtMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(parseAtMs("1700000000000")).toBe(1_700_000_000_000);
    expect(parseAtMs("2025-01-15T12:00:00Z")).toBe(at("2025-01-15T12:00:00Z"));
    expect(parseAtMs("tomorrow-ish")).toBeUndefined();
  });
});

describe("scheduleProblem", () => {
  const nowMs = at("2025-01-15T12:00:00Z");

  it("names the field and what to do", () => {
    expect(scheduleProblem({ kind: "cron", expr: "61 * * * *" }, nowMs)).toMatch(/^schedule\.expr: invalid cron expression "61 \* \* \* \*" \(.*minute.*\)$/);
    expect(scheduleProblem({ kind: "cron", expr: "* * *" }, nowMs)).toMatch(/^schedule\.expr: invalid cron expression/);
    expect(scheduleProblem({ kind: "cron", expr: "0 9 * * *", tz: "Mars/Olympus" }, nowMs)).toBe(
      'schedule.tz: unknown time zone "Mars/Olympus"; use an IANA name such as "Europe/Berlin"',
    );
    expect(scheduleProblem({ kind: "cron", expr: "0 0 30 2 *" }, nowMs)).toBe('schedule.expr: "0 0 30 2 *" never fires after now');
    expect(scheduleProblem({ kind: "at", at: "2025-01-15T11:59:59Z" }, nowMs)).toBe("schedule.at: 2025-01-15T11:59:59.000Z is in the past; give a future time");
    expect(scheduleProblem({ kind: "at", at: "soon" }, nowMs)).toBe('schedule.at: expected epoch milliseconds or an ISO 8601 time, got "soon"');
  });

  it("accepts valid schedules", () => {
    expect(scheduleProblem({ kind: "cron", expr: "*/5 * * * *", tz: "Europe/Berlin" }, nowMs)).toBeUndefined();
    expect(scheduleProblem({ kind: "at", at: nowMs + 1 }, nowMs)).toBeUndefined();
    expect(scheduleProblem({ kind: "every", everyMs: 1 }, nowMs)).toBeUndefined();
  });
});
