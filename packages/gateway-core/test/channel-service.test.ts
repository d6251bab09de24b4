import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "@openclaw/channel-kit";
import { MemoryProvider, waitFor } from "./memory-channel.js";
import { ChannelService, type ChannelServiceOptions } from "../src/channels/channel-service.js";
import { createChannelHandlers } from "../src/methods/channels.js";
import { generatePairingCode } from "../src/channels/pairing.js";
import { channelSessionKey } from "../src/channels/accounts.js";
import { openMemoryStore, openStore, type Store } from "../src/store/index.js";
import { ConfigError } from "../src/errors.js";
import { requestContext } from "./request-context.js";
import { prepared } from "../src/store/statements.js";
import { firstColumn } from "./sql.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(
  options: {
    config?: Record<string, unknown>;
    store?: Store;
    provider?: MemoryProvider;
    agent?: ChannelServiceOptions["agent"];
    outbox?: ChannelServiceOptions["outbox"];
    now?: () => number;
  } = {},
) {
  const provider = options.provider ?? new MemoryProvider();
  const store = options.store ?? openMemoryStore();
  if (!options.store) cleanups.push(() => store.close());
  const turns: string[] = [];
  const service = new ChannelService({
    db: store.db,
    loaders: { memory: async () => provider.definition() },
    config: { memory: options.config ?? { dmPolicy: "open", allowFrom: ["*"] } },
    agent: options.agent ?? {
      run: async ({ message, sessionKey }) => {
        turns.push(`${sessionKey}|${message}`);
        return { status: "ok", text: `re: ${message}` };
      },
    },
    outbox: options.outbox ?? { retryDelaysMs: [30, 60], idleRecheckMs: 20 },
    sendWaitMs: 2_000,
    ...(options.now ? { now: options.now } : {}),
  });
  cleanups.push(() => service.stop());
  return { provider, store, service, turns, handlers: createChannelHandlers(service) };
}

describe("inbound router", () => {
  it("answers a DM in the originating chat and records the message before acking", async () => {
    const { provider, service, turns, store } = setup();
    await service.start();
    await provider.deliver(provider.inbound({ text: "hi", id: "1" }));
    // Recorded by the time deliver resolved: the adapter may ack the provider now.
    expect(prepared(store.db, "SELECT COUNT(*) AS n FROM channel_inbound").get()).toEqual({ n: 1 });
    await waitFor("reply", () => provider.sent[0]);
    expect(provider.sent).toEqual([{ chatId: "dm-u1", text: "re: hi", id: "m1" }]);
    expect(turns).toEqual(["agent:main:main|hi"]);
  });

  it("drops a redelivered message, even after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-channels-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const provider = new MemoryProvider();
    const first = openStore(join(dir, "state.db"));
    const one = setup({ store: first, provider });
    await one.service.start();
    await provider.deliver(provider.inbound({ text: "once", id: "7" }));
    await waitFor("reply", () => provider.sent[0]);
    await provider.deliver(provider.inbound({ text: "once", id: "7" }));
    await one.service.stop();
    first.close();

    const second = openStore(join(dir, "state.db"));
    cleanups.push(() => second.close());
    const two = setup({ store: second, provider });
    await two.service.start();
    await provider.deliver(provider.inbound({ text: "once", id: "7" }));
    await provider.deliver(provider.inbound({ text: "next", id: "8" }));
    await waitFor("second reply", () => provider.sent[1]);
    expect(one.turns).toEqual(["agent:main:main|once"]);
    expect(two.turns).toEqual(["agent:main:main|next"]);
  });

  it("drops the echo of a message it sent, by its provider id alone", async () => {
    const { provider, service, turns } = setup();
    await service.start();
    await provider.deliver(provider.inbound({ text: "a", id: "1" }));
    const sent = await waitFor("reply", () => provider.sent[0]);
    // The echo carries the user's sender id, as self-chat and is_from_me echoes do, so the bot-identity
    // check cannot catch it: only the id-based echo registry can.
    await provider.deliver(provider.inbound({ text: sent.text, id: sent.id, from: "u1" }));
    await provider.deliver(provider.inbound({ text: "b", id: "2" }));
    // Same chat, so one lane: "b" is answered only after the echo was handled (or dropped).
    await waitFor("the reply to b", () => provider.sent.find((message) => message.text === "re: b"));
    expect(turns).toEqual(["agent:main:main|a", "agent:main:main|b"]);
    expect(provider.sent.map((message) => message.text)).toEqual(["re: a", "re: b"]);
  });

  it("keeps one conversation in order while others run in parallel", async () => {
    const gates = new Map<string, () => void>();
    const order: string[] = [];
    const { provider, service } = setup({
      agent: {
        run: async ({ message }) => {
          order.push(`start ${message}`);
          if (message === "slow") await new Promise<void>((resolve) => gates.set(message, resolve));
          order.push(`end ${message}`);
          return { status: "ok", text: message };
        },
      },
    });
    await service.start();
    await provider.deliver(provider.inbound({ text: "slow", id: "1", from: "a" }));
    await provider.deliver(provider.inbound({ text: "after-slow", id: "2", from: "a" }));
    await provider.deliver(provider.inbound({ text: "other", id: "3", from: "b" }));
    await waitFor("other chat answered", () => provider.sent.find((sent) => sent.text === "other"));
    expect(order).toEqual(["start slow", "start other", "end other"]);
    gates.get("slow")!();
    await waitFor("both answered", () => provider.sent.length === 3);
    expect(order.slice(3)).toEqual(["end slow", "start after-slow", "end after-slow"]);
  });

  it("derives session keys from dmScope, groups and threads", () => {
    const base = { agentId: "main", channel: "telegram", accountId: "work", senderId: "42" };
    expect(channelSessionKey({ ...base, chat: { kind: "dm", id: "42" }, dmScope: "main" })).toBe("agent:main:main");
    expect(channelSessionKey({ ...base, chat: { kind: "dm", id: "42" }, dmScope: "per-peer" })).toBe("agent:main:dm:42");
    expect(channelSessionKey({ ...base, chat: { kind: "dm", id: "42" }, dmScope: "per-channel-peer" })).toBe("agent:main:telegram:dm:42");
    expect(channelSessionKey({ ...base, chat: { kind: "dm", id: "42" }, dmScope: "per-account-channel-peer" })).toBe("agent:main:telegram:work:dm:42");
    expect(channelSessionKey({ ...base, chat: { kind: "group", id: "-100" }, dmScope: "main", thread: "7" })).toBe("agent:main:telegram:group:-100:thread:7");
  });

  it("gates groups by allowlist and mention; DM approval never opens a group", async () => {
    const { provider, service, turns } = setup({ config: { dmPolicy: "open", allowFrom: ["*"], groups: { g1: {} } } });
    await service.start();
    await provider.deliver(provider.inbound({ text: "no mention", id: "1", kind: "group" }));
    await provider.deliver(provider.inbound({ text: "@membot hello", id: "2", kind: "group", mentions: ["membot"] }));
    await provider.deliver(provider.inbound({ text: "@membot other group", id: "3", kind: "group", chat: { kind: "group", id: "g2" }, mentions: ["membot"] }));
    await waitFor("mentioned reply", () => provider.sent[0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(turns).toEqual(["agent:main:memory:group:g1|User u1: @membot hello"]);
  });
});

describe("DM pairing", () => {
  it("sends a code once, approves the sender for DMs, and then answers", async () => {
    const { provider, service, turns, handlers } = setup({ config: {} });
    await service.start();
    await provider.deliver(provider.inbound({ text: "hello?", id: "1", from: "stranger" }));
    const notice = await waitFor("pairing code", () => provider.sent[0]);
    const code = /code is (\S{8})/.exec(notice.text)?.[1];
    // A literal, not the code's own constant: 8 uppercase letters and digits without 0, O, 1, I.
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(notice.text).toContain(`openclaw channels pairing approve memory ${code}`);

    // A second DM while pending: no new code, no reply, no agent turn.
    await provider.deliver(provider.inbound({ text: "hello??", id: "2", from: "stranger" }));
    const listed = await handlers["channels.pairing.list"]!({}, requestContext());
    expect(listed.requests).toEqual([
      expect.objectContaining({ code, channel: "memory", accountId: "default", senderId: "stranger", senderName: "User stranger" }),
    ]);

    const approved = await handlers["channels.pairing.approve"]!({ channel: "memory", code: code!.toLowerCase() }, requestContext());
    expect(approved).toMatchObject({ ok: true, channel: "memory", accountId: "default" });
    await provider.deliver(provider.inbound({ text: "now?", id: "3", from: "stranger" }));
    await waitFor("agent reply", () => provider.sent[1]);
    expect(
      provider.sent
        .map((sent) => sent.text)
        .slice(1)
        .join(""),
    ).toBe("re: now?");
    expect(turns).toEqual(["agent:main:main|now?"]);

    // Approval is for DMs only: the same sender in a listed-nowhere group stays out.
    await provider.deliver(provider.inbound({ text: "@membot hi", id: "4", from: "stranger", kind: "group", mentions: ["membot"] }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(turns).toHaveLength(1);
  });

  it("pairing codes are 8 characters from A-Z and 2-9 without the look-alikes 0, O, 1 and I, over many codes", () => {
    const codes = Array.from({ length: 20_000 }, () => generatePairingCode());
    expect(codes.filter((code) => !/^[A-HJ-NP-Z2-9]{8}$/.test(code))).toEqual([]);
    // Every one of the 32 allowed characters turns up, so the alphabet was not quietly narrowed.
    expect(new Set(codes.join("")).size).toBe(32);
    // 40 bits per code: 20 000 draws essentially never collide.
    expect(new Set(codes).size).toBeGreaterThan(19_990);
  });

  it("holds at most 3 pending requests per account and explains an unknown code", async () => {
    const { provider, service, handlers } = setup({ config: { dmPolicy: "pairing" } });
    await service.start();
    for (const from of ["a", "b", "c", "d"]) await provider.deliver(provider.inbound({ text: "hi", id: `x-${from}`, from }));
    await waitFor("three codes", () => provider.sent.length >= 3 && provider.sent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const listed = await handlers["channels.pairing.list"]!({ channel: "memory" }, requestContext());
    expect(listed.requests.map((request) => request.senderId)).toEqual(["a", "b", "c"]);
    expect(new Set(provider.sent.map((sent) => sent.chatId))).toEqual(new Set(["dm-a", "dm-b", "dm-c"]));
    await expect(async () => handlers["channels.pairing.approve"]!({ channel: "memory", code: "ZZZZZZZZ" }, requestContext())).rejects.toThrow(
      /no pending pairing request with code ZZZZZZZZ on memory/,
    );
  });

  it("expires a request after an hour so the sender gets a new code", async () => {
    let now = 1_000_000;
    const { provider, service } = setup({ config: {}, now: () => now });
    await service.start();
    await provider.deliver(provider.inbound({ text: "hi", id: "1", from: "late" }));
    await waitFor("first code", () => provider.sent[0]);
    now += 3_600_001;
    await provider.deliver(provider.inbound({ text: "hi again", id: "2", from: "late" }));
    await waitFor("second code", () => provider.sent.length >= 2 && provider.sent);
    const codes = provider.sent.map((sent) => /code is (\w+)/.exec(sent.text)?.[1]);
    expect(codes[0]).not.toBe(codes[1]);
  });

  it("allowlist mode never sends codes and fails closed when the list is empty", async () => {
    const { provider, service, turns } = setup({ config: { dmPolicy: "allowlist" } });
    await service.start();
    await provider.deliver(provider.inbound({ text: "hi", id: "1" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(provider.sent).toEqual([]);
    expect(turns).toEqual([]);
  });
});

describe("durable outbox", () => {
  it("retries transient failures, then dead-letters; never resends a sent chunk (outbox-backoff.test.ts measures the waits)", async () => {
    const { provider, service, handlers } = setup({ config: { dmPolicy: "open", allowFrom: ["*"], textChunkLimit: 20 } });
    await service.start();
    provider.failures.push(new ChannelSendError("transient", "502 from provider"));
    const first = await handlers.send!({ to: "chat-1", message: "x".repeat(30), idempotencyKey: "k1" }, requestContext());
    expect(first).toMatchObject({ runId: "k1", channel: "memory", chatId: "chat-1" });
    // Two chunks (limit 20); the first attempt failed before anything was sent.
    expect(provider.sent.map((sent) => sent.text)).toEqual(["x".repeat(20), "x".repeat(10)]);

    // A second chunk failing transiently resumes at that chunk, never resending the first.
    provider.sent.length = 0;
    provider.attempts.length = 0;
    const chunk = "y".repeat(20);
    provider.failures.push(new ChannelSendError("transient", "timeout before write"));
    await handlers.send!({ to: "chat-2", message: `${chunk} ${chunk}`, idempotencyKey: "k2" }, requestContext());
    expect(provider.sent.filter((sent) => sent.chatId === "chat-2").map((sent) => sent.text)).toEqual([chunk, chunk]);

    for (let index = 0; index < 3; index += 1) provider.failures.push(new ChannelSendError("transient", "503"));
    await expect(async () => handlers.send!({ to: "chat-3", message: "doomed", idempotencyKey: "k3" }, requestContext())).rejects.toThrow(
      /delivery failed: gave up after 3 attempts: 503/,
    );
    const dead = await handlers["channels.outbox.list"]!({ status: "dead" }, requestContext());
    expect(dead.entries).toEqual([expect.objectContaining({ chatId: "chat-3", attempts: 3, preview: "doomed" })]);

    // Retry a dead letter by id; it goes out once; prune then clears nothing that is not dead.
    const retried = await handlers["channels.outbox.retry"]!({ id: dead.entries[0]!.id }, requestContext());
    expect(retried.entry.status).toBe("pending");
    await waitFor("retried delivery", () => provider.sent.find((sent) => sent.chatId === "chat-3"));
    expect(await handlers["channels.outbox.prune"]!({}, requestContext())).toEqual({ ok: true, removed: 0 });
  });

  it("answers a duplicate send from the stored result without sending again", async () => {
    const { provider, service, handlers } = setup();
    await service.start();
    const one = await handlers.send!({ to: "chat", message: "hello", idempotencyKey: "same" }, requestContext());
    const two = await handlers.send!({ to: "chat", message: "hello", idempotencyKey: "same" }, requestContext());
    expect(two).toEqual(one);
    expect(provider.sent).toHaveLength(1);
  });

  it("dead-letters permanent and ambiguous failures at once, and honours retry_after", async () => {
    const { provider, service, handlers } = setup();
    await service.start();
    provider.failures.push(new ChannelSendError("permanent", "403 bot was blocked by the user", { status: 403 }));
    await expect(async () => handlers.send!({ to: "c1", message: "a", idempotencyKey: "p" }, requestContext())).rejects.toThrow(
      /permanent: 403 bot was blocked/,
    );
    provider.failures.push(new ChannelSendError("ambiguous", "socket reset after write"));
    await expect(async () => handlers.send!({ to: "c2", message: "b", idempotencyKey: "a" }, requestContext())).rejects.toThrow(
      /ambiguous: .*not resent automatically: look in the chat, then run openclaw channels outbox retry \d+/,
    );
    expect(provider.attempts.map((attempt) => attempt.outcome)).toEqual(["permanent", "ambiguous"]);

    provider.failures.push(new ChannelSendError("rate_limited", "429", { status: 429, retryAfterMs: 300 }));
    const started = Date.now();
    await handlers.send!({ to: "c3", message: "c", idempotencyKey: "r" }, requestContext());
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(provider.attempts.slice(2).map((attempt) => attempt.outcome)).toEqual(["rate_limited", "sent"]);
  });

  it("does not send a message late after its TTL", async () => {
    let now = 5_000_000;
    const { provider, service, handlers } = setup({ outbox: { retryDelaysMs: [30, 60], idleRecheckMs: 20, ttlMs: 1_000 }, now: () => now });
    await service.start();
    provider.failures.push(new ChannelSendError("transient", "down"));
    const pending = handlers.send!({ to: "c", message: "stale", idempotencyKey: "ttl" }, requestContext());
    await waitFor("first attempt", () => provider.attempts[0]);
    now += 2_000;
    await expect(async () => pending).rejects.toThrow(/expired: not delivered within 1 s/);
    expect(provider.sent).toEqual([]);
  });

  it("dead-letters a message interrupted mid-send by a crash instead of replaying it, when the account cannot look it up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-outbox-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = openStore(join(dir, "state.db"));
    cleanups.push(() => store.close());
    prepared(
      store.db,
      `INSERT INTO channel_outbox (idempotency_key, channel, account_id, chat_id, text, created_at_ms, expires_at_ms, status, attempts, next_attempt_at_ms)
         VALUES ('crash', 'memory', 'default', 'c', 'hello', ?, ?, 'sending', 1, 0)`,
    ).run(Date.now(), Date.now() + 60_000);
    const { provider, service, handlers } = setup({ store });
    await service.start();
    // Decided once the account is up and known to have no look-up (outbox-reconcile.test.ts covers one that has).
    await waitFor("the dead letter", () => service.outbox.byKey("crash")?.status === "dead");
    const dead = await handlers["channels.outbox.list"]!({ status: "dead" }, requestContext());
    expect(dead.entries[0]?.deadReason).toMatch(
      /^ambiguous: the gateway stopped while this message was being sent; memory cannot look up whether it arrived, so it may have been delivered and is not resent automatically: look in the chat, then run openclaw channels outbox retry \d+ to send it$/,
    );
    expect(provider.attempts).toEqual([]);
  });
});

describe("channel config and methods", () => {
  it("refuses unknown keys, unknown channels and bad accounts, naming the key", async () => {
    const bad = async (config: Record<string, unknown>) => {
      const store = openMemoryStore();
      cleanups.push(() => store.close());
      const provider = new MemoryProvider();
      const service = new ChannelService({ db: store.db, loaders: { memory: async () => provider.definition() }, config });
      return service.load();
    };
    await expect(bad({ memory: { tokne: "x" } })).rejects.toThrow(/^channels\.memory\.tokne: unknown setting for Memory; known settings: .*token/);
    await expect(bad({ memory: { accounts: { "bad id": {} } } })).rejects.toThrow(/^channels\.memory\.accounts\.bad id: account ids are/);
    await expect(bad({ memory: { accounts: { a: { textChunkLimit: 5000 } } } })).rejects.toThrow(
      /^channels\.memory\.accounts\.a\.textChunkLimit: expected an integer from 1 to 4000/,
    );
    await expect(bad({ memory: { accounts: { a: {} }, defaultAccount: "b" } })).rejects.toThrow(/defaultAccount: "b" is not one of the accounts \(a\)/);
    await expect(bad({ wechat: {} })).rejects.toThrow(ConfigError);
    await expect(bad({ wechat: {} })).rejects.toThrow(/channels\.wechat: unknown channel "wechat"; this gateway can run: memory/);
  });

  it("reports per-account status, keeps a failed account's error, and starts and stops accounts", async () => {
    const { service, handlers } = setup({ config: { accounts: { good: { token: "ok" }, broken: { token: "bad" } }, defaultAccount: "good" } });
    await service.start();
    const status = await handlers["channels.status"]!({}, requestContext());
    const accounts = status.channels.memory!.accounts;
    expect(accounts.find((account) => account.accountId === "good")).toMatchObject({ state: "connected", running: true, connected: true });
    expect(accounts.find((account) => account.accountId === "broken")).toMatchObject({
      state: "failed",
      running: false,
      lastError: "401 unauthorized: the token was refused",
    });
    expect(status.channelOrder).toEqual(["memory"]);

    await handlers["channels.stop"]!({ channel: "memory", accountId: "good" }, requestContext());
    expect(service.snapshot().channels.memory!.accounts.find((account) => account.accountId === "good")).toMatchObject({ state: "stopped", running: false });
    await expect(async () => handlers["channels.start"]!({ channel: "memory", accountId: "nope" }, requestContext())).rejects.toThrow(
      /channel "memory" has no account "nope"; accounts: good, broken/,
    );
    expect(await handlers["channels.start"]!({ channel: "memory", accountId: "good" }, requestContext())).toMatchObject({ ok: true });
  });

  it("validates send targets: webchat, media, unknown channels, channel hints", async () => {
    const { provider, service, handlers } = setup();
    await service.start();
    const send = (params: Record<string, unknown>) => async () =>
      handlers.send!({ idempotencyKey: String(Math.random()), to: "x", ...params } as never, requestContext());
    await expect(send({ channel: "webchat", message: "hi" })).rejects.toThrow("channel webchat is internal-only, use chat.send");
    await expect(send({ message: "hi", mediaUrl: "https://example.com/a.png" })).rejects.toThrow("memory cannot send files from this gateway; send text only");
    await expect(send({})).rejects.toThrow(/message is required/);
    await expect(send({ channel: "slack", message: "hi" })).rejects.toThrow(/channel "slack" is not configured; configured channels: memory/);
    await handlers.send!({ to: "memory:chat-9", message: "hinted", idempotencyKey: "h" }, requestContext());
    expect(provider.sent.at(-1)).toMatchObject({ chatId: "chat-9", text: "hinted" });
  });
});

describe("retention", () => {
  it("prunes handled dedupe tombstones and delivered messages after 30 days, never pending work", async () => {
    let now = 10_000_000_000;
    const { provider, service, store } = setup({ now: () => now });
    await service.start();
    await provider.deliver(provider.inbound({ text: "old", id: "1" }));
    await waitFor("reply", () => provider.sent[0]);
    prepared(
      store.db,
      "INSERT INTO channel_inbound (channel, account_id, chat_id, message_id, received_at_ms, status, message) VALUES ('memory', 'default', 'c', 'p', 0, 'pending', '{}')",
    ).run();
    now += 31 * 86_400_000;
    expect(service.prune()).toEqual({ inbound: 1, outbox: 1 });
    expect(firstColumn(store.db, "SELECT message_id FROM channel_inbound")).toEqual(["p"]);
  });
});
