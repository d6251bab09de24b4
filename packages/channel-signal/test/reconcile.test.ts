import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStartContext, OutboundMessage } from "@openclaw/channel-kit";
import { startSignalFake } from "@openclaw/testing";
import { SignalAdapter } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const fake = await startSignalFake();
  cleanups.push(() => fake.close());
  const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url } });
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

const chunk = (text: string): OutboundMessage & { chunkIndex: number } => ({
  channel: "signal",
  accountId: "default",
  chatId: "+15550002222",
  text,
  idempotencyKey: "reply:3",
  chunkIndex: 0,
});

describe("an ambiguous Signal send cannot be reconciled", () => {
  it("whether the daemon sent it or not, reconcile answers unknown with the reason, and nothing is resent", async () => {
    const { fake, adapter } = await setup();
    fake.loseSends("delivered");
    const startedAt = Date.now();
    await expect(adapter.send(chunk("sent, answer lost"))).rejects.toMatchObject({ kind: "ambiguous" });
    fake.loseSends("not-delivered");
    await expect(adapter.send(chunk("never sent"))).rejects.toMatchObject({ kind: "ambiguous" });

    const unknown = { status: "unknown", reason: expect.stringMatching(/^signal-cli cannot look up a sent message, and chooses its timestamp/) };
    expect(await adapter.reconcile({ ...chunk("sent, answer lost"), attemptStartedAtMs: startedAt })).toEqual(unknown);
    expect(await adapter.reconcile({ ...chunk("never sent"), attemptStartedAtMs: startedAt })).toEqual(unknown);
    expect(fake.sent.map((sent) => sent.message)).toEqual(["sent, answer lost"]);
    expect(fake.attempts).toHaveLength(2);
  });
});
