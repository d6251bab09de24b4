import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { prepared } from "@openclaw/gateway-core/internal";
import { telegramChannel } from "@openclaw/channel-telegram";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { cliFor, tokenAuth } from "./helpers.js";

const TOKEN = "outbox-cli-token-0123456789abcdef";
const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startGateway(fake: TelegramFake) {
  const home = mkdtempSync(join(tmpdir(), "openclaw-outbox-cli-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(TOKEN),
    agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: { telegram: { botToken: fake.token, apiRoot: fake.apiRoot, polling: { timeoutSeconds: 1 }, dmPolicy: "open", allowFrom: ["*"] } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  const openclaw = cliFor(home, gateway.url, TOKEN);
  const entries = async () =>
    JSON.parse(await openclaw("channels", "outbox", "list", "--json")).entries as {
      id: number;
      chatId: string;
      status: string;
      attempts: number;
      deadReason?: string;
    }[];
  return { gateway, store, openclaw, entries };
}

describe("openclaw channels outbox prune / retry, on the Telegram fake", () => {
  it("prune --older-than removes only old dead letters; retry sends a dead letter exactly once", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const { store, openclaw, entries } = await startGateway(fake);
    const outboxStatus = (chatId: string) =>
      (prepared(store.db, "SELECT status FROM channel_outbox WHERE chat_id = ?").get(chatId) as { status: string } | undefined)?.status;

    // One delivered reply, two replies Telegram refused for good (403: the bot was blocked).
    fake.inject({ chatId: 500, from: { id: 500 }, text: "delivered" });
    await waitFor("the delivered reply", () => outboxStatus("500") === "sent");
    fake.failSends({ status: 403, count: 2, description: "Forbidden: bot was blocked by the user" });
    fake.inject({ chatId: 501, from: { id: 501 }, text: "old refusal" });
    fake.inject({ chatId: 502, from: { id: 502 }, text: "recent refusal" });
    await waitFor("both refusals dead-lettered", () => outboxStatus("501") === "dead" && outboxStatus("502") === "dead");
    // The store is the gateway's own: age two rows as if accepted eight days ago (the clock cannot be moved for one subsystem).
    prepared(store.db, "UPDATE channel_outbox SET created_at_ms = created_at_ms - ? WHERE chat_id IN ('500', '501')").run(8 * DAY);

    expect(await openclaw("channels", "outbox", "prune", "--older-than", "7d")).toBe("Removed 1 outbox entry.\n");
    expect((await entries()).map((entry) => [entry.chatId, entry.status]).sort()).toEqual([
      ["500", "sent"],
      ["502", "dead"],
    ]);
    // Nothing else is old enough, delivered or not.
    expect(await openclaw("channels", "outbox", "prune", "--older-than", "7d")).toBe("Removed 0 outbox entries.\n");

    const dead = (await entries()).find((entry) => entry.chatId === "502")!;
    expect(dead).toMatchObject({ status: "dead", attempts: 1, deadReason: expect.stringMatching(/^permanent: .*403/) });
    const sentBefore = fake.sent.filter((sent) => sent.chatId === "502").length;
    expect(sentBefore).toBe(0);
    expect(await openclaw("channels", "outbox", "retry", String(dead.id))).toBe(`Queued outbox message ${dead.id} again.\n`);
    await waitFor("the retried reply", () => outboxStatus("502") === "sent");
    expect(fake.sent.filter((sent) => sent.chatId === "502").map((sent) => sent.text)).toEqual(["Echo: recent refusal"]);
    expect(fake.attempts.filter((attempt) => attempt.chatId === "502").map((attempt) => attempt.status)).toEqual([403, 200]);
    expect((await entries()).find((entry) => entry.chatId === "502")).toMatchObject({ status: "sent", attempts: 2 });
    // A sent message is not a dead letter: retrying it again is refused, and nothing is resent.
    await expect(openclaw("channels", "outbox", "retry", String(dead.id))).rejects.toThrow(/is sent, only dead letters can be retried/);

    expect(await openclaw("channels", "outbox", "prune", "--older-than", "7d", "--include-sent")).toBe("Removed 1 outbox entry.\n");
    expect((await entries()).map((entry) => entry.chatId)).toEqual(["502"]);
    expect(fake.sent.filter((sent) => sent.chatId === "502")).toHaveLength(1);
  });
});
