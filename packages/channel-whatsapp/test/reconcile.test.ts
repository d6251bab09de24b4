import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, OutboundMessage } from "@openclaw/channel-kit";
import { startWhatsAppFake } from "@openclaw/testing";
import { WhatsAppAdapter, type SocketFactory } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const fake = startWhatsAppFake({ linked: true });
  const dir = mkdtempSync(join(tmpdir(), "openclaw-wa-reconcile-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const adapter = new WhatsAppAdapter({
    accountId: "default",
    authDir: join(dir, "auth"),
    stateDir: join(dir, "state"),
    reconnect: { initialMs: 50, maxMs: 200 },
    socketFactory: fake.factory as unknown as SocketFactory,
  });
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
  channel: "whatsapp",
  accountId: "default",
  chatId: "15551112222",
  text,
  idempotencyKey: "reply:9",
  chunkIndex: 0,
  ...extra,
});
const JID = "15551112222@s.whatsapp.net";

describe("an ambiguous WhatsApp send is resent under the same message id", () => {
  it("delivered before the failure: reconcile says send again, the resend reuses the id, and the chat shows one message", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("delivered");
    await expect(adapter.send(chunk("maybe twice?"))).rejects.toMatchObject({ kind: "ambiguous" });
    expect(await adapter.reconcile({ ...chunk("maybe twice?"), attemptStartedAtMs: Date.now() })).toEqual({ status: "not-delivered" });
    const receipt = await adapter.send(chunk("maybe twice?"));

    const ids = fake.attempts.map((attempt) => attempt.messageId);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[0]).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(receipt.providerMessageIds).toEqual([ids[0]]);
    expect(fake.sent.map((sent) => [sent.jid, sent.id, sent.content["text"]])).toEqual([[JID, ids[0], "maybe twice?"]]);
  });

  it("not delivered: the resend lands exactly once; other chunks and messages get ids of their own", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("not-delivered");
    await expect(adapter.send(chunk("first part"))).rejects.toMatchObject({ kind: "ambiguous" });
    expect(fake.sent).toEqual([]);
    expect(await adapter.reconcile({ ...chunk("first part"), attemptStartedAtMs: Date.now() })).toEqual({ status: "not-delivered" });
    await adapter.send(chunk("first part"));
    await adapter.send(chunk("second part", { chunkIndex: 1 }));
    await adapter.send(chunk("another message", { idempotencyKey: "reply:10" }));

    expect(fake.sent.map((sent) => sent.content["text"])).toEqual(["first part", "second part", "another message"]);
    expect(new Set(fake.sent.map((sent) => sent.id)).size).toBe(3);
    expect(fake.attempts[1]!.messageId).toBe(fake.attempts[0]!.messageId);
  });
});
