import { GatewayClosedError, GatewayRequestError, GatewayTlsError } from "@openclaw/client";
import { describe, expect, it } from "vitest";
import { classifyConnectFailure } from "./connect-failure.js";

describe("classifyConnectFailure", () => {
  it("asks for a new token when the shared secret is refused", () => {
    const error = new GatewayRequestError("connect", {
      code: "INVALID_REQUEST",
      message: "unauthorized: gateway token mismatch",
      details: { code: "AUTH_TOKEN_MISMATCH" },
    });
    expect(classifyConnectFailure(error).kind).toBe("auth");
  });

  it("waits for approval on pairing required, with the request id", () => {
    const error = new GatewayRequestError("connect", {
      code: "NOT_PAIRED",
      message: "pairing required",
      details: { code: "PAIRING_REQUIRED", requestId: "req-1" },
    });
    expect(classifyConnectFailure(error)).toMatchObject({ kind: "pairing", requestId: "req-1" });
  });

  it("retries dropped sockets and starting gateways, and gives up on what cannot heal", () => {
    expect(classifyConnectFailure(new GatewayClosedError(1006, "gone")).kind).toBe("retry");
    expect(classifyConnectFailure(new Error("socket error")).kind).toBe("retry");
    const starting = new GatewayRequestError("connect", { code: "UNAVAILABLE", message: "gateway starting", retryable: true, retryAfterMs: 500 });
    expect(classifyConnectFailure(starting)).toMatchObject({ kind: "retry", retryAfterMs: 500 });
    const origin = new GatewayRequestError("connect", {
      code: "INVALID_REQUEST",
      message: "origin not allowed",
      details: { code: "CONTROL_UI_ORIGIN_NOT_ALLOWED" },
    });
    expect(classifyConnectFailure(origin).kind).toBe("fatal");
    expect(classifyConnectFailure(new GatewayTlsError("AA", "BB")).kind).toBe("fatal");
  });
});
