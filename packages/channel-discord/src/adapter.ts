import { Client, DiscordAPIError, GatewayIntentBits, HTTPError, Partials, RateLimitError, Routes, Events } from "discord.js";
import {
  AccountRuntime,
  ChannelSendError,
  ProviderAuthError,
  ProviderConnectionError,
  TerminalConnectionError,
  describeError,
  networkSendFailure,
  sendFailureKindForStatus,
  type AdapterAccountStatus,
  type BotIdentity,
  type ChannelAdapter,
  type ChannelStartContext,
  type ChatTarget,
  type DownloadedMedia,
  type InboundMediaFact,
  type MessageTarget,
  type OutboundMessage,
  type Receipt,
  type ReconcileOutcome,
  type ReconcileRequest,
  type SupervisedConnection,
  type SupportsEdits,
  type OutboundMedia,
  type SupportsMedia,
  type SupportsMediaDownload,
  type SupportsReactions,
  type SupportsReconcile,
  type SupportsTyping,
} from "@openclaw/channel-kit";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { downloadDiscordAttachment } from "./attachments.js";
import { toInbound, type KnownThread, type RawMessage } from "./inbound.js";
import { discordNonce, reconcileFromHistory, type ListedMessage } from "./reconcile.js";
import type { DiscordAdapterOptions } from "./options.js";

/**
 * The largest file a bot may attach in a server without boosts: Discord's documented default
 * upload limit is 10 MiB per file (https://discord.com/developers/docs/reference#uploading-files;
 * boosted servers allow more, which a bot cannot know before it posts).
 */
export const DISCORD_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** How many confirmed message ids are kept, so a look-up never mistakes an earlier send for the one it seeks. */
const KNOWN_IDS = 1_000;

/** Channel types of a thread: announcement, public and private. */
const THREAD_TYPES = new Set([10, 11, 12]);

/** The parts of a raw channel object (THREAD_CREATE, a guild's `threads`) this channel reads. */
interface RawChannel {
  readonly id: string;
  readonly type?: number;
  readonly parent_id?: string | null;
}

/** A REST failure as the outbox classifies it. */
function classify(error: unknown): ChannelSendError {
  if (error instanceof RateLimitError) {
    return new ChannelSendError("rate_limited", `Discord 429: rate limited for ${error.retryAfter} ms (${error.route})`, {
      status: 429,
      retryAfterMs: error.retryAfter,
      cause: error,
    });
  }
  if (error instanceof DiscordAPIError) {
    return new ChannelSendError(sendFailureKindForStatus(error.status), `Discord ${error.status}: ${error.message} (code ${String(error.code)})`, {
      status: error.status,
      cause: error,
    });
  }
  if (error instanceof HTTPError)
    return new ChannelSendError(sendFailureKindForStatus(error.status), `Discord ${error.status}: ${error.message}`, { status: error.status, cause: error });
  return networkSendFailure("Discord", error);
}

/**
 * One Discord bot account on discord.js. Inbound is the raw MESSAGE_CREATE dispatch (no caches
 * needed, DMs included); outbound is a direct REST post to the channel id. Every client and shard
 * error is caught and reported in the status.
 *
 * Reconnects have two levels. Within one client, discord.js (@discordjs/ws) reconnects and
 * RESUMEs on its own, 500 ms apart, which replays what was missed; the supervisor does not wrap
 * that, because a resume is the library's protocol state (session id, sequence) and is cheap. It
 * is bounded here: after `maxResumeAttempts` reconnects in a row without READY or RESUMED, the
 * client is destroyed, and the channel-kit supervisor creates a fresh one (a fresh IDENTIFY: a
 * client that keeps failing to resume never recovers on its own) after a backoff with jitter,
 * counted against the hourly restart budget.
 */
export class DiscordAdapter
  implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsEdits, SupportsReconcile, SupportsMedia, SupportsMediaDownload
{
  readonly id = "discord";
  readonly mediaMaxBytes = DISCORD_UPLOAD_MAX_BYTES;
  /** A typing trigger shows for about 10 s. */
  readonly typingRefreshMs = 8_000;
  private client: Client | undefined;
  private readonly account: AccountRuntime;
  private readonly threads = new Map<string, KnownThread>();
  /** Ids of our messages whose send Discord confirmed, oldest first. */
  private readonly confirmed = new Set<string>();
  private inbound: Promise<void> = Promise.resolve();
  private me: BotIdentity | undefined;
  private stopping = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.account = new AccountRuntime({ channel: "discord", accountId: options.accountId });
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.account.begin();
    this.stopping = false;
    try {
      await this.account.supervise({
        label: "discord client",
        logger: context.logger,
        reconnect: this.options.reconnect,
        ignoreStatus: () => this.stopping,
        connect: ({ reportHealthy }) => this.openClient(context, reportHealthy),
      });
    } catch (error) {
      await this.stop();
      this.account.tracker.state = "failed";
      throw error;
    }
  }

  /**
   * One discord.js client: login, READY, then its own resumes until the bound. `closed` settles
   * once the client is destroyed: on the resume bound, or rejected with a terminal error when
   * Discord closed the connection for good (bad token, disallowed intents).
   */
  private async openClient(context: ChannelStartContext, healthy: () => void): Promise<SupervisedConnection> {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      // The outbox owns retries: a 429 or 5xx comes back to it instead of being retried here.
      rest: { ...(this.options.apiRoot ? { api: this.options.apiRoot } : {}), retries: 0, rejectOnRateLimit: () => true, timeout: 15_000 },
      waitGuildTimeout: 1_000,
    });
    this.client = client;
    const maxResumes = this.options.maxResumeAttempts ?? 3;
    let resumesInARow = 0;
    let ended = false;
    let settle: (error?: unknown) => void = () => undefined;
    const closed = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    closed.catch(() => undefined);
    /** Destroys this client (never two: the next is made only after this settles), then settles `closed`. */
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      void client
        .destroy()
        .catch(() => undefined)
        .then(() => {
          if (this.client === client) this.client = undefined;
          settle(error);
        });
    };

    client.on(Events.Error, (error) => {
      this.account.tracker.lastError = describeError(error);
      context.logger.error("discord client error", { error: this.account.tracker.lastError });
    });
    client.on(Events.ShardError, (error) => {
      this.account.tracker.lastError = describeError(error);
      context.logger.warn("discord shard error", { error: this.account.tracker.lastError });
    });
    client.on(Events.ShardReconnecting, () => {
      if (this.stopping || ended) return;
      resumesInARow += 1;
      this.account.tracker.reconnecting(resumesInARow, undefined);
      if (resumesInARow > maxResumes) {
        context.logger.warn("discord could not resume; replacing the client so a fresh one identifies", { attempts: resumesInARow });
        end(new ProviderConnectionError(`the gateway connection failed ${resumesInARow} times in a row without resuming`));
      }
    });
    const proven = () => {
      if (ended) return;
      this.account.tracker.connected();
      resumesInARow = 0;
      if (client.user) this.me = { id: client.user.id, username: client.user.username };
      healthy();
    };
    client.on(Events.ShardResume, proven);
    client.on(Events.ShardDisconnect, (event) => {
      if (this.stopping || ended) return;
      end(new TerminalConnectionError(`Discord closed the gateway connection for good (${event.code}); check the token and intents`));
    });
    // Raw dispatches: discord.js drops a thread whose guild it has not cached, so its ThreadCreate never fires for one.
    client.ws.on("THREAD_CREATE" as never, (data: RawChannel) => this.learnThreads([data]));
    client.ws.on("THREAD_LIST_SYNC" as never, (data: { threads?: readonly RawChannel[] }) => this.learnThreads(data.threads ?? []));
    client.ws.on("GUILD_CREATE" as never, (data: { threads?: readonly RawChannel[] }) => this.learnThreads(data.threads ?? []));
    client.ws.on("THREAD_DELETE" as never, (data: RawChannel) => void this.threads.delete(data.id));
    client.ws.on("MESSAGE_CREATE" as never, (data: RawMessage) => {
      const inbound = toInbound(data, this.options.accountId, this.threads);
      if (!inbound || inbound.sender.id === this.me?.id) return;
      // One chain keeps the order; the gateway records each message before the next is handed over.
      this.inbound = this.inbound.then(() =>
        context
          .deliver(inbound)
          .catch((error: unknown) =>
            context.logger.error("could not hand a Discord message to the gateway", { error: describeError(error), messageId: inbound.providerMessageId }),
          ),
      );
    });

    const readyTimeoutMs = this.options.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new ProviderConnectionError(`Discord did not answer READY within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      client.once(Events.ClientReady, () => resolve());
    });
    try {
      await client.login(this.options.token);
      await ready;
    } catch (error) {
      end();
      await closed;
      const message = describeError(error);
      // A refused token cannot start working by retrying.
      if (/TokenInvalid|401|invalid token/i.test(message))
        throw new TerminalConnectionError("the bot token was refused (401); check token", { cause: new ProviderAuthError(message, { cause: error }) });
      throw new ProviderConnectionError(`Discord login failed: ${message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    // READY after a fresh login proves the connection; later ones come as RESUMED or a new READY.
    client.on(Events.ShardReady, proven);
    proven();
    return {
      closed,
      close: async () => {
        end();
        await closed.catch(() => undefined);
      },
    };
  }

  /**
   * Posts one chunk with a nonce fixed by its outbox key and chunk index, and `enforce_nonce`: a
   * resend of the same chunk within Discord's window gets the message already made, not a second.
   */
  async send(message: OutboundMessage): Promise<Receipt> {
    return this.call(message.chatId, async (client) => {
      const sent = (await client.rest.post(Routes.channelMessages(message.chatId), {
        body: {
          content: message.text,
          allowed_mentions: { parse: ["users"] },
          // Only the outbox names the chunk; without its index two chunks of one key would share a nonce.
          ...(message.chunkIndex !== undefined ? { nonce: discordNonce(message.idempotencyKey, message.chunkIndex), enforce_nonce: true } : {}),
          ...(message.replyTo ? { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } } : {}),
        },
      })) as { id: string };
      this.remember(sent.id);
      return { providerMessageIds: [sent.id], sentAtMs: Date.now() };
    });
  }

  /**
   * Posts one file as a multipart message create (`payload_json` plus `files[0]`, what discord.js's
   * `channel.send({ files })` posts), with the caption as its content and the reply as its
   * reference. A URL source is linked by Discord, not uploaded; the outbox always passes a local file.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    const caption = media.caption ?? "";
    if (/^https?:\/\//i.test(media.source)) return this.send({ ...media, text: caption === "" ? media.source : `${caption}\n${media.source}` });
    const data = await readFile(media.source);
    const name = media.fileName ?? basename(media.source);
    return this.call(media.chatId, async (client) => {
      const sent = (await client.rest.post(Routes.channelMessages(media.chatId), {
        body: {
          ...(caption !== "" ? { content: caption } : {}),
          allowed_mentions: { parse: ["users"] },
          attachments: [{ id: 0, filename: name }],
          ...(media.chunkIndex !== undefined ? { nonce: discordNonce(media.idempotencyKey, media.chunkIndex), enforce_nonce: true } : {}),
          ...(media.replyTo ? { message_reference: { message_id: media.replyTo, fail_if_not_exists: false } } : {}),
        },
        files: [{ key: "files[0]", name, data, ...(media.contentType ? { contentType: media.contentType } : {}) }],
      })) as { id: string };
      this.remember(sent.id);
      return { providerMessageIds: [sent.id], sentAtMs: Date.now() };
    });
  }

  /** Looks the chunk up in the channel's recent messages (see `reconcileFromHistory`). */
  async reconcile(request: ReconcileRequest): Promise<ReconcileOutcome> {
    const botId = this.me?.id;
    if (!botId) throw this.account.notRunning();
    const outcome = await reconcileFromHistory(
      request,
      botId,
      (after) =>
        this.call(request.chatId, (client) =>
          client.rest.get(Routes.channelMessages(request.chatId), { query: new URLSearchParams({ after, limit: "100" }) }),
        ) as Promise<ListedMessage[]>,
      this.confirmed,
    );
    if (outcome.status === "delivered") for (const id of outcome.providerMessageIds) this.remember(id);
    return outcome;
  }

  private learnThreads(channels: readonly RawChannel[]): void {
    for (const channel of channels) {
      if (THREAD_TYPES.has(channel.type ?? -1)) this.threads.set(channel.id, channel.parent_id ? { parentId: channel.parent_id } : {});
    }
  }

  private remember(id: string): void {
    this.confirmed.add(id);
    if (this.confirmed.size > KNOWN_IDS) this.confirmed.delete(this.confirmed.values().next().value!);
  }

  /** An attachment's bytes from its CDN link, under `maxBytes` (see `downloadDiscordAttachment`). */
  downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    return downloadDiscordAttachment(media, options);
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    if (on) await this.call(target.chatId, (client) => client.rest.post(Routes.channelTyping(target.chatId)));
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    const route = Routes.channelMessageOwnReaction(target.chatId, target.providerMessageId, encodeURIComponent(emoji));
    await this.call(target.chatId, (client) => (options.remove ? client.rest.delete(route) : client.rest.put(route)));
  }

  async edit(target: MessageTarget, text: string): Promise<void> {
    await this.call(target.chatId, (client) => client.rest.patch(Routes.channelMessage(target.chatId, target.providerMessageId), { body: { content: text } }));
  }

  /** One REST call for a channel, through the gate (rate limit, classification, in-flight tracking). */
  private call<T>(chatId: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client || this.stopping) return Promise.reject(this.account.notRunning());
    return this.account.gate.run(chatId, () => work(client), classify);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.account.gate.settle();
    // The client is destroyed and every backoff timer cleared before anything new starts.
    await this.account.stopConnection();
    const client = this.client;
    this.client = undefined;
    if (client) await client.destroy().catch(() => undefined);
    await this.inbound;
    await this.account.end();
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): AdapterAccountStatus {
    return this.account.status();
  }
}
