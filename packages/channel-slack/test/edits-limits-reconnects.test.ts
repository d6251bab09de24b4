import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { SlackAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const fake: SlackFake = await startSlackFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const errors: string[] = [];
  const adapter = new SlackAdapter({
    accountId: "default",
    botToken: fake.botToken,
    appToken: fake.appToken,
    apiUrl: fake.apiUrl,
    pingTimeoutMs: 300,
    reconnect: { initialMs: 20, maxMs: 40 },
  });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered, errors };
}

const send = (adapter: SlackAdapter, chatId: string, text: string) =>
  adapter.send({ channel: "slack", accountId: "default", chatId, text, idempotencyKey: text });

describe("edits and deletes", () => {
  it("message_changed and message_deleted are acknowledged, not handed over as new messages, and do not disturb the socket", async () => {
    const { fake, adapter, delivered, errors } = await setup();
    const { ts } = fake.message({ channel: "C10", user: "U10", text: "first version" });
    await waitFor("the message", () => delivered[0]);
    fake.editMessage({ channel: "C10", ts, user: "U10", text: "second version" });
    fake.deleteMessage({ channel: "C10", ts });
    fake.message({ channel: "C10", user: "U10", text: "after" });
    await waitFor("the later message", () => delivered.find((message) => message.text === "after"));
    // Every envelope is acknowledged, so Slack does not send the edit or delete again.
    await waitFor("four acks", () => fake.acks.length === 4);
    expect(delivered.map((message) => message.text)).toEqual(["first version", "after"]);
    expect(errors).toEqual([]);
    expect(adapter.status()).toMatchObject({ connected: true });
    expect(fake.connectionsOpened()).toBe(1);
  });

  it("edit() updates one of our messages in place with chat.update", async () => {
    const { fake, adapter } = await setup();
    const receipt = await send(adapter, "C11", "draft");
    await adapter.edit({ chatId: "C11", providerMessageId: receipt.providerMessageIds[0]! }, "final");
    expect(fake.updates).toEqual([{ channel: "C11", ts: receipt.providerMessageIds[0], text: "final" }]);
  });
});

describe("rate limits", () => {
  it("ratelimited 429 with Retry-After → rate_limited with the delay, and the next send to that channel waits", async () => {
    const { fake, adapter } = await setup();
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    await expect(send(adapter, "C12", "refused")).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 1000 });
    const refusedAt = fake.attempts[0]!.atMs;
    await send(adapter, "C12", "later");
    expect(fake.attempts[1]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
    expect(fake.sent.map((sent) => sent.text)).toEqual(["later"]);
  });
});

describe("reconnects", () => {
  it("a message Slack holds while the socket is down arrives once after the reconnect, over one new socket", async () => {
    const { fake, adapter, delivered } = await setup();
    fake.failConnectionOpens({ status: 503 });
    fake.dropConnection();
    await waitFor("no socket", () => fake.openConnections() === 0 && !adapter.status().connected);
    fake.message({ channel: "D13", user: "U13", text: "while away" });
    fake.failConnectionOpens(false);
    await waitFor("the held message", () => delivered[0]);
    fake.message({ channel: "D13", user: "U13", text: "after" });
    await waitFor("the next message", () => delivered[1]);
    expect(delivered.map((message) => message.text)).toEqual(["while away", "after"]);
    expect(fake.connectionsOpened()).toBe(2);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("repeated disconnect requests reconnect once each: connections stay bounded by the requests", async () => {
    const { fake, adapter, delivered } = await setup();
    for (let round = 1; round <= 3; round += 1) {
      fake.requestDisconnect();
      await waitFor(`reconnect ${round}`, () => fake.connectionsOpened() === round + 1 && fake.openConnections() === 1 && adapter.status().connected);
    }
    fake.message({ channel: "D14", user: "U14", text: "still heard" });
    await waitFor("the message", () => delivered[0]);
    expect(fake.connectionsOpened()).toBe(4);
    expect(fake.maxConcurrentConnections()).toBe(1);
    expect(delivered).toHaveLength(1);
  });
});
