import { supportsPhonePairing } from "@openclaw/channel-kit";
import type { MethodResult, OutboxEntry } from "@openclaw/protocol";
import type { ChannelService } from "../channels/channel-service.js";
import type { OutboxItem } from "../channels/outbox.js";
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
    preview: item.text.length > 80 ? `${item.text.slice(0, 79)}…` : item.text,
  };
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
      const media = params.mediaUrl ?? params.mediaUrls?.[0] ?? params.buffer;
      if (media !== undefined) throw new InvalidInputError("invalid send params: media is not supported by this gateway's channels yet; send text in message");
      return service.send({ ...params, idempotencyKey: `send:${params.idempotencyKey}`, runId: params.idempotencyKey });
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
