import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startExampleFake } from "@openclaw/testing";
import { exampleChannel } from "../src/index.js";

/** The contract harness: a fresh fake provider per test, short polls and a fast backoff. */
export const harness: ContractHarness = {
  definition: exampleChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startExampleFake();
    return {
      accountConfig: { token: fake.token, apiUrl: fake.url, pollTimeoutMs: 500, reconnect: { initialMs: 100, maxMs: 500 } },
      async injectDm({ senderId, text }) {
        const event = fake.inject({ chatId: senderId, senderId, text });
        return { chatId: event.chatId, messageId: event.messageId };
      },
      async redeliver(messageId) {
        fake.redeliver(messageId);
      },
      async injectEcho(chatId, messageId) {
        fake.inject({ chatId, senderId: fake.botId, text: "echo", messageId, fromBot: true });
      },
      sent: (chatId) => fake.sent.filter((entry) => chatId === undefined || entry.chatId === chatId),
      attempts: (chatId) => fake.attempts.filter((entry) => chatId === undefined || entry.chatId === chatId),
      failSends: (failure) => fake.failSends(failure),
      holdSends: () => fake.holdSends(),
      dropConnection: () => fake.dropPolls(),
      connectionsOpened: () => fake.pollsOpened(),
      maxConcurrentConnections: () => fake.maxConcurrentPolls(),
      openConnections: () => fake.openPolls(),
      close: () => fake.close(),
    };
  },
};
