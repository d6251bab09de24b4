import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BufferJSON } from "@whiskeysockets/baileys";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startWhatsAppFake, waitFor, type WhatsAppFake } from "@openclaw/testing";
import { AuthStore, WhatsAppAdapter, renderQr, toInbound, type SocketFactory } from "../src/index.js";

const dirs: string[] = [];
const adapters: WhatsAppAdapter[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-wa-"));
  dirs.push(dir);
  return dir;
}

function setup(options: { linked?: boolean; authDir?: string; stateDir?: string; fake?: WhatsAppFake } = {}) {
  const fake = options.fake ?? startWhatsAppFake({ linked: options.linked ?? true });
  const delivered: InboundMessage[] = [];
  const logs: string[] = [];
  const adapter = new WhatsAppAdapter({
    accountId: "default",
    authDir: options.authDir ?? tempDir(),
    stateDir: options.stateDir ?? tempDir(),
    reconnect: { initialMs: 50, maxMs: 200 },
    socketFactory: fake.factory as unknown as SocketFactory,
  });
  adapters.push(adapter);
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => {
      delivered.push(message);
    },
    logger: { debug: () => undefined, info: (message) => logs.push(message), warn: (message) => logs.push(message), error: (message) => logs.push(message) },
    signal: new AbortController().signal,
  };
  return { fake, adapter, delivered, logs, context };
}

describe("disconnect codes", () => {
  it.each([
    [401, "logged_out", /logged out from the phone \(401\): relink needed/],
    [440, "replaced", /replaced by another WhatsApp Web session \(440\)/],
  ])("%i is terminal: no retry, relink needed", async (code, state, message) => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true });
    fake.disconnect(code);
    await waitFor("the terminal state", () => adapter.status().state === state);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.connectionsOpened()).toBe(1);
    expect(adapter.status()).toMatchObject({ state, connected: false, relinkNeeded: true, lastError: expect.stringMatching(message) });
  });

  it("515 restarts at once, without counting a reconnect", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    fake.disconnect(515);
    await waitFor("a second socket", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it.each([428, 408, 500, 503])("%i is not terminal: it backs off through the supervisor and reconnects, one socket at a time", async (code) => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    fake.disconnect(code);
    await waitFor("the reconnecting state", () => adapter.status().state === "reconnecting");
    expect(adapter.status().lastError).toContain(`(${code})`);
    await waitFor("a reconnect", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    expect(fake.maxConcurrentConnections()).toBe(1);
  });
});

describe("linking", () => {
  it("shows the QR while unlinked, then connects after the phone links and WhatsApp restarts (515)", async () => {
    const { fake, adapter, context } = setup({ linked: false });
    await adapter.start(context);
    const status = adapter.status();
    expect(status).toMatchObject({ state: "awaiting_link", connected: false, linked: false });
    expect(status.qr).toMatch(/^2@fake-qr-1,/);
    expect(await renderQr(status.qr!)).toMatch(/[▀▄█]/);
    fake.link();
    await waitFor("connected after linking", () => adapter.status().connected);
    expect(adapter.status().qr).toBeUndefined();
    expect(fake.connectionsOpened()).toBe(2);
  });

  it("gives a pairing code for a phone number", async () => {
    const { adapter, context } = setup({ linked: false });
    await adapter.start(context);
    expect(await adapter.requestPairingCode("+1 555 000 1234")).toBe("ABCD1234");
  });
});

/** Another gateway: a separate process that takes the session lock through the built package and holds it. */
async function lockInAnotherProcess(stateDir: string, authDir: string): Promise<{ pid: number; kill(): Promise<void> }> {
  const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  const script = `
    const { acquireSessionLock } = await import(${JSON.stringify(entry)});
    acquireSessionLock({ stateDir: ${JSON.stringify(stateDir)}, authDir: ${JSON.stringify(authDir)}, owner: "whatsapp account other" });
    process.stdout.write("held\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
    child.on("exit", (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  const kill = async () => {
    child.kill("SIGKILL");
    await exited;
  };
  cleanups.push(kill);
  return { pid: child.pid!, kill };
}

describe("one session per host (a lock in the state dir, keyed by the auth dir)", () => {
  it("refuses a second account on the same auth dir in this gateway, however the path is spelled", async () => {
    const authDir = tempDir();
    const first = setup({ authDir });
    await first.adapter.start(first.context);
    const second = setup({ authDir });
    await expect(second.adapter.start(second.context)).rejects.toThrow(
      /already used by whatsapp account default in this gateway; give each account its own authDir/,
    );
    const link = join(tempDir(), "same-dir");
    symlinkSync(authDir, link);
    const third = setup({ authDir: link });
    await expect(third.adapter.start(third.context)).rejects.toThrow(/already used by whatsapp account default in this gateway/);
    expect(first.adapter.status().connected).toBe(true);
  });

  it("refuses a second gateway on the same state dir, naming the process that holds the session", async () => {
    const stateDir = tempDir();
    const authDir = tempDir();
    const other = await lockInAnotherProcess(stateDir, authDir);
    const { fake, adapter, context } = setup({ stateDir, authDir });
    await expect(adapter.start(context)).rejects.toThrow(
      `is already open in process ${other.pid} (another gateway on the state dir ${stateDir}); stop it first: only one process may hold a WhatsApp session`,
    );
    expect(fake.connectionsOpened()).toBe(0);
  });

  it("refuses a second gateway on another state dir that points at the same auth dir", async () => {
    const authDir = tempDir();
    const theirs = tempDir();
    const other = await lockInAnotherProcess(theirs, authDir);
    const { fake, adapter, context } = setup({ stateDir: tempDir(), authDir });
    await expect(adapter.start(context)).rejects.toThrow(
      `is already open in process ${other.pid} (a gateway with the state dir ${theirs}); two gateways cannot share one WhatsApp session`,
    );
    expect(fake.connectionsOpened()).toBe(0);
  });

  it("keeps the lock under <stateDir>/locks/whatsapp, takes over one left by a killed gateway, and removes it on stop", async () => {
    const stateDir = tempDir();
    const authDir = tempDir();
    const other = await lockInAnotherProcess(stateDir, authDir);
    await other.kill();
    const { adapter, context } = setup({ stateDir, authDir });
    await adapter.start(context);
    expect(adapter.status().connected).toBe(true);
    const locks = readdirSync(join(stateDir, "locks", "whatsapp"));
    expect(locks).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(stateDir, "locks", "whatsapp", locks[0]!), "utf8"))).toMatchObject({
      pid: process.pid,
      owner: "whatsapp account default",
      stateDir,
    });
    expect(JSON.parse(readFileSync(join(authDir, "session.owner"), "utf8"))).toMatchObject({ pid: process.pid, stateDir });
    await adapter.stop();
    expect(readdirSync(join(stateDir, "locks", "whatsapp"))).toEqual([]);
    expect(existsSync(join(authDir, "session.owner"))).toBe(false);
  });
});

describe("auth state", () => {
  it("a burst of creds.update leaves one valid file, and only logout deletes it", async () => {
    const authDir = tempDir();
    const { fake, adapter, context } = setup({ authDir });
    await adapter.start(context);
    await adapter.store.flush();
    // Opening wrote the creds once already (Baileys records who we are on connect).
    const before = adapter.store.completedWrites;
    fake.credsBurst(200);
    await adapter.store.flush();
    expect(adapter.store.completedWrites - before).toBe(200);
    expect(JSON.parse(readFileSync(join(authDir, "creds.json"), "utf8"), BufferJSON.reviver)).toHaveProperty("noiseKey");
    expect(readdirSync(authDir).filter((name) => name.includes(".tmp-"))).toEqual([]);

    // Reconnects and stops keep the state.
    fake.disconnect(500);
    await waitFor("a reconnect", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    await adapter.stop();
    expect(existsSync(join(authDir, "creds.json"))).toBe(true);
    await adapter.logout();
    expect(existsSync(authDir)).toBe(false);
  });

  it("a kill -9 in the middle of a write leaves a valid creds.json", async () => {
    const authDir = tempDir();
    const store = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      const { AuthStore } = await import(${JSON.stringify(store)});
      const auth = new AuthStore(${JSON.stringify(authDir)});
      const state = auth.load();
      process.stdout.write("go\\n");
      for (let i = 0; ; i++) {
        state.creds.nextPreKeyId = i;
        state.creds.padding = "x".repeat(20000 + (i % 1000));
        await auth.saveCreds();
      }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("go") && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const reopened = new AuthStore(authDir);
    const state = reopened.load();
    expect(state.creds.nextPreKeyId).toBeGreaterThan(0);
    expect(readdirSync(authDir).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("bounds the stored keys per type", async () => {
    const store = new AuthStore(tempDir(), 100);
    const state = store.load();
    const preKeys: Record<string, { public: Uint8Array; private: Uint8Array }> = {};
    for (let id = 1; id <= 250; id += 1) preKeys[String(id)] = { public: new Uint8Array([id % 256]), private: new Uint8Array([1]) };
    await state.keys.set({ "pre-key": preKeys });
    const kept = await state.keys.get("pre-key", Object.keys(preKeys));
    expect(Object.keys(kept)).toHaveLength(100);
    expect(kept["250"]).toBeDefined();
    expect(kept["1"]).toBeUndefined();
    await state.keys.set({ "pre-key": { "250": null } });
    expect(await state.keys.get("pre-key", ["250"])).toEqual({});
  });
});

describe("messages", () => {
  it("hands over notify upserts in order, drops our own and append upserts", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    const from = "15551112222@s.whatsapp.net";
    fake.upsert([fake.message({ from, text: "one" }), fake.message({ from, text: "mine", fromMe: true }), fake.message({ from, text: "two" })]);
    fake.upsert([fake.message({ from, text: "history" })], "append");
    await waitFor("two messages", () => delivered.length === 2);
    expect(delivered.map((message) => message.text)).toEqual(["one", "two"]);
    expect(delivered[0]).toMatchObject({ channel: "whatsapp", chat: { kind: "dm", id: from }, sender: { id: from, name: "Fake Sender" } });
  });

  it("maps group mentions, captions and media facts", () => {
    const fake: WhatsAppFake = startWhatsAppFake();
    const group = toInbound(
      fake.message({ from: "15551112222:3@s.whatsapp.net", group: "123-456@g.us", text: "@bot hi", mentions: ["15550000000@s.whatsapp.net"] }) as never,
      "default",
    );
    expect(group).toMatchObject({
      chat: { kind: "group", id: "123-456@g.us" },
      sender: { id: "15551112222@s.whatsapp.net" },
      mentions: ["15550000000@s.whatsapp.net"],
      text: "@bot hi",
    });
    const photo = toInbound(
      fake.message({ from: "15551112222@s.whatsapp.net", image: { caption: "look", mimetype: "image/png", fileLength: 2048 } }) as never,
      "default",
    );
    expect(photo).toMatchObject({ text: "look", media: [{ contentType: "image/png", sizeBytes: 2048 }] });
  });

  it("sends a text notice when media cannot be sent", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    fake.failSends({ status: 500 });
    const receipt = await adapter.sendMedia({
      channel: "whatsapp",
      accountId: "default",
      chatId: "15551112222",
      source: "https://example.invalid/a.png",
      contentType: "image/png",
      caption: "the chart",
      fileName: "a.png",
      idempotencyKey: "k",
    });
    expect(receipt.providerMessageIds).toHaveLength(1);
    expect(fake.sent.at(-1)?.content).toEqual({ text: "the chart\n[could not attach a.png: WhatsApp send failed (500): fake refusal 500]" });
  });
});

describe("delivery guarantees and send classification", () => {
  it("after a 401 the account says relink needed and stays stopped: no retry in the hour after, not linked, not connected", async () => {
    // Only timers and the clock are faked (the fake socket's setImmediate stays real), so an hour of backoff can pass.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    cleanups.push(() => void vi.useRealTimers());
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    expect(adapter.status()).toMatchObject({ state: "connected", linked: true });
    fake.disconnect(401);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(fake.connectionsOpened()).toBe(1);
    expect(adapter.status()).toMatchObject({
      state: "logged_out",
      connected: false,
      linked: false,
      relinkNeeded: true,
      reconnectAttempts: 0,
      lastError: "logged out from the phone (401): relink needed: openclaw channels logout --channel whatsapp, then openclaw channels login --channel whatsapp",
    });
    await adapter.stop();
    expect(adapter.status()).toMatchObject({ state: "logged_out", relinkNeeded: true });
  });

  it("a quiet account is never restarted for lack of messages", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    cleanups.push(() => void vi.useRealTimers());
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    await vi.advanceTimersByTimeAsync(6 * 60 * 60_000);
    expect(fake.connectionsOpened()).toBe(1);
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true, reconnectAttempts: 0 });
  });

  it("a send that fails without a WhatsApp status is ambiguous (reconciled, never replayed blindly); a redelivered message keeps its id for the router's dedupe", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    fake.failSends({ status: 0, plain: "media upload stream reset" });
    await expect(
      adapter.send({ channel: "whatsapp", accountId: "default", chatId: "15551112222", text: "maybe sent", idempotencyKey: "k7" }),
    ).rejects.toMatchObject({
      kind: "ambiguous",
      message: "WhatsApp send failed: media upload stream reset",
    });
    const message = fake.message({ from: "15551112222@s.whatsapp.net", text: "once" });
    fake.upsert([message]);
    fake.upsert([message]);
    await waitFor("both copies handed over", () => delivered.length === 2);
    expect(delivered[0]).toMatchObject({ chat: { id: "15551112222@s.whatsapp.net" }, providerMessageId: message.key.id });
    expect(delivered[1]?.providerMessageId).toBe(delivered[0]?.providerMessageId);
  });

  it("a 4xx refusal is permanent and a bad target never reaches WhatsApp; 5xx and a closed connection are transient", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    const send = (chatId: string, text: string) => adapter.send({ channel: "whatsapp", accountId: "default", chatId, text, idempotencyKey: text });
    fake.failSends({ status: 403 });
    await expect(send("15551112222", "forbidden")).rejects.toMatchObject({ kind: "permanent", status: 403 });
    await expect(send("not a number", "bad target")).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringContaining("neither a phone number nor a WhatsApp JID"),
    });
    fake.failSends({ status: 500 });
    await expect(send("15551113333", "server error")).rejects.toMatchObject({ kind: "transient", status: 500 });
    fake.failSends({ status: 428 });
    await expect(send("15551114444", "closed")).rejects.toMatchObject({ kind: "transient", status: 428 });
    expect(fake.attempts.map((attempt) => attempt.status)).toEqual([403, 500, 428]);
  });

  it("a 429 is rate_limited with WhatsApp's delay, and the next send to that chat waits for it", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    const send = (text: string) => adapter.send({ channel: "whatsapp", accountId: "default", chatId: "15551112222", text, idempotencyKey: text });
    fake.failSends({ status: 429, retryAfterSeconds: 1 });
    await expect(send("too fast")).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 1_000 });
    const refusedAt = fake.attempts[0]!.atMs;
    await send("later");
    expect(fake.sent[0]!.atMs - refusedAt).toBeGreaterThanOrEqual(900);
  });

  it("messages sent while the socket was down arrive after the reconnect", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    fake.disconnect(500);
    fake.upsert([fake.message({ from: "15551112222@s.whatsapp.net", text: "while reconnecting" })]);
    await waitFor("the message after the reconnect", () => delivered[0]);
    expect(delivered.map((message) => message.text)).toEqual(["while reconnecting"]);
    expect(fake.connectionsOpened()).toBe(2);
  });
});

describe("QR rotation", () => {
  it("channels.status always shows the newest QR as WhatsApp rotates it on the same socket, and a fresh socket after the refs run out", async () => {
    const fake = startWhatsAppFake({ linked: false, firstQrMs: 60_000, qrRefs: 2 });
    const { adapter, context } = setup({ fake });
    await adapter.start(context);
    expect(adapter.status().qr).toBe(fake.qrs[0]);
    fake.rotateQr();
    await waitFor("the second QR in the status", () => adapter.status().qr === fake.qrs[1]);
    expect(fake.qrs[1]).not.toBe(fake.qrs[0]);
    expect(fake.connectionsOpened()).toBe(1);
    expect(adapter.status()).toMatchObject({ state: "awaiting_link", linked: false, connected: false });
    // Past the last ref WhatsApp closes with 408; the next socket starts with a new QR.
    fake.rotateQr();
    await waitFor("a new socket with a new QR", () => fake.connectionsOpened() === 2 && fake.qrs.length === 3 && adapter.status().qr === fake.qrs[2]);
    fake.link();
    await waitFor("connected", () => adapter.status().connected);
    expect(adapter.status().qr).toBeUndefined();
  });
});

describe("logout", () => {
  it("backs up the auth dir before deleting it, keeping only the newest backup", async () => {
    const stateDir = tempDir();
    const authDir = join(stateDir, "credentials", "whatsapp", "default");
    const first = setup({ stateDir, authDir });
    await first.adapter.start(first.context);
    first.fake.credsBurst(3);
    await first.adapter.store.flush();
    const firstCreds = readFileSync(join(authDir, "creds.json"), "utf8");
    await first.adapter.logout();
    expect(existsSync(authDir)).toBe(false);
    const backupDir = join(stateDir, "backups", "whatsapp", "default");
    expect(first.adapter.backupDir).toBe(backupDir);
    expect(readdirSync(backupDir).sort()).toEqual(["creds.json"]);
    expect(readFileSync(join(backupDir, "creds.json"), "utf8")).toBe(firstCreds);

    const second = setup({ stateDir, authDir });
    await second.adapter.start(second.context);
    await second.adapter.store.saveCreds();
    const secondCreds = readFileSync(join(authDir, "creds.json"), "utf8");
    expect(secondCreds).not.toBe(firstCreds);
    await second.adapter.logout();
    expect(readFileSync(join(backupDir, "creds.json"), "utf8")).toBe(secondCreds);
    expect(readdirSync(join(stateDir, "backups", "whatsapp"))).toEqual(["default"]);
  });

  it("deletes nothing when the backup cannot be written", async () => {
    const stateDir = tempDir();
    const authDir = tempDir();
    const blocked = join(tempDir(), "not-a-dir");
    writeFileSync(blocked, "a file where the backup dir would go");
    const fake = startWhatsAppFake();
    const adapter = new WhatsAppAdapter({
      accountId: "default",
      authDir,
      stateDir,
      backupDir: join(blocked, "default"),
      socketFactory: fake.factory as unknown as SocketFactory,
    });
    adapters.push(adapter);
    await adapter.start({
      accountId: "default",
      deliver: async () => undefined,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      signal: new AbortController().signal,
    });
    await adapter.store.saveCreds();
    await expect(adapter.logout()).rejects.toThrow(/could not back up the WhatsApp auth state .* before logout .*; nothing was deleted/);
    expect(existsSync(join(authDir, "creds.json"))).toBe(true);
  });
});

describe("read receipts and replies", () => {
  it("delivering a message sends no read receipt: marking read is the gateway's call (markRead)", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    fake.upsert([fake.message({ from: "15551112222@s.whatsapp.net", text: "one" })]);
    // Deliveries run in one chain: once the barrier is delivered, anything done for "one" is done.
    fake.upsert([fake.message({ from: "15551112222@s.whatsapp.net", text: "barrier" })]);
    await waitFor("both messages", () => delivered.length === 2);
    expect(fake.reads).toEqual([]);
  });

  it("maps a reply to replyTo, with the quoted author so a reply to the bot counts as a mention", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    fake.upsert([
      fake.message({
        from: "15551112222:4@s.whatsapp.net",
        group: "123-456@g.us",
        text: "yes, that",
        replyTo: { id: "3EB000000042", participant: "15550000000:7@s.whatsapp.net", text: "shall I?" },
      }),
    ]);
    const message = await waitFor("the reply", () => delivered[0]);
    expect(message).toMatchObject({
      chat: { kind: "group", id: "123-456@g.us" },
      text: "yes, that",
      replyTo: { messageId: "3EB000000042", senderId: "15550000000@s.whatsapp.net" },
    });
    expect(message.replyTo?.senderId).toBe(adapter.identity()?.id);
  });
});

describe("media", () => {
  const media = (adapter: WhatsAppAdapter, input: { contentType: string; caption?: string; fileName?: string }) =>
    adapter.sendMedia({
      channel: "whatsapp",
      accountId: "default",
      chatId: "15551112222",
      source: `https://media.example/${input.fileName ?? "x"}`,
      idempotencyKey: input.contentType,
      ...input,
    });

  it("sends image, video and document with the caption on the item itself", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    await media(adapter, { contentType: "image/png", caption: "the chart", fileName: "chart.png" });
    await media(adapter, { contentType: "video/mp4", caption: "the clip", fileName: "clip.mp4" });
    await media(adapter, { contentType: "application/pdf", caption: "the report", fileName: "report.pdf" });
    expect(fake.sent.map((sent) => sent.content)).toEqual([
      { image: { url: "https://media.example/chart.png" }, caption: "the chart" },
      { video: { url: "https://media.example/clip.mp4" }, caption: "the clip" },
      { document: { url: "https://media.example/report.pdf" }, mimetype: "application/pdf", fileName: "report.pdf", caption: "the report" },
    ]);
    expect(fake.sent.every((sent) => sent.jid === "15551112222@s.whatsapp.net")).toBe(true);
  });

  it("sends audio (Ogg/Opus as a voice note) with its caption first, as a text, since WhatsApp shows no caption on audio", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    const receipt = await media(adapter, { contentType: "audio/ogg; codecs=opus", caption: "listen", fileName: "note.ogg" });
    await media(adapter, { contentType: "audio/mpeg", fileName: "song.mp3" });
    expect(fake.sent.map((sent) => sent.content)).toEqual([
      { text: "listen" },
      { audio: { url: "https://media.example/note.ogg" }, mimetype: "audio/ogg; codecs=opus", ptt: true },
      { audio: { url: "https://media.example/song.mp3" }, mimetype: "audio/mpeg" },
    ]);
    expect(receipt.providerMessageIds).toEqual([fake.sent[0]!.id, fake.sent[1]!.id]);
  });
});
