import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, InboundMessage } from "@openclaw/channel-kit";
import { startImessageFake, type ImessageFake } from "@openclaw/testing";
import { ImessageAdapter, type ImessageAdapterOptions } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setup(options: { fake?: ImessageFake; stateFile?: string; overrides?: Partial<ImessageAdapterOptions> } = {}) {
  const fake = options.fake ?? (await startImessageFake());
  if (!options.fake) cleanups.push(() => fake.close());
  let stateFile = options.stateFile;
  if (!stateFile) {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-imsg-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    stateFile = join(dir, "default.json");
  }
  const delivered: InboundMessage[] = [];
  const warnings: string[] = [];
  const adapter = new ImessageAdapter({ accountId: "default", cliPath: fake.cliPath, stateFile, reconnect: { initialMs: 100, maxMs: 300 }, ...options.overrides });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered, warnings, stateFile };
}

describe("imsg over stdio", () => {
  it("skips a garbled frame and keeps reading; answers chats.list and messages.history", async () => {
    const { fake, adapter, delivered, warnings } = await setup();
    fake.garbleNextWrite();
    fake.message({ chatId: 6, sender: "+15550000006", text: "after garbage" });
    await waitFor("the message after the garbage", () => delivered[0]);
    expect(warnings).toContain("imsg wrote a line that is not JSON; skipped");
    expect(await adapter.listChats()).toEqual([{ id: 1, identifier: "+15550000001", service: "iMessage" }]);
    expect((await adapter.history("6")).map((message) => message.text)).toEqual(["after garbage"]);
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
    const pending = adapter.send({ channel: "imessage", accountId: "default", chatId: "5", text: "in flight", idempotencyKey: "k" });
    await waitFor("the send at the fake", () => fake.attempts[0]);
    fake.exitChildren(3);
    await expect(pending).rejects.toMatchObject({ kind: "transient", message: expect.stringContaining("imsg exited (code 3)") });
    release();
    await waitFor("a new child", () => fake.connectionsOpened() === 2 && adapter.status().connected);
    expect(fake.maxConcurrentConnections()).toBe(1);
    fake.message({ chatId: 2, sender: "+15550000002", text: "after restart" });
    await waitFor("a message on the new child", () => delivered.find((message) => message.text === "after restart"));
  });

  it("field failure #8 (inbound lost across restarts): keeps the last admitted rowid on disk and resumes from it, nothing missed, nothing replayed", async () => {
    const fake = await startImessageFake();
    cleanups.push(() => fake.close());
    const first = await setup({ fake });
    fake.message({ chatId: 3, sender: "+15550000003", text: "one" });
    await waitFor("one", () => first.delivered[0]);
    await first.adapter.stop();
    const lastRowid = (JSON.parse(readFileSync(first.stateFile, "utf8")) as { lastRowid: number }).lastRowid;
    fake.message({ chatId: 3, sender: "+15550000003", text: "two (while stopped)" });
    const second = await setup({ fake, stateFile: first.stateFile });
    await waitFor("the missed message", () => second.delivered[0]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.delivered.map((message) => message.text)).toEqual(["two (while stopped)"]);
    expect(fake.subscriptions.at(-1)).toBe(lastRowid);
  });

  it("field failure #13 (self-echo loops, is_from_me): drops our own rows, and old backlog rows", async () => {
    const { fake, delivered, warnings } = await setup();
    fake.message({ chatId: 4, sender: "me", text: "mine", fromMe: true });
    fake.message({ chatId: 4, sender: "+15550000004", text: "ancient", ageMs: 20 * 60_000 });
    fake.message({ chatId: 4, sender: "+15550000004", text: "fresh", isGroup: true });
    await waitFor("the fresh message", () => delivered[0]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered.map((message) => message.text)).toEqual(["fresh"]);
    expect(delivered[0]?.chat).toEqual({ kind: "group", id: "4" });
    expect(warnings).toContain("skipped an old iMessage row (backlog, not news)");
  });

  it("a missing binary is reported clearly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-imsg-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const adapter = new ImessageAdapter({ accountId: "default", cliPath: join(dir, "no-such-imsg"), stateFile: join(dir, "s.json"), reconnect: { initialMs: 50, maxMs: 100 } });
    cleanups.push(() => adapter.stop());
    const context: ChannelStartContext = { accountId: "default", deliver: async () => undefined, logger: { debug() {}, info() {}, warn() {}, error() {} }, signal: new AbortController().signal };
    await expect(adapter.start(context)).rejects.toThrow(/could not run .*no-such-imsg: spawn .* ENOENT; set channels\.imessage\.cliPath/);
    expect(adapter.status()).toMatchObject({ state: "failed", connected: false });
  });
});
