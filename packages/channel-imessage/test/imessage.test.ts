import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startImessageFake, waitFor, type ImessageFake } from "@openclaw/testing";
import { ImessageAdapter, imessageOptions, type ImessageAdapterOptions } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-imsg-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface SetupOptions {
  fake?: ImessageFake;
  stateFile?: string;
  overrides?: Partial<ImessageAdapterOptions>;
  deliver?: (message: InboundMessage) => Promise<void>;
}

async function setup(options: SetupOptions = {}) {
  const fake = options.fake ?? (await startImessageFake());
  if (!options.fake) cleanups.push(() => fake.close());
  const stateFile = options.stateFile ?? join(tempDir(), "imessage", "default.json");
  const delivered: InboundMessage[] = [];
  const warnings: string[] = [];
  const adapter = new ImessageAdapter({
    accountId: "default",
    cliPath: fake.cliPath,
    stateFile,
    reconnect: { initialMs: 100, maxMs: 300 },
    ...options.overrides,
  });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: options.deliver ?? (async (message) => void delivered.push(message)),
    logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered, warnings, stateFile };
}

const savedRowid = (stateFile: string) => (JSON.parse(readFileSync(stateFile, "utf8")) as { lastRowid: number }).lastRowid;
const send = (adapter: ImessageAdapter, chatId: string, text: string) =>
  adapter.send({ channel: "imessage", accountId: "default", chatId, text, idempotencyKey: text });

describe("imsg over stdio", () => {
  it("maps a watched row: guid → providerMessageId, chat_id → chat, group from chat_guid, attachments and reply as facts", async () => {
    const { fake, delivered, adapter } = await setup({ overrides: { includeAttachments: true } });
    const row = fake.message({
      chatId: 7,
      sender: "+15550000007",
      text: "look",
      isGroup: true,
      replyToGuid: "GUID-SEED",
      attachments: [
        {
          filename: "~/Library/Messages/Attachments/a.jpg",
          transfer_name: "a.jpg",
          mime_type: "image/jpeg",
          total_bytes: 1234,
          original_path: "/Users/me/Library/Messages/Attachments/a.jpg",
          missing: false,
        },
      ],
    });
    const message = await waitFor("the message", () => delivered[0]);
    expect(message).toMatchObject({
      channel: "imessage",
      chat: { kind: "group", id: "7" },
      sender: { id: "+15550000007" },
      text: "look",
      replyTo: { messageId: "GUID-SEED" },
      media: [{ path: "/Users/me/Library/Messages/Attachments/a.jpg", contentType: "image/jpeg", sizeBytes: 1234, fileName: "a.jpg" }],
      providerMessageId: row.guid,
    });
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true, lastInboundAt: expect.any(Number) });
  });

  it("skips a garbled frame and keeps reading; answers chats.list and messages.history", async () => {
    const { fake, adapter, delivered, warnings } = await setup();
    fake.garbleNextWrite();
    fake.message({ chatId: 6, sender: "+15550000006", text: "after garbage" });
    await waitFor("the message after the garbage", () => delivered[0]);
    expect(warnings).toContain("imsg wrote a line that is not JSON; skipped");
    expect(await adapter.listChats()).toMatchObject([
      { id: 6, identifier: "+15550000006" },
      { id: 1, identifier: "+15550000001" },
    ]);
    fake.message({ chatId: 6, sender: "+15550000006", text: "second" });
    await waitFor("the second message", () => delivered[1]);
    expect((await adapter.history("6")).map((message) => message.text)).toEqual(["after garbage", "second"]);
  });

  it("reassembles a UTF-8 character split across two reads", async () => {
    const { fake, delivered } = await setup();
    fake.splitNextWrite();
    fake.message({ chatId: 1, sender: "+15550000001", text: "héllo 👋 wörld" });
    await waitFor("the message", () => delivered[0]);
    expect(delivered[0]?.text).toBe("héllo 👋 wörld");
  });

  it("when imsg exits, pending sends fail as transient and one new child starts with backoff", async () => {
    const { fake, adapter, delivered } = await setup();
    const release = fake.holdSends();
    const pending = send(adapter, "5", "in flight");
    await waitFor("the send at the fake", () => fake.attempts[0]);
    fake.exitChildren(3);
    await expect(pending).rejects.toMatchObject({ kind: "transient", message: expect.stringContaining("imsg exited (code 3)") });
    release();
    await waitFor("a new child", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    expect(fake.maxConcurrentConnections()).toBe(1);
    fake.message({ chatId: 2, sender: "+15550000002", text: "after restart" });
    await waitFor("a message on the new child", () => delivered.find((message) => message.text === "after restart"));
  });

  it("a child killed by a signal is replaced too", async () => {
    const { fake, adapter, delivered } = await setup();
    fake.crashChildren();
    await waitFor("the restart", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    fake.message({ chatId: 2, sender: "+15550000002", text: "after the crash" });
    await waitFor("the message", () => delivered[0]);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it("EPIPE on imsg's stdin fails the send as transient (never crashes) and a new child takes over", async () => {
    const { fake, adapter, warnings } = await setup();
    fake.closeChildStdin();
    await pause(100);
    await expect(send(adapter, "1", "into a closed pipe")).rejects.toMatchObject({ kind: "transient" });
    expect(warnings).toContain("imsg stdin broke; restarting imsg");
    await waitFor("a new child", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    await expect(send(adapter, "1", "after the restart")).resolves.toMatchObject({ providerMessageIds: [expect.stringMatching(/^GUID-/)] });
  });

  it("classifies send failures: busy → rate_limited with its retry hint, unknown chat → permanent, internal → transient, no answer → ambiguous", async () => {
    const { fake, adapter } = await setup({ overrides: { requestTimeoutMs: 300 } });
    fake.failSends({ status: 429, retryAfterSeconds: 2 });
    await expect(send(adapter, "11", "a")).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 2_000 });
    fake.failSends({ status: 403 });
    await expect(send(adapter, "12", "b")).rejects.toMatchObject({ kind: "permanent", message: expect.stringContaining("unknown chat_id 12") });
    fake.failSends({ status: 500 });
    await expect(send(adapter, "13", "c")).rejects.toMatchObject({ kind: "transient" });
    const release = fake.holdSends();
    await expect(send(adapter, "14", "d")).rejects.toMatchObject({ kind: "ambiguous", message: expect.stringContaining("did not answer send within 300 ms") });
    release();
    const receipt = await send(adapter, "15", "e");
    expect(receipt.providerMessageIds).toEqual([fake.sent.at(-1)?.guid]);
    expect(adapter.status().lastOutboundAt).toEqual(expect.any(Number));
  });

  it("keeps the last admitted rowid on disk and resumes from it, nothing missed, nothing replayed", async () => {
    const fake = await startImessageFake();
    cleanups.push(() => fake.close());
    const first = await setup({ fake });
    fake.message({ chatId: 3, sender: "+15550000003", text: "one" });
    await waitFor("one", () => first.delivered[0]);
    await first.adapter.stop();
    const lastRowid = savedRowid(first.stateFile);
    expect(existsSync(`${first.stateFile}.tmp-${process.pid}-1`)).toBe(false);
    fake.message({ chatId: 3, sender: "+15550000003", text: "two (while stopped)" });
    const second = await setup({ fake, stateFile: first.stateFile });
    await waitFor("the missed message", () => second.delivered[0]);
    await pause(200);
    expect(second.delivered.map((message) => message.text)).toEqual(["two (while stopped)"]);
    expect(fake.subscriptions.at(-1)).toBe(lastRowid);
  });

  it("on a first run the newest row becomes the cursor, so a restart before any message still misses nothing", async () => {
    const { fake, delivered, stateFile, adapter } = await setup();
    // The fake's chat.db starts with one old row (rowid 100); imsg's own default would be "newest at subscribe time".
    expect(savedRowid(stateFile)).toBe(100);
    expect(fake.subscriptions).toEqual([100]);
    fake.exitChildren(1);
    fake.message({ chatId: 4, sender: "+15550000004", text: "while restarting" });
    await waitFor("the message from the restart window", () => delivered[0]);
    expect(delivered.map((message) => message.text)).toEqual(["while restarting"]);
    expect(adapter.status().connected).toBe(true);
  });

  it("a send's rowid never moves the cursor past inbound rows still being recorded", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slowStarted = false;
    let failSlow = true;
    const texts: string[] = [];
    const { fake, adapter, stateFile } = await setup({
      deliver: async (message) => {
        if (message.text === "slow" && failSlow) {
          slowStarted = true;
          await gate;
          failSlow = false;
          throw new Error("the store went away");
        }
        texts.push(message.text);
      },
    });
    fake.message({ chatId: 8, sender: "+15550000008", text: "slow" });
    fake.message({ chatId: 8, sender: "+15550000008", text: "queued behind it" });
    await waitFor("the slow delivery to start", () => slowStarted);
    // Our reply lands in chat.db after both inbound rows; its rowid must not become the cursor.
    await send(adapter, "8", "our reply");
    expect(savedRowid(stateFile)).toBe(100);
    release();
    await waitFor("both inbound rows, from a new child", () => texts.length === 2);
    expect(texts).toEqual(["slow", "queued behind it"]);
    await waitFor("the cursor to reach our own row", () => savedRowid(stateFile) === fake.rows.at(-1)?.id);
  });

  it("drops our own rows, and old backlog rows", async () => {
    const { fake, delivered, warnings } = await setup();
    fake.message({ chatId: 4, sender: "me", text: "mine", fromMe: true });
    fake.message({ chatId: 4, sender: "+15550000004", text: "ancient", ageMs: 20 * 60_000 });
    fake.message({ chatId: 4, sender: "+15550000004", text: "fresh", isGroup: true });
    await waitFor("the fresh message", () => delivered[0]);
    await pause(100);
    expect(delivered.map((message) => message.text)).toEqual(["fresh"]);
    expect(delivered[0]?.chat).toEqual({ kind: "group", id: "4" });
    expect(warnings).toContain("skipped an old iMessage row (backlog, not news)");
  });

  it("a row the gateway could not record is read again from a new child", async () => {
    let failOnce = true;
    const texts: string[] = [];
    const { fake } = await setup({
      deliver: async (message) => {
        if (failOnce) {
          failOnce = false;
          throw new Error("disk full");
        }
        texts.push(message.text);
      },
    });
    fake.message({ chatId: 9, sender: "+15550000009", text: "again" });
    await waitFor("the message on the second child", () => texts[0]);
    expect(texts).toEqual(["again"]);
    expect(fake.connectionsOpened()).toBe(2);
  });

  it("stop settles a held send, ends the child, clears its timers and is idempotent", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    const { fake, adapter } = await setup();
    const release = fake.holdSends();
    const pending = send(adapter, "1", "held");
    await waitFor("the held send", () => fake.attempts[0]);
    let stopped = false;
    const stopping = adapter.stop().then(() => (stopped = true));
    await pause(150);
    expect(stopped).toBe(false);
    release();
    await expect(pending).resolves.toMatchObject({ providerMessageIds: [expect.any(String)] });
    await stopping;
    await adapter.stop();
    expect(adapter.status()).toMatchObject({ state: "stopped", connected: false });
    await waitFor("no live child", () => fake.openConnections() === 0);
    await expect(send(adapter, "1", "after stop")).rejects.toMatchObject({ kind: "transient" });
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("a missing binary is reported clearly", async () => {
    const dir = tempDir();
    const adapter = new ImessageAdapter({
      accountId: "default",
      cliPath: join(dir, "no-such-imsg"),
      stateFile: join(dir, "s.json"),
      reconnect: { initialMs: 50, maxMs: 100 },
    });
    cleanups.push(() => adapter.stop());
    const context: ChannelStartContext = {
      accountId: "default",
      deliver: async () => undefined,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      signal: new AbortController().signal,
    };
    await expect(adapter.start(context)).rejects.toThrow(/could not run .*no-such-imsg: spawn .* ENOENT; set channels\.imessage\.cliPath/);
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false });
  });

  it("config names the key", () => {
    const account = (config: Record<string, unknown>, accountId = "default") => ({ accountId, config, env: {}, stateDir: "/state" });
    expect(imessageOptions(account({}))).toMatchObject({ cliPath: "imsg", stateFile: "/state/imessage/default.json" });
    expect(() => imessageOptions(account({ cliPath: 3 }))).toThrow(/channels\.imessage\.cliPath: expected the imsg executable/);
    expect(() => imessageOptions(account({ reconnect: { initialMs: -1 } }, "work"))).toThrow(/channels\.imessage\.accounts\.work\.reconnect/);
    expect(() => imessageOptions(account({ includeAttachments: "yes" }))).toThrow(/channels\.imessage\.includeAttachments/);
  });
});

describe("catch-up after a long outage", () => {
  it("after more than 15 minutes down, catch-up delivers what arrived meanwhile; only a backlog older than the outage is skipped", async () => {
    // Only the clock is faked (shouldAdvanceTime keeps it running), so the outage can be an hour long.
    const realNow = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: realNow - 60 * 60_000 });
    cleanups.push(() => void vi.useRealTimers());
    const fake = await startImessageFake();
    cleanups.push(() => fake.close());
    const first = await setup({ fake });
    fake.message({ chatId: 3, sender: "+15550000003", text: "before the outage" });
    await waitFor("the first message", () => first.delivered[0]);
    await first.adapter.stop();

    vi.setSystemTime(realNow - 20 * 60_000);
    fake.message({ chatId: 3, sender: "+15550000003", text: "sent while the gateway was down" });
    // An iCloud sync that landed in chat.db during the outage, dated long before it began.
    fake.message({ chatId: 5, sender: "+15550000005", text: "synced history", ageMs: 2 * 60 * 60_000 });
    vi.setSystemTime(realNow);

    const second = await setup({ fake, stateFile: first.stateFile });
    fake.message({ chatId: 3, sender: "+15550000003", text: "live after the restart" });
    await waitFor("the live message after the catch-up", () => second.delivered.find((message) => message.text === "live after the restart"));
    expect(second.delivered.map((message) => message.text)).toEqual(["sent while the gateway was down", "live after the restart"]);
    expect(second.warnings).toContain("skipped an old iMessage row (backlog, not news)");
    expect(savedRowid(first.stateFile)).toBe(fake.rows.at(-1)?.id);
  });
});

describe("status: linked and last error", () => {
  it("is linked once imsg answered and read chat.db; while imsg keeps exiting, lastError says why and it recovers", async () => {
    const { fake, adapter, delivered } = await setup();
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true, linked: true });
    expect(adapter.status().lastError).toBeUndefined();
    fake.exitNewChildren(3);
    fake.exitChildren(3);
    const status = await waitFor("a failed restart", () =>
      adapter.status().state === "reconnecting" && fake.connectionsOpened() >= 2 ? adapter.status() : undefined,
    );
    expect(status).toMatchObject({ connected: false, lastError: expect.stringMatching(/imsg exited \(code 3\)/) });
    fake.exitNewChildren(false);
    await waitFor("connected again", () => adapter.status().connected);
    expect(adapter.status().lastError).toBeUndefined();
    fake.message({ chatId: 2, sender: "+15550000002", text: "back" });
    await waitFor("a message after recovering", () => delivered[0]);
  });

  it("chat.db unreadable (no Full Disk Access) stops at once with linked false and the fix in lastError, no restart loop", async () => {
    const fake = await startImessageFake();
    cleanups.push(() => fake.close());
    fake.denyDatabaseAccess();
    const dir = tempDir();
    const adapter = new ImessageAdapter({
      accountId: "default",
      cliPath: fake.cliPath,
      stateFile: join(dir, "default.json"),
      reconnect: { initialMs: 20, maxMs: 40 },
    });
    cleanups.push(() => adapter.stop());
    const context: ChannelStartContext = {
      accountId: "default",
      deliver: async () => undefined,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      signal: new AbortController().signal,
    };
    await expect(adapter.start(context)).rejects.toThrow(
      /imsg cannot read the Messages database \(.*Permission Error: Cannot access Messages database|imsg cannot read the Messages database \(authorization denied/,
    );
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false, linked: false, lastError: expect.stringContaining("Full Disk Access") });
    expect(fake.connectionsOpened()).toBe(1);
  });

  it("losing Full Disk Access while running stops the account with linked false instead of restarting imsg forever", async () => {
    const { fake, adapter } = await setup();
    fake.denyDatabaseAccess();
    fake.exitChildren(1);
    await waitFor("the failed state", () => adapter.status().state === "failed");
    expect(adapter.status()).toMatchObject({ connected: false, linked: false, lastError: expect.stringContaining("Full Disk Access") });
    expect(fake.connectionsOpened()).toBe(2);
  });
});

describe("delivery guarantees and send classification", () => {
  it("a send with no answer is ambiguous, never replayed blindly; a row the watcher repeats is admitted once", async () => {
    const { fake, adapter, delivered } = await setup({ overrides: { requestTimeoutMs: 300 } });
    const release = fake.holdSends();
    await expect(send(adapter, "14", "maybe sent")).rejects.toMatchObject({
      kind: "ambiguous",
      message: expect.stringContaining("did not answer send within 300 ms"),
    });
    release();
    const row = fake.message({ chatId: 7, sender: "+15550000007", text: "once" });
    fake.redeliver(row.guid);
    fake.message({ chatId: 7, sender: "+15550000007", text: "barrier" });
    await waitFor("the barrier", () => delivered.find((message) => message.text === "barrier"));
    expect(delivered.map((message) => message.text)).toEqual(["once", "barrier"]);
  });

  it("an unknown chat is permanent; Messages.app trouble is transient", async () => {
    const { fake, adapter } = await setup();
    fake.failSends({ status: 404 });
    await expect(send(adapter, "12", "nowhere")).rejects.toMatchObject({
      kind: "permanent",
      status: 400,
      message: expect.stringContaining("unknown chat_id 12"),
    });
    fake.failSends({ status: 500 });
    await expect(send(adapter, "13", "applescript")).rejects.toMatchObject({ kind: "transient", status: 500 });
    await expect(send(adapter, "13", "")).rejects.toMatchObject({ kind: "permanent", message: expect.stringContaining("text or file is required") });
  });

  it("imsg's busy answer is rate_limited with its retry hint, and the next send to that chat waits for it", async () => {
    const { fake, adapter } = await setup();
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    await expect(send(adapter, "21", "too fast")).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 1_000 });
    const refusedAt = fake.attempts[0]!.atMs;
    await send(adapter, "21", "later");
    expect(fake.sent[0]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
  });
});
