import { chunkText, supportsReconcile, type EchoRegistry, type Receipt, type ReconcileOutcome } from "@openclaw/channel-kit";
import type { AccountRegistry } from "./account-registry.js";
import type { OutboxItem, OutboxTransport } from "./outbox.js";

/**
 * The outbox's way out through the channel accounts: chunks cut to each account's limits, sends on
 * its adapter, and the adapter's look-up after an ambiguous send. Every send and confirmed
 * delivery is remembered as an echo, so the provider's copy is not taken as inbound. Errors are
 * redacted before the outbox stores them, since it lists them to operators.
 */
export function accountOutboxTransport(accounts: AccountRegistry, echoes: EchoRegistry, now: () => number): OutboxTransport {
  return {
    chunks(item) {
      const account = accounts.get(item.channel, item.accountId);
      if (!account) return [item.text];
      const { textChunkLimit, chunkMode, maxLinesPerMessage } = account.resolved;
      return chunkText(item.text, { limit: textChunkLimit, mode: chunkMode, ...(maxLinesPerMessage !== undefined ? { maxLines: maxLinesPerMessage } : {}) });
    },

    ready: (item) => accounts.get(item.channel, item.accountId)?.running === true,

    async send(item, chunk, index) {
      const account = accounts.get(item.channel, item.accountId);
      if (!account?.adapter || !account.running) throw new Error(`${item.channel} account ${item.accountId} is not running`);
      let receipt: Receipt;
      try {
        receipt = await account.adapter.send({
          channel: item.channel,
          accountId: item.accountId,
          chatId: item.chatId,
          text: chunk,
          ...(item.replyTo !== undefined ? { replyTo: item.replyTo } : {}),
          ...(item.thread !== undefined ? { thread: item.thread } : {}),
          idempotencyKey: item.idempotencyKey,
          chunkIndex: index,
        });
      } catch (error) {
        throw accounts.redactError(error);
      }
      echoes.remember(item.channel, item.accountId, item.chatId, receipt.providerMessageIds);
      account.lastOutboundAt = now();
      return receipt;
    },

    /** The adapter's look-up for an ambiguous send, when it has one (channel-kit `SupportsReconcile`). */
    reconciler(item: OutboxItem) {
      const adapter = accounts.get(item.channel, item.accountId)?.adapter;
      if (!adapter || !supportsReconcile(adapter)) return undefined;
      return async (request: { chunk: string; index: number; attemptStartedAtMs: number }) => {
        let outcome: ReconcileOutcome;
        try {
          outcome = await adapter.reconcile({
            channel: item.channel,
            accountId: item.accountId,
            chatId: item.chatId,
            text: request.chunk,
            ...(item.replyTo !== undefined ? { replyTo: item.replyTo } : {}),
            ...(item.thread !== undefined ? { thread: item.thread } : {}),
            idempotencyKey: item.idempotencyKey,
            chunkIndex: request.index,
            attemptStartedAtMs: request.attemptStartedAtMs,
          });
        } catch (error) {
          throw accounts.redactError(error);
        }
        // A message that did land will echo back like any other we sent.
        if (outcome.status === "delivered") echoes.remember(item.channel, item.accountId, item.chatId, outcome.providerMessageIds);
        return outcome;
      };
    },
  };
}
