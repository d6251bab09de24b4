import { afterEach, describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { TelegramAdapter, telegramOptions, type TelegramAdapterOptions } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeApi(): Promise<TelegramFake> {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  return fake;
}

function adapterFor(fake: TelegramFake, overrides: Partial<TelegramAdapterOptions> = {}, deliver?: (message: InboundMessage) => Promise<void>) {
  const delivered: InboundMessage[] = [];
  const warnings: string[] = [];
  const adapter = new TelegramAdapter({
    accountId: overrides.accountId ?? "default",
    token: fake.token,
    apiRoot: fake.apiRoot,
    polling: { timeoutSeconds: 1, clientTimeoutSeconds: 5, watchdogMs: 120_000 },
    reconnect: { initialMs: 100, maxMs: 400 },
    ...overrides,
  });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: overrides.accountId ?? "default",
    deliver: deliver ?? (async (message) => void delivered.push(message)),
    logger: { debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    signal: new AbortController().signal,
  };
  return { adapter, context, delivered, warnings };
}

describe("one poller per token", () => {
  it("refuses a second account with the same token in this process", async () => {
    const fake = await fakeApi();
    const first = adapterFor(fake);
    await first.adapter.start(first.context);
    const second = adapterFor(fake, { accountId: "other" });
    await expect(second.adapter.start(second.context)).rejects.toThrow(
      "another Telegram account in this gateway (default) already polls with this bot token; one token can have only one poller",
    );
    await waitFor("a poll", () => fake.openPolls() === 1);
    expect(fake.maxConcurrentPolls()).toBe(1);
  });

  it("treats 409 as its own state with backoff, never two polls at once, and recovers", async () => {
    const fake = await fakeApi();
    fake.setConflict(true);
    const { adapter, context, delivered } = adapterFor(fake);
    await adapter.start(context);
    await waitFor("the conflict state", () => adapter.status().state === "conflict");
    expect(adapter.status().lastError).toMatch(/^409 Conflict/);
    const during = fake.pollsOpened();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Backoff 100 → 200 → 400 ms: a handful of tries in half a second, not a storm.
    expect(fake.pollsOpened() - during).toBeLessThanOrEqual(4);
    fake.setConflict(false);
    fake.inject({ chatId: 7, from: { id: 7 }, text: "back" });
    await waitFor("delivery after the conflict", () => delivered[0]);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
    // The poll that found the update was answered at once; the next one is held open, and alone.
    await waitFor("the next poll", () => fake.openPolls() === 1);
    expect(fake.maxConcurrentPolls()).toBe(1);
  });
});

describe("connecting", () => {
  it("asks the first getUpdates without holding it, so an idle bot shows connected at once, then long-polls", async () => {
    const fake = await fakeApi();
    const { adapter, context } = adapterFor(fake, { polling: { timeoutSeconds: 30, clientTimeoutSeconds: 60 } });
    await adapter.start(context);
    await waitFor("the account to connect", () => adapter.status().state === "connected");
    await waitFor("the held poll", () => fake.openPolls() === 1);
    const timeouts = fake.calls("getUpdates").map((request) => (request.body as { timeout?: number }).timeout);
    expect(timeouts).toEqual([0, 30]);
  });
});

describe("a wedged long poll", () => {
  it("is cut by the client timeout cap and polling resumes", async () => {
    const fake = await fakeApi();
    const { adapter, context, delivered } = adapterFor(fake, { polling: { timeoutSeconds: 1, clientTimeoutSeconds: 2 } });
    await adapter.start(context);
    fake.setWedged(true);
    await waitFor("a wedged poll", () => fake.openPolls() === 1);
    const before = fake.pollsOpened();
    fake.inject({ chatId: 8, from: { id: 8 }, text: "stuck" });
    // The held request is abandoned by the 2 s cap; the next poll is answered once the fake recovers.
    await waitFor("a new poll after the cap", () => fake.pollsOpened() > before, 6_000);
    fake.setWedged(false);
    await waitFor("the update", () => delivered[0], 6_000);
    expect(delivered[0]?.text).toBe("stuck");
  });

  it("the watchdog restarts a poll that never completes", async () => {
    const fake = await fakeApi();
    const { adapter, context, delivered, warnings } = adapterFor(fake, { polling: { timeoutSeconds: 1, clientTimeoutSeconds: 60, watchdogMs: 300 } });
    await adapter.start(context);
    fake.setWedged(true);
    await waitFor("the watchdog", () => warnings.find((warning) => warning.startsWith("no getUpdates completed in time")), 5_000);
    fake.setWedged(false);
    fake.inject({ chatId: 9, from: { id: 9 }, text: "after watchdog" });
    await waitFor("the update", () => delivered[0], 5_000);
  });
});

describe("inbound", () => {
  it("does not advance the offset when the gateway could not record an update", async () => {
    const fake = await fakeApi();
    let fail = true;
    const got: string[] = [];
    const { adapter, context } = adapterFor(fake, {}, async (message) => {
      if (fail) {
        fail = false;
        throw new Error("disk full");
      }
      got.push(message.text);
    });
    await adapter.start(context);
    fake.inject({ chatId: 10, from: { id: 10 }, text: "keep me" });
    await waitFor("a redelivery of the same update", () => got[0]);
    expect(got).toEqual(["keep me"]);
    await waitFor("the offset past it", () => fake.pending().length === 0);
  });

  it("maps groups, topics, mentions, replies and photos", async () => {
    const fake = await fakeApi();
    const { adapter, context, delivered } = adapterFor(fake);
    await adapter.start(context);
    fake.inject({
      chatId: -100,
      chatType: "supergroup",
      threadId: 5,
      from: { id: 11, first_name: "Ann", username: "ann" },
      text: "@openclaw_test_bot hi",
      entities: [{ type: "mention", offset: 0, length: 18 }],
      replyTo: { message_id: 3, from: { id: fake.botId, is_bot: true } },
    });
    fake.inject({ chatId: 12, from: { id: 12 }, text: "a photo", photo: true });
    await waitFor("two messages", () => delivered.length === 2);
    expect(delivered[0]).toMatchObject({
      chat: { kind: "group", id: "-100" },
      thread: { id: "5" },
      sender: { id: "11", name: "Ann", username: "ann" },
      mentions: ["openclaw_test_bot"],
      replyTo: { messageId: "3", senderId: String(fake.botId) },
    });
    expect(delivered[1]).toMatchObject({ chat: { kind: "dm", id: "12" }, text: "a photo", media: [{ contentType: "image/jpeg", sizeBytes: 64000 }] });
    expect(adapter.identity()).toEqual({ id: String(fake.botId), username: fake.username });
  });
});

describe("outbound", () => {
  it("429 → rate_limited with retry_after, and the next send to that chat waits", async () => {
    const fake = await fakeApi();
    const { adapter, context } = adapterFor(fake);
    await adapter.start(context);
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    const error = await adapter
      .send({ channel: "telegram", accountId: "default", chatId: "5", text: "hi", idempotencyKey: "a" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 1000 });
    const refusedAt = fake.attempts[0]!.atMs;
    await adapter.send({ channel: "telegram", accountId: "default", chatId: "5", text: "hi again", idempotencyKey: "b" });
    expect(fake.attempts[1]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
  });

  it("403 → permanent; a refused connection → transient", async () => {
    const fake = await fakeApi();
    const { adapter, context } = adapterFor(fake);
    await adapter.start(context);
    fake.failSends({ status: 403 });
    await expect(adapter.send({ channel: "telegram", accountId: "default", chatId: "5", text: "x", idempotencyKey: "c" })).rejects.toMatchObject({
      kind: "permanent",
      status: 403,
      message: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    await adapter.stop();
    const gone = new TelegramAdapter({ accountId: "x", token: fake.token, apiRoot: "http://127.0.0.1:9" });
    await expect(gone.send({ channel: "telegram", accountId: "x", chatId: "5", text: "x", idempotencyKey: "d" })).rejects.toMatchObject({ kind: "transient" });
  });

  it("registers commands only when they changed", async () => {
    const fake = await fakeApi();
    const commands = [{ command: "help", description: "What I can do" }];
    for (let run = 0; run < 3; run += 1) {
      const { adapter, context } = adapterFor(fake, { commands });
      await adapter.start(context);
      await adapter.stop();
    }
    expect(fake.commandSets).toEqual([commands]);
    expect(fake.calls("getMyCommands")).toHaveLength(3);
  });
});

describe("webhook mode", () => {
  it("refuses a missing or wrong secret and records a correctly signed update", async () => {
    const fake = await fakeApi();
    const { adapter, context, delivered } = adapterFor(fake, { webhook: { url: "https://bot.example/hook", secret: "s3cret-token" } });
    await adapter.start(context);
    expect(fake.calls("setWebhook")[0]?.body).toMatchObject({ url: "https://bot.example/hook", secret_token: "s3cret-token" });
    const body = Buffer.from(
      JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 3, type: "private" }, from: { id: 3 }, text: "hook" } }),
    );
    const request = (secret?: string) => ({
      method: "POST",
      path: adapter.webhookPath,
      headers: secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret },
      rawBody: body,
    });
    expect(await adapter.handleWebhook(request())).toMatchObject({ status: 401 });
    expect(await adapter.handleWebhook(request("wrong"))).toMatchObject({ status: 401 });
    expect(delivered).toEqual([]);
    expect(await adapter.handleWebhook(request("s3cret-token"))).toMatchObject({ status: 200 });
    expect(delivered[0]?.text).toBe("hook");
  });

  it("config: a webhook without a secret, a bad token and a trailing-slash apiRoot are refused by key", () => {
    const account = (config: Record<string, unknown>, accountId = "default") => ({
      accountId,
      config,
      env: { TELEGRAM_BOT_TOKEN: "1:env-token" },
      stateDir: ".",
    });
    const read = () => "2:file-token\n";
    expect(() => telegramOptions(account({ botToken: "1:abc", webhookUrl: "https://x" }), read)).toThrow(/channels\.telegram\.webhookSecret/);
    expect(() => telegramOptions(account({ botToken: "nope" }), read)).toThrow(/channels\.telegram\.botToken: expected a bot token/);
    expect(() => telegramOptions(account({ botToken: "1:abc", apiRoot: "http://x/" }), read)).toThrow(/channels\.telegram\.apiRoot/);
    expect(telegramOptions(account({}), read).token).toBe("1:env-token");
    expect(() => telegramOptions(account({}, "work"), read)).toThrow(/channels\.telegram\.accounts\.work\.botToken/);
    expect(telegramOptions(account({ tokenFile: "/secret" }, "work"), read).token).toBe("2:file-token");
  });
});

describe("poller restarts go through the reconnect supervisor", () => {
  it("a burst of failing getUpdates is bounded by the hourly restart budget and spaced by backoff, then the account says why it stopped", async () => {
    const fake = await fakeApi();
    fake.failPolls(502);
    // initialMs and maxMs under the backoff floor (100 ms) make the jittered delay exactly the ceiling: 40, 80, 80 ms.
    const { adapter, context } = adapterFor(fake, { reconnect: { initialMs: 40, maxMs: 80, maxRestartsPerHour: 3 } });
    await adapter.start(context);
    await waitFor("the failed state", () => adapter.status().state === "failed");
    const times = fake.pollTimes();
    // The first poll and three restarts; the fourth failure finds the budget spent.
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((at, index) => at - times[index]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(adapter.status()).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(/^restart budget exhausted: 3 restarts in the last hour \(last error: getUpdates failed: .*Bad Gateway/),
    });
    expect(fake.maxConcurrentPolls()).toBeLessThanOrEqual(1);
  });

  it("409 is waited out inside the poller: it never spends the restart budget", async () => {
    const fake = await fakeApi();
    fake.setConflict(true);
    const { adapter, context, delivered } = adapterFor(fake, { reconnect: { initialMs: 20, maxMs: 40, maxRestartsPerHour: 1 } });
    await adapter.start(context);
    await waitFor("several conflicts", () => fake.pollsOpened() >= 5);
    expect(adapter.status().state).toBe("conflict");
    fake.setConflict(false);
    fake.inject({ chatId: 7, from: { id: 7 }, text: "after the conflict" });
    await waitFor("delivery after the conflict", () => delivered[0]);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
  });

  it("a 401 while polling stops the account for good, with no restart", async () => {
    const fake = await fakeApi();
    const { adapter, context } = adapterFor(fake, { reconnect: { initialMs: 20, maxMs: 40 } });
    await adapter.start(context);
    await waitFor("a poll", () => fake.openPolls() === 1);
    fake.failPolls(401);
    fake.dropPolls();
    await waitFor("the failed state", () => adapter.status().state === "failed");
    const polls = fake.pollsOpened();
    expect(adapter.status().lastError).toMatch(/the bot token was refused \(401 Unauthorized\); polling stopped/);
    expect(fake.pollsOpened()).toBe(polls);
  });
});
