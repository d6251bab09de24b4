import { InvalidInputError } from "../errors.js";
import { defaultAccountId, type ResolvedChannelAccount } from "./accounts.js";

/** What target resolution reads: the `channels` config section and every resolved account. Plain data, no I/O. */
export interface ChannelsView {
  /** The `channels` section of the config; its keys, in order, are the configured channels. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly accounts: readonly ResolvedChannelAccount[];
}

/** Where a message goes: one configured account of one channel, and the provider's chat id. */
export interface SendTarget {
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
}

/**
 * The accounts of `channel`, or only `accountId` when given. Throws INVALID_REQUEST naming the
 * configured channels (or accounts) when the channel is not configured or has no such account.
 */
export function selectAccounts(view: ChannelsView, channel: string, accountId?: string): ResolvedChannelAccount[] {
  if (!(channel in view.config)) {
    const configured = Object.keys(view.config);
    throw new InvalidInputError(
      `channel "${channel}" is not configured${configured.length ? `; configured channels: ${configured.join(", ")}` : "; add it under channels in the config"}`,
    );
  }
  const all = view.accounts.filter((account) => account.channel === channel);
  if (accountId === undefined) return all;
  const match = all.filter((account) => account.accountId === accountId);
  if (match.length === 0)
    throw new InvalidInputError(`channel "${channel}" has no account "${accountId}"; accounts: ${all.map((account) => account.accountId).join(", ")}`);
  return match;
}

/**
 * Resolves a `send` request's target. `to` may name the channel (`telegram:123`) when `channel`
 * is not given, and may carry a kind prefix (`user:`, `chat:`, `group:`…) that is dropped. The
 * channel defaults to the only configured one, the account to the channel's default account.
 * Throws INVALID_REQUEST saying what to add when the target is ambiguous or unknown.
 */
export function resolveSendTarget(view: ChannelsView, params: { channel?: string | undefined; accountId?: string | undefined; to: string }): SendTarget {
  if (params.channel === "webchat") throw new InvalidInputError("channel webchat is internal-only, use chat.send");
  let channel = params.channel;
  let to = params.to.trim();
  // `telegram:123` names the channel when none is given.
  const hinted = /^([a-z][a-z0-9-]*):(.+)$/.exec(to);
  if (hinted && hinted[1]! in view.config) {
    if (channel === undefined) channel = hinted[1]!;
    if (hinted[1] === channel) to = hinted[2]!;
  }
  if (channel === undefined) {
    const configured = Object.keys(view.config);
    if (configured.length !== 1) {
      throw new InvalidInputError(
        configured.length === 0
          ? "no channels are configured; add one under channels in the config"
          : `channel is required: configured channels are ${configured.join(", ")}`,
      );
    }
    channel = configured[0]!;
  }
  const accounts = selectAccounts(view, channel);
  const accountId = params.accountId ?? defaultAccountId(view.config[channel], accounts);
  if (accountId === undefined)
    throw new InvalidInputError(
      `channel "${channel}" has several accounts; name one with accountId (${accounts.map((account) => account.accountId).join(", ")})`,
    );
  selectAccounts(view, channel, accountId);
  const chatId = to.replace(/^(user|channel|chat|chat_id|group):/, "");
  if (chatId === "") throw new InvalidInputError(`invalid send params: "to" names no chat`);
  return { channel, accountId, chatId };
}
