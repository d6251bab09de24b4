import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signalChannel } from "@openclaw/channel-signal";
import { slackChannel } from "@openclaw/channel-slack";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { startSignalFake, startSlackFake, startWhatsAppFake, waitFor } from "@openclaw/testing";
import { startPresenceGateway, type Cleanups, type PresenceSetup } from "./presence-gateway.js";

/**
 * Typing, the acknowledgement reaction and read receipts through a real gateway on Signal (the
 * adapter against the fake signal-cli daemon), Slack (Bolt against the fake Web API and Socket
 * Mode) and WhatsApp (the adapter on the fake Baileys socket), with a model the test holds.
 */

const OPEN = { dmPolicy: "open", allowFrom: ["*"] };
const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function signal(settings: Record<string, unknown> = OPEN, messages?: PresenceSetup["messages"]) {
  const fake = await startSignalFake();
  cleanups.push(() => fake.close());
  const config = { account: fake.account, transport: { url: fake.url }, ...settings };
  const started = await startPresenceGateway({ channel: "signal", definition: signalChannel, config, ...(messages ? { messages } : {}) }, cleanups);
  const replies = (recipient: string) => fake.sent.filter((sent) => sent.recipient === recipient);
  return { fake, ...started, replies };
}

async function whatsapp(settings: Record<string, unknown> = OPEN, messages?: PresenceSetup["messages"]) {
  const fake = startWhatsAppFake();
  const authDir = mkdtempSync(join(tmpdir(), "openclaw-wa-presence-"));
  cleanups.push(() => rmSync(authDir, { recursive: true, force: true }));
  const definition = createWhatsAppChannel({ socketFactory: fake.factory as unknown as SocketFactory });
  const started = await startPresenceGateway(
    { channel: "whatsapp", definition, config: { authDir, ...settings }, ...(messages ? { messages } : {}) },
    cleanups,
  );
  const replies = (jid: string) => fake.sent.filter((sent) => sent.jid === jid && typeof sent.content["text"] === "string");
  const reactions = () =>
    fake.sent.filter((sent) => sent.content["react"] !== undefined).map((sent) => ({ jid: sent.jid, ...(sent.content["react"] as object) }));
  return { fake, ...started, replies, reactions };
}

describe("chat presence through the gateway: Signal", () => {
  const SENDER = "+15550007777";

  it(
    "typing is sent and refreshed during a held DM run and stopped at its end; the ack reaction names the message by author and timestamp",
    { timeout: 30_000 },
    async () => {
      const { fake, gateway, provider, timers, replies } = await signal(OPEN, { ackReaction: "👀", ackReactionScope: "direct" });
      const { timestamp } = fake.message({ from: SENDER, text: "take your time" });
      await provider.started(0);
      await waitFor("typing sent and refreshed twice", () => fake.typing.length >= 3);
      expect(fake.typing.every((entry) => entry.recipient === SENDER && !entry.stop)).toBe(true);
      await waitFor("the reaction", () => fake.reactions.length === 1);
      expect(fake.reactions[0]).toMatchObject({ recipient: SENDER, emoji: "👀", targetAuthor: SENDER, targetTimestamp: timestamp, remove: false });
      expect(timers.live.size).toBe(1);

      provider.release(0);
      await waitFor("the reply", () => replies(SENDER).length === 1);
      expect(replies(SENDER)[0]!.message).toBe("Echo: take your time");
      await waitFor("typing stopped", () => fake.typing.at(-1)?.stop === true);
      expect(timers.live.size).toBe(0);
      expect(gateway.channels!.presence.activeTyping).toBe(0);
    },
  );

  it("readReceipts: true sends a read receipt for the message that starts a run; without it none is sent", { timeout: 30_000 }, async () => {
    const on = await signal({ ...OPEN, readReceipts: true });
    const { timestamp } = on.fake.message({ from: SENDER, text: "read me" });
    await on.provider.started(0);
    await waitFor("the receipt", () => on.fake.receipts.length === 1);
    expect(on.fake.receipts[0]).toMatchObject({ recipient: SENDER, targetTimestamps: [timestamp], type: "read" });
    on.provider.release(0);
    await waitFor("the reply", () => on.replies(SENDER).length === 1);

    const off = await signal();
    off.fake.message({ from: SENDER, text: "do not read me" });
    await off.provider.started(0);
    off.provider.release(0);
    await waitFor("the reply", () => off.replies(SENDER).length === 1);
    expect(off.fake.typing.length).toBeGreaterThanOrEqual(1);
    expect(off.fake.receipts).toEqual([]);
  });

  it("a sender refused by DM pairing gets the pairing code and no receipt, reaction or typing", { timeout: 30_000 }, async () => {
    const { fake, provider, replies } = await signal({ dmPolicy: "pairing", readReceipts: true }, { ackReaction: "👀", ackReactionScope: "all" });
    fake.message({ from: "+15550008888", text: "hi?" });
    await waitFor("the pairing code", () => replies("+15550008888").length === 1);
    expect(replies("+15550008888")[0]!.message).toContain("pairing code");
    expect(provider.requests).toHaveLength(0);
    expect(fake.receipts).toEqual([]);
    expect(fake.reactions).toEqual([]);
    expect(fake.typing).toEqual([]);
  });

  it("in a group the receipt goes to the message's author and the reaction names the author, not the group", { timeout: 30_000 }, async () => {
    const groupId = "Z3JvdXAtcHJlc2VuY2U=";
    const { fake, provider } = await signal(
      { ...OPEN, groupPolicy: "open", groups: { "*": { requireMention: false } }, readReceipts: true },
      { ackReaction: "✅", ackReactionScope: "group-all" },
    );
    const { timestamp } = fake.message({ from: SENDER, groupId, text: "hello group" });
    await provider.started(0);
    await waitFor("the receipt and the reaction", () => fake.receipts.length === 1 && fake.reactions.length === 1);
    expect(fake.receipts[0]).toMatchObject({ recipient: SENDER, targetTimestamps: [timestamp], type: "read" });
    expect(fake.reactions[0]).toMatchObject({ groupId, emoji: "✅", targetAuthor: SENDER, targetTimestamp: timestamp });
    expect(fake.typing.every((entry) => entry.groupId === groupId)).toBe(true);
    provider.release(0);
    await waitFor("the group reply", () => fake.sent.some((sent) => sent.groupId === groupId));
  });
});

describe("chat presence through the gateway: Slack", () => {
  const DM = "D0PRESENCE1";

  it("the ack reaction is added with reactions.add by emoji name while the run is held; there is no typing loop", { timeout: 30_000 }, async () => {
    const fake = await startSlackFake();
    cleanups.push(() => fake.close());
    const { gateway, provider, timers } = await startPresenceGateway(
      {
        channel: "slack",
        definition: slackChannel,
        config: { botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, ...OPEN },
        messages: { ackReaction: "👀", ackReactionScope: "direct" },
      },
      cleanups,
    );
    const { ts } = fake.message({ channel: DM, user: "U0PRESENCE1", text: "hello slack" });
    await provider.started(0);
    await waitFor("the reaction", () => fake.reactions.length === 1);
    expect(fake.reactions[0]).toEqual({ channel: DM, timestamp: ts, name: "eyes", removed: false });
    // Slack gives bots no typing indicator over the Events API: nothing is refreshed.
    expect(timers.live.size).toBe(0);
    expect(gateway.channels!.presence.activeTyping).toBe(0);

    provider.release(0);
    await waitFor("the reply", () => fake.sent.some((sent) => sent.channel === DM));
    expect(fake.sent.find((sent) => sent.channel === DM)!.text).toBe("Echo: hello slack");
  });
});

describe("chat presence through the gateway: WhatsApp", () => {
  const SENDER = "15557770000@s.whatsapp.net";

  it(
    "composing is sent and refreshed during a held DM run, paused at its end, and the ack reaction is a reaction message on the inbound key",
    { timeout: 30_000 },
    async () => {
      const { fake, gateway, provider, timers, replies, reactions } = await whatsapp(OPEN, { ackReaction: "👀", ackReactionScope: "direct" });
      const message = fake.message({ from: SENDER, text: "take your time" });
      fake.upsert([message]);
      await provider.started(0);
      await waitFor("composing sent and refreshed twice", () => fake.presence.length >= 3);
      expect(fake.presence.every((entry) => entry.type === "composing" && entry.jid === SENDER)).toBe(true);
      await waitFor("the reaction", () => reactions().length === 1);
      expect(reactions()[0]).toEqual({ jid: SENDER, text: "👀", key: { remoteJid: SENDER, id: message.key.id, fromMe: false } });
      expect(timers.live.size).toBe(1);

      provider.release(0);
      await waitFor("the reply", () => replies(SENDER).length === 1);
      expect(replies(SENDER)[0]!.content["text"]).toBe("Echo: take your time");
      await waitFor("paused", () => fake.presence.at(-1)?.type === "paused");
      expect(timers.live.size).toBe(0);
      expect(gateway.channels!.presence.activeTyping).toBe(0);
    },
  );

  it("readReceipts: true marks the message that starts a run read; without it nothing is read", { timeout: 30_000 }, async () => {
    const on = await whatsapp({ ...OPEN, readReceipts: true });
    const message = on.fake.message({ from: SENDER, text: "read me" });
    on.fake.upsert([message]);
    await on.provider.started(0);
    await waitFor("the read receipt", () => on.fake.reads.length === 1);
    expect(on.fake.reads[0]).toEqual({ remoteJid: SENDER, id: message.key.id, fromMe: false });
    on.provider.release(0);
    await waitFor("the reply", () => on.replies(SENDER).length === 1);

    const off = await whatsapp();
    off.fake.upsert([off.fake.message({ from: SENDER, text: "do not read me" })]);
    await off.provider.started(0);
    off.provider.release(0);
    await waitFor("the reply", () => off.replies(SENDER).length === 1);
    expect(off.fake.presence.length).toBeGreaterThanOrEqual(1);
    expect(off.fake.reads).toEqual([]);
  });

  it("a sender refused by DM pairing gets the pairing code and no read receipt, reaction or composing", { timeout: 30_000 }, async () => {
    const stranger = "15558880000@s.whatsapp.net";
    const { fake, provider, replies, reactions } = await whatsapp({ dmPolicy: "pairing", readReceipts: true }, { ackReaction: "👀", ackReactionScope: "all" });
    fake.upsert([fake.message({ from: stranger, text: "hi?" })]);
    await waitFor("the pairing code", () => replies(stranger).length === 1);
    expect(String(replies(stranger)[0]!.content["text"])).toContain("pairing code");
    expect(provider.requests).toHaveLength(0);
    expect(fake.reads).toEqual([]);
    expect(reactions()).toEqual([]);
    expect(fake.presence).toEqual([]);
  });

  it("in a group the read receipt and the reaction carry the author as the key's participant", { timeout: 30_000 }, async () => {
    const group = "120363000000000001@g.us";
    const { fake, provider, reactions } = await whatsapp(
      { ...OPEN, groupPolicy: "open", groups: { "*": { requireMention: false } }, readReceipts: true },
      { ackReaction: "✅", ackReactionScope: "group-all" },
    );
    const message = fake.message({ from: SENDER, group, text: "hello group" });
    fake.upsert([message]);
    await provider.started(0);
    await waitFor("the receipt and the reaction", () => fake.reads.length === 1 && reactions().length === 1);
    const key = { remoteJid: group, id: message.key.id, fromMe: false, participant: SENDER };
    expect(fake.reads[0]).toEqual(key);
    expect(reactions()[0]).toEqual({ jid: group, text: "✅", key });
    provider.release(0);
    await waitFor("the group reply", () => fake.sent.some((sent) => sent.jid === group && typeof sent.content["text"] === "string"));
  });
});
