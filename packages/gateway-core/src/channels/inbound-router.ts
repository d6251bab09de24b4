import type { Logger } from "pino";
import type { SessionOptions, TokenUsage } from "@openclaw/agent";
import {
  describeError,
  evaluateDmPolicy,
  evaluateGroupPolicy,
  resolveMentionGate,
  type EchoRegistry,
  type InboundMediaFact,
  type InboundMessage,
} from "@openclaw/channel-kit";
import type { InboundMedia } from "@openclaw/protocol";
import type { MediaStore } from "../media/media-store.js";
import type { ConfiguredTranscription } from "../media/transcription.js";
import type { ChannelAccount } from "./account-registry.js";
import { channelSessionKey, type DmScope } from "./accounts.js";
import type { ChatPresence } from "./chat-presence.js";
import { envelopeOf, resolveAttachments, tooLargeReply, type ResolvedAttachments } from "./inbound-media.js";
import type { InboundStore } from "./inbound-store.js";
import type { Outbox } from "./outbox.js";
import type { ChannelPairingStore } from "./pairing.js";

/** Runs one agent turn for a channel conversation; the gateway's agent runtime behind it. */
export interface ChannelAgent {
  /** `attachments`: the message's files and places, downloaded into the media store (each says if it is not). */
  run(input: { sessionKey: string; agentId: string; message: string; attachments?: readonly InboundMedia[] }): Promise<ChannelTurn>;
  /** The session's settings that shape channel replies (send policy, activation, verbose, usage). */
  options?(sessionKey: string): SessionOptions | undefined;
}

/** One turn's outcome as a channel reply needs it. */
export interface ChannelTurn {
  readonly status: "ok" | "error" | "aborted";
  readonly text: string;
  readonly error?: string;
  readonly usage?: TokenUsage | undefined;
  /** The tool calls the turn made, for verbose replies. */
  readonly tools?: readonly { readonly name: string; readonly args: string; readonly result?: string | undefined }[] | undefined;
}

/** A channel message that is a chat command, as the command layer answers it. */
export interface ChannelCommandInput {
  readonly text: string;
  readonly sessionKey: string;
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
  readonly chatKind: "dm" | "group";
  readonly senderId: string;
  readonly senderName?: string | undefined;
}

/** The chat-command layer, as the router consults it after the DM and group policy. */
export interface ChannelCommands {
  /** Whether `text` runs a command; `urgent` ones (`/stop`, `/steer`) skip the conversation's queue. */
  match(text: string): { readonly urgent: boolean } | undefined;
  answer(input: ChannelCommandInput): Promise<string>;
}

export interface InboundRouterOptions {
  readonly store: InboundStore;
  readonly outbox: Outbox;
  readonly pairing: ChannelPairingStore;
  readonly echoes: EchoRegistry;
  /** The account a replayed message belongs to, if it is still configured. */
  readonly account: (channel: string, accountId: string) => ChannelAccount | undefined;
  readonly agent?: ChannelAgent | undefined;
  readonly commands?: ChannelCommands | undefined;
  /** @default "main" */
  readonly dmScope?: DmScope | undefined;
  /** The acknowledgement reaction and typing indicator around each agent run. */
  readonly presence?: ChatPresence | undefined;
  readonly log: Logger;
  readonly now: () => number;
  /** Where downloaded attachments go; without it attachments reach the agent as descriptions only. */
  readonly media?: MediaStore | undefined;
  /** Speech to text for stored voice notes and audio files (`messages.transcription`). */
  readonly transcription?: ConfiguredTranscription | undefined;
}

const PAIRING_TEXT = (code: string, label: string) =>
  `Hi! This assistant only answers people its operator has approved. Your pairing code is ${code} (valid for 1 hour). ` +
  `Send it to the operator, who can approve you with: openclaw channels pairing approve ${label} ${code}`;
const AGENT_FAILED_TEXT = "Sorry, the assistant could not answer this message. The operator can find the reason in the gateway log.";

/**
 * The inbound router: dedupe before ack, DM and group policy, DM pairing, then one lane per
 * conversation into the agent, whose reply goes into the outbox in the same transaction that
 * marks the message handled.
 */
export class InboundRouter {
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly urgent = new Set<Promise<void>>();
  private stopping = false;
  /** `session.dmScope`, replaced when the config changes; conversations already routed keep their sessions. */
  dmScope: DmScope;
  /** `messages.transcription`, replaced when the config changes; undefined when it is off. */
  transcription: ConfiguredTranscription | undefined;

  constructor(private readonly options: InboundRouterOptions) {
    this.dmScope = options.dmScope ?? "main";
    this.transcription = options.transcription;
  }

  /**
   * What an adapter's `deliver` calls. The message is recorded under its dedupe key before this
   * resolves (so the adapter may ack the provider), then handled in its conversation's lane.
   */
  async admit(account: ChannelAccount, inbound: InboundMessage): Promise<void> {
    const { channel, accountId } = account.resolved;
    if (this.options.echoes.isEcho(channel, accountId, inbound.chat.id, inbound.providerMessageId)) return;
    const identity = account.adapter?.identity?.();
    if (identity && inbound.sender.id === identity.id) return;
    account.lastInboundAt = this.options.now();
    if (!this.options.store.record(channel, accountId, inbound, this.options.now())) {
      this.options.log.debug({ channel, accountId, chatId: inbound.chat.id, messageId: inbound.providerMessageId }, "duplicate inbound message dropped");
      return;
    }
    this.schedule(account, inbound);
  }

  /** Hands messages accepted before a restart, whose handling never finished, to their lanes again. */
  replayPending(): void {
    for (const pending of this.options.store.pending()) {
      const account = this.options.account(pending.channel, pending.accountId);
      if (!account) continue;
      this.options.log.info(
        { channel: pending.channel, accountId: pending.accountId, messageId: pending.messageId },
        "replaying an inbound message accepted before the restart",
      );
      this.schedule(account, pending.message);
    }
  }

  /** No new turn starts after this; a turn cut short stays pending and is replayed after a restart. */
  beginStop(): void {
    this.stopping = true;
  }

  /** Resolves when every lane has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.lanes.values(), ...this.urgent]);
  }

  private schedule(account: ChannelAccount, inbound: InboundMessage): void {
    const lane = [inbound.channel, inbound.accountId, inbound.chat.id, inbound.thread?.id ?? ""].join("\u0000");
    if (this.options.commands?.match(inbound.text)?.urgent) {
      // `/stop` and `/steer` act on the turn the lane is busy with, so they cannot wait behind it.
      const urgent = this.handle(account, inbound).catch((error: unknown) =>
        this.options.log.error({ err: error, channel: inbound.channel }, "inbound command handling failed"),
      );
      this.urgent.add(urgent);
      void urgent.finally(() => this.urgent.delete(urgent));
      return;
    }
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(account, inbound))
      .catch((error: unknown) => this.options.log.error({ err: error, channel: inbound.channel }, "inbound message handling failed"));
    this.lanes.set(lane, next);
    void next.finally(() => {
      if (this.lanes.get(lane) === next) this.lanes.delete(lane);
    });
  }

  private async handle(account: ChannelAccount, inbound: InboundMessage): Promise<void> {
    if (this.stopping) return;
    const { store, outbox, pairing, log } = this.options;
    const { channel, accountId, config } = account.resolved;
    const replyKey = `reply:${channel}:${accountId}:${inbound.chat.id}:${inbound.providerMessageId}`;
    if (inbound.chat.kind === "dm") {
      const decision = evaluateDmPolicy({
        channel,
        senderId: inbound.sender.id,
        policy: { mode: config.dmPolicy, allowFrom: config.allowFrom },
        approvedSenders: pairing.approvedSenders(channel, accountId),
      });
      if (decision.action === "deny") return store.finish(inbound, "dropped", `dm denied: ${decision.reason}`);
      if (decision.action === "pair") {
        const outcome = pairing.request({
          channel,
          accountId,
          senderId: inbound.sender.id,
          senderName: inbound.sender.name ?? inbound.sender.username,
          chatId: inbound.chat.id,
        });
        if (outcome.kind !== "created")
          return store.finish(inbound, "dropped", outcome.kind === "full" ? "pairing: too many pending requests" : "pairing: request already pending");
        log.info({ channel, accountId, senderId: inbound.sender.id, code: outcome.request.code }, "channel pairing requested");
        store.transaction(() => {
          outbox.enqueue({
            idempotencyKey: `pairing:${replyKey}`,
            channel,
            accountId,
            chatId: inbound.chat.id,
            text: PAIRING_TEXT(outcome.request.code, channel),
          });
          store.finish(inbound, "done", "pairing code sent");
        });
        return;
      }
    }
    const sessionKey = channelSessionKey({
      agentId: "main",
      channel,
      accountId,
      chat: inbound.chat,
      senderId: inbound.sender.id,
      thread: inbound.thread?.id,
      dmScope: this.dmScope,
    });
    const command = this.options.commands?.match(inbound.text);
    let mentioned = false;
    if (inbound.chat.kind !== "dm") {
      const groups = account.resolved.groups;
      // A thread with no settings of its own is governed by its parent channel's.
      const { parentId } = inbound.chat;
      const groupId = groups[inbound.chat.id] === undefined && parentId !== undefined && groups[parentId] !== undefined ? parentId : inbound.chat.id;
      const group = evaluateGroupPolicy({
        channel,
        senderId: inbound.sender.id,
        chatId: groupId,
        policy: { mode: config.groupPolicy, allowFrom: config.groupAllowFrom, groups: Object.keys(groups) },
      });
      if (group.action === "deny") return store.finish(inbound, "dropped", `group denied: ${group.reason}`);
      // A command is addressed to the gateway by its slash; `/activation always` answers every message.
      const always = command !== undefined || this.options.agent?.options?.(sessionKey)?.groupActivation === "always";
      const settings = groups[groupId] ?? groups["*"] ?? {};
      const identity = account.adapter?.identity?.();
      const requireMention = !always && (settings.requireMention ?? true);
      const gate = identity ? resolveMentionGate(inbound, identity, { requireMention }) : { skip: requireMention, wasMentioned: false };
      if (gate.skip) return store.finish(inbound, "dropped", "group message without a mention");
      mentioned = gate.wasMentioned;
    }
    if (command && this.options.commands) return this.answerCommand(account, inbound, sessionKey, replyKey);

    const agent = this.options.agent;
    if (!agent) return store.finish(inbound, "dropped", "no agent runtime");
    let attachments: InboundMedia[] | undefined;
    if (inbound.media && inbound.media.length > 0) {
      const { media, tooLarge } = await this.attachmentsOf(account, inbound.media);
      attachments = media;
      if (tooLarge.length > 0) {
        this.options.outbox.enqueue({
          idempotencyKey: `${replyKey}:media-limit`,
          channel,
          accountId,
          chatId: inbound.chat.id,
          text: tooLargeReply(tooLarge, account.resolved.mediaMaxBytes),
          replyTo: inbound.providerMessageId,
          thread: inbound.thread?.id,
          sessionKey,
        });
        // Nothing but refused files: the reply above is the whole answer.
        if (inbound.text.trim() === "" && tooLarge.length === media.length) return store.finish(inbound, "done", "attachments over the size limit");
      }
    }
    const sender = inbound.sender.name ?? inbound.sender.username ?? inbound.sender.id;
    const message = inbound.chat.kind === "dm" ? inbound.text : `${sender}: ${inbound.text}`;
    const endPresence = this.options.presence?.begin(account, inbound, { mentioned });
    let result: ChannelTurn;
    try {
      result = await agent.run({ sessionKey, agentId: "main", message, ...(attachments ? { attachments } : {}) });
    } finally {
      endPresence?.();
    }
    // A turn cut short by shutdown stays pending and is replayed after the restart.
    if (this.stopping && result.status !== "ok") return;
    const options = agent.options?.(sessionKey) ?? {};
    const text = result.status === "ok" ? formatReply(result, options) : AGENT_FAILED_TEXT;
    if (result.status !== "ok")
      log.error({ channel, accountId, sessionKey, error: result.error, status: result.status }, "agent turn for a channel message failed");
    // `/send off`: the reply stays in the transcript and is not delivered.
    const deliver = options.sendPolicy !== "deny";
    this.reply(
      account,
      inbound,
      { sessionKey, replyKey, text: deliver ? text : "" },
      deliver ? result.status : `${result.status}; reply held by send policy deny`,
    );
  }

  /** The message's attachments, downloaded into the media store when there is one. */
  private attachmentsOf(account: ChannelAccount, facts: readonly InboundMediaFact[]): Promise<ResolvedAttachments> {
    const store = this.options.media;
    if (!store) return Promise.resolve({ media: facts.map((fact) => ({ ...envelopeOf(fact), unavailable: "this gateway keeps no files" })), tooLarge: [] });
    const { channel, accountId } = account.resolved;
    const transcription = this.transcription && {
      ...this.transcription,
      onError: (media: InboundMedia, error: unknown) =>
        this.options.log.warn(
          { channel, accountId, kind: media.kind, mime: media.mime, sizeBytes: media.sizeBytes, reason: describeError(error) },
          `${media.kind === "voice" ? "voice note" : "audio file"} not transcribed; the agent gets it without a transcript`,
        ),
    };
    return resolveAttachments(account.adapter, facts, { maxBytes: account.resolved.mediaMaxBytes, store, transcription });
  }

  /** The reply joins the outbox in the same transaction that marks the message handled; empty text sends nothing. */
  private reply(account: ChannelAccount, inbound: InboundMessage, reply: { sessionKey: string; replyKey: string; text: string }, outcome: string): void {
    const { channel, accountId } = account.resolved;
    this.options.store.transaction(() => {
      if (reply.text.trim() !== "") {
        this.options.outbox.enqueue({
          idempotencyKey: reply.replyKey,
          channel,
          accountId,
          chatId: inbound.chat.id,
          text: reply.text,
          replyTo: inbound.providerMessageId,
          thread: inbound.thread?.id,
          sessionKey: reply.sessionKey,
        });
      }
      this.options.store.finish(inbound, "done", outcome);
    });
  }

  /** A command's answer goes back to the chat it came from, like a reply, and never to the model. */
  private async answerCommand(account: ChannelAccount, inbound: InboundMessage, sessionKey: string, replyKey: string): Promise<void> {
    const { channel, accountId } = account.resolved;
    const text = await this.options.commands!.answer({
      text: inbound.text,
      sessionKey,
      channel,
      accountId,
      chatId: inbound.chat.id,
      chatKind: inbound.chat.kind === "dm" ? "dm" : "group",
      senderId: inbound.sender.id,
      senderName: inbound.sender.name ?? inbound.sender.username,
    });
    this.reply(account, inbound, { sessionKey, replyKey, text }, "command");
  }
}

/** The reply text with what the session asked to see: tool calls (`/verbose`) and a usage line (`/usage`). */
export function formatReply(turn: ChannelTurn, options: SessionOptions): string {
  const parts: string[] = [];
  if (options.verboseLevel === "on" || options.verboseLevel === "full") {
    for (const tool of turn.tools ?? []) {
      parts.push(`🔧 ${tool.name}(${tool.args})`);
      if (options.verboseLevel === "full" && tool.result !== undefined)
        parts.push(`↳ ${tool.result.length > 500 ? `${tool.result.slice(0, 500)}…` : tool.result}`);
    }
  }
  parts.push(turn.text);
  if ((options.responseUsage === "tokens" || options.responseUsage === "full") && turn.usage) {
    const { inputTokens, outputTokens } = turn.usage;
    parts.push(
      options.responseUsage === "full"
        ? `— usage: ${inputTokens} in · ${outputTokens} out · ${inputTokens + outputTokens} total`
        : `— ${inputTokens + outputTokens} tokens`,
    );
  }
  return parts.filter((part) => part !== "").join("\n");
}
