import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startSlackFake } from "@openclaw/testing";
import { slackChannel } from "../src/index.js";

/** The contract harness: Socket Mode against a fresh fake per test; DMs are D… channels. */
export const harness: ContractHarness = {
  definition: slackChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startSlackFake();
    const dm = (senderId: string) => `D${senderId.padStart(9, "0")}`;
    return {
      accountConfig: { botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, pingTimeoutMs: 500 },
      async injectDm({ senderId, text }) {
        const channel = dm(senderId);
        const { ts } = fake.message({ channel, user: `U${senderId.padStart(9, "0")}`, text });
        return { chatId: channel, messageId: ts };
      },
      async redeliver(messageId) {
        fake.redeliver(messageId);
      },
      async injectEcho(chatId, messageId) {
        fake.message({ channel: chatId, user: fake.botUserId, botId: fake.botId, text: "echo", ts: messageId });
      },
      sent: (chatId) =>
        fake.sent
          .filter((entry) => chatId === undefined || entry.channel === chatId)
          .map((entry) => ({ chatId: entry.channel, text: entry.text, messageId: entry.ts, atMs: entry.atMs })),
      attempts: (chatId) =>
        fake.attempts
          .filter((entry) => chatId === undefined || entry.channel === chatId)
          .map((entry) => ({ chatId: entry.channel, status: entry.status, atMs: entry.atMs })),
      failSends: (failure) => fake.failSends(failure),
      holdSends: () => fake.holdSends(),
      dropConnection: () => fake.dropConnection(),
      connectionsOpened: () => fake.connectionsOpened(),
      maxConcurrentConnections: () => fake.maxConcurrentConnections(),
      openConnections: () => fake.openConnections(),
      close: () => fake.close(),
    };
  },
};
