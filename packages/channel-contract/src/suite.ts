import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AgentRuntime, createOfflineProvider } from "@openclaw/agent";
import { openMemoryStore, type Store } from "@openclaw/gateway-core";
import { ChannelService, SqliteTranscriptStore, type OutboxItem } from "@openclaw/gateway-core/internal";
import type { ContractFake, ContractHarness } from "./harness.js";

/** Polls `check` until it returns a value that is not undefined/false, or fails naming `what`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the provider-chaos test runs: a few seconds in CI, a minute with OPENCLAW_LONG_FAULTS=1. */
const CHAOS_MS = process.env["OPENCLAW_LONG_FAULTS"] === "1" ? 60_000 : 3_000;

/** A small seeded PRNG (mulberry32), so a chaos run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rig {
  readonly fake: ContractFake;
  readonly service: ChannelService;
  readonly store: Store;
  readonly runtime: AgentRuntime;
  /** Messages the agent was asked to answer, in order. */
  readonly turns: string[];
  readonly stateDir: string;
}

/**
 * The adapter contract: the adapter runs inside the real channel service (router, dedupe, outbox)
 * with the offline agent, against its provider fake. Every adapter package calls this once.
 */
export function runAdapterContract(harness: ContractHarness): void {
  const { definition } = harness;
  const rigs: Rig[] = [];

  async function boot(): Promise<Rig> {
    const fake = await harness.startFake();
    const stateDir = mkdtempSync(join(tmpdir(), `openclaw-contract-${definition.id}-`));
    const store = openMemoryStore();
    const turns: string[] = [];
    const runtime = new AgentRuntime({
      store: new SqliteTranscriptStore(store.db),
      resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }),
      onEvent: () => undefined,
    });
    const service = new ChannelService({
      db: store.db,
      loaders: { [definition.id]: async () => definition },
      // Open DMs: the contract is about transport, not access policy (the router's own tests cover that).
      config: { [definition.id]: { ...fake.accountConfig, ...harness.extraConfig, dmPolicy: "open", allowFrom: ["*"] } },
      agent: {
        run: async ({ sessionKey, agentId, message }) => {
          turns.push(message);
          const outcome = await runtime.submit({ runId: randomUUID(), sessionKey, agentId, message }).run.done;
          return { status: outcome.status, text: outcome.text };
        },
      },
      outbox: { retryDelaysMs: [200, 400, 800], idleRecheckMs: 50 },
      env: {},
      stateDir,
    });
    const rig = { fake, service, store, runtime, turns, stateDir };
    rigs.push(rig);
    await service.start();
    const status = service.snapshot().channels[definition.id]?.accounts[0];
    expect(status?.running, `account did not start: ${status?.lastError ?? "no status"}`).toBe(true);
    return rig;
  }

  const outbox = (rig: Rig): OutboxItem[] => rig.service.outbox.list({ limit: 1000 });

  afterEach(async () => {
    for (const rig of rigs.splice(0)) {
      await rig.service.stop();
      await rig.runtime.close();
      await rig.fake.close();
      rig.store.close();
      rmSync(rig.stateDir, { recursive: true, force: true });
    }
  });

  describe(`${definition.label} adapter contract`, () => {
    it("hands an inbound DM to the agent and delivers the reply to the provider", async () => {
      const rig = await boot();
      const { chatId } = await rig.fake.injectDm({ senderId: "1001", text: "hello there" });
      const sent = await waitUntil("the reply at the fake", () => rig.fake.sent(chatId)[0]);
      expect(sent.text).toBe("Echo: hello there");
      expect(rig.turns).toEqual(["hello there"]);
      // The fake logs a message before its answer reaches the adapter; the outbox records it after.
      const item = await waitUntil("the outbox to record the delivery", () => outbox(rig).find((entry) => entry.status === "sent"));
      expect(item.providerIds).toEqual([sent.messageId]);
    });

    it("splits a reply longer than the provider limit into ordered chunks within the limit", async () => {
      const rig = await boot();
      const words = Array.from({ length: Math.ceil((definition.textChunkLimit * 2.5) / 6) }, (_, index) => `w${index % 10000}`);
      const text = words.join(" ");
      const { chatId } = await rig.fake.injectDm({ senderId: "1002", text });
      const expected = `Echo: ${text}`;
      const sent = await waitUntil("every chunk", () => {
        const item = outbox(rig)[0];
        return item?.status === "sent" ? rig.fake.sent(chatId) : undefined;
      });
      expect(sent.length).toBeGreaterThanOrEqual(3);
      for (const chunk of sent) expect(chunk.text.length).toBeLessThanOrEqual(definition.textChunkLimit);
      expect(
        sent
          .map((chunk) => chunk.text)
          .join(" ")
          .split(/\s+/),
      ).toEqual(expected.split(/\s+/));
    });

    it("ignores its own message when the provider echoes it back", async () => {
      const rig = await boot();
      const { chatId } = await rig.fake.injectDm({ senderId: "1003", text: "first" });
      const reply = await waitUntil("the reply", () => rig.fake.sent(chatId)[0]);
      await rig.fake.injectEcho(chatId, reply.messageId);
      // A later message through the same lane proves the echo was seen and dropped, not still queued.
      await rig.fake.injectDm({ senderId: "1003", text: "second" });
      await waitUntil("the second reply", () => rig.fake.sent(chatId)[1]);
      expect(rig.turns).toEqual(["first", "second"]);
    });

    it("processes a redelivered message once", async () => {
      const rig = await boot();
      const { chatId, messageId } = await rig.fake.injectDm({ senderId: "1004", text: "only once" });
      await waitUntil("the reply", () => rig.fake.sent(chatId)[0]);
      await rig.fake.redeliver(messageId);
      await rig.fake.injectDm({ senderId: "1004", text: "barrier" });
      await waitUntil("the barrier reply", () => rig.fake.sent(chatId)[1]);
      await pause(100);
      expect(rig.turns).toEqual(["only once", "barrier"]);
      expect(rig.fake.sent(chatId).map((sent) => sent.text)).toEqual(["Echo: only once", "Echo: barrier"]);
    });

    it("reconnects after the provider drops the connection, with backoff and never two connections", async () => {
      const rig = await boot();
      const before = rig.fake.connectionsOpened();
      rig.fake.dropConnection();
      const { chatId } = await rig.fake.injectDm({ senderId: "1005", text: "after the drop" });
      const sent = await waitUntil("a reply after reconnecting", () => rig.fake.sent(chatId)[0], 25_000);
      expect(sent.text).toBe("Echo: after the drop");
      // Telegram counts each long poll; a storm would be dozens within this window.
      expect(rig.fake.connectionsOpened() - before).toBeLessThanOrEqual(6);
      expect(rig.fake.maxConcurrentConnections()).toBe(1);
    });

    it("waits for retry_after when the provider answers 429, then delivers once", async () => {
      const rig = await boot();
      rig.fake.failSends({ status: 429, retryAfterSeconds: 1, count: 1 });
      const { chatId } = await rig.fake.injectDm({ senderId: "1006", text: "rate limited" });
      const sent = await waitUntil("the reply after the 429", () => rig.fake.sent(chatId)[0]);
      expect(sent.text).toBe("Echo: rate limited");
      const attempts = rig.fake.attempts(chatId);
      const refused = attempts.find((attempt) => attempt.status === 429);
      expect(refused).toBeDefined();
      expect(sent.atMs - refused!.atMs).toBeGreaterThanOrEqual(900);
      expect(rig.fake.sent(chatId)).toHaveLength(1);
    });

    it("dead-letters a permanent 4xx after one attempt instead of retrying it", async () => {
      const rig = await boot();
      rig.fake.failSends({ status: 403, count: 5 });
      const { chatId } = await rig.fake.injectDm({ senderId: "1007", text: "blocked" });
      const item = await waitUntil("a dead letter", () => outbox(rig).find((entry) => entry.status === "dead"));
      expect(item.deadReason).toMatch(/^permanent: /);
      await pause(1_000);
      expect(rig.fake.attempts(chatId)).toHaveLength(1);
      expect(rig.fake.sent(chatId)).toHaveLength(0);
    });

    it(
      `delivers every message exactly once while the provider drops connections at random (${CHAOS_MS / 1000} s)`,
      { timeout: CHAOS_MS + 90_000 },
      async () => {
        const rig = await boot();
        const random = seeded(Number(process.env["OPENCLAW_CHAOS_SEED"] ?? 20261124));
        const expected: { chatId: string; text: string }[] = [];
        let drops = 0;
        const started = Date.now();
        for (let index = 0; Date.now() - started < CHAOS_MS; index += 1) {
          // About 10 drops per run whatever its length: inside every adapter's hourly restart budget,
          // which is the point (a channel that loses its connection every few seconds for an hour
          // is supposed to give up and say so).
          if (random() < Math.min(0.35, 10 / (CHAOS_MS / 200))) {
            rig.fake.dropConnection();
            drops += 1;
          }
          const text = `chaos ${index}`;
          const { chatId } = await rig.fake.injectDm({ senderId: String(3000 + (index % 3)), text });
          expected.push({ chatId, text: `Echo: ${text}` });
          await pause(50 + random() * 250);
        }
        await waitUntil(
          `all ${expected.length} replies`,
          () => expected.every((want) => rig.fake.sent(want.chatId).some((sent) => sent.text === want.text)),
          CHAOS_MS + 60_000,
        );
        await pause(500);
        for (const want of expected)
          expect(
            rig.fake.sent(want.chatId).filter((sent) => sent.text === want.text),
            want.text,
          ).toHaveLength(1);
        expect(rig.turns).toHaveLength(expected.length);
        // No storm and no duplicate pollers: never two connections, and attempts bounded by the work done.
        expect(rig.fake.maxConcurrentConnections()).toBe(1);
        expect(rig.fake.connectionsOpened()).toBeLessThanOrEqual(3 * (drops + expected.length) + 10);
      },
    );

    it("settles an in-flight send on stop and leaves no connection open", async () => {
      const rig = await boot();
      const release = rig.fake.holdSends();
      const { chatId } = await rig.fake.injectDm({ senderId: "1008", text: "in flight" });
      await waitUntil("the held send at the fake", () => rig.fake.attempts(chatId)[0]);
      let stopped = false;
      const stopping = rig.service.stop().then(() => {
        stopped = true;
      });
      await pause(200);
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(outbox(rig)[0]?.status).toBe("sent");
      expect(rig.fake.sent(chatId)).toHaveLength(1);
      await waitUntil("no open provider connections", () => rig.fake.openConnections() === 0, 5_000);
    });
  });
}
