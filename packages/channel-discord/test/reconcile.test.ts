import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, OutboundMessage } from "@openclaw/channel-kit";
import { startDiscordFake, type DiscordFake } from "@openclaw/testing";
import { DiscordAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { nonceWindowMs?: number } = {}) {
  const fake: DiscordFake = await startDiscordFake(options);
  cleanups.push(() => fake.close());
  const adapter = new DiscordAdapter({ accountId: "default", token: fake.token, apiRoot: `${fake.url}/api` });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async () => undefined,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter };
}

const chunk = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage & { chunkIndex: number } => ({
  channel: "discord",
  accountId: "default",
  chatId: "801",
  text,
  idempotencyKey: "reply:42",
  chunkIndex: 0,
  ...extra,
});

describe("an ambiguous Discord send is reconciled from the channel's messages", () => {
  it("the message landed but the answer was lost: reconcile finds it, and nothing is posted twice", async () => {
    const { fake, adapter } = await setup();
    // An earlier message of ours with the same text is not taken for this one.
    const earlier = await adapter.send(chunk("same words", { idempotencyKey: "reply:41" }));
    fake.message({ channelId: "801", authorId: "900", content: "same words" });
    fake.loseSends("delivered");
    const attemptStartedAtMs = Date.now();
    await expect(adapter.send(chunk("same words"))).rejects.toMatchObject({ kind: "ambiguous" });
    const landed = fake.sent.at(-1)!;
    expect(landed.messageId).not.toBe(earlier.providerMessageIds[0]);

    const outcome = await adapter.reconcile({ ...chunk("same words"), attemptStartedAtMs });
    expect(outcome).toEqual({ status: "delivered", providerMessageIds: [landed.messageId] });
    expect(fake.sent.map((sent) => sent.content)).toEqual(["same words", "same words"]);
  });

  it("the message never landed: reconcile says not delivered, and the resend lands once", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("not-delivered");
    const attemptStartedAtMs = Date.now();
    await expect(adapter.send(chunk("lost on the way", { replyTo: "777" }))).rejects.toMatchObject({ kind: "ambiguous" });
    expect(fake.sent).toEqual([]);

    expect(await adapter.reconcile({ ...chunk("lost on the way", { replyTo: "777" }), attemptStartedAtMs })).toEqual({ status: "not-delivered" });
    const receipt = await adapter.send(chunk("lost on the way", { replyTo: "777" }));
    expect(fake.sent.map((sent) => [sent.content, sent.messageId])).toEqual([["lost on the way", receipt.providerMessageIds[0]]]);
    expect(fake.attempts).toHaveLength(2);
  });

  it("a chunk resent with the same outbox key and index gets the message Discord already made (enforced nonce)", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("delivered");
    await expect(adapter.send(chunk("part one"))).rejects.toMatchObject({ kind: "ambiguous" });
    const again = await adapter.send(chunk("part one"));
    const next = await adapter.send(chunk("part two", { chunkIndex: 1 }));
    expect(fake.sent.map((sent) => sent.content)).toEqual(["part one", "part two"]);
    expect(again.providerMessageIds).toEqual([fake.sent[0]!.messageId]);
    expect(next.providerMessageIds).toEqual([fake.sent[1]!.messageId]);
    const nonces = fake.sent.map((sent) => sent.body["nonce"]);
    expect(nonces[0]).toMatch(/^[0-9a-f]{25}$/);
    expect(nonces[1]).not.toBe(nonces[0]);
    expect(fake.sent.every((sent) => sent.body["enforce_nonce"] === true)).toBe(true);
  });
});
