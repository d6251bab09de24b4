import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startHttpFake, startSignalFake, waitFor, writeSignalCliScript } from "@openclaw/testing";
import { SignalAdapter, signalOptions } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function cliScript(options: { neverHealthy?: boolean; unregistered?: boolean } = {}): string {
  const script = writeSignalCliScript(options);
  cleanups.push(() => rmSync(dirname(script), { recursive: true, force: true }));
  return script;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const send = (adapter: SignalAdapter, chatId: string, text: string) =>
  adapter.send({ channel: "signal", accountId: "default", chatId, text, idempotencyKey: text });

function context(delivered: InboundMessage[], warnings: string[] = [], deliver?: (message: InboundMessage) => Promise<void>): ChannelStartContext {
  return {
    accountId: "default",
    deliver: deliver ?? (async (message) => void delivered.push(message)),
    logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    signal: new AbortController().signal,
  };
}

describe("signal-cli daemon", () => {
  it("resumes with Last-Event-ID after a dropped stream, the missed messages arrive exactly once", async () => {
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
    expect(adapter.status()).toMatchObject({ connected: true, lastInboundAt: expect.any(Number) });
    expect(adapter.identity()).toEqual({ id: fake.account });
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

  it("a message the gateway could not record is read again after reconnecting", async () => {
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

  it("runs a managed daemon: spawn, health check, a send through it, and no orphan or timer after stop", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    const adapter = new SignalAdapter({ accountId: "default", account: "+15550001111", transport: { cliPath: cliScript(), startupTimeoutMs: 10_000 } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true });
    const pid = adapter.daemonPid!;
    expect(isRunning(pid)).toBe(true);
    await expect(send(adapter, "+15550002222", "through the managed daemon")).resolves.toMatchObject({ providerMessageIds: [expect.stringMatching(/^\d+$/)] });
    await adapter.stop();
    // stop() waited for the exit: no orphan, nothing to poll for.
    expect(isRunning(pid)).toBe(false);
    expect(adapter.daemonPid).toBeUndefined();
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("starts the managed daemon again when it dies, and reconnects to it", async () => {
    const adapter = new SignalAdapter({
      accountId: "default",
      account: "+15550001111",
      transport: { cliPath: cliScript(), startupTimeoutMs: 10_000 },
      reconnect: { initialMs: 100, maxMs: 300 },
    });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    const first = adapter.daemonPid!;
    process.kill(first, "SIGKILL");
    await waitFor("a new daemon and stream", () => adapter.daemonPid !== undefined && adapter.daemonPid !== first && adapter.status().connected);
    await expect(send(adapter, "+15550002222", "after the respawn")).resolves.toMatchObject({ providerMessageIds: [expect.any(String)] });
  });

  it("gives up with a clear error when the daemon never becomes healthy", async () => {
    const script = cliScript({ neverHealthy: true });
    const adapter = new SignalAdapter({ accountId: "default", account: "+15550001111", transport: { cliPath: script, startupTimeoutMs: 800 } });
    cleanups.push(() => adapter.stop());
    await expect(adapter.start(context([]))).rejects.toThrow(/the signal-cli daemon did not become healthy within 800 ms/);
    expect(adapter.status()).toMatchObject({ state: "failed" });
  });

  it("a wrong daemon URL fails start() for good instead of retrying forever", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({
      accountId: "default",
      account: fake.account,
      transport: { url: `${fake.url}/not-the-daemon` },
      reconnect: { initialMs: 50, maxMs: 100 },
    });
    cleanups.push(() => adapter.stop());
    await expect(adapter.start(context([]))).rejects.toThrow(/GET \/api\/v1\/events answered 404; check channels\.signal\.transport/);
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false });
    expect(fake.connectionsOpened()).toBe(0);
  });

  it("classifies send failures: rate limit → rate_limited with retry_after, user error → permanent, 5xx → transient, no answer → ambiguous, refused → transient", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, requestTimeoutMs: 300 });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    fake.failSends({ status: 429, retryAfterSeconds: 7 });
    await expect(send(adapter, "+15550000001", "a")).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 7_000, status: 429 });
    fake.failSends({ status: 429, retryAfterSeconds: 3, http: true });
    await expect(send(adapter, "+15550000002", "b")).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 3_000 });
    fake.failSends({ status: 403 });
    await expect(send(adapter, "+15550000003", "c")).rejects.toMatchObject({ kind: "permanent", message: expect.stringContaining("not a registered user") });
    fake.failSends({ status: 404, http: true });
    await expect(send(adapter, "+15550000003", "c2")).rejects.toMatchObject({ kind: "permanent", status: 404 });
    fake.failSends({ status: 502 });
    await expect(send(adapter, "+15550000004", "d")).rejects.toMatchObject({ kind: "transient", status: 502 });
    const release = fake.holdSends();
    await expect(send(adapter, "+15550000005", "e")).rejects.toMatchObject({ kind: "ambiguous", message: expect.stringContaining("no answer within 300 ms") });
    release();
    const receipt = await send(adapter, "group:Z3JvdXA=", "to the group");
    expect(receipt.providerMessageIds).toEqual([String(fake.sent.at(-1)?.timestamp)]);
    expect(fake.sent.at(-1)).toMatchObject({ groupId: "Z3JvdXA=", message: "to the group" });
    expect(adapter.status().lastOutboundAt).toEqual(expect.any(Number));
    await fake.close();
    // The close also ended the kept-alive socket of the last send. Once the adapter has seen its stream end, that socket
    // is gone too, and the next send connects anew and is refused. (A send written to a socket the daemon then closed
    // may have been read: that one is ambiguous, rightly.)
    await waitFor("the adapter to see the daemon go", () => !adapter.status().connected);
    await expect(send(adapter, "+15550000006", "f")).rejects.toMatchObject({ kind: "transient", message: expect.stringContaining("ECONNREFUSED") });
  });

  it("after a 429 the next send to that chat waits for retry_after", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    await expect(send(adapter, "+15550000007", "refused")).rejects.toMatchObject({ kind: "rate_limited" });
    const refusedAt = fake.attempts[0]!.atMs;
    await send(adapter, "+15550000007", "later");
    expect(fake.sent[0]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
  });

  it("config names the key", () => {
    const account = (config: Record<string, unknown>) => ({ accountId: "default", config, env: {}, stateDir: "." });
    expect(() => signalOptions(account({ transport: { url: "http://x" } }))).toThrow(/channels\.signal\.account: expected the Signal number in E\.164 form/);
    expect(() => signalOptions(account({ account: "+15551234567" }))).toThrow(/channels\.signal\.transport/);
    expect(signalOptions(account({ account: "+15551234567", transport: { cliPath: "signal-cli" } })).transport).toEqual({ cliPath: "signal-cli" });
    expect(signalOptions(account({ transport: { cliPath: "signal-cli", account: "+15551234567" } })).account).toBe("+15551234567");
    expect(() => signalOptions({ ...account({ account: "+15551234567", transport: { url: "ftp://x" } }), accountId: "work" })).toThrow(
      /channels\.signal\.accounts\.work\.transport\.url/,
    );
    expect(() => signalOptions(account({ account: "+15551234567", transport: { url: "http://x" }, reconnect: { initialMs: 0 } }))).toThrow(
      /channels\.signal\.reconnect/,
    );
  });
});

describe("self-echo", () => {
  it("sync copies of our own sends are dropped", async () => {
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

describe("status: linked, relink needed, last error", () => {
  it("a single-account daemon is linked (it only runs for a registered account); when it goes away the status says so in lastError", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 100, maxMs: 200 } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true, linked: true });
    expect(adapter.status().relinkNeeded).toBeUndefined();
    expect(adapter.status().lastError).toBeUndefined();
    await fake.close();
    const status = await waitFor("the reconnecting state", () => (adapter.status().state === "reconnecting" ? adapter.status() : undefined));
    expect(status).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(/could not reach the signal-cli daemon at http:\/\/127\.0\.0\.1:\d+|event stream (broke|ended)/),
    });
    // Still linked: the daemon being down says nothing about the account.
    expect(status.linked).toBe(true);
  });

  it("a multi-account daemon is asked with listAccounts: linked when it lists us", async () => {
    const fake = await startSignalFake({ multiAccount: true });
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    expect(adapter.status()).toMatchObject({ state: "connected", linked: true });
  });

  it("an account the daemon does not have stops once with relink needed, never retried", async () => {
    const fake = await startSignalFake({ multiAccount: true, registered: false });
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 20, maxMs: 40 } });
    cleanups.push(() => adapter.stop());
    await expect(adapter.start(context([]))).rejects.toThrow(/has no registered account \+15550001111/);
    expect(adapter.status()).toMatchObject({
      state: "unregistered",
      connected: false,
      linked: false,
      relinkNeeded: true,
      lastError: expect.stringMatching(/signal-cli has no registered account \+15550001111 .*signal-cli -a \+15550001111 register/),
    });
    // Terminal: the event stream was never opened, and nothing retries behind our back.
    expect(fake.connectionsOpened()).toBe(0);
  });

  it("an account removed from a running daemon (device unlinked) shows relink needed after the next send", async () => {
    const fake = await startSignalFake({ multiAccount: true });
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    fake.setRegistered(false);
    await expect(send(adapter, "+15550002222", "into the void")).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringContaining("Specified account does not exist"),
    });
    expect(adapter.status()).toMatchObject({
      state: "unregistered",
      connected: false,
      linked: false,
      relinkNeeded: true,
      lastError: expect.stringMatching(/no registered account/),
    });
  });

  it("a managed daemon for an unregistered account fails start with relink needed instead of respawning", async () => {
    const adapter = new SignalAdapter({
      accountId: "default",
      account: "+15550001111",
      transport: { cliPath: cliScript({ unregistered: true }), startupTimeoutMs: 10_000 },
    });
    cleanups.push(() => adapter.stop());
    await expect(adapter.start(context([]))).rejects.toThrow(
      /signal-cli has no registered account \+15550001111 \(signal-cli exited: User \+15550001111 is not registered\.\)/,
    );
    expect(adapter.status()).toMatchObject({
      state: "unregistered",
      linked: false,
      relinkNeeded: true,
      lastError: expect.stringContaining("is not registered"),
    });
    expect(adapter.daemonPid).toBeUndefined();
  });
});

describe("typing, reactions and attachments", () => {
  async function connected() {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, mediaMaxBytes: 1024 });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    return { fake, adapter };
  }

  it("sendTyping starts and stops typing in a DM and in a group", async () => {
    const { fake, adapter } = await connected();
    await adapter.setTyping({ chatId: "+15550002222" }, true);
    await adapter.setTyping({ chatId: "+15550002222" }, false);
    await adapter.setTyping({ chatId: "group:Z3JvdXA=" }, true);
    expect(fake.typing.map(({ atMs: _, ...rest }) => rest)).toEqual([
      { recipient: "+15550002222", stop: false },
      { recipient: "+15550002222", stop: true },
      { groupId: "Z3JvdXA=", stop: false },
    ]);
  });

  it("sendReaction adds and removes an emoji on a message named by its timestamp and author", async () => {
    const { fake, adapter } = await connected();
    await adapter.react({ chatId: "+15550002222", providerMessageId: "1700000000123" }, "👍");
    await adapter.react({ chatId: "uuid:abc-123", providerMessageId: "1700000000124" }, "👍", { remove: true });
    expect(fake.reactions.map(({ atMs: _, ...rest }) => rest)).toEqual([
      { recipient: "+15550002222", emoji: "👍", targetAuthor: "+15550002222", targetTimestamp: 1700000000123, remove: false },
      { recipient: "abc-123", emoji: "👍", targetAuthor: "abc-123", targetTimestamp: 1700000000124, remove: true },
    ]);
  });

  it("sends an attachment from a file and from a URL through JSON-RPC send, with the caption as the message", async () => {
    const { fake, adapter } = await connected();
    const dir = mkdtempSync(join(tmpdir(), "openclaw-signal-media-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "chart.png");
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const media = await startHttpFake(async (_request, response) => {
      response.writeHead(200, { "content-type": "audio/ogg" }).end(Buffer.from("OggS-voice"));
    });
    cleanups.push(() => media.close());

    const first = await adapter.sendMedia({
      channel: "signal",
      accountId: "default",
      chatId: "+15550002222",
      source: file,
      contentType: "image/png",
      caption: "the chart",
      idempotencyKey: "m1",
    });
    await adapter.sendMedia({ channel: "signal", accountId: "default", chatId: "group:Z3JvdXA=", source: `${media.url}/voice.ogg`, idempotencyKey: "m2" });
    expect(first.providerMessageIds).toEqual([String(fake.sent[0]!.timestamp)]);
    expect(fake.sent[0]).toMatchObject({
      recipient: "+15550002222",
      message: "the chart",
      attachments: [{ contentType: "image/png", filename: "chart.png", size: 7 }],
    });
    expect(fake.sent[0]!.attachments[0]!.data).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    expect(fake.sent[1]).toMatchObject({ groupId: "Z3JvdXA=", message: "", attachments: [{ contentType: "audio/ogg", filename: "voice.ogg", size: 10 }] });
  });

  it("refuses an attachment it cannot send as permanent, before anything reaches the daemon", async () => {
    const { fake, adapter } = await connected();
    const dir = mkdtempSync(join(tmpdir(), "openclaw-signal-media-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const big = join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(2048));
    const media = (source: string) => adapter.sendMedia({ channel: "signal", accountId: "default", chatId: "+15550002222", source, idempotencyKey: source });
    await expect(media(big)).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringContaining("is 2048 bytes; Signal accounts here take at most 1024"),
    });
    await expect(media(join(dir, "missing.png"))).rejects.toMatchObject({ kind: "permanent", message: expect.stringContaining("could not read attachment") });
    expect(fake.attempts).toEqual([]);
  });
});

describe("delivery guarantees and send classification", () => {
  it("a send with no answer is ambiguous, never replayed blindly; a republished event keeps its message id for the router's dedupe", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const delivered: InboundMessage[] = [];
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, requestTimeoutMs: 300 });
    cleanups.push(() => adapter.stop());
    await adapter.start(context(delivered));
    const release = fake.holdSends();
    await expect(send(adapter, "+15550002222", "maybe sent")).rejects.toMatchObject({
      kind: "ambiguous",
      message: expect.stringContaining("the message may have been sent"),
    });
    release();
    const { eventId, timestamp } = fake.message({ from: "+15550002222", text: "once" });
    fake.republish(eventId);
    await waitFor("both copies", () => delivered.length === 2);
    expect(delivered.map((message) => [message.chat.id, message.providerMessageId])).toEqual([
      ["+15550002222", String(timestamp)],
      ["+15550002222", String(timestamp)],
    ]);
  });

  it("signal-cli's user error and an HTTP 4xx are permanent; a 5xx and an unreachable daemon are transient", async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
    cleanups.push(() => adapter.stop());
    await adapter.start(context([]));
    fake.failSends({ status: 400 });
    await expect(send(adapter, "+15550000001", "unknown recipient")).rejects.toMatchObject({
      kind: "permanent",
      status: 400,
      message: expect.stringContaining("is not a registered user"),
    });
    fake.failSends({ status: 413, http: true });
    await expect(send(adapter, "+15550000002", "too big")).rejects.toMatchObject({ kind: "permanent", status: 413 });
    fake.failSends({ status: 503 });
    await expect(send(adapter, "+15550000003", "down")).rejects.toMatchObject({ kind: "transient", status: 503 });
    expect(fake.attempts.map((attempt) => attempt.status)).toEqual([400, 413, 503]);
    // A recipient that is not registered with Signal says nothing about our own account.
    expect(adapter.status()).toMatchObject({ state: "connected", linked: true });
    expect(adapter.status().relinkNeeded).toBeUndefined();
  });
});
