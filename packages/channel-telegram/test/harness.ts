import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startTelegramFake } from "@openclaw/testing";
import { telegramChannel } from "../src/index.js";

/** The contract harness: a fresh fake Bot API per test, polling with short timeouts and backoff. */
export const harness: ContractHarness = {
  definition: telegramChannel,
  async startFake(): Promise<ContractFake> {
    const fake = await startTelegramFake();
    let nextSender = 0;
    return {
      accountConfig: {
        botToken: fake.token,
        apiRoot: fake.apiRoot,
        polling: { timeoutSeconds: 2, clientTimeoutSeconds: 10 },
        reconnect: { initialMs: 200, maxMs: 1_000 },
      },
      async injectDm({ senderId, text }) {
        nextSender += 1;
        const id = Number(senderId);
        const update = fake.inject({ chatId: id, from: { id, first_name: `Sender ${nextSender}` }, text });
        return { chatId: String(id), messageId: String((update.message as { message_id: number }).message_id) };
      },
      async redeliver(messageId) {
        fake.redeliver(Number(messageId));
      },
      async injectEcho(chatId, messageId) {
        // Telegram never sends a bot its own messages in private chats; the closest is a message from our bot id.
        fake.injectRaw({
          message: {
            message_id: Number(messageId),
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(chatId), type: "private" },
            from: { id: fake.botId, is_bot: true, first_name: "OpenClaw Test", username: fake.username },
            text: "echo",
          },
        });
      },
      sent: (chatId) =>
        fake.sent
          .filter((entry) => chatId === undefined || entry.chatId === chatId)
          .map((entry) => ({ chatId: entry.chatId, text: entry.text, messageId: String(entry.messageId), atMs: entry.atMs })),
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
