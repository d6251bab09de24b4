import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startDiscordFake } from "@openclaw/testing";
import { discordChannel } from "../src/index.js";

/** The contract harness: a fresh fake REST + gateway per test; DMs use the sender id as the DM channel id. */
export const harness: ContractHarness = {
  definition: discordChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startDiscordFake();
    const dmChannel = (senderId: string) => `9${senderId.padStart(17, "0")}`;
    return {
      accountConfig: { token: fake.token, apiRoot: `${fake.url}/api` },
      async injectDm({ senderId, text }) {
        const authorId = `7${senderId.padStart(17, "0")}`;
        const { id, channelId } = fake.message({ channelId: dmChannel(senderId), authorId, content: text });
        return { chatId: channelId, messageId: id };
      },
      async redeliver(messageId) {
        fake.redeliver(messageId);
      },
      async injectEcho(chatId, messageId) {
        fake.message({ channelId: chatId, authorId: fake.botId, content: "echo", id: messageId, bot: true });
      },
      sent: (chatId) =>
        fake.sent
          .filter((entry) => chatId === undefined || entry.channelId === chatId)
          .map((entry) => ({ chatId: entry.channelId, text: entry.content, messageId: entry.messageId, atMs: entry.atMs })),
      attempts: (chatId) =>
        fake.attempts
          .filter((entry) => chatId === undefined || entry.channelId === chatId)
          .map((entry) => ({ chatId: entry.channelId, status: entry.status, atMs: entry.atMs })),
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
