import { describe, expect, it } from "vitest";
import { GatewayClosedError, GatewayProtocolError, GatewayRequestError, GatewayTimeoutError, GatewayTlsError } from "./errors.js";
import { DEFAULT_RECONNECT_POLICY, backoffDelay, isTerminalFailure, reconnectDelay } from "./reconnect.js";

const policy = { ...DEFAULT_RECONNECT_POLICY, jitter: 0 };

describe("backoffDelay", () => {
  it("grows by the factor from initialMs and stops at maxMs", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, policy, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1000, policy, () => 0.5)).toBe(30000);
  });

  it("spreads by ±jitter around the base, never above maxMs", () => {
    const jittered = { ...DEFAULT_RECONNECT_POLICY, jitter: 0.2 };
    expect(backoffDelay(2, jittered, () => 0)).toBe(1600);
    expect(backoffDelay(2, jittered, () => 0.5)).toBe(2000);
    expect(backoffDelay(2, jittered, () => 0.999999)).toBe(2400);
    expect(backoffDelay(20, jittered, () => 0.999999)).toBe(30000);
    expect(backoffDelay(20, jittered, () => 0)).toBe(24000);
  });

  it("is pure: the same inputs give the same delay", () => {
    const random = () => 0.3;
    expect(backoffDelay(3, DEFAULT_RECONNECT_POLICY, random)).toBe(backoffDelay(3, DEFAULT_RECONNECT_POLICY, random));
  });
});

const refused = (error: ConstructorParameters<typeof GatewayRequestError>[1]) => new GatewayRequestError("connect", error);

describe("reconnectDelay", () => {
  it("honours retryAfterMs of UNAVAILABLE, clamped to 100..2000", () => {
    const starting = (retryAfterMs: number) => refused({ code: "UNAVAILABLE", message: "gateway starting; retry shortly", retryable: true, retryAfterMs });
    expect(reconnectDelay(5, policy, starting(500), () => 0.5)).toBe(500);
    expect(reconnectDelay(5, policy, starting(10), () => 0.5)).toBe(100);
    expect(reconnectDelay(5, policy, starting(60_000), () => 0.5)).toBe(2000);
  });

  it("stretches backoff to another retryAfterMs, up to maxMs", () => {
    const limited = refused({
      code: "INVALID_REQUEST",
      message: "unauthorized: too many failed authentication attempts (retry later)",
      retryable: true,
      retryAfterMs: 300_000,
    });
    expect(reconnectDelay(1, policy, limited, () => 0.5)).toBe(30000);
    expect(reconnectDelay(1, policy, new GatewayClosedError(1012, "service restart"), () => 0.5)).toBe(1000);
  });
});

describe("isTerminalFailure", () => {
  it("stops on auth, pairing and protocol refusals", () => {
    const auth = (code: string, recommendedNextStep: string) =>
      refused({ code: "INVALID_REQUEST", message: "unauthorized", details: { code, recommendedNextStep } });
    expect(isTerminalFailure(auth("AUTH_TOKEN_MISMATCH", "update_auth_credentials"))).toBe(true);
    expect(isTerminalFailure(auth("AUTH_TOKEN_NOT_CONFIGURED", "review_auth_configuration"))).toBe(true);
    expect(isTerminalFailure(refused({ code: "NOT_PAIRED", message: "pairing required", details: { code: "PAIRING_REQUIRED", pauseReconnect: true } }))).toBe(
      true,
    );
    expect(isTerminalFailure(refused({ code: "INVALID_REQUEST", message: "protocol mismatch", details: { code: "PROTOCOL_MISMATCH" } }))).toBe(true);
    expect(isTerminalFailure(new GatewayTlsError("AA", "BB"))).toBe(true);
    expect(isTerminalFailure(new GatewayProtocolError("invalid hello-ok"))).toBe(true);
  });

  it("retries transport failures and what the gateway says is temporary", () => {
    expect(isTerminalFailure(new GatewayClosedError(1012, "service restart"))).toBe(false);
    expect(isTerminalFailure(new GatewayClosedError(4000, "tick timeout"))).toBe(false);
    expect(isTerminalFailure(new GatewayTimeoutError("connect", 15_000))).toBe(false);
    expect(isTerminalFailure(refused({ code: "UNAVAILABLE", message: "gateway starting; retry shortly", retryable: true, retryAfterMs: 500 }))).toBe(false);
    expect(
      isTerminalFailure(
        refused({
          code: "INVALID_REQUEST",
          message: "unauthorized",
          retryable: true,
          retryAfterMs: 5,
          details: { code: "AUTH_RATE_LIMITED", recommendedNextStep: "wait_then_retry" },
        }),
      ),
    ).toBe(false);
    expect(isTerminalFailure(new Error("ECONNREFUSED"))).toBe(false);
  });
});
