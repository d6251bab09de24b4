import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, OutboundMessage } from "@openclaw/channel-kit";
import { startSlackFake, type SlackFake } from "@openclaw/testing";
import { SlackAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const fake: SlackFake = await startSlackFake();
  cleanups.push(() => fake.close());
  const adapter = new SlackAdapter({ accountId: "default", botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, pingTimeoutMs: 300 });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async () => undefined,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter };
}

const chunk = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage & { chunkIndex: number } => ({
  channel: "slack",
  accountId: "default",
  chatId: "C42",
  text,
  idempotencyKey: "reply:7",
  chunkIndex: 0,
  ...extra,
});

describe("an ambiguous Slack send is reconciled by the metadata it was posted with", () => {
  it("the message landed but the answer was lost: reconcile finds it in the channel history, and nothing is posted twice", async () => {
    const { fake, adapter } = await setup();
    // The same words, posted for another outbox message and by a user, are not this chunk.
    await adapter.send(chunk("same words", { idempotencyKey: "reply:6" }));
    fake.message({ channel: "C42", user: "U9", text: "same words" });
    fake.loseSends("delivered");
    const attemptStartedAtMs = Date.now();
    await expect(adapter.send(chunk("same words"))).rejects.toMatchObject({ kind: "ambiguous" });
    const landed = fake.sent.at(-1)!;

    expect(await adapter.reconcile({ ...chunk("same words"), attemptStartedAtMs })).toEqual({ status: "delivered", providerMessageIds: [landed.ts] });
    expect(fake.sent.map((sent) => sent.text)).toEqual(["same words", "same words"]);
  });

  it("a reply in a thread is found among the thread's replies", async () => {
    const { fake, adapter } = await setup();
    const { ts: thread } = fake.message({ channel: "C42", user: "U9", text: "a question" });
    fake.loseSends("delivered");
    const attemptStartedAtMs = Date.now();
    await expect(adapter.send(chunk("part two", { thread, chunkIndex: 1 }))).rejects.toMatchObject({ kind: "ambiguous" });
    const landed = fake.sent.at(-1)!;
    expect(landed.params["thread_ts"]).toBe(thread);

    // Chunk 0 of the same message was never posted; chunk 1 was.
    expect(await adapter.reconcile({ ...chunk("part one", { thread }), attemptStartedAtMs })).toEqual({ status: "not-delivered" });
    expect(await adapter.reconcile({ ...chunk("part two", { thread, chunkIndex: 1 }), attemptStartedAtMs })).toEqual({
      status: "delivered",
      providerMessageIds: [landed.ts],
    });
  });

  it("the message never landed: reconcile says not delivered, and the resend lands once", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("not-delivered");
    const attemptStartedAtMs = Date.now();
    await expect(adapter.send(chunk("lost on the way"))).rejects.toMatchObject({ kind: "ambiguous" });
    expect(fake.sent).toEqual([]);

    expect(await adapter.reconcile({ ...chunk("lost on the way"), attemptStartedAtMs })).toEqual({ status: "not-delivered" });
    const receipt = await adapter.send(chunk("lost on the way"));
    expect(fake.sent.map((sent) => [sent.text, sent.ts])).toEqual([["lost on the way", receipt.providerMessageIds[0]]]);
    expect(fake.attempts).toHaveLength(2);
  });
});
