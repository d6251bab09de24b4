import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startDiscordFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { DiscordAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const fake: DiscordFake = await startDiscordFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const errors: string[] = [];
  const adapter = new DiscordAdapter({ accountId: "default", token: fake.token, apiRoot: `${fake.url}/api`, reconnect: { initialMs: 20, maxMs: 40 } });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => errors.push(message) },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered, errors };
}

const send = (adapter: DiscordAdapter, chatId: string, text: string) =>
  adapter.send({ channel: "discord", accountId: "default", chatId, text, idempotencyKey: text });

describe("threads", () => {
  it("a message in a thread channel announced by THREAD_CREATE carries the thread; one in a plain channel does not", async () => {
    const { fake, delivered } = await setup();
    const { id: threadId } = fake.createThread({ parentId: "710", guildId: "910" });
    fake.message({ channelId: threadId, guildId: "910", authorId: "811", content: "in the thread" });
    fake.message({ channelId: "710", guildId: "910", authorId: "811", content: "in the channel" });
    await waitFor("both messages", () => delivered.length === 2);
    expect(delivered[0]).toMatchObject({ chat: { kind: "group", id: threadId }, thread: { id: threadId }, text: "in the thread" });
    expect(delivered[1]).toMatchObject({ chat: { kind: "group", id: "710" }, text: "in the channel" });
    expect(delivered[1]?.thread).toBeUndefined();
  });
});

describe("edits and deletes", () => {
  it("an edited or deleted message is not handed over again and does not disturb the connection", async () => {
    const { fake, adapter, delivered, errors } = await setup();
    const { id } = fake.message({ channelId: "720", guildId: "920", authorId: "821", content: "first version" });
    await waitFor("the message", () => delivered[0]);
    fake.editMessage(id, "second version");
    fake.deleteMessage(id);
    const dm = fake.message({ channelId: "721", authorId: "822", content: "in a DM" });
    fake.editMessage(dm.id, "edited DM");
    fake.deleteMessage(dm.id);
    fake.message({ channelId: "720", guildId: "920", authorId: "821", content: "after" });
    await waitFor("the later message", () => delivered.find((message) => message.text === "after"));
    expect(delivered.map((message) => message.text)).toEqual(["first version", "in a DM", "after"]);
    expect(errors).toEqual([]);
    expect(adapter.status()).toMatchObject({ connected: true });
    expect(fake.identifies()).toBe(1);
  });

  it("edit() changes one of our messages in place", async () => {
    const { fake, adapter } = await setup();
    const receipt = await send(adapter, "730", "draft");
    await adapter.edit({ chatId: "730", providerMessageId: receipt.providerMessageIds[0]! }, "final");
    expect(fake.edits).toEqual([{ channelId: "730", messageId: receipt.providerMessageIds[0], content: "final" }]);
  });
});

describe("rate limits", () => {
  it("429 → rate_limited with Discord's delay, and the next send to that channel waits", async () => {
    const { fake, adapter } = await setup();
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    const refused = (await send(adapter, "740", "refused").then(
      () => ({}),
      (error: unknown) => error,
    )) as { retryAfterMs?: number };
    // discord.js adds its small safety offset (50 ms by default) to Discord's delay.
    expect(refused).toMatchObject({ kind: "rate_limited", status: 429 });
    expect(refused.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(refused.retryAfterMs).toBeLessThan(1200);
    const refusedAt = fake.attempts[0]!.atMs;
    await send(adapter, "740", "later");
    expect(fake.attempts[1]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
    expect(fake.sent.map((sent) => sent.content)).toEqual(["later"]);
  });
});

describe("gateway close codes", () => {
  it("a resumable close (4000 unknown error) resumes the session: no new IDENTIFY, and a message sent meanwhile arrives once", async () => {
    const { fake, adapter, delivered } = await setup();
    fake.closeGateway(4000, "Unknown error");
    fake.message({ channelId: "750", authorId: "850", content: "while closed" });
    await waitFor("the missed message", () => delivered[0]);
    await waitFor("connected", () => adapter.status().connected);
    expect(fake.resumes()).toBe(1);
    expect(fake.identifies()).toBe(1);
    fake.message({ channelId: "750", authorId: "850", content: "after" });
    await waitFor("the next message", () => delivered[1]);
    expect(delivered.map((message) => message.text)).toEqual(["while closed", "after"]);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("4004 authentication failed stops the account for good with a status naming the token, and no new login", async () => {
    const { fake, adapter } = await setup();
    const logins = fake.gatewayBotTimes().length;
    fake.closeGateway(4004, "Authentication failed");
    await waitFor("the failed state", () => adapter.status().state === "failed");
    expect(adapter.status()).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(/terminal: Discord closed the gateway connection for good \(4004\); check the token/),
    });
    expect(fake.gatewayBotTimes()).toHaveLength(logins);
    expect(fake.openConnections()).toBe(0);
  });
});
