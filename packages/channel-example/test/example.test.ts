import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startExampleFake, waitFor, type ExampleFake } from "@openclaw/testing";
import { ExampleAdapter, exampleChannel, exampleOptions } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(token?: string): Promise<{ fake: ExampleFake; adapter: ExampleAdapter; context: ChannelStartContext; delivered: InboundMessage[] }> {
  const fake = await startExampleFake();
  cleanups.push(() => fake.close());
  const adapter = new ExampleAdapter({
    accountId: "default",
    token: token ?? fake.token,
    apiUrl: fake.url,
    pollTimeoutMs: 300,
    reconnect: { initialMs: 50, maxMs: 200 },
  });
  cleanups.push(() => adapter.stop());
  const delivered: InboundMessage[] = [];
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    signal: new AbortController().signal,
  };
  return { fake, adapter, context, delivered };
}

describe("example adapter", () => {
  it("reports a refused token at start with the key to fix, and the failed state", async () => {
    const { adapter, context } = await setup("wrong");
    await expect(adapter.start(context)).rejects.toMatchObject({ code: "CHANNEL_PROVIDER_AUTH", message: "the token was refused (401); check token" });
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false, lastError: "the token was refused (401); check token" });
  });

  it("reports reconnecting with the error after the provider drops the poll, then connected again", async () => {
    const { fake, adapter, context, delivered } = await setup();
    await adapter.start(context);
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true, reconnectAttempts: 0 });
    fake.failPolls(true);
    fake.dropPolls();
    await waitFor("the reconnecting state", () => adapter.status().state === "reconnecting");
    expect(adapter.status()).toMatchObject({ connected: false, lastError: "poll answered 502" });
    expect(adapter.status().reconnectAttempts).toBeGreaterThanOrEqual(1);
    fake.failPolls(false);
    fake.inject({ chatId: "c1", senderId: "u1", text: "after the drop" });
    await waitFor("the message after reconnecting", () => delivered.length === 1);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
  });

  it("config: the schema names the full key path; the token may come from the environment", () => {
    const account = (config: Record<string, unknown>, accountId = "default") => ({ accountId, config, env: { EXAMPLE_TOKEN: "from-env" }, stateDir: "." });
    expect(exampleOptions(account({ apiUrl: "http://x" })).token).toBe("from-env");
    expect(() => exampleOptions(account({ apiUrl: "http://x" }, "work"))).toThrow(
      "option channels.example.accounts.work.token: expected an API token (or EXAMPLE_TOKEN for the default account), got undefined",
    );
    expect(() => exampleOptions(account({ token: "t", apiUrl: "ftp://x" }))).toThrow('option channels.example.apiUrl: expected an http(s) URL, got "ftp://x"');
    expect(() => exampleOptions(account({ token: "t", apiUrl: "http://x", reconnect: { maxMs: -1 } }))).toThrow(
      "option channels.example.reconnect.maxMs: expected milliseconds > 0, got -1",
    );
    expect(exampleChannel.configKeys).toEqual(["token", "apiUrl", "pollTimeoutMs", "reconnect"]);
  });
});
