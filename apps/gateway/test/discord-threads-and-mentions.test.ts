import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer, openMemoryStore, type Store } from "@openclaw/gateway-core";
import { prepared } from "@openclaw/gateway-core/internal";
import { discordChannel } from "@openclaw/channel-discord";
import { startDiscordFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const GUILD = "9100000000000000001";
const CHANNEL = "9200000000000000001";
const USER = "9300000000000000001";
/** What the gateway recorded for the inbound message whose text contains `text`. */
function recorded(store: Store, text: string): { outcome: string; thread?: { id: string } } {
  const row = prepared(store.db, "SELECT outcome, message FROM channel_inbound WHERE message LIKE ?").get(`%${text}%`) as { outcome: string; message: string };
  return { outcome: row.outcome, ...(JSON.parse(row.message) as { thread?: { id: string } }) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway with the offline echo model and one Discord account whose guild channels answer only when mentioned. */
async function start(
  settings: Record<string, unknown> = { groupPolicy: "open", groups: { "*": { requireMention: true } } },
): Promise<{ discord: DiscordFake; store: Store }> {
  const discord = await startDiscordFake();
  cleanups.push(() => discord.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-discord-threads-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("discord-threads-token-0123456789"),
    agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
    channels: {
      loaders: { discord: async () => discordChannel },
      config: { discord: { token: discord.token, apiRoot: `${discord.url}/api`, ...settings } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Discord account to connect", () => gateway.channels!.snapshot().channels["discord"]?.accounts[0]?.connected);
  return { discord, store };
}

describe("Discord guild channels and threads through the gateway", () => {
  it("in a guild channel, a message without a mention of the bot is dropped and one with <@id> is answered as a reply", async () => {
    const { discord, store } = await start();
    discord.message({ channelId: CHANNEL, guildId: GUILD, authorId: USER, content: "talking among ourselves" });
    const mentioned = discord.message({
      channelId: CHANNEL,
      guildId: GUILD,
      authorId: USER,
      content: `<@${discord.botId}> are you there?`,
      mentions: [discord.botId],
    });
    // One lane per chat keeps the order: the answer to the second proves the first was already handled.
    const reply = await waitFor("the reply", () => discord.sent.find((sent) => sent.channelId === CHANNEL));
    expect(reply.content).toBe(`Echo: User ${USER.slice(-4)}: <@${discord.botId}> are you there?`);
    expect(reply.body["message_reference"]).toMatchObject({ message_id: mentioned.id });
    expect(discord.sent).toHaveLength(1);
    expect(recorded(store, "among ourselves").outcome).toBe("group message without a mention");
  });

  it("a mention in a thread is answered in that thread", async () => {
    const { discord, store } = await start();
    const { id: thread } = discord.createThread({ parentId: CHANNEL, guildId: GUILD });
    const asked = discord.message({
      channelId: thread,
      guildId: GUILD,
      authorId: USER,
      content: `<@${discord.botId}> in the thread`,
      mentions: [discord.botId],
    });
    const reply = await waitFor("the reply in the thread", () => discord.sent[0]);
    expect(reply).toMatchObject({ channelId: thread, content: `Echo: User ${USER.slice(-4)}: <@${discord.botId}> in the thread` });
    expect(reply.body["message_reference"]).toMatchObject({ message_id: asked.id });
    expect(recorded(store, "in the thread").thread).toEqual({ id: thread });
    expect(discord.sent).toHaveLength(1);
  });

  it("a thread under an allowlisted channel follows that channel's settings: admitted, and answered without a mention", async () => {
    const { discord, store } = await start({ groupPolicy: "allowlist", groups: { [CHANNEL]: { requireMention: false } } });
    const { id: thread } = discord.createThread({ parentId: CHANNEL, guildId: GUILD });
    const { id: elsewhere } = discord.createThread({ parentId: "9200000000000000099", guildId: GUILD });
    discord.message({ channelId: elsewhere, guildId: GUILD, authorId: USER, content: "in a thread of another channel" });
    discord.message({ channelId: thread, guildId: GUILD, authorId: USER, content: "no mention needed here" });
    const reply = await waitFor("the reply in the thread", () => discord.sent[0]);
    expect(reply).toMatchObject({ channelId: thread, content: `Echo: User ${USER.slice(-4)}: no mention needed here` });
    const denied = await waitFor("the other thread's message to be handled", () => {
      const row = prepared(store.db, "SELECT outcome FROM channel_inbound WHERE message LIKE ?").get("%another channel%") as { outcome: string } | undefined;
      return row?.outcome !== undefined && row.outcome !== "" && row;
    });
    expect(denied.outcome).toBe("group denied: not-allowlisted");
    expect(discord.sent).toHaveLength(1);
  });
});
