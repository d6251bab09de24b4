import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContractFake, ContractHarness } from "@openclaw/channel-contract";
import { startWhatsAppFake } from "@openclaw/testing";
import { createWhatsAppChannel, type SocketFactory } from "../src/index.js";

/** The contract harness: the adapter on the fake socket, one fresh fake and auth dir per test. */
let fake = startWhatsAppFake();

export const harness: ContractHarness = {
  // The factory reads the current fake, so each test's adapter talks to that test's fake.
  definition: createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
  async startFake(): Promise<ContractFake> {
    fake = startWhatsAppFake();
    const current = fake;
    const authDir = mkdtempSync(join(tmpdir(), "openclaw-wa-contract-"));
    const sender = (id: string) => `1555${id.padStart(7, "0")}@s.whatsapp.net`;
    const byId = new Map<string, ReturnType<typeof current.message>>();
    return {
      accountConfig: { authDir, reconnect: { initialMs: 100, maxMs: 500 } },
      async injectDm({ senderId, text }) {
        const message = current.message({ from: sender(senderId), text });
        byId.set(message.key.id, message);
        current.upsert([message]);
        return { chatId: message.key.remoteJid, messageId: message.key.id };
      },
      async redeliver(messageId) {
        const message = byId.get(messageId);
        if (!message) throw new Error(`unknown message ${messageId}`);
        current.upsert([message]);
      },
      async injectEcho(chatId, messageId) {
        // WhatsApp reflects our sends as upserts from our own account on another device.
        current.upsert([current.message({ from: chatId, id: messageId, text: "echo", fromMe: true })]);
      },
      sent: (chatId) =>
        current.sent
          .filter((entry) => chatId === undefined || entry.jid === chatId)
          .map((entry) => ({ chatId: entry.jid, text: String(entry.content["text"] ?? ""), messageId: entry.id, atMs: entry.atMs })),
      attempts: (chatId) =>
        current.attempts
          .filter((entry) => chatId === undefined || entry.jid === chatId)
          .map((entry) => ({ chatId: entry.jid, status: entry.status, atMs: entry.atMs })),
      failSends: (failure) => current.failSends(failure),
      holdSends: () => current.holdSends(),
      dropConnection: () => current.disconnect(428),
      connectionsOpened: () => current.connectionsOpened(),
      maxConcurrentConnections: () => current.maxConcurrentConnections(),
      openConnections: () => current.openConnections(),
      async close() {},
    };
  },
};
