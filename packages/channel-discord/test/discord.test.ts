import { afterEach, describe, expect, it } from "vitest";
import { chunkText, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startDiscordFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { DiscordAdapter, discordChannel, discordOptions } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { maxResumeAttempts?: number; reconnect?: { initialMs?: number; maxMs?: number; maxRestartsPerHour?: number } } = {}) {
  const fake: DiscordFake = await startDiscordFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const logs: string[] = [];
  const adapter = new DiscordAdapter({ accountId: "default", token: fake.token, apiRoot: `${fake.url}/api`, ...options });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug: () => undefined, info: () => undefined, warn: (message) => logs.push(message), error: (message) => logs.push(message) },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered, logs };
}

describe("gateway connection", () => {
  it("a dropped connection resumes and the missed messages are handed over once", async () => {
    const { fake, adapter, delivered } = await setup();
    fake.message({ channelId: "500", authorId: "600", content: "before" });
    await waitFor("the first message", () => delivered[0]);
    fake.dropConnection();
    fake.message({ channelId: "500", authorId: "600", content: "while away" });
    await waitFor("the missed message after RESUME", () => delivered[1]);
    expect(delivered.map((message) => message.text)).toEqual(["before", "while away"]);
    expect(fake.resumes()).toBe(1);
    expect(fake.identifies()).toBe(1);
    expect(fake.maxConcurrentConnections()).toBe(1);
    await waitFor("connected again", () => adapter.status().connected);
  });

  it("resume is bounded: after repeated invalid sessions it identifies afresh and messages flow", async () => {
    const { fake, adapter, delivered } = await setup({ maxResumeAttempts: 2 });
    fake.invalidateNextResumes(100);
    fake.dropConnection();
    await waitFor("a fresh IDENTIFY", () => fake.identifies() >= 2, 30_000);
    expect(fake.resumes()).toBeLessThanOrEqual(2);
    await waitFor("connected after identifying", () => adapter.status().connected, 15_000);
    fake.message({ channelId: "501", authorId: "601", content: "after identify" });
    await waitFor("a message on the new session", () => delivered.find((message) => message.text === "after identify"));
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("abrupt closes never crash the process or leave two connections", async () => {
    const { fake, adapter } = await setup();
    for (let round = 0; round < 3; round += 1) {
      const before = fake.connectionsOpened();
      fake.dropConnection();
      await waitFor("a reconnect", () => fake.connectionsOpened() === before + 1 && fake.openConnections() === 1 && adapter.status().connected);
    }
    expect(fake.connectionsOpened()).toBe(4);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });
});

describe("messages", () => {
  it("maps DMs, guild messages, mentions and replies; drops our own messages", async () => {
    const { fake, delivered } = await setup();
    fake.message({ channelId: "700", authorId: "800", content: "dm text" });
    fake.message({
      channelId: "701",
      guildId: "900",
      authorId: "801",
      content: "<@bot> hi",
      mentions: [fake.botId],
      replyTo: { messageId: "123", authorId: fake.botId },
    });
    fake.message({ channelId: "700", authorId: fake.botId, content: "ours", bot: true });
    await waitFor("two messages", () => delivered.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered).toHaveLength(2);
    expect(delivered[0]).toMatchObject({ chat: { kind: "dm", id: "700" }, sender: { id: "800" }, text: "dm text" });
    expect(delivered[1]).toMatchObject({ chat: { kind: "group", id: "701" }, mentions: [fake.botId], replyTo: { messageId: "123", senderId: fake.botId } });
  });

  it("classifies send failures: 403 permanent, 429 rate limited with the delay, 5xx transient", async () => {
    const { fake, adapter } = await setup();
    const send = (text: string) => adapter.send({ channel: "discord", accountId: "default", chatId: "702", text, idempotencyKey: text });
    fake.failSends({ status: 403 });
    await expect(send("a")).rejects.toMatchObject({ kind: "permanent", status: 403 });
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    await expect(send("b")).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: expect.any(Number) });
    fake.failSends({ status: 502 });
    await expect(send("c")).rejects.toMatchObject({ kind: "transient", status: 502 });
    expect((await send("d")).providerMessageIds).toHaveLength(1);
  });

  it("a reply is cut to 2000 characters and 17 lines per message", () => {
    const lines = Array.from({ length: 40 }, (_, index) => `line ${index}`).join("\n");
    const chunks = chunkText(lines, { limit: discordChannel.textChunkLimit, maxLines: discordChannel.maxLinesPerMessage! });
    expect(chunks.length).toBe(3);
    for (const chunk of chunks) expect(chunk.trimEnd().split("\n").length).toBeLessThanOrEqual(17);
  });
});

describe("config", () => {
  it("names the key for a missing token, and takes DISCORD_BOT_TOKEN only for the default account", () => {
    const account = (config: Record<string, unknown>, accountId = "default") => ({ accountId, config, env: { DISCORD_BOT_TOKEN: "env-token" }, stateDir: "." });
    expect(discordOptions(account({}), () => "").token).toBe("env-token");
    expect(() => discordOptions(account({}, "work"), () => "")).toThrow(/channels\.discord\.accounts\.work\.token/);
    expect(() => discordOptions(account({ token: "x", maxResumeAttempts: 0 }), () => "")).toThrow(/maxResumeAttempts: expected an integer >= 1/);
  });

  it("refuses a token the fake rejects, with a clear error", async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const adapter = new DiscordAdapter({ accountId: "default", token: "wrong", apiRoot: `${fake.url}/api` });
    cleanups.push(() => adapter.stop());
    const context: ChannelStartContext = {
      accountId: "default",
      deliver: async () => undefined,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      signal: new AbortController().signal,
    };
    await expect(adapter.start(context)).rejects.toThrow(/token was refused/);
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false });
  });
});

describe("fresh clients go through the reconnect supervisor", () => {
  it("after the resume bound, fresh clients are bounded by the hourly restart budget and spaced by backoff, then the account says why it stopped", async () => {
    // initialMs and maxMs under the backoff floor (100 ms) make the jittered delay exactly the ceiling: 40, 80, 80 ms.
    const { fake, adapter } = await setup({ maxResumeAttempts: 1, reconnect: { initialMs: 40, maxMs: 80, maxRestartsPerHour: 3 } });
    const before = fake.gatewayBotTimes().length;
    fake.refuseGatewayConnections(true);
    fake.failGatewayBot(503);
    fake.dropConnection();
    await waitFor("the failed state", () => adapter.status().state === "failed", 30_000);
    // One login per fresh client: three restarts, and the fourth failure found the budget spent.
    const times = fake.gatewayBotTimes().slice(before);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(78);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(78);
    expect(adapter.status()).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(/^restart budget exhausted: 3 restarts in the last hour \(last error: Discord login failed: /),
    });
    expect(fake.openConnections()).toBe(0);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("a fresh client after the resume bound identifies afresh and messages flow", async () => {
    const { fake, adapter, delivered } = await setup({ maxResumeAttempts: 1, reconnect: { initialMs: 20, maxMs: 40 } });
    fake.refuseGatewayConnections(true);
    fake.dropConnection();
    await waitFor("the client replaced", () => adapter.status().state === "reconnecting" && adapter.status().lastError?.includes("without resuming"), 15_000);
    fake.refuseGatewayConnections(false);
    await waitFor("connected again", () => adapter.status().connected, 15_000);
    expect(fake.identifies()).toBe(2);
    fake.message({ channelId: "502", authorId: "602", content: "after a fresh client" });
    await waitFor("a message on the fresh client", () => delivered.find((message) => message.text === "after a fresh client"));
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("a close Discord marks unrecoverable (disallowed intents) stops the account for good, with no fresh client", async () => {
    const { fake, adapter } = await setup({ reconnect: { initialMs: 20, maxMs: 40 } });
    const logins = fake.gatewayBotTimes().length;
    fake.closeGateway(4014, "Disallowed intent(s)");
    await waitFor("the failed state", () => adapter.status().state === "failed");
    expect(adapter.status().lastError).toMatch(/terminal: Discord closed the gateway connection for good \(4014\); check the token and intents/);
    await adapter.stop();
    expect(fake.gatewayBotTimes()).toHaveLength(logins);
  });
});
