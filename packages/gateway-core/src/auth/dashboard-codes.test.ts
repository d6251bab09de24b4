import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DashboardCodes, normalizeDashboardCode } from "./dashboard-codes.js";
import { hashToken } from "./secret-compare.js";

const TTL = 120_000;

describe("dashboard codes", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("issues 160-bit codes in groups of four, each different", () => {
    const codes = new DashboardCodes();
    const issued = new Set(Array.from({ length: 8 }, () => codes.issue().code));
    expect(issued.size).toBe(8);
    for (const code of issued) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    codes.close();
  });

  it("redeems a code once; the second try says it was used", () => {
    const codes = new DashboardCodes({ now: Date.now });
    const { code, expiresAtMs } = codes.issue();
    expect(expiresAtMs).toBe(Date.now() + TTL);
    expect(codes.redeem(code)).toBe("redeemed");
    expect(codes.redeem(code)).toBe("used");
    codes.close();
  });

  it("reads a code however it was typed: case, dashes, spaces, O for 0, I and L for 1", () => {
    const codes = new DashboardCodes();
    const { code } = codes.issue();
    const typed = ` ${code.replace(/-/g, " ").toLowerCase().replace(/0/g, "o").replace(/1/g, "l")} `;
    expect(normalizeDashboardCode(typed)).toBe(code.replace(/-/g, ""));
    expect(codes.redeem(typed)).toBe("redeemed");
    codes.close();
  });

  it("refuses a code after its lifetime, and forgets it one lifetime later", () => {
    const codes = new DashboardCodes({ now: Date.now });
    const { code } = codes.issue();
    vi.advanceTimersByTime(TTL - 1);
    const early = codes.issue().code;
    vi.advanceTimersByTime(1);
    expect(codes.redeem(code)).toBe("expired");
    expect(codes.redeem(early)).toBe("redeemed");
    vi.advanceTimersByTime(TTL);
    expect(codes.redeem(code)).toBe("unknown");
    expect(codes.size).toBe(1);
    codes.close();
  });

  it("refuses codes it never issued", () => {
    const codes = new DashboardCodes();
    const { code } = codes.issue();
    const other = code.slice(0, -1) + (code.endsWith("0") ? "1" : "0");
    expect(codes.redeem(other)).toBe("unknown");
    expect(codes.redeem("")).toBe("unknown");
    expect(codes.redeem(code)).toBe("redeemed");
    codes.close();
  });

  it("keeps only the SHA-256 of each code, never its text", () => {
    const codes = new DashboardCodes();
    const { code } = codes.issue();
    const kept = [...(codes as unknown as { records: Map<string, unknown> }).records.keys()];
    expect(kept).toEqual([hashToken(normalizeDashboardCode(code))]);
    expect(JSON.stringify(kept)).not.toContain(code.replace(/-/g, ""));
    codes.close();
  });

  it("keeps at most maxLive codes, forgetting the oldest", () => {
    const codes = new DashboardCodes({ maxLive: 2 });
    const first = codes.issue().code;
    const second = codes.issue().code;
    const third = codes.issue().code;
    expect(codes.size).toBe(2);
    expect(codes.redeem(first)).toBe("unknown");
    expect(codes.redeem(second)).toBe("redeemed");
    expect(codes.redeem(third)).toBe("redeemed");
    codes.close();
  });

  it("close forgets every code and leaves no timer behind", () => {
    const codes = new DashboardCodes();
    const { code } = codes.issue();
    codes.issue();
    expect(vi.getTimerCount()).toBe(2);
    codes.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(codes.size).toBe(0);
    expect(codes.redeem(code)).toBe("unknown");
  });
});
