import type { Logger } from "pino";
import { supportsReactions, supportsReadReceipts, supportsTyping, type ChatTarget, type InboundMessage, type MessageTarget } from "@openclaw/channel-kit";
import type { ChannelAccount } from "./account-registry.js";

/** Which accepted messages get the acknowledgement reaction (`messages.ackReactionScope`). */
export const ACK_REACTION_SCOPES = ["all", "direct", "group-all", "group-mentions"] as const;
export type AckReactionScope = (typeof ACK_REACTION_SCOPES)[number];

/** The `messages` settings presence reads; replaced in place when the config changes. */
export interface MessagePresenceSettings {
  /** The emoji put on a message the agent is about to answer; empty or absent turns it off. */
  readonly ackReaction?: string | undefined;
  /** @default "group-mentions" */
  readonly ackReactionScope?: AckReactionScope | undefined;
}

/** The interval functions typing refreshes use; tests pass wrappers that count live timers. */
export interface PresenceTimers {
  setInterval(callback: () => void, ms: number): NodeJS.Timeout;
  clearInterval(timer: NodeJS.Timeout): void;
}

export interface ChatPresenceOptions {
  readonly log: Logger;
  readonly messages?: MessagePresenceSettings | undefined;
  /** Overrides every adapter's `typingRefreshMs`. */
  readonly typingRefreshMs?: number | undefined;
  /** @default the global setInterval/clearInterval */
  readonly timers?: PresenceTimers | undefined;
}

/** Used when an adapter does not say how long its provider shows one typing indicator. */
export const DEFAULT_TYPING_REFRESH_MS = 4_000;
const DEFAULT_SCOPE: AckReactionScope = "group-mentions";

const globalTimers: PresenceTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (timer) => clearInterval(timer),
};

/** Whether a message in this chat gets the acknowledgement reaction under `scope`. */
export function ackReactionApplies(scope: AckReactionScope, chat: InboundMessage["chat"]["kind"], mentioned: boolean): boolean {
  if (scope === "all") return true;
  if (scope === "direct") return chat === "dm";
  if (scope === "group-all") return chat !== "dm";
  return chat !== "dm" && mentioned;
}

/**
 * What the chat sees while the agent works on a message: the acknowledgement reaction when it is
 * accepted, and a typing indicator refreshed until the run ends. Both go through the adapter's
 * optional capabilities; a provider error is logged at debug and never touches the run.
 */
export class ChatPresence {
  /** Stops each typing loop still running. */
  private readonly loops = new Set<() => void>();
  /** `messages.*`, replaced when the config changes. */
  messages: MessagePresenceSettings;

  constructor(private readonly options: ChatPresenceOptions) {
    this.messages = options.messages ?? {};
  }

  /** Typing loops still refreshing. */
  get activeTyping(): number {
    return this.loops.size;
  }

  /**
   * Marks the start of an agent run for `inbound`: reacts when the settings ask for it and starts
   * the typing loop. The returned function ends the loop (call it when the run ends, however).
   */
  begin(account: ChannelAccount, inbound: InboundMessage, facts: { readonly mentioned: boolean }): () => void {
    this.markRead(account, inbound);
    this.acknowledge(account, inbound, facts.mentioned);
    return this.startTyping(account, inbound);
  }

  /** Ends every typing loop (gateway shutdown). */
  close(): void {
    for (const stop of [...this.loops]) stop();
  }

  /** A read receipt, only where the account's `readReceipts` asks for one. */
  private markRead(account: ChannelAccount, inbound: InboundMessage): void {
    const adapter = account.adapter;
    if (!account.resolved.readReceipts || !adapter || !supportsReadReceipts(adapter)) return;
    adapter.markRead(messageTarget(inbound)).catch((error: unknown) => this.debug(account, inbound, "read receipt failed", error));
  }

  private acknowledge(account: ChannelAccount, inbound: InboundMessage, mentioned: boolean): void {
    const emoji = this.messages.ackReaction?.trim();
    const adapter = account.adapter;
    if (!emoji || !adapter || !supportsReactions(adapter)) return;
    if (!ackReactionApplies(this.messages.ackReactionScope ?? DEFAULT_SCOPE, inbound.chat.kind, mentioned)) return;
    adapter.react(messageTarget(inbound), emoji).catch((error: unknown) => this.debug(account, inbound, "acknowledgement reaction failed", error));
  }

  private startTyping(account: ChannelAccount, inbound: InboundMessage): () => void {
    const adapter = account.adapter;
    if (!adapter || !supportsTyping(adapter)) return () => undefined;
    const timers = this.options.timers ?? globalTimers;
    const target = chatTarget(inbound);
    const every = this.options.typingRefreshMs ?? adapter.typingRefreshMs ?? DEFAULT_TYPING_REFRESH_MS;
    // One request at a time: a slow provider skips refreshes instead of piling them up, and the
    // final "off" goes after the last "on" so it is not overtaken.
    let inFlight: Promise<void> | undefined;
    const send = (on: boolean) => {
      const request = (inFlight ?? Promise.resolve())
        .then(() => adapter.setTyping(target, on))
        .catch((error: unknown) => this.debug(account, inbound, "typing indicator failed", error));
      inFlight = request;
      void request.finally(() => {
        if (inFlight === request) inFlight = undefined;
      });
    };
    const signal = account.abort?.signal;
    const stop = (clear: boolean) => {
      if (!this.loops.delete(end)) return;
      timers.clearInterval(timer);
      signal?.removeEventListener("abort", onAccountStop);
      if (clear) send(false);
    };
    const end = () => stop(true);
    // A stopping account is not asked for anything more; its adapter is closing.
    const onAccountStop = () => stop(false);
    send(true);
    const timer = timers.setInterval(() => {
      if (inFlight === undefined) send(true);
    }, every);
    timer.unref?.();
    this.loops.add(end);
    signal?.addEventListener("abort", onAccountStop, { once: true });
    if (signal?.aborted) onAccountStop();
    return end;
  }

  private debug(account: ChannelAccount, inbound: InboundMessage, message: string, error: unknown): void {
    const { channel, accountId } = account.resolved;
    this.options.log.debug({ err: error, channel, accountId, chatId: inbound.chat.id }, message);
  }
}

function chatTarget(inbound: InboundMessage): ChatTarget {
  return { chatId: inbound.chat.id, ...(inbound.thread ? { thread: inbound.thread.id } : {}) };
}

function messageTarget(inbound: InboundMessage): MessageTarget {
  return { ...chatTarget(inbound), providerMessageId: inbound.providerMessageId, senderId: inbound.sender.id };
}
