import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "@openclaw/channel-kit";
import { MemoryProvider, waitFor } from "./memory-channel.js";
import { ChannelService } from "../src/channels/channel-service.js";
import { createChannelHandlers } from "../src/methods/channels.js";
import { openMemoryStore, openStore, type Store } from "../src/store/index.js";
import { requestContext } from "./request-context.js";
import { prepared } from "../src/store/statements.js";

// On an ambiguous failure (the request may have reached the provider),
// reconcile instead of resending. The memory provider plays a provider whose chat history can be
// searched when the account has `reconcile: true`, and one that cannot be asked otherwise.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { reconcile?: boolean; store?: Store; provider?: MemoryProvider; textChunkLimit?: number } = {}) {
  const provider = options.provider ?? new MemoryProvider();
  const store = options.store ?? openMemoryStore();
  if (!options.store) cleanups.push(() => store.close());
  const turns: string[] = [];
  const service = new ChannelService({
    db: store.db,
    loaders: { memory: async () => provider.definition() },
    config: {
      memory: {
        dmPolicy: "open",
        allowFrom: ["*"],
        ...(options.reconcile ? { reconcile: true } : {}),
        ...(options.textChunkLimit ? { textChunkLimit: options.textChunkLimit } : {}),
      },
    },
    agent: {
      run: async ({ message }) => {
        turns.push(message);
        return { status: "ok", text: `re: ${message}` };
      },
    },
    outbox: { retryDelaysMs: [30, 60], idleRecheckMs: 20, reconcileDelayMs: 20 },
    sendWaitMs: 3_000,
  });
  cleanups.push(() => service.stop());
  await service.start();
  const handlers = createChannelHandlers(service);
  const send = (to: string, message: string, key: string) => handlers.send!({ to, message, idempotencyKey: key }, requestContext());
  const outcomes = (key: string) => service.outbox.attempts(service.outbox.byKey(`send:${key}`)!.id).map((attempt) => attempt.outcome);
  return { provider, store, service, handlers, send, outcomes, turns };
}

const ambiguous = () => new ChannelSendError("ambiguous", "socket reset after the request was written");

describe("an ambiguous send is reconciled, not resent blindly", () => {
  it("a message that landed is found and marked delivered: one copy at the provider, and its echo is still dropped", async () => {
    const { provider, send, outcomes, service, turns } = await setup({ reconcile: true, textChunkLimit: 20 });
    // Two chunks; the second reaches the provider but its answer is lost.
    provider.landedFailures.push({ error: ambiguous(), text: "b".repeat(20) });
    const result = await send("chat-1", `${"a".repeat(20)} ${"b".repeat(20)}`, "landed");
    expect(provider.sent.map((sent) => sent.text)).toEqual(["a".repeat(20), "b".repeat(20)]);
    expect(result).toMatchObject({ channel: "memory", chatId: "chat-1", messageId: provider.sent[1]!.id });
    expect(outcomes("landed")).toEqual(["sent", "ambiguous", "reconciled-delivered"]);
    expect(provider.reconciles).toEqual([expect.objectContaining({ chatId: "chat-1", text: "b".repeat(20), chunkIndex: 1, idempotencyKey: "send:landed" })]);
    expect(service.outbox.byKey("send:landed")).toMatchObject({ status: "sent", chunksSent: 2, providerIds: provider.sent.map((sent) => sent.id) });
    // The reconciled id went into the echo registry like any id we sent.
    await provider.deliver(provider.inbound({ text: "b".repeat(20), id: provider.sent[1]!.id, from: "u1", chat: { kind: "dm", id: "chat-1" } }));
    await provider.deliver(provider.inbound({ text: "next", id: "n1", from: "u1", chat: { kind: "dm", id: "chat-1" } }));
    await waitFor("the reply to next", () => provider.sent.find((sent) => sent.text === "re: next"));
    expect(turns).toEqual(["next"]);
  });

  it("a message that did not land is sent again, once", async () => {
    const { provider, send, outcomes } = await setup({ reconcile: true });
    provider.failures.push(ambiguous());
    await send("chat-2", "try again", "lost");
    expect(provider.sent.filter((sent) => sent.chatId === "chat-2").map((sent) => sent.text)).toEqual(["try again"]);
    expect(provider.attempts.map((attempt) => attempt.outcome)).toEqual(["ambiguous", "sent"]);
    expect(outcomes("lost")).toEqual(["ambiguous", "reconciled-not-delivered", "sent"]);
  });

  it("a provider that cannot tell: the dead letter says so and how to retry, and outbox retry sends it once", async () => {
    const { provider, send, handlers, service } = await setup({ reconcile: true });
    provider.failures.push(ambiguous());
    provider.reconcileAnswers.push({ status: "unknown", reason: "history is not available for this chat" });
    await expect(async () => send("chat-3", "unsure", "unknown")).rejects.toThrow(
      /delivery failed: ambiguous: socket reset after the request was written; memory could not confirm whether it arrived \(history is not available for this chat\)/,
    );
    const item = service.outbox.byKey("send:unknown")!;
    expect(item.deadReason).toMatch(new RegExp(`look in the chat, then run openclaw channels outbox retry ${item.id} to send it$`));
    expect(provider.sent).toEqual([]);
    // The operator checked: not there. Retry sends it, and only once.
    await handlers["channels.outbox.retry"]!({ id: item.id }, requestContext());
    await waitFor("the retried send", () => service.outbox.get(item.id)?.status === "sent");
    expect(provider.sent.map((sent) => sent.text)).toEqual(["unsure"]);
    expect(service.outbox.attempts(item.id).map((attempt) => attempt.outcome)).toEqual(["ambiguous", "reconciled-unknown", "retried", "sent"]);
  });

  it("an account that cannot be asked dead-letters at once, with the reason and the retry command", async () => {
    const { provider, send, service } = await setup({ reconcile: false });
    provider.failures.push(ambiguous());
    await expect(async () => send("chat-4", "maybe", "no-lookup")).rejects.toThrow(
      /ambiguous: socket reset after the request was written; memory cannot look up whether it arrived, so it may have been delivered and is not resent automatically/,
    );
    const item = service.outbox.byKey("send:no-lookup")!;
    expect(item.deadReason).toContain(`openclaw channels outbox retry ${item.id}`);
    expect(provider.attempts).toHaveLength(1);
    expect(provider.sent).toEqual([]);
  });

  it("a look-up that fails is retried, then answers", async () => {
    const { provider, send, outcomes } = await setup({ reconcile: true });
    provider.landedFailures.push({ error: ambiguous() });
    provider.reconcileAnswers.push(new Error("history API timed out"));
    await send("chat-5", "eventually", "flaky");
    expect(provider.sent.map((sent) => sent.text)).toEqual(["eventually"]);
    expect(outcomes("flaky")).toEqual(["ambiguous", "reconcile-failed", "reconciled-delivered"]);
  });
});

describe("across a crash: a send interrupted by kill -9 is reconciled after the restart", () => {
  function crashedStore(state: { landed: boolean }, provider: MemoryProvider) {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-reconcile-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = openStore(join(dir, "state.db"));
    cleanups.push(() => store.close());
    const startedAt = Date.now() - 1_000;
    // What a gateway killed mid-send leaves: the item `sending`, its attempt open.
    const { lastInsertRowid } = prepared(
      store.db,
      `INSERT INTO channel_outbox (idempotency_key, channel, account_id, chat_id, text, created_at_ms, expires_at_ms, status, attempts, next_attempt_at_ms)
         VALUES ('crash', 'memory', 'default', 'c', 'hello after the crash', ?, ?, 'sending', 1, 0)`,
    ).run(startedAt, startedAt + 3_600_000);
    prepared(store.db, "INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms) VALUES (?, 1, 0, ?)").run(lastInsertRowid, startedAt);
    if (state.landed) {
      provider.sent.push({ chatId: "c", text: "hello after the crash", id: "m-before-crash" });
      provider.sentAtMs.set("m-before-crash", startedAt + 10);
    }
    return { store, id: Number(lastInsertRowid) };
  }

  it("it had landed: marked sent, not sent again", async () => {
    const provider = new MemoryProvider();
    const { store, id } = crashedStore({ landed: true }, provider);
    const { service } = await setup({ reconcile: true, store, provider });
    await waitFor("the item to settle", () => service.outbox.get(id)?.status === "sent");
    expect(provider.sent.map((sent) => sent.id)).toEqual(["m-before-crash"]);
    expect(provider.attempts).toEqual([]);
    expect(service.outbox.attempts(id).map((attempt) => [attempt.outcome, attempt.error])).toEqual([
      ["ambiguous", "the gateway stopped while this message was being sent"],
      ["reconciled-delivered", undefined],
    ]);
  });

  it("it had not landed: sent once after the restart", async () => {
    const provider = new MemoryProvider();
    const { store, id } = crashedStore({ landed: false }, provider);
    const { service } = await setup({ reconcile: true, store, provider });
    await waitFor("the item to settle", () => service.outbox.get(id)?.status === "sent");
    expect(provider.sent.map((sent) => sent.text)).toEqual(["hello after the crash"]);
    expect(provider.attempts).toHaveLength(1);
  });
});
