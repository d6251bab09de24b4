import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "@openclaw/agent";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { CHAT_COMMANDS, prepared } from "@openclaw/gateway-core/internal";
import { telegramChannel } from "@openclaw/channel-telegram";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const OWNER = 4242;
const GROUP = -100_777;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Records what the model is asked; holds a turn while `hold` is set, until aborted or released. */
class RecordingProvider implements ModelProvider {
  readonly id = "rec";
  readonly label = "recording (test)";
  readonly requests: ModelRequest[] = [];
  hold = false;
  private releases: (() => void)[] = [];

  thinking() {
    return { levels: ["low", "high"] };
  }

  release(): void {
    for (const release of this.releases.splice(0)) release();
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    if (this.hold) {
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        request.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      });
    }
    if (request.messages.at(-1)?.content.includes("use a tool") && !request.messages.some((message) => message.role === "tool")) {
      yield { type: "tool_call", call: { id: "t1", name: "lookup", arguments: '{"q":"tea"}' } };
      yield { type: "done", stopReason: "tool_calls" };
      return;
    }
    yield { type: "text", delta: `Echo: ${request.messages.at(-1)?.content ?? ""}` };
    yield { type: "done", stopReason: "end", usage: { inputTokens: 11, outputTokens: 4 } };
  }
}

async function start(fake: TelegramFake, provider: RecordingProvider) {
  const home = mkdtempSync(join(tmpdir(), "openclaw-commands-telegram-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("commands-telegram-token-0123456789"),
    agent: {
      resolveModel: () => ({ provider, model: "test-model" }),
      listModels: async () => [],
      tools: {
        tools: async () => [{ name: "lookup", description: "look something up", parameters: { type: "object" } }],
        call: async () => ({ text: "tea is a drink" }),
      },
    },
    commands: { ownerAllowFrom: [`telegram:${OWNER}`] },
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: {
        telegram: {
          botToken: fake.token,
          apiRoot: fake.apiRoot,
          polling: { timeoutSeconds: 1 },
          dmPolicy: "open",
          allowFrom: ["*"],
          groupPolicy: "open",
          groups: { "*": { requireMention: true } },
        },
      },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  return { gateway, store };
}

/** Send `text` as a DM from `from` and wait for the next reply in that chat. */
async function dm(fake: TelegramFake, text: string, from = OWNER): Promise<string> {
  const before = fake.sent.filter((sent) => sent.chatId === String(from)).length;
  fake.inject({ chatId: from, from: { id: from, first_name: "Sender" }, text });
  const replies = await waitFor(`a reply to ${JSON.stringify(text)}`, () => {
    const all = fake.sent.filter((sent) => sent.chatId === String(from));
    return all.length > before && all;
  });
  return replies[before]!.text;
}

describe("chat commands as Telegram messages", () => {
  it("the owner's DM commands are answered in the chat, change the session and never reach the model", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const provider = new RecordingProvider();
    const { gateway } = await start(fake, provider);
    const session = `agent:main:main`;

    const status = await dm(fake, "/status");
    expect(status).toContain("Model: rec/test-model");
    expect(status).toContain("Channel: telegram (account default, dm)");
    expect(await dm(fake, "/whoami")).toContain("Owner: yes");
    expect(await dm(fake, "/think high")).toBe("Thinking set to high.");
    expect(gateway.agent!.store.session(session)!.options.thinkingLevel).toBe("high");
    const idBefore = gateway.agent!.store.session(session)!.sessionId;
    expect(await dm(fake, "/new")).toMatch(/^New session started/);
    expect(gateway.agent!.store.session(session)!.sessionId).not.toBe(idBefore);
    expect(provider.requests).toHaveLength(0);
    expect(await dm(fake, "hello")).toBe("Echo: hello");
    expect(provider.requests).toHaveLength(1);
  });

  it("every advertised command is answered in the chat and none reaches the model", { timeout: 90_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const provider = new RecordingProvider();
    const { gateway } = await start(fake, provider);
    expect(gateway.agent).toBeDefined();
    const names = CHAT_COMMANDS.map((command) => command.textAliases[0]!);
    expect(names.length).toBeGreaterThan(20);
    for (const alias of names) {
      const reply = await dm(fake, alias);
      expect(reply, alias).not.toMatch(/^Echo:/);
      expect(reply, alias).not.toMatch(/^Only the owner/);
    }
    expect(provider.requests).toHaveLength(0);
  });

  it("/stop in the chat aborts the turn that chat is waiting on", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const provider = new RecordingProvider();
    provider.hold = true;
    const { gateway } = await start(fake, provider);
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "think long" });
    await waitFor("the held turn", () => provider.requests.length === 1);
    expect(await dm(fake, "/stop")).toBe("Stopped the current run.");
    await waitFor("the aborted run to end", () => gateway.agent!.runtime.activeRunIds("agent:main:main").length === 0);
  });

  it("a non-owner is refused in a group and in a DM, but may read /status", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const provider = new RecordingProvider();
    await start(fake, provider);
    fake.inject({ chatId: GROUP, chatType: "group", from: { id: 555, first_name: "Guest" }, text: "/think high" });
    const refusal = await waitFor("the group refusal", () => fake.sent.find((sent) => sent.chatId === String(GROUP)));
    expect(refusal.text).toBe("Only the owner can use /think here.");
    expect(await dm(fake, "/reset", 556)).toBe("Only the owner can use /reset here.");
    expect(await dm(fake, "/status", 556)).toContain("Session: agent:main:main");
    expect(provider.requests).toHaveLength(0);
  });

  it("/activation always answers group messages without a mention; /send off holds replies; /verbose and /usage shape them", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const provider = new RecordingProvider();
    const { store } = await start(fake, provider);
    const groupReplies = () => fake.sent.filter((sent) => sent.chatId === String(GROUP));
    fake.inject({ chatId: GROUP, chatType: "group", from: { id: OWNER }, text: "/activation always" });
    await waitFor("the activation answer", () => groupReplies().length === 1);
    expect(groupReplies()[0]!.text).toBe("Group activation set to always.");
    fake.inject({ chatId: GROUP, chatType: "group", from: { id: 555, first_name: "Guest" }, text: "no mention here" });
    await waitFor("the unmentioned message answered", () => groupReplies().length === 2);
    expect(groupReplies()[1]!.text).toBe("Echo: Guest: no mention here");

    expect(await dm(fake, "/verbose on")).toBe("Verbose set to on.");
    expect(await dm(fake, "/usage tokens")).toBe("Usage footer set to tokens.");
    expect(await dm(fake, "please use a tool")).toBe('🔧 lookup({"q":"tea"})\nEcho: tea is a drink\n— 15 tokens');

    expect(await dm(fake, "/send off")).toBe("Send policy set to off.");
    const sentBefore = fake.sent.length;
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "kept quiet" });
    const held = () =>
      (prepared(store.db, "SELECT outcome FROM channel_inbound WHERE message LIKE '%kept quiet%'").get() as { outcome: string } | undefined)?.outcome;
    await waitFor("the held turn to finish", () => held()?.includes("held by send policy"));
    expect(fake.sent.length).toBe(sentBefore);
  });

  it("/allowlist adds and removes a DM sender of this account", { timeout: 30_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const { gateway } = await start(fake, new RecordingProvider());
    expect(await dm(fake, "/allowlist add 9001")).toBe("9001 may now message telegram/default.");
    expect(gateway.channels!.pairing.approvedSenders("telegram", "default")).toEqual(["9001"]);
    expect(await dm(fake, "/allowlist")).toBe("DM allowlist of telegram/default:\n* (config)\n9001 (approved)");
    expect(await dm(fake, "/allowlist remove 9001")).toBe("9001 removed from the allowlist of telegram/default.");
    expect(gateway.channels!.pairing.approvedSenders("telegram", "default")).toEqual([]);
  });
});
