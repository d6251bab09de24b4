import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SupervisorFailedError, TerminalConnectionError } from "./errors.js";
import { ReconnectSupervisor, type ConnectContext, type SupervisedConnection, type SupervisorStatus } from "./reconnect-supervisor.js";

/** A controllable fake connection; `live` counts connections that are open right now. */
class FakeProvider {
  live = 0;
  maxLive = 0;
  opened = 0;
  contexts: ConnectContext[] = [];
  connections: { drop(error?: unknown): void; closeCalls: number }[] = [];
  failNext = 0;

  connect = async (context: ConnectContext): Promise<SupervisedConnection> => {
    this.contexts.push(context);
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error("ECONNREFUSED");
    }
    this.opened += 1;
    this.live += 1;
    this.maxLive = Math.max(this.maxLive, this.live);
    let settle!: (error?: unknown) => void;
    let open = true;
    const closed = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        if (!open) return;
        open = false;
        this.live -= 1;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    closed.catch(() => undefined);
    const handle = { drop: (error?: unknown) => settle(error), closeCalls: 0 };
    this.connections.push(handle);
    return {
      closed,
      close: async () => {
        handle.closeCalls += 1;
        await Promise.resolve();
        settle();
      },
    };
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe("ReconnectSupervisor", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(options: Partial<ConstructorParameters<typeof ReconnectSupervisor>[0]> = {}) {
    const provider = new FakeProvider();
    const statuses: SupervisorStatus[] = [];
    const supervisor = new ReconnectSupervisor({ connect: provider.connect, random: () => 1, healthyAfterMs: 10_000, ...options });
    supervisor.onStatus((status) => statuses.push(status));
    return { provider, supervisor, statuses };
  }

  it("connects and reports typed status", async () => {
    const { provider, supervisor, statuses } = setup();
    await supervisor.start();
    await flush();
    expect(provider.live).toBe(1);
    expect(supervisor.status).toEqual({ state: "connected", attempt: 0, healthy: false });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(supervisor.status).toEqual({ state: "connected", attempt: 0, healthy: true });
    await supervisor.stop();
    expect(statuses.map((status) => status.state)).toEqual(["connecting", "connected", "connected", "stopped"]);
  });

  it("reconnects with growing delays when a connection flaps, instead of storming", async () => {
    const { provider, supervisor } = setup({ maxRestartsPerHour: 100 });
    await supervisor.start();
    const delays: number[] = [];
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") delays.push(status.delayMs);
    });
    for (let flap = 0; flap < 6; flap += 1) {
      await flush();
      provider.connections.at(-1)?.drop(new Error("socket hang up"));
      await flush();
      // Drop again well before the connection could prove healthy.
      await vi.advanceTimersByTimeAsync(supervisor.status.state === "backing-off" ? supervisor.status.delayMs : 0);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(provider.maxLive).toBe(1);
    await supervisor.stop();
  });

  it("does not reconnect before the backoff delay has passed", async () => {
    const { provider, supervisor } = setup();
    await supervisor.start();
    await flush();
    provider.connections[0]?.drop(new Error("reset"));
    await flush();
    expect(supervisor.status).toMatchObject({ state: "backing-off", attempt: 1, delayMs: 1_000, lastError: "reset" });
    await vi.advanceTimersByTimeAsync(999);
    expect(provider.opened).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(provider.opened).toBe(2);
    await supervisor.stop();
  });

  it("resets the attempt counter only after a connection proved healthy", async () => {
    const { provider, supervisor } = setup();
    await supervisor.start();
    await flush();
    provider.connections[0]?.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    // Connected again but not yet healthy: a drop keeps growing the delay.
    expect(supervisor.status).toMatchObject({ state: "connected", attempt: 1 });
    provider.connections[1]?.drop();
    await flush();
    expect(supervisor.status).toMatchObject({ state: "backing-off", attempt: 2, delayMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(supervisor.status).toMatchObject({ state: "connected", healthy: true });
    provider.connections[2]?.drop();
    await flush();
    expect(supervisor.status).toMatchObject({ state: "backing-off", attempt: 1, delayMs: 1_000 });
    await supervisor.stop();
  });

  it("treats reportHealthy() as proof of health, and ignores late reports from ended attempts", async () => {
    const { provider, supervisor } = setup();
    await supervisor.start();
    await flush();
    provider.connections[0]?.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    provider.contexts[1]?.reportHealthy();
    expect(supervisor.status).toEqual({ state: "connected", attempt: 1, healthy: true });
    provider.connections[1]?.drop();
    await flush();
    expect(supervisor.status).toMatchObject({ state: "backing-off", attempt: 1 });
    provider.contexts[1]?.reportHealthy();
    expect(supervisor.status).toMatchObject({ state: "backing-off", attempt: 1 });
    await supervisor.stop();
  });

  it("fails when the hourly restart budget is spent, and stays failed until reset()", async () => {
    const { provider, supervisor } = setup({ maxRestartsPerHour: 3 });
    provider.failNext = 100;
    await supervisor.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(provider.contexts).toHaveLength(4);
    expect(supervisor.status.state).toBe("failed");
    expect(supervisor.status).toMatchObject({
      reason: expect.stringMatching(/restart budget exhausted: 3 restarts in the last hour \(last error: ECONNREFUSED\)/),
    });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(provider.contexts).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
    await expect(supervisor.start()).rejects.toBeInstanceOf(SupervisorFailedError);
    await supervisor.reset();
    expect(supervisor.status).toEqual({ state: "idle" });
    provider.failNext = 0;
    await supervisor.start();
    await flush();
    expect(supervisor.status.state).toBe("connected");
    await supervisor.stop();
  });

  it("does not refill the budget on healthy connections, only as the hour rolls", async () => {
    const { provider, supervisor } = setup({ maxRestartsPerHour: 2, healthyAfterMs: 1 });
    await supervisor.start();
    for (let i = 0; i < 2; i += 1) {
      await vi.advanceTimersByTimeAsync(5);
      provider.connections.at(-1)?.drop();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(supervisor.restartsInLastHour).toBe(2);
    await vi.advanceTimersByTimeAsync(5);
    provider.connections.at(-1)?.drop();
    await flush();
    expect(supervisor.status.state).toBe("failed");
  });

  it("fails at once on a terminal error", async () => {
    const { provider, supervisor } = setup();
    await supervisor.start();
    await flush();
    provider.connections[0]?.drop(new TerminalConnectionError("logged out (401); relink the account"));
    await flush();
    expect(supervisor.status).toEqual({ state: "failed", reason: "terminal: logged out (401); relink the account" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never has two live connections: start() while connected stops and awaits the old one", async () => {
    const { provider, supervisor } = setup();
    await Promise.all([supervisor.start(), supervisor.start(), supervisor.start()]);
    await flush();
    await supervisor.start();
    await flush();
    // Each start replaced the previous connection; none overlapped.
    expect(provider.opened).toBe(4);
    expect(provider.maxLive).toBe(1);
    expect(provider.connections.slice(0, 3).map((connection) => connection.closeCalls)).toEqual([1, 1, 1]);
    await supervisor.stop();
    expect(provider.live).toBe(0);
  });

  it("closes a connection that finishes opening after stop()", async () => {
    let finish!: (connection: SupervisedConnection) => void;
    let closed = false;
    const supervisor = new ReconnectSupervisor({
      connect: () => new Promise<SupervisedConnection>((resolve) => (finish = resolve)),
    });
    await supervisor.start();
    const stopping = supervisor.stop();
    await flush();
    finish({ closed: new Promise(() => {}), close: async () => void (closed = true) });
    await stopping;
    expect(closed).toBe(true);
    expect(supervisor.status).toEqual({ state: "stopped" });
  });

  it("stop() clears every timer and awaits the live connection's close", async () => {
    const { provider, supervisor } = setup();
    await supervisor.start();
    await flush();
    expect(vi.getTimerCount()).toBe(1); // healthy timer
    await supervisor.stop();
    expect(provider.live).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    await supervisor.start();
    await flush();
    provider.connections.at(-1)?.drop(new Error("gone"));
    await flush();
    expect(supervisor.status.state).toBe("backing-off");
    expect(vi.getTimerCount()).toBe(1); // backoff timer
    await supervisor.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(supervisor.status).toEqual({ state: "stopped" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(provider.opened).toBe(2);
  });
});
