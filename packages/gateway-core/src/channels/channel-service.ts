import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { pino, type Logger } from "pino";
import { EchoRegistry, supportsMedia } from "@openclaw/channel-kit";
import { InvalidInputError, UnavailableError } from "../errors.js";
import type { HttpRoute } from "../http/routes.js";
import { AccountRegistry, type ChannelLoader, type ChannelReconfigure, type ChannelsSnapshot } from "./account-registry.js";
import type { DmScope } from "./accounts.js";
import { ChatPresence, type MessagePresenceSettings, type PresenceTimers } from "./chat-presence.js";
import { InboundRouter, type ChannelCommands, type ChannelAgent } from "./inbound-router.js";
import { InboundStore } from "./inbound-store.js";
import type { MediaPruneLimits, MediaStore } from "../media/media-store.js";
import { transcriptionFromConfig } from "../media/transcription.js";
import type { TranscriptionConfig } from "../config/schema.js";
import { storeOutboundMedia, type OutboundMediaInput } from "../media/outbound-media.js";
import { Outbox } from "./outbox.js";
import { accountOutboxTransport } from "./outbox-transport.js";
import { ChannelPairingStore, type ChannelPairingRequest } from "./pairing.js";
import { resolveSendTarget } from "./send-target.js";
import { createWebhookRoute, WEBHOOK_MAX_BODY_BYTES } from "./webhook-route.js";

export type { ChannelAccount, ChannelAccountSnapshot, ChannelLoader, ChannelReconfigure, ChannelsSnapshot } from "./account-registry.js";
export type { ChannelAgent, ChannelCommands, ChannelTurn } from "./inbound-router.js";

/** The `messages` section as channels read it: presence around each run, and voice-note transcription. */
export interface ChannelMessageSettings extends MessagePresenceSettings {
  readonly transcription?: TranscriptionConfig | undefined;
}

/** Attachments are kept 30 days, and at most 2 GB of them. */
export const DEFAULT_MEDIA_LIMITS: MediaPruneLimits = { maxAgeMs: 30 * 86_400_000, maxTotalBytes: 2 * 1024 ** 3 };

export interface ChannelServiceOptions {
  readonly db: Database;
  /** Every channel this build can run, by id; only configured ones are loaded. */
  readonly loaders: Readonly<Record<string, ChannelLoader>>;
  /** The `channels` section of the config. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly dmScope?: DmScope;
  /** `messages.ackReaction`, `messages.ackReactionScope` and `messages.transcription`. */
  readonly messages?: ChannelMessageSettings;
  /** Typing indicator tuning: `typingRefreshMs` overrides every adapter's own interval (tests shorten it). */
  readonly presence?: { readonly typingRefreshMs?: number; readonly timers?: PresenceTimers };
  readonly agent?: ChannelAgent;
  /** The chat-command layer; without it every message goes to the agent. */
  readonly commands?: ChannelCommands;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stateDir?: string;
  /**
   * Where inbound attachments are downloaded, and how long they are kept (pruned with the rest every
   * 6 hours). Without it the agent gets attachments as descriptions only.
   */
  readonly media?: { readonly store: MediaStore; readonly limits?: MediaPruneLimits };
  /**
   * Folders whose files `send` may attach by local path, besides the media store and
   * `<stateDir>/outbound` (always allowed). Anything outside them, through symlinks too, is refused.
   */
  readonly mediaRoots?: readonly string[];
  readonly logger?: Logger;
  /** Outbox tuning (tests shorten these). */
  readonly outbox?: {
    readonly retryDelaysMs?: readonly number[];
    readonly ttlMs?: number;
    readonly idleRecheckMs?: number;
    readonly reconcileDelayMs?: number;
  };
  /** How long `send` waits for delivery before answering that the message is still queued. @default 15 s */
  readonly sendWaitMs?: number;
  /** Called whenever an account's state changes, to refresh health. */
  readonly onChange?: () => void;
  /**
   * How often account states are compared, so a change an adapter makes on its own (a WhatsApp
   * logout, a lost connection) refreshes health and a terminal state is alerted promptly. @default 5 s
   */
  readonly statusWatchMs?: number;
  readonly now?: () => number;
}

/** A `send`: text for one chat, stored in the outbox under `idempotencyKey` before the first attempt. */
export interface ChannelSendRequest {
  to: string;
  message?: string | undefined;
  channel?: string | undefined;
  accountId?: string | undefined;
  replyToId?: string | undefined;
  threadId?: string | undefined;
  sessionKey?: string | undefined;
  /** A file to send, with `message` as its caption. */
  media?: OutboundMediaInput | undefined;
  idempotencyKey: string;
  runId: string;
}

/**
 * The messaging channels, wired together: the account registry (lifecycle and status), the
 * inbound router with its store, the durable outbox, DM pairing and the webhook route. The
 * `send`/`channels.*` methods are in `methods/channels.ts`.
 */
export class ChannelService {
  readonly outbox: Outbox;
  readonly pairing: ChannelPairingStore;
  readonly accounts: AccountRegistry;
  /** The acknowledgement reaction and typing indicator around each agent run. */
  readonly presence: ChatPresence;
  readonly now: () => number;
  private readonly log: Logger;
  private readonly echoes: EchoRegistry;
  private readonly inboundStore: InboundStore;
  private readonly router: InboundRouter;
  private stopped: Promise<void> | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: ChannelServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? pino({ level: "silent" });
    this.echoes = new EchoRegistry({ now: this.now });
    this.pairing = new ChannelPairingStore(options.db, this.now);
    this.inboundStore = new InboundStore(options.db);
    this.accounts = new AccountRegistry({
      loaders: options.loaders,
      config: options.config,
      env: options.env ?? process.env,
      stateDir: options.stateDir ?? ".",
      log: this.log,
      now: this.now,
      deliver: (account, inbound) => this.router.admit(account, inbound),
      onStartSettled: () => this.outbox.kick(),
      ...(options.onChange ? { onChange: options.onChange } : {}),
    });
    this.outbox = new Outbox({
      db: options.db,
      ...options.outbox,
      now: this.now,
      transport: accountOutboxTransport(this.accounts, this.echoes, this.now, options.media?.store),
      onError: (error, item) => this.log.error({ err: error, outboxId: item.id }, "outbox delivery failed unexpectedly"),
      onSettled: (item) => {
        if (item.status === "dead") this.log.warn({ outboxId: item.id, channel: item.channel, reason: item.deadReason }, "outbound message dead-lettered");
      },
    });
    this.presence = new ChatPresence({ log: this.log, messages: options.messages, ...options.presence });
    this.router = new InboundRouter({
      store: this.inboundStore,
      outbox: this.outbox,
      pairing: this.pairing,
      echoes: this.echoes,
      account: (channel, accountId) => this.accounts.get(channel, accountId),
      agent: options.agent,
      commands: options.commands,
      dmScope: options.dmScope,
      presence: this.presence,
      log: this.log,
      now: this.now,
      media: options.media?.store,
      transcription: transcriptionFromConfig(options.messages?.transcription),
    });
  }

  /** Configured channel ids, in config order. */
  get channelIds(): string[] {
    return this.accounts.channelIds;
  }

  /** Whether `run()` has begun: the methods answer UNAVAILABLE before. */
  get started(): boolean {
    return this.running;
  }

  /**
   * Loads the configured channels and validates their settings; a bad key fails here, naming it.
   * Nothing connects yet.
   */
  load(): Promise<void> {
    return this.accounts.load();
  }

  /**
   * Replays inbound messages accepted before a restart, starts the outbox and starts every enabled
   * account. Resolves when every account has connected or failed; a failure is reported in the
   * account's status, not thrown.
   */
  async run(): Promise<void> {
    this.running = true;
    this.router.replayPending();
    this.outbox.start();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), 6 * 3_600_000);
    this.pruneTimer.unref();
    this.statusTimer = setInterval(() => this.accounts.watch(), this.options.statusWatchMs ?? 5_000);
    this.statusTimer.unref();
    await Promise.all(
      this.accounts
        .all()
        .filter((account) => account.resolved.enabled)
        .map((account) => this.accounts.start(account)),
    );
  }

  /**
   * A changed `channels` section, `session.dmScope` or `messages` section, applied while running: only the
   * accounts whose settings changed restart (see `AccountRegistry.reconfigure`). A bad section throws and changes nothing.
   */
  async reconfigure(config: Readonly<Record<string, unknown>>, dmScope: DmScope, messages?: ChannelMessageSettings): Promise<ChannelReconfigure> {
    const done = await this.accounts.reconfigure(config, { start: this.running && this.stopped === undefined });
    this.router.dmScope = dmScope;
    if (messages) {
      this.presence.messages = messages;
      // Messages already downloading keep the transcription they started with.
      this.router.transcription = transcriptionFromConfig(messages.transcription);
    }
    const changes = Object.entries(done).filter(([, names]) => names.length > 0);
    if (changes.length > 0) this.log.info(Object.fromEntries(changes), "channel accounts reconfigured");
    return done;
  }

  /** `load()` then `run()`. */
  async start(): Promise<void> {
    await this.load();
    await this.run();
  }

  /** Stops inbound first, lets running turns end, then closes the outbox; nothing accepted is dropped. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.router.beginStop();
      if (this.pruneTimer) clearInterval(this.pruneTimer);
      if (this.statusTimer) clearInterval(this.statusTimer);
      await Promise.all(this.accounts.all().map((account) => this.accounts.stop(account)));
      this.presence.close();
      await this.outbox.close();
      await this.router.settled();
      this.echoes.close();
    })();
    return this.stopped;
  }

  /**
   * Keeps the dedupe tombstones and delivered outbox rows for `retentionMs` (30 days), so a
   * provider's late redelivery is still recognized but the tables do not grow without bound.
   * Pending work is never pruned.
   */
  prune(retentionMs = 30 * 86_400_000): { inbound: number; outbox: number } {
    const cutoff = this.now() - retentionMs;
    const media = this.options.media;
    if (media) {
      media.store.prune(media.limits ?? DEFAULT_MEDIA_LIMITS).then(
        (result) => result.removed > 0 && this.log.info(result, "media store pruned"),
        (error: unknown) => this.log.warn({ err: error }, "media store prune failed"),
      );
    }
    return { inbound: this.inboundStore.prune(cutoff), outbox: this.outbox.store.pruneSent(cutoff) };
  }

  /**
   * Per-channel snapshots, as `channels.status` and `health.channels` report them, and `summary`,
   * the channels' part of the overall health: degraded while an enabled account is down or terminal.
   */
  snapshot(filter?: string): ChannelsSnapshot {
    return this.accounts.snapshot(filter);
  }

  /** Serves provider webhooks at each running adapter's `webhookPath`. @default maxBodyBytes 1 MiB */
  webhookRoute(maxBodyBytes = WEBHOOK_MAX_BODY_BYTES): HttpRoute {
    return createWebhookRoute((path) => this.accounts.webhookAdapter(path), maxBodyBytes);
  }

  /** Approves a DM pairing request: the sender may talk to the agent from now on. */
  approvePairing(request: ChannelPairingRequest): void {
    this.pairing.approve(request);
    this.log.info({ channel: request.channel, accountId: request.accountId, senderId: request.senderId }, "channel pairing approved");
  }

  /** Folders `send` may read local files from: the media store, `<stateDir>/outbound` and `mediaRoots`. */
  get mediaRoots(): string[] {
    const store = this.options.media?.store;
    return [...(store ? [store.dir] : []), join(this.options.stateDir ?? ".", "outbound"), ...(this.options.mediaRoots ?? [])];
  }

  /**
   * Sends text, or a file captioned with it, on a channel through the outbox and waits for the
   * outcome. A file is read (under the account's limit) into the media store first and the outbox
   * keeps only its reference. `idempotencyKey` is the outbox key (a repeat returns the stored
   * result without reading the file again); errors are `MethodError`s that name the problem.
   */
  async send(params: ChannelSendRequest): Promise<{ runId: string; messageId: string; channel: string; chatId: string }> {
    if (!this.running) throw new UnavailableError("channels are still starting");
    const text = params.message ?? "";
    if (params.media === undefined && text.trim() === "") throw new InvalidInputError("invalid send params: message is required (text to send)");
    const target = resolveSendTarget(this.accounts.view, params);
    const known = this.outbox.byKey(params.idempotencyKey);
    const media = params.media && !known ? await this.storeMedia(target, params.media) : undefined;
    const { item } = this.outbox.enqueue({
      idempotencyKey: params.idempotencyKey,
      ...target,
      text,
      media,
      replyTo: params.replyToId,
      thread: params.threadId,
      sessionKey: params.sessionKey,
    });
    const settled = await this.outbox.waitFor(item.id, this.options.sendWaitMs ?? 15_000);
    if (settled.status === "sent")
      return { runId: params.runId, messageId: settled.providerIds.at(-1) ?? "", channel: settled.channel, chatId: settled.chatId };
    if (settled.status === "dead")
      throw new UnavailableError(`delivery failed: ${settled.deadReason ?? "unknown reason"}`, { details: { outboxId: settled.id, status: "dead" } });
    throw new UnavailableError(
      `not delivered yet${settled.lastError ? ` (${settled.lastError})` : ""}; the message stays queued and will be sent once, so retry with the same idempotencyKey to check on it`,
      { details: { outboxId: settled.id, status: settled.status } },
    );
  }

  /** Reads a `send`'s file into the media store, refused over the smaller of `mediaMaxMb` and the adapter's own limit. */
  private async storeMedia(target: { channel: string; accountId: string }, media: OutboundMediaInput) {
    const account = this.accounts.get(target.channel, target.accountId);
    const adapter = account?.adapter;
    if (adapter && !supportsMedia(adapter)) throw new InvalidInputError(`${target.channel} cannot send files from this gateway; send text only`);
    const store = this.options.media?.store;
    if (!store) throw new UnavailableError("this gateway has no media store (no state directory), so it cannot send files");
    const configured = account?.resolved.mediaMaxBytes ?? Number.POSITIVE_INFINITY;
    const own = adapter && supportsMedia(adapter) ? adapter.mediaMaxBytes : Number.POSITIVE_INFINITY;
    const limitOwner =
      own < configured
        ? `${target.channel} (the adapter's own limit)`
        : `${target.channel} account ${target.accountId} (${account?.resolved.configPath ?? `channels.${target.channel}`}.mediaMaxMb)`;
    return storeOutboundMedia(media, { store, allowedRoots: this.mediaRoots, maxBytes: Math.min(configured, own), limitOwner });
  }
}
