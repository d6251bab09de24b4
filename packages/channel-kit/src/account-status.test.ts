import { describe, expect, it } from "vitest";
import { AccountStatusTracker } from "./account-status.js";

describe("AccountStatusTracker", () => {
  it("reports only what is known, then what the connection did", () => {
    let now = 1_000;
    const tracker = new AccountStatusTracker("work", () => now);
    expect(tracker.status()).toEqual({ accountId: "work", state: "stopped", connected: false, reconnectAttempts: 0 });
    tracker.reconnecting(2, "ECONNRESET");
    expect(tracker.status()).toMatchObject({ state: "reconnecting", connected: false, reconnectAttempts: 2, lastError: "ECONNRESET" });
    now = 2_000;
    tracker.connected();
    tracker.inbound();
    expect(tracker.status()).toEqual({
      accountId: "work",
      state: "connected",
      connected: true,
      reconnectAttempts: 0,
      lastConnectedAt: 2_000,
      lastInboundAt: 2_000,
    });
  });

  it("keeps a terminal state and its reason through stop", () => {
    const tracker = new AccountStatusTracker("default");
    tracker.failed("logged out (401)", "logged_out");
    tracker.relinkNeeded = true;
    tracker.stopped(["failed", "logged_out"]);
    expect(tracker.status()).toMatchObject({ state: "logged_out", lastError: "logged out (401)", relinkNeeded: true });
    const plain = new AccountStatusTracker("default");
    plain.connected();
    plain.stopped();
    expect(plain.status().state).toBe("stopped");
  });

  it("lets an adapter override a computed field", () => {
    const tracker = new AccountStatusTracker("default");
    tracker.connected();
    expect(tracker.status({ connected: false, linked: true })).toMatchObject({ state: "connected", connected: false, linked: true });
  });
});
