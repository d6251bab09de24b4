import { Client, DiscordAPIError, GatewayIntentBits, HTTPError, Partials, RateLimitError, Routes, Events } from "discord.js";
import {
  ChannelSendError,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  sendFailureKindForStatus,
  supervisorPolicy,
  type BotIdentity,
  type ChannelAccountContext,
  type ReconnectConfig,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelStartContext,
  type ChatTarget,
  type InboundMessage,
  type MessageTarget,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsEdits,
  type SupportsReactions,
  type SupportsTyping,
} from "@openclaw/channel-kit";

export interface DiscordAdapterOptions {
  readonly accountId: string;
  readonly token: string;
  /** REST root (tests point it at a fake). @default https://discord.com/api */
  readonly apiRoot?: string;
  /** Reconnects in a row without READY or RESUMED before the client is replaced and identifies afresh. @default 3 */
  readonly maxResumeAttempts?: number;
  /** How long `start` (and each fresh client) waits for READY. @default 30 s */
  readonly readyTimeoutMs?: number;
  /**
   * Fresh clients (after the resume bound, a failed login) go through the channel-kit supervisor:
   * backoff with jitter from `initialMs` to `maxMs`, and at most `maxRestartsPerHour` before the
   * account gives up and says so. @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
   */
  readonly reconnect?: ReconnectConfig;
}

type State = "stopped" | "starting" | "connected" | "reconnecting" | "failed";

interface RawMessage {
  readonly id: string;
  readonly channel_id: string;
  readonly guild_id?: string;
  readonly author?: { readonly id: string; readonly username?: string; readonly global_name?: string | null; readonly bot?: boolean };
  readonly content?: string;
  readonly timestamp?: string;
  readonly mentions?: readonly { readonly id: string }[];
  readonly message_reference?: { readonly message_id?: string };
  readonly referenced_message?: { readonly author?: { readonly id: string } } | null;
  readonly attachments?: readonly { readonly url?: string; readonly filename?: string; readonly content_type?: string; readonly size?: number }[];
  readonly thread?: { readonly id: string };
  readonly position?: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A raw MESSAGE_CREATE as an InboundMessage (DMs have no guild id). */
export function toInbound(data: RawMessage, accountId: string, channelKinds: ReadonlyMap<string, "thread">): InboundMessage | undefined {
  if (!data.id || !data.channel_id || !data.author?.id) return undefined;
  const text = data.content ?? "";
  const media = (data.attachments ?? []).map((attachment) => ({
    ...(attachment.url ? { url: attachment.url } : {}),
    ...(attachment.content_type ? { contentType: attachment.content_type } : {}),
    ...(attachment.size !== undefined ? { sizeBytes: attachment.size } : {}),
    ...(attachment.filename ? { fileName: attachment.filename } : {}),
  }));
  if (text === "" && media.length === 0) return undefined;
  const isThread = channelKinds.get(data.channel_id) === "thread";
  return {
    channel: "discord",
    accountId,
    chat: { kind: data.guild_id ? "group" : "dm", id: data.channel_id },
    sender: {
      id: data.author.id,
      ...(data.author.global_name ? { name: data.author.global_name } : {}),
      ...(data.author.username ? { username: data.author.username } : {}),
      ...(data.author.bot ? { isBot: true } : {}),
    },
    text,
    mentions: (data.mentions ?? []).map((user) => user.id),
    ...(data.message_reference?.message_id
      ? { replyTo: { messageId: data.message_reference.message_id, ...(data.referenced_message?.author ? { senderId: data.referenced_message.author.id } : {}) } }
      : {}),
    ...(isThread ? { thread: { id: data.channel_id } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: data.id,
    timestamp: data.timestamp ? Date.parse(data.timestamp) : Date.now(),
  };
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
 * client is destroyed, and the channel-kit supervisor creates a fresh one (a fresh IDENTIFY, field
 * failure #12) after a backoff with jitter, counted against the hourly restart budget.
 */
export class DiscordAdapter implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsEdits {
  readonly id = "discord";
  private client: Client | undefined;
  private readonly limiter = new RateLimiter();
  private readonly threads = new Map<string, "thread">();
  private readonly inFlight = new Set<Promise<unknown>>();
  private inbound: Promise<void> = Promise.resolve();
  private me: BotIdentity | undefined;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private stopping = false;
  private supervisor: ReconnectSupervisor | undefined;

  constructor(private readonly options: DiscordAdapterOptions) {}

  async start(context: ChannelStartContext): Promise<void> {
    if (this.supervisor) throw new Error(`discord account ${this.options.accountId} is already running`);
    this.stopping = false;
    this.state = "starting";
    let settle: (error?: Error) => void = () => undefined;
    const first = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ reportHealthy }) =>
        this.openClient(context, () => {
          reportHealthy();
          settle();
        }),
      ...supervisorPolicy(this.options.reconnect),
    });
    supervisor.onStatus((status) => {
      if (this.stopping) return;
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
        context.logger.warn("discord client ended; a fresh one identifies after a backoff", { error: status.lastError, delayMs: status.delayMs, attempt: status.attempt });
      } else if (status.state === "failed") {
        this.state = "failed";
        this.lastError = status.reason;
        context.logger.error("discord stopped for good", { reason: status.reason });
        settle(new Error(status.reason));
      }
    });
    this.supervisor = supervisor;
    try {
      await supervisor.start();
      await first;
    } catch (error) {
      await this.stop();
      this.state = "failed";
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
      this.lastError = describe(error);
      context.logger.error("discord client error", { error: this.lastError });
    });
    client.on(Events.ShardError, (error) => {
      this.lastError = describe(error);
      context.logger.warn("discord shard error", { error: this.lastError });
    });
    client.on(Events.ShardReconnecting, () => {
      if (this.stopping || ended) return;
      this.state = "reconnecting";
      resumesInARow += 1;
      this.reconnectAttempts = resumesInARow;
      if (resumesInARow > maxResumes) {
        context.logger.warn("discord could not resume; replacing the client so a fresh one identifies", { attempts: resumesInARow });
        end(new Error(`the gateway connection failed ${resumesInARow} times in a row without resuming`));
      }
    });
    const proven = () => {
      if (ended) return;
      this.state = "connected";
      this.lastError = undefined;
      this.reconnectAttempts = 0;
      resumesInARow = 0;
      this.lastConnectedAt = Date.now();
      if (client.user) this.me = { id: client.user.id, username: client.user.username };
      healthy();
    };
    client.on(Events.ShardResume, proven);
    client.on(Events.ShardDisconnect, (event) => {
      if (this.stopping || ended) return;
      end(new TerminalConnectionError(`Discord closed the gateway connection for good (${event.code}); check the token and intents`));
    });
    client.on(Events.ThreadCreate, (thread) => void this.threads.set(thread.id, "thread"));
    client.ws.on("MESSAGE_CREATE" as never, (data: RawMessage) => {
      const inbound = toInbound(data, this.options.accountId, this.threads);
      if (!inbound || inbound.sender.id === this.me?.id) return;
      // One chain keeps the order; the gateway records each message before the next is handed over.
      this.inbound = this.inbound.then(() =>
        context.deliver(inbound).catch((error: unknown) => context.logger.error("could not hand a Discord message to the gateway", { error: describe(error), messageId: inbound.providerMessageId })),
      );
    });

    const readyTimeoutMs = this.options.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Discord did not answer READY within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      client.once(Events.ClientReady, () => resolve());
    });
    try {
      await client.login(this.options.token);
      await ready;
    } catch (error) {
      end();
      await closed;
      const message = describe(error);
      // A refused token cannot start working by retrying.
      if (/TokenInvalid|401|invalid token/i.test(message)) throw new TerminalConnectionError("the bot token was refused (401); check token", { cause: error });
      throw new Error(`Discord login failed: ${message}`, { cause: error });
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

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.call(message.chatId, async (client) => {
      const sent = (await client.rest.post(Routes.channelMessages(message.chatId), {
        body: {
          content: message.text,
          allowed_mentions: { parse: ["users"] },
          ...(message.replyTo ? { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } } : {}),
        },
      })) as { id: string };
      return { providerMessageIds: [sent.id], sentAtMs: Date.now() };
    });
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

  /** One REST call for a channel: waits its turn in the rate limiter and classifies failures. */
  private async call<T>(chatId: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client || this.stopping) throw new ChannelSendError("transient", `discord account ${this.options.accountId} is not running`);
    const promise = (async () => {
      await this.limiter.acquire(this.options.accountId, chatId);
      try {
        return await work(client);
      } catch (error) {
        if (error instanceof RateLimitError) {
          this.limiter.penalize(this.options.accountId, chatId, error.retryAfter);
          throw new ChannelSendError("rate_limited", `Discord 429: rate limited for ${error.retryAfter} ms (${error.route})`, { status: 429, retryAfterMs: error.retryAfter, cause: error });
        }
        if (error instanceof DiscordAPIError) {
          throw new ChannelSendError(sendFailureKindForStatus(error.status), `Discord ${error.status}: ${error.message} (code ${String(error.code)})`, { status: error.status, cause: error });
        }
        if (error instanceof HTTPError) throw new ChannelSendError(sendFailureKindForStatus(error.status), `Discord ${error.status}: ${error.message}`, { status: error.status, cause: error });
        const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
        if (code === "ECONNREFUSED" || code === "ENOTFOUND") throw new ChannelSendError("transient", `Discord unreachable: ${describe(error)}`, { cause: error });
        throw new ChannelSendError("ambiguous", `Discord request failed: ${describe(error)}`, { cause: error });
      }
    })();
    this.inFlight.add(promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(promise);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
    // The client is destroyed and every backoff timer cleared before anything new starts.
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    await supervisor?.stop();
    const client = this.client;
    this.client = undefined;
    if (client) await client.destroy().catch(() => undefined);
    await this.inbound;
    this.limiter.close();
    if (this.state !== "failed") this.state = "stopped";
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): ChannelAccountStatus {
    return {
      accountId: this.options.accountId,
      state: this.state,
      connected: this.state === "connected",
      reconnectAttempts: this.reconnectAttempts,
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }
}

export const DISCORD_CONFIG_KEYS = ["token", "tokenFile", "apiRoot", "maxResumeAttempts", "reconnect"] as const;

/** Reads one account's settings; the token comes from config, a file, or DISCORD_BOT_TOKEN (default account only). */
export function discordOptions(account: ChannelAccountContext, readFile: (path: string) => string): DiscordAdapterOptions {
  const path = account.accountId === "default" ? "channels.discord" : `channels.discord.accounts.${account.accountId}`;
  const config = account.config;
  let token = config.token;
  if (token === undefined && typeof config.tokenFile === "string") token = readFile(config.tokenFile).trim();
  if (token === undefined && account.accountId === "default") token = account.env["DISCORD_BOT_TOKEN"];
  if (typeof token !== "string" || token.trim() === "") throw new InvalidOptionError(`${path}.token`, "a bot token (or tokenFile, or DISCORD_BOT_TOKEN for the default account)", token === undefined ? undefined : "(empty)");
  const apiRoot = config.apiRoot;
  if (apiRoot !== undefined && (typeof apiRoot !== "string" || !/^https?:\/\//.test(apiRoot))) throw new InvalidOptionError(`${path}.apiRoot`, "an http(s) URL", apiRoot);
  const maxResumeAttempts = config.maxResumeAttempts;
  if (maxResumeAttempts !== undefined && (typeof maxResumeAttempts !== "number" || !Number.isInteger(maxResumeAttempts) || maxResumeAttempts < 1)) {
    throw new InvalidOptionError(`${path}.maxResumeAttempts`, "an integer >= 1", maxResumeAttempts);
  }
  const reconnect = config.reconnect as DiscordAdapterOptions["reconnect"] | undefined;
  const positive = (value: unknown) => value === undefined || (typeof value === "number" && Number.isFinite(value) && value > 0);
  if (reconnect !== undefined && (typeof reconnect !== "object" || reconnect === null || !positive(reconnect.initialMs) || !positive(reconnect.maxMs) || !positive(reconnect.maxRestartsPerHour))) {
    throw new InvalidOptionError(`${path}.reconnect`, "{ initialMs?, maxMs?, maxRestartsPerHour? } (numbers > 0)", reconnect);
  }
  return {
    accountId: account.accountId,
    token,
    ...(typeof apiRoot === "string" ? { apiRoot } : {}),
    ...(typeof maxResumeAttempts === "number" ? { maxResumeAttempts } : {}),
    ...(reconnect ? { reconnect } : {}),
  };
}
