import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { SlackAdapter, slackOptions, type SlackAdapterOptions } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Partial<SlackAdapterOptions> = {}, deliver?: (message: InboundMessage) => Promise<void>) {
  const fake: SlackFake = await startSlackFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const adapter = new SlackAdapter({
    accountId: "default",
    botToken: fake.botToken,
    appToken: fake.appToken,
    apiUrl: fake.apiUrl,
    pingTimeoutMs: 300,
    ...overrides,
  });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: deliver ?? (async (message) => void delivered.push(message)),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered };
}

describe("socket mode", () => {
  it("acknowledges an envelope only after the gateway recorded it; a failed record stays unacked and is redelivered", async () => {
    let release: (() => void) | undefined;
    let attempt = 0;
    const recorded: string[] = [];
    const { fake } = await setup({}, async (message) => {
      attempt += 1;
      if (attempt === 1) throw new Error("disk full");
      if (attempt === 2) await new Promise<void>((resolve) => (release = resolve));
      recorded.push(message.text);
    });
    const { ts } = fake.message({ channel: "D1", user: "U1", text: "durable" });
    await waitFor("the first (failed) attempt", () => attempt === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.acks).toEqual([]);
    fake.redeliver(ts);
    await waitFor("the second attempt", () => release);
    expect(fake.acks).toEqual([]);
    release!();
    await waitFor("the ack", () => fake.acks.length === 1);
    expect(recorded).toEqual(["durable"]);
  });

  it("after a disconnect request or a dropped socket there is exactly one live socket and events flow", async () => {
    const { fake, adapter, delivered } = await setup();
    fake.requestDisconnect();
    await waitFor("a new socket", () => fake.connectionsOpened() === 2 && fake.openConnections() === 1);
    fake.dropConnection();
    await waitFor("another socket", () => fake.connectionsOpened() === 3 && fake.openConnections() === 1);
    fake.message({ channel: "D2", user: "U2", text: "still here" });
    await waitFor("the message", () => delivered[0]);
    expect(fake.maxConcurrentConnections()).toBe(1);
    await waitFor("connected", () => adapter.status().connected);
    await adapter.stop();
    await waitFor("no socket after stop", () => fake.openConnections() === 0);
  });

  it("maps DMs, channels, threads and mentions; ignores its own and edited messages", async () => {
    const { fake, delivered } = await setup();
    fake.message({ channel: "D3", user: "U3", text: "dm" });
    fake.message({ channel: "C4", user: "U4", text: `<@${fake.botUserId}> in a thread`, threadTs: "1700000000.000100" });
    fake.message({ channel: "C4", user: fake.botUserId, botId: fake.botId, text: "ours" });
    fake.message({ channel: "C4", user: "U4", text: "edited", subtype: "message_changed" });
    fake.message({ channel: "D3", user: "U3", text: "last" });
    await waitFor("three messages", () => delivered.length === 3);
    expect(delivered[0]).toMatchObject({ chat: { kind: "dm", id: "D3" }, sender: { id: "U3" }, text: "dm" });
    expect(delivered[1]).toMatchObject({ chat: { kind: "group", id: "C4" }, thread: { id: "1700000000.000100" }, mentions: [fake.botUserId] });
    expect(delivered[2]?.text).toBe("last");
  });

  it("classifies sends: 429 with Retry-After → rate_limited, channel_not_found → permanent, 500 → transient", async () => {
    const { fake, adapter } = await setup();
    const send = (text: string) => adapter.send({ channel: "slack", accountId: "default", chatId: "C9", text, idempotencyKey: text });
    fake.failSends({ status: 429, retryAfterSeconds: 2 });
    await expect(send("a")).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 2000 });
    fake.failSends({ status: 404, error: "channel_not_found" });
    await expect(send("b")).rejects.toMatchObject({ kind: "permanent", message: "Slack refused: channel_not_found" });
    fake.failSends({ status: 500 });
    await expect(send("c")).rejects.toMatchObject({ kind: "transient", status: 500 });
  });
});

describe("HTTP events", () => {
  const secret = "fake-signing-secret-1234";
  const sign = (body: string, timestamp: number, key = secret) => `v0=${createHmac("sha256", key).update(`v0:${timestamp}:${body}`).digest("hex")}`;

  it("refuses forged and stale requests and records a correctly signed event", async () => {
    const fake = await startSlackFake();
    cleanups.push(() => fake.close());
    const delivered: InboundMessage[] = [];
    const adapter = new SlackAdapter({ accountId: "default", botToken: fake.botToken, signingSecret: secret, apiUrl: fake.apiUrl });
    cleanups.push(() => adapter.stop());
    await adapter.start({
      accountId: "default",
      deliver: async (message) => void delivered.push(message),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      signal: new AbortController().signal,
    });
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0FAKE",
      api_app_id: "A0FAKE",
      event: { type: "message", channel: "D5", user: "U5", text: "signed", ts: "1700000001.000100", channel_type: "im" },
      event_id: "Ev1",
      event_time: 1,
    });
    const now = Math.floor(Date.now() / 1000);
    const request = (headers: Record<string, string>) =>
      adapter.handleWebhook({
        method: "POST",
        path: adapter.webhookPath,
        headers: { "content-type": "application/json", ...headers },
        rawBody: Buffer.from(body),
      });

    expect(await request({ "x-slack-request-timestamp": String(now), "x-slack-signature": sign(body, now, "wrong-secret-000") })).toMatchObject({
      status: 401,
    });
    expect(await request({ "x-slack-request-timestamp": String(now - 600), "x-slack-signature": sign(body, now - 600) })).toMatchObject({ status: 401 });
    expect(await request({})).toMatchObject({ status: 401 });
    expect(delivered).toEqual([]);
    expect(await request({ "x-slack-request-timestamp": String(now), "x-slack-signature": sign(body, now) })).toMatchObject({ status: 200 });
    expect(delivered[0]).toMatchObject({ chat: { kind: "dm", id: "D5" }, text: "signed" });
    const challenge = JSON.stringify({ type: "url_verification", challenge: "abc" });
    const answer = await adapter.handleWebhook({
      method: "POST",
      path: adapter.webhookPath,
      headers: { "content-type": "application/json", "x-slack-request-timestamp": String(now), "x-slack-signature": sign(challenge, now) },
      rawBody: Buffer.from(challenge),
    });
    expect(answer).toMatchObject({ status: 200, body: "abc" });
  });

  it("config names the missing token and refuses to run without an app token or signing secret", () => {
    const account = (config: Record<string, unknown>) => ({ accountId: "default", config, env: {}, stateDir: "." });
    expect(() => slackOptions(account({}))).toThrow(/channels\.slack\.botToken: expected a bot token/);
    expect(() => slackOptions(account({ botToken: "xoxb-1" }))).toThrow(
      /channels\.slack\.appToken: expected an app token \(xapp-…, Socket Mode\) or signingSecret/,
    );
    expect(slackOptions(account({ botToken: "xoxb-1", signingSecret: "12345678" }))).toMatchObject({ signingSecret: "12345678" });
  });
});

describe("socket mode reconnects go through the reconnect supervisor", () => {
  it("a burst of failed reconnects is bounded by the hourly restart budget and spaced by backoff, then the account says why it stopped", async () => {
    // initialMs and maxMs under the backoff floor (100 ms) make the jittered delay exactly the ceiling: 40, 80, 80 ms.
    const { fake, adapter } = await setup({ reconnect: { initialMs: 40, maxMs: 80, maxRestartsPerHour: 3 } });
    const before = fake.connectionOpenTimes().length;
    fake.failConnectionOpens({ error: "internal_error" });
    const droppedAt = Date.now();
    fake.dropConnection();
    await waitFor("the failed state", () => adapter.status().state === "failed");
    const times = fake.connectionOpenTimes().slice(before);
    expect(times).toHaveLength(3);
    expect(times[0]! - droppedAt).toBeGreaterThanOrEqual(38);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(78);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(78);
    expect(adapter.status()).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(
        /^restart budget exhausted: 3 restarts in the last hour \(last error: Slack Socket Mode could not connect: .*internal_error/,
      ),
    });
    expect(fake.openConnections()).toBe(0);
  });

  it("an HTTP error while reopening does not leave a dead client; it retries and events flow again on one socket", async () => {
    const { fake, adapter, delivered } = await setup({ reconnect: { initialMs: 20, maxMs: 40 } });
    const before = fake.connectionOpenTimes().length;
    fake.failConnectionOpens({ status: 503 });
    fake.dropConnection();
    await waitFor("two refused reopenings", () => fake.connectionOpenTimes().length >= before + 2);
    expect(adapter.status()).toMatchObject({
      state: "reconnecting",
      connected: false,
      lastError: expect.stringContaining("Slack Socket Mode could not connect"),
    });
    fake.failConnectionOpens(false);
    await waitFor("connected again", () => adapter.status().connected);
    fake.message({ channel: "D7", user: "U7", text: "heard" });
    await waitFor("the message", () => delivered[0]);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("an app token Slack refuses while reconnecting stops the account for good, with no retry", async () => {
    const { fake, adapter } = await setup({ reconnect: { initialMs: 20, maxMs: 40 } });
    fake.failConnectionOpens({ error: "invalid_auth" });
    fake.dropConnection();
    await waitFor("the failed state", () => adapter.status().state === "failed");
    const opens = fake.connectionOpenTimes().length;
    expect(adapter.status().lastError).toMatch(/terminal: Slack refused the app token \(invalid_auth\); check appToken/);
    await adapter.stop();
    expect(fake.connectionOpenTimes()).toHaveLength(opens);
  });
});
