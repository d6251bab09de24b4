import { describe, expect, it } from "vitest";
import { AccountRuntime } from "./account-runtime.js";
import { AlreadyRunningError, ChannelSendError, TerminalConnectionError } from "./errors.js";
import type { SupervisedConnection } from "./reconnect-supervisor.js";

function connection(): SupervisedConnection & { closes: number } {
  let settle!: () => void;
  const closed = new Promise<void>((resolve) => (settle = resolve));
  const live = {
    closed,
    closes: 0,
    close: async () => {
      live.closes += 1;
      settle();
    },
  };
  return live;
}

const fast = { initialMs: 5, maxMs: 10, maxRestartsPerHour: 5 };

describe("AccountRuntime", () => {
  it("refuses a second start until the account ended, then starts again with a fresh gate", async () => {
    const runtime = new AccountRuntime({ channel: "fake", accountId: "work" });
    runtime.begin();
    expect(runtime.status()).toMatchObject({ accountId: "work", state: "starting" });
    expect(() => runtime.begin()).toThrow(AlreadyRunningError);
    expect(() => runtime.begin()).toThrow("fake account work is already running");
    await runtime.end();
    await expect(runtime.gate.run("chat", async () => "sent")).rejects.toThrow("fake account work is stopping");
    runtime.begin();
    await expect(runtime.gate.run("chat", async () => "sent")).resolves.toBe("sent");
    await runtime.end();
  });

  it("supervises the connection with the account's tracker and closes it on stopConnection", async () => {
    const runtime = new AccountRuntime({ channel: "fake", accountId: "default" });
    const opened: ReturnType<typeof connection>[] = [];
    runtime.begin();
    await runtime.supervise({
      label: "fake socket",
      reconnect: fast,
      connect: async ({ reportHealthy }) => {
        const live = connection();
        opened.push(live);
        runtime.tracker.connected();
        reportHealthy();
        return live;
      },
    });
    expect(runtime.supervised).toBe(true);
    expect(runtime.status()).toMatchObject({ state: "connected", connected: true });
    await runtime.stopConnection();
    await runtime.stopConnection();
    expect(opened.map((live) => live.closes)).toEqual([1]);
    expect(runtime.supervised).toBe(false);
    await runtime.end();
    expect(runtime.status().state).toBe("stopped");
  });

  it("rejects the start when the first connection can never work, and keeps the failed state after end", async () => {
    const runtime = new AccountRuntime({ channel: "fake", accountId: "default" });
    runtime.begin();
    const started = runtime.supervise({
      label: "fake socket",
      reconnect: fast,
      connect: async () => {
        throw new TerminalConnectionError("token refused");
      },
    });
    await expect(started).rejects.toThrow(/token refused/);
    await runtime.stopConnection();
    await runtime.end();
    expect(runtime.status()).toMatchObject({ state: "failed", lastError: expect.stringContaining("token refused") });
  });

  it("waits for calls in flight before it ends", async () => {
    const runtime = new AccountRuntime({ channel: "fake", accountId: "default" });
    runtime.begin();
    let release!: () => void;
    const call = runtime.gate.run("chat", () => new Promise<string>((resolve) => (release = () => resolve("sent"))));
    await new Promise((resolve) => setTimeout(resolve, 5));
    let ended = false;
    const ending = runtime.end().then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ended).toBe(false);
    release();
    await ending;
    await expect(call).resolves.toBe("sent");
  });

  it("names the account in the transient failure of a call made while it is not running", () => {
    const failure = new AccountRuntime({ channel: "fake", accountId: "work" }).notRunning();
    expect(failure).toBeInstanceOf(ChannelSendError);
    expect(failure).toMatchObject({ kind: "transient", message: "fake account work is not running" });
  });
});
