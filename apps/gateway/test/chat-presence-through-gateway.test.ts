import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect } from "@openclaw/client";
import { discordChannel } from "@openclaw/channel-discord";
import { telegramChannel } from "@openclaw/channel-telegram";
import { startDiscordFake, startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { PRESENCE_TOKEN, startPresenceGateway, type Cleanups, type PresenceSetup } from "./presence-gateway.js";

/**
 * The typing indicator and the acknowledgement reaction, through a real gateway: the real adapters
 * (grammY, discord.js) against their provider fakes, and a model the test holds until it releases it.
 */

const OWNER = 4242;
const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const telegramConfig = (fake: TelegramFake, policy: Record<string, unknown> = { dmPolicy: "open", allowFrom: ["*"] }) => ({
  botToken: fake.token,
  apiRoot: fake.apiRoot,
  polling: { timeoutSeconds: 1 },
  ...policy,
});

async function telegram(messages?: PresenceSetup["messages"], policy?: Record<string, unknown>) {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  const started = await startPresenceGateway(
    {
      channel: "telegram",
      definition: telegramChannel,
      config: telegramConfig(fake, policy),
      ...(messages ? { messages } : {}),
    },
    cleanups,
  );
  const typing = () => fake.calls("sendChatAction").map((call) => call.body as { chat_id: unknown; action: string });
  const reactions = () => fake.calls("setMessageReaction").map((call) => call.body as { chat_id: unknown; message_id: number; reaction: unknown });
  const replies = (chatId: number) => fake.sent.filter((sent) => sent.chatId === String(chatId));
  return { fake, ...started, typing, reactions, replies };
}

describe("chat presence through the gateway: Telegram", () => {
  it("typing starts when a DM starts a run, is repeated while the run is held, and stops with no interval left when it ends", { timeout: 30_000 }, async () => {
    const { fake, gateway, provider, timers, typing, replies } = await telegram();
    fake.inject({ chatId: OWNER, from: { id: OWNER, first_name: "Owner" }, text: "take your time" });
    await provider.started(0);
    await waitFor("typing sent and refreshed twice", () => typing().length >= 3);
    expect(typing().every((call) => String(call.chat_id) === String(OWNER) && call.action === "typing")).toBe(true);
    expect(timers.live.size).toBe(1);
    expect(gateway.channels!.presence.activeTyping).toBe(1);

    provider.release(0);
    await waitFor("the reply", () => replies(OWNER).length === 1);
    expect(replies(OWNER)[0]!.text).toBe("Echo: take your time");
    expect(timers.live.size).toBe(0);
    expect(gateway.channels!.presence.activeTyping).toBe(0);
  });

  it("chat.abort ends the held run and its typing loop", { timeout: 30_000 }, async () => {
    const { fake, gateway, provider, timers, typing, replies } = await telegram();
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "never mind" });
    await provider.started(0);
    await waitFor("typing", () => typing().length >= 1);
    expect(timers.live.size).toBe(1);

    const client = await connect({
      url: gateway.url,
      token: PRESENCE_TOKEN,
      WebSocket: WebSocket as never,
      client: { id: "cli", mode: "cli" },
      reconnect: false,
    });
    cleanups.push(() => client.close());
    const aborted = await client.call("chat.abort", { sessionKey: "agent:main:main" });
    expect(aborted).toMatchObject({ ok: true, aborted: true });
    // An aborted run is answered with the failure notice; by then the loop is gone.
    await waitFor("the notice for the aborted run", () => replies(OWNER).length === 1);
    expect(timers.live.size).toBe(0);
    expect(gateway.channels!.presence.activeTyping).toBe(0);
  });

  it("gateway shutdown during a held run leaves no typing interval", { timeout: 30_000 }, async () => {
    const { fake, gateway, provider, timers, typing } = await telegram();
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "still thinking" });
    await provider.started(0);
    await waitFor("typing", () => typing().length >= 1);
    expect(timers.live.size).toBe(1);
    await gateway.stop();
    expect(timers.live.size).toBe(0);
    expect(gateway.channels!.presence.activeTyping).toBe(0);
  });

  it("messages.ackReaction reacts to the accepted DM while its run is held", { timeout: 30_000 }, async () => {
    const { fake, provider, reactions, replies } = await telegram({ ackReaction: "👀", ackReactionScope: "direct" });
    const update = fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "hello" });
    await provider.started(0);
    await waitFor("the reaction", () => reactions().length === 1);
    expect(reactions()[0]).toEqual({ chat_id: String(OWNER), message_id: update.message!["message_id"], reaction: [{ type: "emoji", emoji: "👀" }] });
    expect(replies(OWNER)).toEqual([]);
    provider.release(0);
    await waitFor("the reply", () => replies(OWNER).length === 1);
  });

  it("without messages.ackReaction an answered DM gets no reaction", { timeout: 30_000 }, async () => {
    const { fake, provider, reactions, typing, replies } = await telegram();
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "hello" });
    await provider.started(0);
    provider.release(0);
    await waitFor("the reply", () => replies(OWNER).length === 1);
    expect(typing().length).toBeGreaterThanOrEqual(1);
    expect(reactions()).toEqual([]);
  });

  it("a sender refused by DM pairing gets the pairing code and no reaction or typing", { timeout: 30_000 }, async () => {
    const { fake, provider, reactions, typing, replies } = await telegram({ ackReaction: "👀", ackReactionScope: "all" }, { dmPolicy: "pairing" });
    fake.inject({ chatId: 777, from: { id: 777, first_name: "Stranger" }, text: "hi?" });
    await waitFor("the pairing code", () => replies(777).length === 1);
    expect(replies(777)[0]!.text).toContain("pairing code");
    expect(provider.requests).toHaveLength(0);
    expect(reactions()).toEqual([]);
    expect(typing()).toEqual([]);
  });

  it("the default scope (group-mentions) reacts to a group message that mentions the bot, not to a DM", { timeout: 30_000 }, async () => {
    const group = -100_555;
    const { fake, provider, reactions, replies } = await telegram(
      { ackReaction: "👍" },
      { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open", groups: { "*": { requireMention: true } } },
    );
    fake.inject({ chatId: OWNER, from: { id: OWNER }, text: "a DM" });
    await provider.started(0);
    provider.release(0);
    await waitFor("the DM reply", () => replies(OWNER).length === 1);
    const mention = `@${fake.username}`;
    const update = fake.inject({
      chatId: group,
      chatType: "supergroup",
      from: { id: 11, first_name: "Ann" },
      text: `${mention} hi`,
      entities: [{ type: "mention", offset: 0, length: mention.length }],
    });
    await provider.started(1);
    provider.release(1);
    await waitFor("the group reply", () => replies(group).length === 1);
    expect(reactions()).toEqual([{ chat_id: String(group), message_id: update.message!["message_id"], reaction: [{ type: "emoji", emoji: "👍" }] }]);
  });
});

describe("chat presence through the gateway: Discord", () => {
  it("typing is triggered and refreshed during a held DM run, stopped at the end, and the ack reaction lands on the message", { timeout: 30_000 }, async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const { gateway, provider, timers } = await startPresenceGateway(
      {
        channel: "discord",
        definition: discordChannel,
        config: { token: fake.token, apiRoot: `${fake.url}/api`, dmPolicy: "open", allowFrom: ["*"] },
        messages: { ackReaction: "✅", ackReactionScope: "all" },
      },
      cleanups,
    );
    const dmChannel = "900000000000000123";
    const { id } = fake.message({ channelId: dmChannel, authorId: "700000000000000123", content: "hello discord" });
    await provider.started(0);
    await waitFor("typing triggered and refreshed", () => fake.typing.length >= 3);
    expect(fake.typing.every((entry) => entry.channelId === dmChannel)).toBe(true);
    await waitFor("the reaction", () => fake.reactions.length === 1);
    expect(fake.reactions[0]).toMatchObject({ channelId: dmChannel, messageId: id, emoji: "✅", removed: false });
    expect(timers.live.size).toBe(1);

    provider.release(0);
    await waitFor("the reply", () => fake.sent.some((sent) => sent.channelId === dmChannel));
    expect(fake.sent.find((sent) => sent.channelId === dmChannel)!.content).toBe("Echo: hello discord");
    expect(timers.live.size).toBe(0);
    expect(gateway.channels!.presence.activeTyping).toBe(0);
  });

  it("without messages.ackReaction no reaction is sent", { timeout: 30_000 }, async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const { provider } = await startPresenceGateway(
      {
        channel: "discord",
        definition: discordChannel,
        config: { token: fake.token, apiRoot: `${fake.url}/api`, dmPolicy: "open", allowFrom: ["*"] },
      },
      cleanups,
    );
    const dmChannel = "900000000000000124";
    fake.message({ channelId: dmChannel, authorId: "700000000000000124", content: "hi" });
    await provider.started(0);
    provider.release(0);
    await waitFor("the reply", () => fake.sent.some((sent) => sent.channelId === dmChannel));
    expect(fake.typing.length).toBeGreaterThanOrEqual(1);
    expect(fake.reactions).toEqual([]);
  });
});
