import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer, openMemoryStore, type Store } from "@openclaw/gateway-core";
import { prepared } from "@openclaw/gateway-core/internal";
import { slackChannel } from "@openclaw/channel-slack";
import { startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const CHANNEL = "C0GROUP001";
const USER = "U0PERSON01";
/** What the gateway recorded for the inbound message whose text contains `text`. */
function recorded(store: Store, text: string): { outcome: string; thread?: { id: string } } {
  const row = prepared(store.db, "SELECT outcome, message FROM channel_inbound WHERE message LIKE ?").get(`%${text}%`) as { outcome: string; message: string };
  return { outcome: row.outcome, ...(JSON.parse(row.message) as { thread?: { id: string } }) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway with the offline echo model and one Slack account whose channels answer only when mentioned. */
async function start(): Promise<{ slack: SlackFake; store: Store }> {
  const slack = await startSlackFake();
  cleanups.push(() => slack.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-slack-threads-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("slack-threads-token-0123456789"),
    agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
    channels: {
      loaders: { slack: async () => slackChannel },
      config: {
        slack: {
          botToken: slack.botToken,
          appToken: slack.appToken,
          apiUrl: slack.apiUrl,
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
  await waitFor("the Slack account to connect", () => gateway.channels!.snapshot().channels["slack"]?.accounts[0]?.connected);
  return { slack, store };
}

describe("Slack channels and threads through the gateway", () => {
  it("in a channel, a message without a mention of the bot is dropped and one with <@bot> is answered", async () => {
    const { slack, store } = await start();
    slack.message({ channel: CHANNEL, user: USER, text: "talking among ourselves" });
    slack.message({ channel: CHANNEL, user: USER, text: `<@${slack.botUserId}> are you there?` });
    // One lane per chat keeps the order: the answer to the second proves the first was already handled.
    const reply = await waitFor("the reply", () => slack.sent.find((sent) => sent.channel === CHANNEL));
    expect(reply.text).toBe(`Echo: ${USER}: <@${slack.botUserId}> are you there?`);
    expect(reply.params["thread_ts"]).toBeUndefined();
    expect(slack.sent).toHaveLength(1);
    expect(recorded(store, "among ourselves").outcome).toBe("group message without a mention");
  });

  it("a mention inside a thread is answered in that thread (thread_ts); a later mention outside it is answered in the channel", async () => {
    const { slack, store } = await start();
    const parent = slack.message({ channel: CHANNEL, user: USER, text: "a topic to discuss" });
    slack.message({ channel: CHANNEL, user: USER, text: `<@${slack.botUserId}> first in thread`, threadTs: parent.ts });
    const reply = await waitFor("the reply in the thread", () => slack.sent[0]);
    expect(reply).toMatchObject({ channel: CHANNEL, text: `Echo: ${USER}: <@${slack.botUserId}> first in thread` });
    expect(reply.params["thread_ts"]).toBe(parent.ts);
    expect(recorded(store, "first in thread").thread).toEqual({ id: parent.ts });
    expect(recorded(store, "a topic to discuss").outcome).toBe("group message without a mention");
    slack.message({ channel: CHANNEL, user: USER, text: `<@${slack.botUserId}> outside` });
    const second = await waitFor("the reply outside the thread", () => slack.sent[1]);
    expect(second.params["thread_ts"]).toBeUndefined();
    expect(slack.sent).toHaveLength(2);
  });
});
