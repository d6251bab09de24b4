import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startImessageFake } from "@openclaw/testing";
import { imessageChannel } from "../src/index.js";

/** The contract harness: a fake imsg executable and its controller, fresh per test. */
export const harness: ContractHarness = {
  definition: imessageChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startImessageFake();
    return {
      accountConfig: { cliPath: fake.cliPath, reconnect: { initialMs: 100, maxMs: 500 } },
      async injectDm({ senderId, text }) {
        const chatId = 1000 + Number(senderId);
        const row = fake.message({ chatId, sender: `+1555${senderId.padStart(7, "0")}`, text });
        return { chatId: String(chatId), messageId: row.guid };
      },
      async redeliver(messageId) {
        fake.redeliver(messageId);
      },
      async injectEcho(chatId, messageId) {
        fake.message({ chatId: Number(chatId), sender: "me", text: "echo", fromMe: true, guid: messageId });
      },
      sent: (chatId) =>
        fake.sent
          .filter((entry) => chatId === undefined || entry.chatId === chatId)
          .map((entry) => ({ chatId: entry.chatId, text: entry.text, messageId: entry.guid, atMs: entry.atMs })),
      attempts: (chatId) => fake.attempts.filter((entry) => chatId === undefined || entry.chatId === chatId),
      failSends: (failure) => fake.failSends(failure),
      holdSends: () => fake.holdSends(),
      dropConnection: () => fake.exitChildren(1),
      connectionsOpened: () => fake.connectionsOpened(),
      maxConcurrentConnections: () => fake.maxConcurrentConnections(),
      openConnections: () => fake.openConnections(),
      close: () => fake.close(),
    };
  },
};
