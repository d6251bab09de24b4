import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startSignalFake } from "@openclaw/testing";
import { signalChannel } from "../src/index.js";

/** The contract harness: a connected (external) daemon fake per test. */
export const harness: ContractHarness = {
  definition: signalChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startSignalFake();
    const number = (senderId: string) => `+1555${senderId.padStart(7, "0")}`;
    const events = new Map<string, number>();
    return {
      accountConfig: { account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 100, maxMs: 500 } },
      async injectDm({ senderId, text }) {
        const { eventId, timestamp } = fake.message({ from: number(senderId), text });
        events.set(String(timestamp), eventId);
        return { chatId: number(senderId), messageId: String(timestamp) };
      },
      async redeliver(messageId) {
        fake.republish(events.get(messageId)!);
      },
      async injectEcho(chatId, messageId) {
        fake.message({ from: chatId, text: "echo", timestamp: Number(messageId), fromSelf: true });
      },
      sent: (chatId) =>
        fake.sent
          .filter((entry) => chatId === undefined || entry.recipient === chatId)
          .map((entry) => ({ chatId: entry.recipient ?? `group:${entry.groupId}`, text: entry.message, messageId: String(entry.timestamp), atMs: entry.atMs })),
      attempts: (chatId) =>
        fake.attempts
          .filter((entry) => chatId === undefined || entry.chat === chatId)
          .map((entry) => ({ chatId: entry.chat, status: entry.status, atMs: entry.atMs })),
      failSends: (failure) => fake.failSends(failure),
      holdSends: () => fake.holdSends(),
      dropConnection: () => fake.dropStreams(),
      connectionsOpened: () => fake.connectionsOpened(),
      maxConcurrentConnections: () => fake.maxConcurrentConnections(),
      openConnections: () => fake.openConnections(),
      close: () => fake.close(),
    };
  },
};
