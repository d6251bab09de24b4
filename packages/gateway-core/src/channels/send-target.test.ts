import { describe, expect, it } from "vitest";
import type { ResolvedChannelAccount } from "./accounts.js";
import { resolveSendTarget, selectAccounts, type ChannelsView } from "./send-target.js";

function account(channel: string, accountId: string): ResolvedChannelAccount {
  return {
    channel,
    accountId,
    configPath: accountId === "default" ? `channels.${channel}` : `channels.${channel}.accounts.${accountId}`,
    enabled: true,
    config: {},
    textChunkLimit: 4000,
    chunkMode: "length",
    maxLinesPerMessage: undefined,
    mediaMaxBytes: 20 * 1024 * 1024,
    readReceipts: false,
    groups: {},
  };
}

const one: ChannelsView = { config: { telegram: {} }, accounts: [account("telegram", "default")] };
const two: ChannelsView = {
  config: { telegram: {}, slack: { accounts: { work: {}, home: {} } } },
  accounts: [account("telegram", "default"), account("slack", "work"), account("slack", "home")],
};

describe("resolveSendTarget", () => {
  it("defaults to the only configured channel and its default account", () => {
    expect(resolveSendTarget(one, { to: " 123 " })).toEqual({ channel: "telegram", accountId: "default", chatId: "123" });
  });

  it("takes the channel from a `channel:` prefix of `to`, and drops a kind prefix", () => {
    expect(resolveSendTarget(two, { to: "telegram:user:42" })).toEqual({ channel: "telegram", accountId: "default", chatId: "42" });
    expect(resolveSendTarget(two, { to: "slack:C1", accountId: "home" })).toEqual({ channel: "slack", accountId: "home", chatId: "C1" });
  });

  it("keeps a prefix naming another channel than the one given as part of the chat id", () => {
    expect(resolveSendTarget(two, { channel: "telegram", to: "slack:C1" })).toEqual({ channel: "telegram", accountId: "default", chatId: "slack:C1" });
  });

  it("keeps a prefix that names no configured channel as part of the chat id", () => {
    expect(resolveSendTarget(one, { to: "whatsapp:123" })).toEqual({ channel: "telegram", accountId: "default", chatId: "whatsapp:123" });
  });

  it("uses the section's defaultAccount when the channel has several accounts", () => {
    const view: ChannelsView = { ...two, config: { ...two.config, slack: { defaultAccount: "home" } } };
    expect(resolveSendTarget(view, { channel: "slack", to: "C1" })).toEqual({ channel: "slack", accountId: "home", chatId: "C1" });
  });

  it("refuses webchat, which is reached with chat.send", () => {
    expect(() => resolveSendTarget(one, { channel: "webchat", to: "x" })).toThrow("channel webchat is internal-only, use chat.send");
  });

  it("asks for a channel when several are configured, and says how to add one when none is", () => {
    expect(() => resolveSendTarget(two, { to: "123" })).toThrow("channel is required: configured channels are telegram, slack");
    expect(() => resolveSendTarget({ config: {}, accounts: [] }, { to: "123" })).toThrow("no channels are configured; add one under channels in the config");
  });

  it("names the configured channels or accounts when the one asked for is unknown", () => {
    expect(() => resolveSendTarget(two, { channel: "discord", to: "1" })).toThrow('channel "discord" is not configured; configured channels: telegram, slack');
    expect(() => resolveSendTarget(two, { channel: "slack", to: "1" })).toThrow('channel "slack" has several accounts; name one with accountId (work, home)');
    expect(() => resolveSendTarget(two, { channel: "slack", accountId: "play", to: "1" })).toThrow(
      'channel "slack" has no account "play"; accounts: work, home',
    );
  });

  it("refuses a `to` that names no chat", () => {
    expect(() => resolveSendTarget(one, { to: "user:" })).toThrow('invalid send params: "to" names no chat');
  });

  it("throws InvalidInputError, which the dispatcher sends as INVALID_REQUEST", () => {
    expect(() => resolveSendTarget(two, { to: "123" })).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("selectAccounts", () => {
  it("lists a channel's accounts, or the one named", () => {
    expect(selectAccounts(two, "slack").map((entry) => entry.accountId)).toEqual(["work", "home"]);
    expect(selectAccounts(two, "slack", "home").map((entry) => entry.accountId)).toEqual(["home"]);
  });

  it("says how to add a channel when none is configured", () => {
    expect(() => selectAccounts({ config: {}, accounts: [] }, "telegram")).toThrow('channel "telegram" is not configured; add it under channels in the config');
  });
});
