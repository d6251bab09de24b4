import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startSignalFake, writeSignalCliScript } from "@openclaw/testing";
import { SignalAdapter, signalOptions } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function context(delivered: InboundMessage[], warnings: string[] = [], deliver?: (message: InboundMessage) => Promise<void>): ChannelStartContext {
  return {
    accountId: "default",
    deliver: deliver ?? (async (message) => void delivered.push(message)),
    logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    signal: new AbortController().signal,
  };
}

describe("signal-cli daemon", () => {
  it("field failure #8 (inbound lost across reconnects): resumes with Last-Event-ID after a dropped stream, the missed messages arrive exactly once", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const delivered: InboundMessage[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 300, maxMs: 600 } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context(delivered));
    fake.message({ from: "+15550002222", text: "one" });
    await waitFor("the first message", () => delivered[0]);
    fake.dropStreams();
    // Sent while the stream is down: the daemon keeps them and replays after Last-Event-ID.
    fake.message({ from: "+15550002222", text: "two" });
    fake.message({ from: "+15550003333", text: "three", groupId: "Z3JvdXA=" });
    await waitFor("the missed messages", () => delivered.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(delivered.map((message) => message.text)).toEqual(["one", "two", "three"]);
    expect(delivered[2]).toMatchObject({ chat: { kind: "group", id: "group:Z3JvdXA=" }, sender: { id: "+15550003333", name: "Fake Sender" } });
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("rejects and logs a malformed envelope without stopping the stream", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const delivered: InboundMessage[] = [];
    const warnings: string[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context(delivered, warnings));
    fake.malformed();
    fake.malformed(JSON.stringify({ account: fake.account }));
    fake.message({ from: "+15550004444", text: "fine" });
    await waitFor("the good message", () => delivered[0]);
    expect(adapter.rejectedEvents).toBe(2);
    expect(warnings.filter((warning) => warning === "rejected a malformed signal-cli event")).toHaveLength(2);
    expect(adapter.status().connected).toBe(true);
  });

  it("field failure #8: a message the gateway could not record is read again after reconnecting", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    let failOnce = true;
    const got: string[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 100, maxMs: 200 } });
    cleanups.push(() => adapter.stop());
    await adapter.start(
      context([], [], async (message) => {
        if (failOnce) {
          failOnce = false;
          throw new Error("disk full");
        }
        got.push(message.text);
      }),
    );
    fake.message({ from: "+15550005555", text: "again" });
    await waitFor("the message on the second read", () => got[0]);
    expect(got).toEqual(["again"]);
  });

  it("runs a managed daemon: spawn, health check, and no orphan after stop", async () => {
    const script = writeSignalCliScript();
    const delivered: InboundMessage[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: "+15550001111", transport: { cliPath: script, startupTimeoutMs: 10_000 } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context(delivered));
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true });
    const pid = (adapter as unknown as { daemon: { pid: number } }).daemon.pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await adapter.stop();
    await waitFor("the daemon to exit", () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });

  it("gives up with a clear error when the daemon never becomes healthy", async () => {
    const script = writeSignalCliScript({ neverHealthy: true });
    const adapter = new SignalAdapter({ accountId: "default", account: "+15550001111", transport: { cliPath: script, startupTimeoutMs: 800 } });
    cleanups.push(() => adapter.stop());
    await expect(adapter.start(context([]))).rejects.toThrow(/the signal-cli daemon did not become healthy within 800 ms/);
    expect(adapter.status()).toMatchObject({ state: "failed" });
  });

  it("config names the key", () => {
    const account = (config: Record<string, unknown>) => ({ accountId: "default", config, env: {}, stateDir: "." });
    expect(() => signalOptions(account({ transport: { url: "http://x" } }))).toThrow(/channels\.signal\.account: expected the Signal number in E\.164 form/);
    expect(() => signalOptions(account({ account: "+15551234567" }))).toThrow(/channels\.signal\.transport/);
    expect(signalOptions(account({ account: "+15551234567", transport: { cliPath: "signal-cli" } })).transport).toEqual({ cliPath: "signal-cli" });
  });
});

describe("self-echo", () => {
  it("field failure #13 (self-echo loops): sync copies of our own sends are dropped", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const delivered: InboundMessage[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context(delivered));
    fake.message({ from: "+15550006666", text: "we sent this", fromSelf: true });
    fake.message({ from: "+15550006666", text: "they sent this" });
    await waitFor("their message", () => delivered[0]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered.map((message) => message.text)).toEqual(["they sent this"]);
  });
});
