import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { discordChannel } from "@openclaw/channel-discord";
import { signalChannel } from "@openclaw/channel-signal";
import { startDiscordFake, startSignalFake, waitFor, type DiscordFake, type SignalFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

// The whole path of an ambiguous send: the agent's reply goes into the gateway's outbox, the real
// Discord adapter posts it to the fake, the fake cuts the connection before answering, and the
// outbox asks the adapter whether it landed instead of dead-lettering it.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startGateway(fake: { discord: DiscordFake } | { signal: SignalFake }) {
  const home = mkdtempSync(join(tmpdir(), "openclaw-reconcile-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("reconcile-test-token-0123456789abcdef"),
    agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
    channels: {
      loaders: { discord: async () => discordChannel, signal: async () => signalChannel },
      config:
        "discord" in fake
          ? { discord: { token: fake.discord.token, apiRoot: `${fake.discord.url}/api`, dmPolicy: "open", allowFrom: ["*"] } }
          : { signal: { account: fake.signal.account, transport: { url: fake.signal.url }, dmPolicy: "open", allowFrom: ["*"] } },
      env: {},
      stateDir: home,
      outbox: { reconcileDelayMs: 50, retryDelaysMs: [50] },
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  const channel = "discord" in fake ? "discord" : "signal";
  await waitFor(`the ${channel} account to connect`, () => gateway.channels!.snapshot().channels[channel]?.accounts[0]?.connected);
  const outbox = gateway.channels!.outbox;
  const settled = (chatId: string) =>
    waitFor(`the reply to ${chatId} settled`, () => outbox.list().find((item) => item.chatId === chatId && (item.status === "sent" || item.status === "dead")));
  return { outbox, settled };
}

describe("an ambiguous Discord reply through the gateway's outbox", () => {
  it("landed before the connection was cut: the outbox marks it delivered after the look-up, with one message on Discord", { timeout: 30_000 }, async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const { outbox, settled } = await startGateway({ discord: fake });
    fake.loseSends("delivered");
    fake.message({ channelId: "910", authorId: "920", content: "hello there" });
    const item = await settled("910");
    expect(item).toMatchObject({ status: "sent", chunksSent: 1, providerIds: [fake.sent[0]!.messageId] });
    expect(outbox.attempts(item.id).map((attempt) => attempt.outcome)).toEqual(["ambiguous", "reconciled-delivered"]);
    expect(fake.sent.filter((sent) => sent.channelId === "910")).toHaveLength(1);
    expect(fake.attempts.filter((attempt) => attempt.channelId === "910")).toHaveLength(1);
  });

  it("cut before it landed: the look-up finds nothing and the resend lands exactly once", { timeout: 30_000 }, async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const { outbox, settled } = await startGateway({ discord: fake });
    fake.loseSends("not-delivered");
    fake.message({ channelId: "911", authorId: "921", content: "are you there" });
    const item = await settled("911");
    expect(item.status).toBe("sent");
    expect(outbox.attempts(item.id).map((attempt) => attempt.outcome)).toEqual(["ambiguous", "reconciled-not-delivered", "sent"]);
    expect(fake.sent.filter((sent) => sent.channelId === "911").map((sent) => sent.messageId)).toEqual(item.providerIds);
    expect(fake.attempts.filter((attempt) => attempt.channelId === "911")).toHaveLength(2);
  });
});

describe("an ambiguous Signal reply through the gateway's outbox", () => {
  it("cannot be looked up: it is dead-lettered with the reason and the retry command, and not sent twice", { timeout: 30_000 }, async () => {
    const fake = await startSignalFake();
    cleanups.push(() => fake.close());
    const { outbox, settled } = await startGateway({ signal: fake });
    fake.loseSends("delivered");
    fake.message({ from: "+15550003333", text: "hello signal" });
    const item = await settled("+15550003333");
    expect(item.status).toBe("dead");
    expect(item.deadReason).toMatch(/signal could not confirm whether it arrived \(signal-cli cannot look up a sent message/);
    expect(item.deadReason).toContain(`openclaw channels outbox retry ${item.id}`);
    expect(outbox.attempts(item.id).map((attempt) => attempt.outcome)).toEqual(["ambiguous", "reconciled-unknown"]);
    expect(fake.sent).toHaveLength(1);
    expect(fake.attempts).toHaveLength(1);
  });
});
