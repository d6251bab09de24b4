import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Value } from "@sinclair/typebox/value";
import { METHODS, registerProtocolKinds } from "@openclaw/protocol";
import type { ChannelDefinition, InboundMessage } from "@openclaw/channel-kit";
import { MemoryProvider, waitFor } from "./memory-channel.js";
import { ChannelService } from "../src/channels/channel-service.js";
import { createChannelHandlers } from "../src/methods/channels.js";
import { openMemoryStore } from "../src/store/index.js";
import { requestContext } from "./request-context.js";
import { prepared } from "../src/store/statements.js";

registerProtocolKinds();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A pino logger whose lines the test can read. */
function captureLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  return { logger: pino({ level: "debug", messageKey: "message" }, stream), lines };
}

/** The memory provider dressed as iMessage: same id, label and settings shape (`cliPath`, `dbPath`). */
function imessageShaped(provider: MemoryProvider): ChannelDefinition {
  const memory = provider.definition();
  return { ...memory, id: "imessage", label: "iMessage", configKeys: ["cliPath", "dbPath"] };
}

async function start(config: Record<string, unknown>, channel = "imessage") {
  const provider = new MemoryProvider();
  const store = openMemoryStore();
  const { logger, lines } = captureLogger();
  const turns: string[] = [];
  const service = new ChannelService({
    db: store.db,
    loaders: { [channel]: async () => (channel === "imessage" ? imessageShaped(provider) : provider.definition()) },
    config: { [channel]: config },
    logger,
    agent: {
      run: async ({ message }) => {
        turns.push(message);
        return { status: "ok", text: `re: ${message}` };
      },
    },
    outbox: { retryDelaysMs: [30], idleRecheckMs: 20 },
  });
  cleanups.push(() => store.close());
  cleanups.push(() => service.stop());
  await service.start();
  const dm = (from: string, id: string, accountId = "default"): InboundMessage => ({
    ...provider.inbound({ text: `hi from ${from}`, id, from }),
    channel,
    accountId,
  });
  const outcome = (id: string) =>
    prepared(store.db, "SELECT status, outcome FROM channel_inbound WHERE message_id = ?").get(id) as { status: string; outcome: string } | undefined;
  return { provider, service, turns, lines, dm, outcome };
}

describe("DM access control", () => {
  it("an empty allowlist on iMessage fails closed", async () => {
    // BlueBubbles read an empty allowlist as "allow everyone". Each shape of "nobody listed" must deny.
    for (const allowFrom of [undefined, [], [""], ["  "], ["*"]]) {
      const { provider, turns, dm, outcome, service } = await start({
        cliPath: "/usr/local/bin/imsg",
        dmPolicy: "allowlist",
        ...(allowFrom !== undefined ? { allowFrom } : {}),
      });
      const message = dm("+15550001111", `m-${JSON.stringify(allowFrom)}`);
      await provider.deliver(message);
      await waitFor("the DM to be decided", () => outcome(message.providerMessageId)?.status !== "pending" && outcome(message.providerMessageId));
      expect(outcome(message.providerMessageId), `allowFrom ${JSON.stringify(allowFrom)}`).toEqual({
        status: "dropped",
        outcome: "dm denied: empty-allow-list",
      });
      // Denied outright: no agent turn, no reply, and no pairing code (an allowlist never pairs).
      expect(turns).toEqual([]);
      expect(provider.sent).toEqual([]);
      expect(service.pairing.list()).toEqual([]);
      await service.stop();
    }
  });

  it("an iMessage allowlist admits exactly the listed sender", async () => {
    const { provider, turns, dm } = await start({ cliPath: "imsg", dmPolicy: "allowlist", allowFrom: ["+15550002222"] });
    await provider.deliver(dm("+15550003333", "a"));
    await provider.deliver(dm("+15550002222", "b"));
    await waitFor("the listed sender's reply", () => provider.sent[0]);
    expect(turns).toEqual(["hi from +15550002222"]);
    expect(provider.sent.map((sent) => sent.chatId)).toEqual(["dm-+15550002222"]);
  });

  it('"*" with pairing is audited at load — a warning in the log and in channels.status for every account that inherits it — and pairing still holds', async () => {
    const { provider, service, lines, dm, turns } = await start(
      { dmPolicy: "pairing", allowFrom: ["*"], accounts: { home: {}, work: { dmPolicy: "allowlist", allowFrom: ["+15550004444"] } } },
      "memory",
    );
    // Inherited by "home" from the section, overridden by "work": only "home" is warned about.
    const warnings = lines.filter((line) => line.level === 40 && String(line.message).startsWith("channel DM policy:"));
    expect(warnings.map((line) => [line.accountId, line.message])).toEqual([
      [
        "home",
        'channel DM policy: channels.memory.accounts.home.allowFrom contains "*" but dmPolicy is "pairing"; "*" is ignored. Set dmPolicy "open" to accept every sender.',
      ],
    ]);

    const status = await createChannelHandlers(service)["channels.status"]!({}, requestContext());
    expect(Value.Check(METHODS["channels.status"].result, status)).toBe(true);
    const accounts = status.channels["memory"]!.accounts as { accountId: string; warnings?: string[] }[];
    expect(accounts.find((account) => account.accountId === "home")?.warnings).toEqual([
      expect.stringMatching(/^channels\.memory\.accounts\.home\.allowFrom contains "\*"/),
    ]);
    expect(accounts.find((account) => account.accountId === "work")).not.toHaveProperty("warnings");

    // The wildcard did not open the door: a stranger is asked to pair, the agent never runs.
    await provider.deliver(dm("stranger", "s1", "home"), "home");
    await waitFor("the pairing code", () => provider.sent[0]);
    expect(provider.sent[0]!.text).toMatch(/pairing code is [A-HJ-NP-Z2-9]{8}/);
    expect(turns).toEqual([]);
  });

  it("a clean policy is not warned about", async () => {
    const { lines, service } = await start({ dmPolicy: "allowlist", allowFrom: ["+15550005555"] }, "memory");
    expect(lines.filter((line) => String(line.message).startsWith("channel DM policy:"))).toEqual([]);
    expect(service.snapshot().channels["memory"]!.accounts[0]).not.toHaveProperty("warnings");
  });
});
