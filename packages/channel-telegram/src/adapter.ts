import { timingSafeEqual } from "node:crypto";
import { Api, GrammyError, HttpError } from "grammy";
import {
  ChannelSendError,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  abortableSleep,
  backoffDelay,
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
  type SupportsWebhook,
  type WebhookRequest,
  type WebhookResponse,
} from "@openclaw/channel-kit";
import { toInbound, type TelegramUpdate } from "./inbound.js";

export interface TelegramAdapterOptions {
  readonly accountId: string;
  readonly token: string;
  /** The Bot API root (tests point it at a fake). @default https://api.telegram.org */
  readonly apiRoot?: string;
  /** Long-poll settings. */
  readonly polling?: {
    /** Seconds Telegram holds a getUpdates open. @default 25 */
    readonly timeoutSeconds?: number;
    /** Client-side cap on any request, so a dead poll cannot hang for grammY's default 500 s. @default 60 */
    readonly clientTimeoutSeconds?: number;
    /** Restart polling when no getUpdates completed for this long. @default 120 000 */
    readonly watchdogMs?: number;
  };
  /** Webhook mode instead of polling: Telegram posts to `webhookUrl`, verified by `webhookSecret`. */
  readonly webhook?: { readonly url: string; readonly secret: string; readonly path?: string };
  /**
   * Poller restarts (a failed getUpdates, a watchdog timeout) go through the channel-kit supervisor:
   * backoff with jitter from `initialMs` to `maxMs`, and at most `maxRestartsPerHour` before the
   * account gives up and says so. A 409 conflict and a 429 are waited out inside the poller instead.
   * @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
   */
  readonly reconnect?: ReconnectConfig;
  /** Bot commands to register; sent only when they differ from what Telegram has. */
  readonly commands?: readonly { command: string; description: string }[];
}

type State = "stopped" | "starting" | "connected" | "reconnecting" | "conflict" | "failed";

/** Tokens polled in this process: exactly one poller per token (two pollers get 409 from Telegram). */
const pollingTokens = new Map<string, string>();

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * One Telegram bot account on grammY's Api. Long polling is our own loop, so the offset advances
 * only after the gateway recorded each update; 409 is a state of its own; a watchdog restarts a
 * poll that stopped completing. Webhook mode verifies Telegram's secret token in constant time.
 */
export class TelegramAdapter implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsEdits, SupportsWebhook {
  readonly id = "telegram";
  readonly webhookPath: string;
  private readonly api: Api;
  private readonly limiter = new RateLimiter();
  private context: ChannelStartContext | undefined;
  private me: BotIdentity | undefined;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private lastPollAt = 0;
  private supervisor: ReconnectSupervisor | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private offset = 0;

  constructor(private readonly options: TelegramAdapterOptions) {
    if (options.apiRoot?.endsWith("/")) throw new InvalidOptionError("apiRoot", "a URL without a trailing slash", options.apiRoot);
    this.api = new Api(options.token, {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      timeoutSeconds: options.polling?.clientTimeoutSeconds ?? 60,
    });
    this.webhookPath = options.webhook?.path ?? `/channels/telegram/${options.accountId}/webhook`;
  }

  async start(context: ChannelStartContext): Promise<void> {
    if (this.supervisor) throw new Error(`telegram account ${this.options.accountId} is already running`);
    this.context = context;
    this.state = "starting";
    let me;
    try {
      me = await this.api.getMe();
    } catch (error) {
      this.state = "failed";
      this.lastError = error instanceof GrammyError && error.error_code === 401 ? "the bot token was refused (401 Unauthorized); check botToken" : `getMe failed: ${describe(error)}`;
      throw new Error(this.lastError, { cause: error });
    }
    this.me = { id: String(me.id), ...(me.username ? { username: me.username } : {}) };
    this.syncCommands(context);

    if (this.options.webhook) {
      if (!this.options.webhook.secret) throw new InvalidOptionError("webhookSecret", "a secret token (Telegram sends it in X-Telegram-Bot-Api-Secret-Token)", this.options.webhook.secret);
      await this.api.setWebhook(this.options.webhook.url, { secret_token: this.options.webhook.secret });
      this.state = "connected";
      this.lastConnectedAt = Date.now();
      return;
    }

    const owner = pollingTokens.get(this.options.token);
    if (owner !== undefined) {
      this.state = "failed";
      throw new Error(`another Telegram account in this gateway (${owner}) already polls with this bot token; one token can have only one poller`);
    }
    pollingTokens.set(this.options.token, this.options.accountId);
    // Long polling and a webhook exclude each other.
    await this.api.deleteWebhook().catch((error: unknown) => context.logger.warn("deleteWebhook failed", { error: describe(error) }));
    const supervisor = new ReconnectSupervisor({
      connect: ({ signal, reportHealthy }) => this.openPoller(context, signal, reportHealthy),
      ...supervisorPolicy(this.options.reconnect),
    });
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
        context.logger.warn("telegram polling failed; restarting it after a backoff", { error: status.lastError, delayMs: status.delayMs, attempt: status.attempt });
      } else if (status.state === "failed") {
        this.state = "failed";
        this.lastError = status.reason;
        context.logger.error("telegram polling stopped for good", { reason: status.reason });
      }
    });
    this.supervisor = supervisor;
    await supervisor.start();
  }

  /**
   * One poller: getUpdates in a loop until it fails. A failure (network, 5xx, the client timeout,
   * or the watchdog finding no completed getUpdates for `watchdogMs`) ends it and the supervisor
   * restarts it, so restarts are spaced by backoff and counted against the hourly budget. 401 ends
   * it for good. 409 (another poller or a webhook) and 429 are states of a working token: they are
   * waited out here, with their own backoff, and never spend the budget or stop the account.
   */
  private async openPoller(context: ChannelStartContext, signal: AbortSignal, reportHealthy: () => void): Promise<SupervisedConnection> {
    const stop = new AbortController();
    const onStop = () => stop.abort();
    signal.addEventListener("abort", onStop, { once: true });
    const watchdogMs = this.options.polling?.watchdogMs ?? 120_000;
    let pollAbort: AbortController | undefined;
    let wedged = false;
    this.lastPollAt = Date.now();
    // Liveness is a completed getUpdates (transport activity), never "no messages lately" (field failure #2).
    const watchdog = setInterval(() => {
      if (Date.now() - this.lastPollAt <= watchdogMs || !pollAbort) return;
      context.logger.warn("no getUpdates completed in time; restarting the poll", { watchdogMs });
      wedged = true;
      pollAbort.abort();
    }, Math.min(watchdogMs, 10_000));
    const loop = (async (): Promise<void> => {
      let waits = 0;
      while (!stop.signal.aborted) {
        pollAbort = new AbortController();
        const onPollStop = () => pollAbort?.abort();
        stop.signal.addEventListener("abort", onPollStop, { once: true });
        let updates: TelegramUpdate[];
        try {
          updates = (await this.api.getUpdates(
            { offset: this.offset, limit: 100, timeout: this.options.polling?.timeoutSeconds ?? 25, allowed_updates: ["message", "channel_post"] },
            pollAbort.signal as Parameters<Api["getUpdates"]>[1],
          )) as unknown as TelegramUpdate[];
        } catch (error) {
          if (stop.signal.aborted) return;
          if (wedged) throw new Error(`no getUpdates completed within ${watchdogMs} ms`);
          if (error instanceof GrammyError && error.error_code === 401) {
            throw new TerminalConnectionError("the bot token was refused (401 Unauthorized); polling stopped");
          }
          const conflict = error instanceof GrammyError && error.error_code === 409;
          const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
          if (!conflict && retryAfter === undefined) throw new Error(`getUpdates failed: ${describe(error)}`);
          waits += 1;
          this.reconnectAttempts = waits;
          this.state = conflict ? "conflict" : "reconnecting";
          this.lastError = conflict ? `409 Conflict: another poller or a webhook uses this bot token (${(error as GrammyError).description})` : `getUpdates answered 429; waiting ${retryAfter} s`;
          const delay =
            retryAfter !== undefined
              ? retryAfter * 1000
              : backoffDelay(waits, {
                  initialDelayMs: this.options.reconnect?.initialMs ?? 5_000,
                  maxDelayMs: this.options.reconnect?.maxMs ?? 60_000,
                  multiplier: 2,
                  minDelayMs: Math.min(100, this.options.reconnect?.initialMs ?? 100),
                });
          context.logger.warn("telegram polling is held off; waiting", { error: this.lastError, delayMs: delay });
          await abortableSleep(delay, stop.signal);
          continue;
        } finally {
          stop.signal.removeEventListener("abort", onPollStop);
        }
        this.lastPollAt = Date.now();
        if (this.state !== "connected") {
          this.state = "connected";
          this.lastConnectedAt = Date.now();
          this.lastError = undefined;
        }
        waits = 0;
        this.reconnectAttempts = 0;
        reportHealthy();
        for (const update of updates) {
          const inbound = toInbound(update, this.options.accountId);
          if (inbound && !(inbound.sender.isBot && inbound.sender.id === this.me?.id)) {
            try {
              await context.deliver(inbound);
            } catch (error) {
              // Not recorded: leave the offset so Telegram hands the update over again.
              context.logger.error("could not hand a Telegram update to the gateway; it will be fetched again", { error: describe(error), updateId: update.update_id });
              await abortableSleep(1_000, stop.signal);
              break;
            }
          }
          this.offset = update.update_id + 1;
        }
      }
    })();
    const closed = loop.finally(() => {
      clearInterval(watchdog);
      signal.removeEventListener("abort", onStop);
    });
    return {
      closed,
      close: async () => {
        stop.abort();
        await closed.catch(() => undefined);
      },
    };
  }

  /** Registers the configured commands only when Telegram's list differs; never blocks start. */
  private syncCommands(context: ChannelStartContext): void {
    const wanted = this.options.commands;
    if (!wanted) return;
    const work = (async () => {
      const current = await this.api.getMyCommands();
      const same = current.length === wanted.length && current.every((entry, index) => entry.command === wanted[index]?.command && entry.description === wanted[index]?.description);
      if (!same) await this.api.setMyCommands(wanted.map((entry) => ({ ...entry })));
    })().catch((error: unknown) => context.logger.warn("could not sync bot commands", { error: describe(error) }));
    this.track(work);
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    const secret = this.options.webhook?.secret;
    if (!secret || !sameSecret(request.headers["x-telegram-bot-api-secret-token"], secret)) return { status: 401, body: "unauthorized" };
    const context = this.context;
    if (!context) return { status: 503, body: "not running" };
    let update: TelegramUpdate;
    try {
      update = JSON.parse(Buffer.from(request.rawBody).toString("utf8")) as TelegramUpdate;
    } catch {
      return { status: 400, body: "invalid JSON" };
    }
    const inbound = toInbound(update, this.options.accountId);
    if (inbound && !(inbound.sender.isBot && inbound.sender.id === this.me?.id)) {
      // Answer only after the gateway recorded it; a 500 makes Telegram deliver it again.
      try {
        await context.deliver(inbound);
      } catch (error) {
        context.logger.error("could not record a Telegram webhook update", { error: describe(error) });
        return { status: 500, body: "retry" };
      }
    }
    return { status: 200, body: "ok" };
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.track(
      this.call(message.chatId, async () => {
        const sent = await this.api.sendMessage(message.chatId, message.text, {
          ...(message.replyTo ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {}),
          ...(message.thread ? { message_thread_id: Number(message.thread) } : {}),
        });
        return { providerMessageIds: [String(sent.message_id)], sentAtMs: Date.now() };
      }),
    );
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    if (!on) return;
    await this.call(target.chatId, () => this.api.sendChatAction(target.chatId, "typing", target.thread ? { message_thread_id: Number(target.thread) } : {}));
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    await this.call(target.chatId, () =>
      this.api.setMessageReaction(target.chatId, Number(target.providerMessageId), options.remove ? [] : [{ type: "emoji", emoji: emoji as never }]),
    );
  }

  async edit(target: MessageTarget, text: string): Promise<void> {
    await this.call(target.chatId, () => this.api.editMessageText(target.chatId, Number(target.providerMessageId), text));
  }

  /** One Bot API call for a chat: waits its turn in the rate limiter and classifies failures. */
  private async call<T>(chatId: string, work: () => Promise<T>): Promise<T> {
    await this.limiter.acquire(this.options.accountId, chatId);
    try {
      return await work();
    } catch (error) {
      if (error instanceof GrammyError) {
        const status = error.error_code;
        const retryAfterMs = error.parameters.retry_after !== undefined ? error.parameters.retry_after * 1000 : undefined;
        if (status === 429) this.limiter.penalize(this.options.accountId, chatId, retryAfterMs ?? 1_000);
        throw new ChannelSendError(sendFailureKindForStatus(status), `Telegram ${status}: ${error.description}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: error });
      }
      if (error instanceof HttpError) {
        // Refused or unreachable means nothing was sent; anything else (timeout, reset) may have been.
        const code = (error.error as { code?: string; cause?: { code?: string } } | undefined)?.code ?? (error.error as { cause?: { code?: string } } | undefined)?.cause?.code;
        const kind = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" ? "transient" : "ambiguous";
        throw new ChannelSendError(kind, `Telegram request failed: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.catch(() => undefined).finally(() => this.inFlight.delete(promise));
    return promise;
  }

  async stop(): Promise<void> {
    // The poller is fully stopped (its request aborted, its watchdog cleared) before anything else.
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    await supervisor?.stop();
    await Promise.allSettled([...this.inFlight]);
    if (pollingTokens.get(this.options.token) === this.options.accountId) pollingTokens.delete(this.options.token);
    this.limiter.close();
    this.state = "stopped";
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

/** The keys an account may set (besides the gateway's policy keys). */
export const TELEGRAM_CONFIG_KEYS = ["botToken", "tokenFile", "apiRoot", "polling", "webhookUrl", "webhookSecret", "webhookPath", "reconnect", "commands"] as const;

/** Reads one account's settings; tokens come from config, a token file, or TELEGRAM_BOT_TOKEN (default account only). */
export function telegramOptions(account: ChannelAccountContext, readFile: (path: string) => string): TelegramAdapterOptions {
  const path = account.accountId === "default" ? "channels.telegram" : `channels.telegram.accounts.${account.accountId}`;
  const config = account.config;
  let token = config.botToken;
  if (token === undefined && typeof config.tokenFile === "string") token = readFile(config.tokenFile).trim();
  if (token === undefined && account.accountId === "default") token = account.env["TELEGRAM_BOT_TOKEN"];
  if (typeof token !== "string" || !/^\d+:[\w-]+$/.test(token)) {
    throw new InvalidOptionError(`${path}.botToken`, "a bot token like 123456:ABC… (or tokenFile, or TELEGRAM_BOT_TOKEN for the default account)", token === undefined ? undefined : "(not a bot token)");
  }
  const apiRoot = config.apiRoot;
  if (apiRoot !== undefined && (typeof apiRoot !== "string" || !/^https?:\/\/[^/]+.*[^/]$/.test(apiRoot))) throw new InvalidOptionError(`${path}.apiRoot`, "an http(s) URL without a trailing slash", apiRoot);
  const webhookUrl = config.webhookUrl;
  if (webhookUrl !== undefined && typeof config.webhookSecret !== "string") throw new InvalidOptionError(`${path}.webhookSecret`, "a secret token; a webhook is never run without one", undefined);
  const commands = config.commands as TelegramAdapterOptions["commands"] | undefined;
  return {
    accountId: account.accountId,
    token,
    ...(typeof apiRoot === "string" ? { apiRoot } : {}),
    ...(config.polling ? { polling: config.polling as TelegramAdapterOptions["polling"] & object } : {}),
    ...(config.reconnect ? { reconnect: config.reconnect as TelegramAdapterOptions["reconnect"] & object } : {}),
    ...(typeof webhookUrl === "string" ? { webhook: { url: webhookUrl, secret: config.webhookSecret as string, ...(typeof config.webhookPath === "string" ? { path: config.webhookPath } : {}) } } : {}),
    ...(commands ? { commands } : {}),
  };
}

export type { InboundMessage };
