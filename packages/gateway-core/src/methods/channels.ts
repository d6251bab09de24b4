import { supportsPhonePairing } from "@openclaw/channel-kit";
import type { MethodParams, MethodResult, OutboxEntry } from "@openclaw/protocol";
import type { ChannelService } from "../channels/channel-service.js";
import type { OutboxItem } from "../channels/outbox.js";
import type { OutboundMediaInput } from "../media/outbound-media.js";
import { normalizePairingCode, type ChannelPairingRequest } from "../channels/pairing.js";
import { InvalidInputError, UnavailableError } from "../errors.js";
import type { MethodHandler } from "./types.js";

type ChannelMethod =
  | "send"
  | "channels.status"
  | "channels.start"
  | "channels.stop"
  | "channels.logout"
  | "channels.login"
  | "channels.pairing.list"
  | "channels.pairing.approve"
  | "channels.pairing.dismiss"
  | "channels.outbox.list"
  | "channels.outbox.retry"
  | "channels.outbox.prune";
export type ChannelHandlers = { [M in ChannelMethod]: MethodHandler<M> };

/** How an outbox item is listed: its state, and the start of its text instead of the whole. */
export function toOutboxEntry(item: OutboxItem): OutboxEntry {
  return {
    id: item.id,
    idempotencyKey: item.idempotencyKey,
    channel: item.channel,
    accountId: item.accountId,
    chatId: item.chatId,
    status: item.status,
    attempts: item.attempts,
    chunksSent: item.chunksSent,
    createdAtMs: item.createdAtMs,
    expiresAtMs: item.expiresAtMs,
    ...(item.status === "pending" ? { nextAttemptAtMs: item.nextAttemptAtMs } : {}),
    ...(item.sentAtMs !== undefined ? { sentAtMs: item.sentAtMs } : {}),
    ...(item.lastError !== undefined ? { lastError: item.lastError } : {}),
    ...(item.deadReason !== undefined ? { deadReason: item.deadReason } : {}),
    preview: preview(item),
  };
}

/** The start of an item's text, after the name of its file when it has one. */
function preview(item: OutboxItem): string {
  const text = item.media ? `[${item.media.fileName ?? item.media.contentType ?? "file"}]${item.text ? ` ${item.text}` : ""}` : item.text;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The file of a `send`, from `mediaUrl`/`mediaUrls` (one of them) or `buffer` (base64). */
function sendMedia(params: MethodParams<"send">): OutboundMediaInput | undefined {
  const urls = [...(params.mediaUrl !== undefined ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])];
  const sources = urls.length + (params.buffer !== undefined ? 1 : 0);
  if (sources === 0) return undefined;
  if (sources > 1) throw new InvalidInputError("invalid send params: one file per send; send each of mediaUrl, mediaUrls and buffer separately");
  const described = {
    ...(params.contentType !== undefined ? { contentType: params.contentType } : {}),
    ...(params.filename !== undefined ? { fileName: params.filename } : {}),
  };
  if (params.buffer === undefined) return { source: urls[0]!, ...described };
  const compact = params.buffer.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw new InvalidInputError("invalid send params: buffer must be the file as base64");
  return { data: new Uint8Array(Buffer.from(compact, "base64")), ...described };
}

function wirePairingRequest(request: ChannelPairingRequest) {
  return {
    code: request.code,
    channel: request.channel,
    accountId: request.accountId,
    senderId: request.senderId,
    ...(request.senderName !== undefined ? { senderName: request.senderName } : {}),
    createdAtMs: request.createdAtMs,
    expiresAtMs: request.expiresAtMs,
  };
}

/** `send` and `channels.*`, backed by the channel service. */
export function createChannelHandlers(service: ChannelService): ChannelHandlers {
  const { accounts, outbox, pairing } = service;
  const requireStarted = () => {
    if (!service.started) throw new UnavailableError("channels are still starting");
  };
  const findPairing = (channel: string, code: string, accountId: string | undefined): ChannelPairingRequest => {
    const request = pairing.find(channel, code, accountId);
    if (!request) {
      const pending = pairing.list({ channel }).length;
      throw new InvalidInputError(
        `no pending pairing request with code ${normalizePairingCode(code)} on ${channel}${accountId ? ` account ${accountId}` : ""} (${pending} pending; codes expire after 1 hour — list them with: openclaw channels pairing list)`,
      );
    }
    return request;
  };
  const accountResult = (params: { channel: string; accountId?: string | undefined }, ok: boolean) => ({
    ok,
    channel: params.channel,
    ...(params.accountId ? { accountId: params.accountId } : {}),
  });

  return {
    send: async (params) => {
      return service.send({
        to: params.to,
        message: params.message,
        channel: params.channel,
        accountId: params.accountId,
        replyToId: params.replyToId,
        threadId: params.threadId,
        sessionKey: params.sessionKey,
        media: sendMedia(params),
        idempotencyKey: `send:${params.idempotencyKey}`,
        runId: params.idempotencyKey,
      });
    },

    "channels.status": (params) => {
      const snapshot = service.snapshot(params.channel);
      return { ts: service.now(), channels: snapshot.channels, channelOrder: snapshot.order } as MethodResult<"channels.status">;
    },

    "channels.start": async (params) => {
      requireStarted();
      const found = accounts.find(params.channel, params.accountId);
      await Promise.all(found.map((account) => accounts.start(account)));
      return accountResult(
        params,
        found.every((account) => account.running),
      );
    },

    "channels.stop": async (params) => {
      requireStarted();
      const found = accounts.find(params.channel, params.accountId);
      await Promise.all(found.map((account) => accounts.stop(account)));
      return accountResult(params, true);
    },

    "channels.logout": async (params) => {
      requireStarted();
      for (const account of accounts.find(params.channel, params.accountId)) await accounts.logout(account);
      return accountResult(params, true);
    },

    "channels.login": async (params) => {
      requireStarted();
      const found = accounts.find(params.channel, params.accountId ?? accounts.defaultAccountId(params.channel));
      const account = found[0];
      if (!account || found.length !== 1) throw new InvalidInputError(`channel "${params.channel}" has several accounts; name one with accountId`);
      await accounts.start(account);
      const adapter = account.adapter;
      if (!adapter)
        throw new UnavailableError(`${params.channel} account ${account.resolved.accountId} did not start: ${account.lastError ?? "unknown error"}`);
      let pairingCode: string | undefined;
      if (params.phoneNumber !== undefined) {
        if (!supportsPhonePairing(adapter)) throw new InvalidInputError(`${params.channel} has no pairing-code login; link it with the QR code`);
        pairingCode = await adapter.requestPairingCode(params.phoneNumber).catch((error: unknown) => {
          throw new UnavailableError(`could not get a pairing code: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
      const status = accounts.status(account);
      return {
        ok: true,
        channel: params.channel,
        accountId: account.resolved.accountId,
        state: status.state,
        linked: status.linked ?? status.connected === true,
        ...(status.qr !== undefined ? { qr: status.qr } : {}),
        ...(pairingCode !== undefined ? { pairingCode } : {}),
      };
    },

    "channels.pairing.list": (params) => ({ requests: pairing.list({ channel: params.channel }).map(wirePairingRequest) }),

    "channels.pairing.approve": (params) => {
      const request = findPairing(params.channel, params.code, params.accountId);
      service.approvePairing(request);
      return { ok: true, channel: request.channel, accountId: request.accountId, senderId: request.senderId };
    },

    "channels.pairing.dismiss": (params) => {
      const request = findPairing(params.channel, params.code, params.accountId);
      pairing.dismiss(request);
      return { ok: true, channel: request.channel, accountId: request.accountId };
    },

    "channels.outbox.list": (params) => ({
      entries: outbox
        .list({
          ...(params.status ? { status: params.status } : {}),
          ...(params.channel ? { channel: params.channel } : {}),
          ...(params.limit ? { limit: params.limit } : {}),
        })
        .map(toOutboxEntry),
    }),

    "channels.outbox.retry": (params) => {
      try {
        return { ok: true, entry: toOutboxEntry(outbox.retry(params.id)) };
      } catch (error) {
        throw new InvalidInputError((error as Error).message);
      }
    },

    "channels.outbox.prune": (params) => ({
      ok: true,
      removed: outbox.prune({ ...(params.olderThanMs !== undefined ? { olderThanMs: params.olderThanMs } : {}), includeSent: params.includeSent ?? false }),
    }),
  };
}
