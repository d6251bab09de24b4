import { afterEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "@openclaw/channel-kit";
import { MemoryProvider, waitFor } from "./memory-channel.js";
import { ChannelService } from "../src/channels/channel-service.js";
import { createChannelHandlers } from "../src/methods/channels.js";
import { openMemoryStore } from "../src/store/index.js";
import { requestContext } from "./request-context.js";

const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const clock = { now: 50_000 * DAY };
  const provider = new MemoryProvider();
  const store = openMemoryStore();
  const service = new ChannelService({
    db: store.db,
    loaders: { memory: async () => provider.definition() },
    config: { memory: { dmPolicy: "open", allowFrom: ["*"] } },
    // A transient wait and a TTL longer than the test's clock jump, so a message that failed once
    // stays pending throughout.
    outbox: { retryDelaysMs: [20 * DAY], ttlMs: 40 * DAY, idleRecheckMs: 20 },
    sendWaitMs: 2_000,
    now: () => clock.now,
  });
  cleanups.push(() => store.close());
  cleanups.push(() => service.stop());
  await service.start();
  const handlers = createChannelHandlers(service);
  const context = requestContext();
  const call = <M extends keyof typeof handlers>(method: M, params: unknown) =>
    (handlers[method] as (params: unknown, context: unknown) => Promise<any>)(params, context);
  const entry = (chatId: string) => service.outbox.list().find((item) => item.chatId === chatId);
  return { clock, provider, service, call, entry };
}

describe("dead letters: prune and retry", () => {
  it("prune removes old dead letters and keeps recent ones, pending work and (unless asked) sent messages", async () => {
    const { clock, provider, service, call, entry } = await setup();
    const refuse = () => provider.failures.push(new ChannelSendError("permanent", "403 bot was blocked by the user", { status: 403 }));

    // Eight days ago: one dead letter, one delivered message, one message still being retried.
    refuse();
    await expect(call("send", { to: "old-dead", message: "a", idempotencyKey: "old-dead" })).rejects.toThrow(/permanent: 403/);
    await call("send", { to: "old-sent", message: "b", idempotencyKey: "old-sent" });
    provider.failures.push(new ChannelSendError("transient", "502 bad gateway"));
    service.outbox.enqueue({ idempotencyKey: "old-pending", channel: "memory", accountId: "default", chatId: "old-pending", text: "c" });
    await waitFor("the pending message's failed attempt", () => provider.attempts.some((attempt) => attempt.chatId === "old-pending"));

    // Today: a fresh dead letter.
    clock.now += 8 * DAY;
    refuse();
    await expect(call("send", { to: "new-dead", message: "d", idempotencyKey: "new-dead" })).rejects.toThrow(/permanent: 403/);
    const statuses = async () =>
      Object.fromEntries(((await call("channels.outbox.list", {})).entries as { chatId: string; status: string }[]).map((item) => [item.chatId, item.status]));
    expect(await statuses()).toEqual({ "old-dead": "dead", "old-sent": "sent", "old-pending": "pending", "new-dead": "dead" });

    expect(await call("channels.outbox.prune", { olderThanMs: 7 * DAY })).toEqual({ ok: true, removed: 1 });
    expect(await statuses()).toEqual({ "old-sent": "sent", "old-pending": "pending", "new-dead": "dead" });

    expect(await call("channels.outbox.prune", { olderThanMs: 7 * DAY, includeSent: true })).toEqual({ ok: true, removed: 1 });
    expect(await statuses()).toEqual({ "old-pending": "pending", "new-dead": "dead" });

    // With no age every dead letter goes, but pending work never does.
    expect(await call("channels.outbox.prune", {})).toEqual({ ok: true, removed: 1 });
    expect(await statuses()).toEqual({ "old-pending": "pending" });
    expect(entry("old-pending")).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("retry sends a dead letter once: one more attempt, then it is sent and cannot be retried again", async () => {
    const { provider, call, entry } = await setup();
    provider.failures.push(new ChannelSendError("permanent", "403 bot was blocked by the user", { status: 403 }));
    await expect(call("send", { to: "chat", message: "second chance", idempotencyKey: "k" })).rejects.toThrow(/permanent: 403/);
    const dead = entry("chat");
    expect(dead).toMatchObject({ status: "dead", attempts: 1 });

    const retried = await call("channels.outbox.retry", { id: dead!.id });
    expect(retried).toMatchObject({ ok: true, entry: { id: dead!.id, status: "pending" } });
    // A second retry while it is queued is refused instead of queueing it twice.
    await expect(async () => call("channels.outbox.retry", { id: dead!.id })).rejects.toThrow(/is pending, only dead letters can be retried/);
    await waitFor("the retried delivery", () => entry("chat")?.status === "sent");
    expect(entry("chat")).toMatchObject({ status: "sent", attempts: 2 });
    expect(provider.sent.filter((sent) => sent.chatId === "chat").map((sent) => sent.text)).toEqual(["second chance"]);
    expect(provider.attempts.filter((attempt) => attempt.chatId === "chat").map((attempt) => attempt.outcome)).toEqual(["permanent", "sent"]);
    await expect(async () => call("channels.outbox.retry", { id: dead!.id })).rejects.toThrow(/is sent, only dead letters can be retried/);
    // The send method with the same key answers from the stored result; nothing goes out again.
    await call("send", { to: "chat", message: "second chance", idempotencyKey: "k" });
    expect(provider.sent.filter((sent) => sent.chatId === "chat")).toHaveLength(1);
  });
});
