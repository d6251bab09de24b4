import {
  ChannelSendError,
  chunkText,
  supportsMedia,
  supportsReconcile,
  type ChannelAdapter,
  type EchoRegistry,
  type Receipt,
  type ReconcileOutcome,
} from "@openclaw/channel-kit";
import type { MediaStore } from "../media/media-store.js";
import type { AccountRegistry } from "./account-registry.js";
import type { OutboxItem, OutboxTransport } from "./outbox.js";

/** The longest text sent as a file's caption (Telegram's limit, the smallest of the channels'); longer text follows the file as messages. */
export const MEDIA_CAPTION_LIMIT = 1024;

/**
 * The outbox's way out through the channel accounts: chunks cut to each account's limits, sends on
 * its adapter, and the adapter's look-up after an ambiguous send. Every send and confirmed
 * delivery is remembered as an echo, so the provider's copy is not taken as inbound. Errors are
 * redacted before the outbox stores them, since it lists them to operators.
 */
export function accountOutboxTransport(accounts: AccountRegistry, echoes: EchoRegistry, now: () => number, media?: MediaStore): OutboxTransport {
  const textChunks = (item: OutboxItem) => {
    const account = accounts.get(item.channel, item.accountId);
    if (!account) return [item.text];
    const { textChunkLimit, chunkMode, maxLinesPerMessage } = account.resolved;
    return chunkText(item.text, { limit: textChunkLimit, mode: chunkMode, ...(maxLinesPerMessage !== undefined ? { maxLines: maxLinesPerMessage } : {}) });
  };
  return {
    // A file is chunk 0, captioned with the text when it fits; otherwise uncaptioned, with the text after it.
    chunks(item) {
      if (!item.media) return textChunks(item);
      if (item.text.length <= MEDIA_CAPTION_LIMIT) return [item.text];
      return ["", ...textChunks(item)];
    },

    ready: (item) => accounts.get(item.channel, item.accountId)?.running === true,

    async send(item, chunk, index) {
      const account = accounts.get(item.channel, item.accountId);
      if (!account?.adapter || !account.running) throw new Error(`${item.channel} account ${item.accountId} is not running`);
      let receipt: Receipt;
      try {
        receipt =
          item.media && index === 0
            ? await sendFile(account.adapter, item, chunk, media)
            : await account.adapter.send({
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
      return async (request: { chunk: string; index: number; attemptStartedAtMs: number }): Promise<ReconcileOutcome> => {
        // Look-ups match text; a file cannot be recognized that way.
        if (item.media && request.index === 0) return { status: "unknown", reason: "a sent file cannot be looked up" };
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

/** An item's file from the media store; what cannot work on a retry either fails as permanent. */
async function sendFile(adapter: ChannelAdapter, item: OutboxItem, caption: string, media: MediaStore | undefined): Promise<Receipt> {
  const file = item.media!;
  if (!supportsMedia(adapter)) throw new ChannelSendError("permanent", `${item.channel} cannot send files from this gateway`);
  if (file.sizeBytes > adapter.mediaMaxBytes)
    throw new ChannelSendError("permanent", `the file is ${file.sizeBytes} bytes; ${item.channel} takes at most ${adapter.mediaMaxBytes}`);
  if (!media || (await media.read(file.sha256)) === undefined)
    throw new ChannelSendError("permanent", `the file ${file.sha256} is no longer in the media store; send it again`);
  return adapter.sendMedia({
    channel: item.channel,
    accountId: item.accountId,
    chatId: item.chatId,
    source: media.pathOf(file.sha256),
    ...(file.contentType !== undefined ? { contentType: file.contentType } : {}),
    ...(file.fileName !== undefined ? { fileName: file.fileName } : {}),
    ...(caption !== "" ? { caption } : {}),
    ...(item.replyTo !== undefined ? { replyTo: item.replyTo } : {}),
    ...(item.thread !== undefined ? { thread: item.thread } : {}),
    idempotencyKey: item.idempotencyKey,
    chunkIndex: 0,
  });
}
