import { describe, expect, it } from "vitest";
import { AccountStatusTracker } from "./account-status.js";
import { TerminalConnectionError } from "./errors.js";
import type { SupervisedConnection } from "./reconnect-supervisor.js";
import { superviseConnection, type SupervisedConnectContext } from "./supervised-start.js";

function connection(): SupervisedConnection & { drop(error?: unknown): void } {
  let settle!: (error?: unknown) => void;
  const closed = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
  closed.catch(() => undefined);
  return { closed, close: async () => settle(), drop: (error) => settle(error) };
}

const fast = { backoff: { initialDelayMs: 5, maxDelayMs: 10, minDelayMs: 1 }, maxRestartsPerHour: 5 };

describe("superviseConnection", () => {
  it("resolves start on the first healthy connection and maps a drop to reconnecting", async () => {
    const tracker = new AccountStatusTracker("default");
    const opened: ReturnType<typeof connection>[] = [];
    const states: string[] = [];
    const run = superviseConnection({
      label: "fake socket",
      tracker,
      policy: fast,
      connect: async ({ reportHealthy }: SupervisedConnectContext) => {
        const live = connection();
        opened.push(live);
        tracker.connected();
        reportHealthy();
        return live;
      },
    });
    run.supervisor.onStatus((status) => states.push(status.state));
    await run.started();
    expect(tracker.status()).toMatchObject({ state: "connected", connected: true });
    opened[0]!.drop(new Error("socket reset"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(states).toContain("backing-off");
    expect(tracker.reconnectAttempts).toBeGreaterThanOrEqual(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened).toHaveLength(2);
    expect(tracker.status().state).toBe("connected");
    await run.supervisor.stop();
  });

  it("rejects start when the first connection can never work, with the state the adapter asks for", async () => {
    const tracker = new AccountStatusTracker("default");
    const run = superviseConnection({
      label: "fake socket",
      tracker,
      policy: fast,
      failedState: () => "unregistered",
      connect: async () => {
        throw new TerminalConnectionError("not registered");
      },
    });
    await expect(run.started()).rejects.toThrow(/terminal: not registered/);
    expect(tracker.status()).toMatchObject({ state: "unregistered", lastError: "terminal: not registered" });
    await run.supervisor.stop();
  });

  it("returns after the timeout with the account still connecting, and on settleStart without health", async () => {
    const tracker = new AccountStatusTracker("default");
    const slow = superviseConnection({
      label: "slow",
      tracker,
      policy: fast,
      firstConnectionTimeoutMs: 30,
      connect: () => new Promise<SupervisedConnection>(() => undefined),
    });
    const started = Date.now();
    await slow.started();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    void slow.supervisor.stop();

    const qr = superviseConnection({
      label: "qr",
      tracker,
      policy: fast,
      connect: async ({ settleStart }) => {
        settleStart();
        return connection();
      },
    });
    await qr.started();
    await qr.supervisor.stop();
  });
});
