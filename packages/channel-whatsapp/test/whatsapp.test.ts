import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BufferJSON } from "@whiskeysockets/baileys";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startWhatsAppFake, type WhatsAppFake } from "@openclaw/testing";
import { AuthStore, WhatsAppAdapter, renderQr, toInbound, type SocketFactory } from "../src/index.js";

const dirs: string[] = [];
const adapters: WhatsAppAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-wa-"));
  dirs.push(dir);
  return dir;
}

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function setup(options: { linked?: boolean; authDir?: string; sendReadReceipts?: boolean } = {}) {
  const fake = startWhatsAppFake({ linked: options.linked ?? true });
  const delivered: InboundMessage[] = [];
  const logs: string[] = [];
  const adapter = new WhatsAppAdapter({
    accountId: "default",
    authDir: options.authDir ?? tempDir(),
    reconnect: { initialMs: 50, maxMs: 200 },
    ...(options.sendReadReceipts !== undefined ? { sendReadReceipts: options.sendReadReceipts } : {}),
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
  ])("field failure #1 (reconnect storm on 440/401): %i is terminal: no retry, relink needed", async (code, state, message) => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    expect(adapter.status()).toMatchObject({ state: "connected", connected: true });
    fake.disconnect(code);
    await waitFor("the terminal state", () => adapter.status().state === state);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.connectionsOpened()).toBe(1);
    expect(adapter.status()).toMatchObject({ state, connected: false, relinkNeeded: true, lastError: expect.stringMatching(message) });
  });

  it("field failure #1: 515 restarts at once, without counting a reconnect", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    fake.disconnect(515);
    await waitFor("a second socket", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
    expect(fake.maxConcurrentConnections()).toBe(1);
  });

  it.each([428, 408, 500, 503])("field failure #1/#2: %i backs off through the supervisor and reconnects", async (code) => {
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

describe("one session per host", () => {
  it("refuses a second account on the same auth dir, and a dir held by another live process", async () => {
    const authDir = tempDir();
    const first = setup({ authDir });
    await first.adapter.start(first.context);
    const second = setup({ authDir });
    await expect(second.adapter.start(second.context)).rejects.toThrow(/already used by whatsapp account default in this gateway/);

    const other = tempDir();
    writeFileSync(join(other, "session.lock"), String(process.ppid));
    const third = setup({ authDir: other });
    await expect(third.adapter.start(third.context)).rejects.toThrow(new RegExp(`already open in process ${process.ppid}`));
  });

  it("takes over a lock left by a process that is gone", async () => {
    const authDir = tempDir();
    writeFileSync(join(authDir, "session.lock"), "999999");
    const { adapter, context } = setup({ authDir });
    await adapter.start(context);
    expect(adapter.status().connected).toBe(true);
    expect(readFileSync(join(authDir, "session.lock"), "utf8")).toBe(String(process.pid));
  });
});

describe("auth state", () => {
  it("field failures #3 and #4 (creds race, session wiped): a burst of creds.update leaves one valid file, and only logout deletes it", async () => {
    const authDir = tempDir();
    const { fake, adapter, context } = setup({ authDir });
    await adapter.start(context);
    fake.credsBurst(200);
    await adapter.store.flush();
    expect(adapter.store.completedWrites).toBe(200);
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

  it("field failure #3 (creds.json corruption race): a kill -9 in the middle of a write leaves a valid creds.json", async () => {
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

  it("field failures #3 and #16 (key files growing without bound): bounds the stored keys per type", async () => {
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
  it("field failure #13 (self-echo loops): hands over notify upserts in order, drops our own and append upserts, and sends read receipts", async () => {
    const { fake, adapter, context, delivered } = setup();
    await adapter.start(context);
    const from = "15551112222@s.whatsapp.net";
    fake.upsert([fake.message({ from, text: "one" }), fake.message({ from, text: "mine", fromMe: true }), fake.message({ from, text: "two" })]);
    fake.upsert([fake.message({ from, text: "history" })], "append");
    await waitFor("two messages", () => delivered.length === 2);
    expect(delivered.map((message) => message.text)).toEqual(["one", "two"]);
    expect(delivered[0]).toMatchObject({ channel: "whatsapp", chat: { kind: "dm", id: from }, sender: { id: from, name: "Fake Sender" } });
    await waitFor("read receipts", () => fake.reads.length === 2);
  });

  it("maps group mentions, captions and media facts", () => {
    const fake: WhatsAppFake = startWhatsAppFake();
    const group = toInbound(fake.message({ from: "15551112222:3@s.whatsapp.net", group: "123-456@g.us", text: "@bot hi", mentions: ["15550000000@s.whatsapp.net"] }) as never, "default");
    expect(group).toMatchObject({ chat: { kind: "group", id: "123-456@g.us" }, sender: { id: "15551112222@s.whatsapp.net" }, mentions: ["15550000000@s.whatsapp.net"], text: "@bot hi" });
    const photo = toInbound(fake.message({ from: "15551112222@s.whatsapp.net", image: { caption: "look", mimetype: "image/png", fileLength: 2048 } }) as never, "default");
    expect(photo).toMatchObject({ text: "look", media: [{ contentType: "image/png", sizeBytes: 2048 }] });
  });

  it("sends a text notice when media cannot be sent", async () => {
    const { fake, adapter, context } = setup();
    await adapter.start(context);
    fake.failSends({ status: 500 });
    const receipt = await adapter.sendMedia({ channel: "whatsapp", accountId: "default", chatId: "15551112222", source: "https://example.invalid/a.png", contentType: "image/png", caption: "the chart", fileName: "a.png", idempotencyKey: "k" });
    expect(receipt.providerMessageIds).toHaveLength(1);
    expect(fake.sent.at(-1)?.content).toEqual({ text: "the chart\n[could not attach a.png: WhatsApp send failed (500): fake refusal 500]" });
  });
});
