import { timingSafeEqual } from "node:crypto";
import { Api, GrammyError, HttpError } from "grammy";
import { botApiAgent } from "./http-agent.js";
import {
  AccountRuntime,
  ChannelSendError,
  InvalidOptionError,
  MediaTooLargeError,
  ProviderAuthError,
  ProviderConflictError,
  ProviderConnectionError,
  TerminalConnectionError,
  abortableSleep,
  backoffDelay,
  describeError,
  networkSendFailure,
  readCapped,
  sendFailureKindForStatus,
  systemErrorCode,
  type AdapterAccountStatus,
  type BotIdentity,
  type ChannelAdapter,
  type ChannelStartContext,
  type ChatTarget,
  type MessageTarget,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type DownloadedMedia,
  type InboundMediaFact,
  type OutboundMedia,
  type SupportsEdits,
  type SupportsMedia,
  type SupportsMediaDownload,
  type SupportsReactions,
  type SupportsTyping,
  type SupportsWebhook,
  type WebhookRequest,
  type WebhookResponse,
} from "@openclaw/channel-kit";
import { TELEGRAM_FILE_PREFIX, toInbound, type TelegramUpdate } from "./inbound.js";
import type { TelegramAdapterOptions } from "./options.js";
import { TELEGRAM_UPLOAD_MAX_BYTES, sendTelegramMedia } from "./outbound.js";

/** Tokens polled in this process: exactly one poller per token (two pollers get 409 from Telegram). */
const pollingTokens = new Map<string, string>();

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const TELEGRAM_API_ROOT = "https://api.telegram.org";

/** A Bot API failure as the outbox classifies it. */
function classify(error: unknown): unknown {
  if (error instanceof GrammyError) {
    const status = error.error_code;
    const retryAfterMs = error.parameters.retry_after !== undefined ? error.parameters.retry_after * 1000 : status === 429 ? 1_000 : undefined;
    return new ChannelSendError(sendFailureKindForStatus(status), `Telegram ${status}: ${error.description}`, {
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  // grammY wraps the failed fetch; its system error code sits on the wrapped error.
  if (error instanceof HttpError) return networkSendFailure("Telegram", error, systemErrorCode(error.error));
  return error;
}

/**
 * One Telegram bot account on grammY's Api. Long polling is our own loop, so the offset advances
 * only after the gateway recorded each update; 409 is a state of its own; a watchdog restarts a
 * poll that stopped completing. Webhook mode verifies Telegram's secret token in constant time.
 */
export class TelegramAdapter
  implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsEdits, SupportsWebhook, SupportsMediaDownload, SupportsMedia
{
  readonly id = "telegram";
  /** The Bot API's upload limit. */
  readonly mediaMaxBytes = TELEGRAM_UPLOAD_MAX_BYTES;
  /** A chat action shows for about 5 s. */
  readonly typingRefreshMs = 4_000;
  readonly webhookPath: string;
  private readonly api: Api;
  private readonly account: AccountRuntime;
  private context: ChannelStartContext | undefined;
  private me: BotIdentity | undefined;
  private lastPollAt = 0;
  private offset = 0;
  private readonly agent: ReturnType<typeof botApiAgent>;

  constructor(private readonly options: TelegramAdapterOptions) {
    if (options.apiRoot?.endsWith("/")) throw new InvalidOptionError("apiRoot", "a URL without a trailing slash", options.apiRoot);
    const clientTimeoutSeconds = options.polling?.clientTimeoutSeconds ?? 60;
    this.agent = botApiAgent(options.apiRoot ?? TELEGRAM_API_ROOT, (clientTimeoutSeconds + 5) * 1000);
    this.api = new Api(options.token, {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      timeoutSeconds: clientTimeoutSeconds,
      // grammY's own settings for an https root, with our agent.
      baseFetchConfig: { agent: this.agent, compress: true },
    });
    this.webhookPath = options.webhook?.path ?? `/channels/telegram/${options.accountId}/webhook`;
    this.account = new AccountRuntime({ channel: "telegram", accountId: options.accountId });
  }

  /**
   * An inbound file: `getFile` for its path, then the Bot API's file URL, read under `maxBytes`
   * (Telegram's own size first, then the bytes as they come).
   */
  async downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    const ref = media.url;
    if (!ref?.startsWith(TELEGRAM_FILE_PREFIX)) throw new InvalidOptionError("media.url", `a ${TELEGRAM_FILE_PREFIX}<file_id> reference`, ref);
    if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
    const file = await this.api.getFile(ref.slice(TELEGRAM_FILE_PREFIX.length), options.signal as Parameters<Api["getFile"]>[1]);
    if (!file.file_path) throw new Error("Telegram gave no file_path for this file (the Bot API serves files up to 20 MB)");
    const root = this.options.apiRoot ?? TELEGRAM_API_ROOT;
    const response = await fetch(`${root}/file/bot${this.options.token}/${file.file_path}`, options.signal ? { signal: options.signal } : {});
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`Telegram file download answered HTTP ${response.status}`);
    }
    const declared = file.file_size ?? (Number(response.headers.get("content-length")) || undefined);
    const data = await readCapped(response.body, options.maxBytes, declared);
    // Telegram's file server says application/octet-stream; the message's own type is better.
    const served = response.headers.get("content-type") ?? undefined;
    const contentType = media.contentType ?? (served && served !== "application/octet-stream" ? served : undefined);
    return { data, ...(contentType ? { contentType } : {}) };
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.account.begin();
    this.context = context;
    let me;
    try {
      me = await this.api.getMe();
    } catch (error) {
      const refused = error instanceof GrammyError && error.error_code === 401;
      this.account.tracker.failed(refused ? "the bot token was refused (401 Unauthorized); check botToken" : `getMe failed: ${describeError(error)}`);
      throw refused
        ? new ProviderAuthError(this.account.tracker.lastError!, { cause: error })
        : new ProviderConnectionError(this.account.tracker.lastError!, { cause: error });
    }
    this.me = { id: String(me.id), ...(me.username ? { username: me.username } : {}) };
    this.syncCommands(context);

    if (this.options.webhook) {
      if (!this.options.webhook.secret)
        throw new InvalidOptionError("webhookSecret", "a secret token (Telegram sends it in X-Telegram-Bot-Api-Secret-Token)", this.options.webhook.secret);
      await this.api.setWebhook(this.options.webhook.url, { secret_token: this.options.webhook.secret });
      this.account.tracker.connected();
      return;
    }

    const owner = pollingTokens.get(this.options.token);
    if (owner !== undefined) {
      this.account.tracker.state = "failed";
      throw new ProviderConflictError(
        `another Telegram account in this gateway (${owner}) already polls with this bot token; one token can have only one poller`,
      );
    }
    pollingTokens.set(this.options.token, this.options.accountId);
    // Long polling and a webhook exclude each other.
    await this.api.deleteWebhook().catch((error: unknown) => context.logger.warn("deleteWebhook failed", { error: describeError(error) }));
    await this.account.supervise({
      label: "telegram polling",
      logger: context.logger,
      reconnect: this.options.reconnect,
      firstConnectionTimeoutMs: "none",
      connect: ({ signal, reportHealthy }) => this.openPoller(context, signal, reportHealthy),
    });
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
    // Liveness is a completed getUpdates (transport activity), never "no messages lately": a quiet chat is not a dead poll.
    const watchdog = setInterval(
      () => {
        if (Date.now() - this.lastPollAt <= watchdogMs || !pollAbort) return;
        context.logger.warn("no getUpdates completed in time; restarting the poll", { watchdogMs });
        wedged = true;
        pollAbort.abort();
      },
      Math.min(watchdogMs, 10_000),
    );
    const loop = (async (): Promise<void> => {
      let waits = 0;
      while (!stop.signal.aborted) {
        pollAbort = new AbortController();
        const onPollStop = () => pollAbort?.abort();
        stop.signal.addEventListener("abort", onPollStop, { once: true });
        let updates: TelegramUpdate[];
        try {
          updates = (await this.api.getUpdates(
            {
              offset: this.offset,
              limit: 100,
              // Until one poll has completed, ask without holding: the first answer (updates or none)
              // says the account is connected now, not after a whole idle long poll.
              timeout: this.account.tracker.state === "connected" ? (this.options.polling?.timeoutSeconds ?? 25) : 0,
              allowed_updates: ["message", "channel_post"],
            },
            pollAbort.signal as Parameters<Api["getUpdates"]>[1],
          )) as unknown as TelegramUpdate[];
        } catch (error) {
          if (stop.signal.aborted) return;
          if (wedged) throw new ProviderConnectionError(`no getUpdates completed within ${watchdogMs} ms`);
          if (error instanceof GrammyError && error.error_code === 401) {
            throw new TerminalConnectionError("the bot token was refused (401 Unauthorized); polling stopped");
          }
          const conflict = error instanceof GrammyError && error.error_code === 409;
          const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
          if (!conflict && retryAfter === undefined) throw new ProviderConnectionError(`getUpdates failed: ${describeError(error)}`, { cause: error });
          waits += 1;
          this.account.tracker.reconnectAttempts = waits;
          this.account.tracker.state = conflict ? "conflict" : "reconnecting";
          this.account.tracker.lastError = conflict
            ? `409 Conflict: another poller or a webhook uses this bot token (${(error as GrammyError).description})`
            : `getUpdates answered 429; waiting ${retryAfter} s`;
          const delay =
            retryAfter !== undefined
              ? retryAfter * 1000
              : backoffDelay(waits, {
                  initialDelayMs: this.options.reconnect?.initialMs ?? 5_000,
                  maxDelayMs: this.options.reconnect?.maxMs ?? 60_000,
                  multiplier: 2,
                  minDelayMs: Math.min(100, this.options.reconnect?.initialMs ?? 100),
                });
          context.logger.warn("telegram polling is held off; waiting", { error: this.account.tracker.lastError, delayMs: delay });
          await abortableSleep(delay, stop.signal);
          continue;
        } finally {
          stop.signal.removeEventListener("abort", onPollStop);
        }
        this.lastPollAt = Date.now();
        if (this.account.tracker.state !== "connected") this.account.tracker.connected();
        waits = 0;
        this.account.tracker.reconnectAttempts = 0;
        reportHealthy();
        for (const update of updates) {
          const inbound = toInbound(update, this.options.accountId);
          if (inbound && !(inbound.sender.isBot && inbound.sender.id === this.me?.id)) {
            try {
              await context.deliver(inbound);
            } catch (error) {
              // Not recorded: leave the offset so Telegram hands the update over again.
              context.logger.error("could not hand a Telegram update to the gateway; it will be fetched again", {
                error: describeError(error),
                updateId: update.update_id,
              });
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
      const same =
        current.length === wanted.length &&
        current.every((entry, index) => entry.command === wanted[index]?.command && entry.description === wanted[index]?.description);
      if (!same) await this.api.setMyCommands(wanted.map((entry) => ({ ...entry })));
    })().catch((error: unknown) => context.logger.warn("could not sync bot commands", { error: describeError(error) }));
    this.account.gate.track(work);
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
        context.logger.error("could not record a Telegram webhook update", { error: describeError(error) });
        return { status: 500, body: "retry" };
      }
    }
    return { status: 200, body: "ok" };
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.account.gate.run(
      message.chatId,
      async () => {
        const sent = await this.api.sendMessage(message.chatId, message.text, {
          ...(message.replyTo ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {}),
          ...(message.thread ? { message_thread_id: Number(message.thread) } : {}),
        });
        return { providerMessageIds: [String(sent.message_id)], sentAtMs: Date.now() };
      },
      classify,
    );
  }

  /** A photo, voice note, audio, video or document by its content type; the caption, reply and topic as for text. */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    return this.account.gate.run(
      media.chatId,
      async () => ({ providerMessageIds: [String(await sendTelegramMedia(this.api, media))], sentAtMs: Date.now() }),
      classify,
    );
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    if (!on) return;
    await this.account.gate.run(
      target.chatId,
      () => this.api.sendChatAction(target.chatId, "typing", target.thread ? { message_thread_id: Number(target.thread) } : {}),
      classify,
    );
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    const reaction = options.remove ? [] : [{ type: "emoji" as const, emoji: emoji as never }];
    await this.account.gate.run(target.chatId, () => this.api.setMessageReaction(target.chatId, Number(target.providerMessageId), reaction), classify);
  }

  async edit(target: MessageTarget, text: string): Promise<void> {
    await this.account.gate.run(target.chatId, () => this.api.editMessageText(target.chatId, Number(target.providerMessageId), text), classify);
  }

  async stop(): Promise<void> {
    // The poller is fully stopped (its request aborted, its watchdog cleared) before anything else.
    await this.account.stopConnection();
    await this.account.gate.settle();
    if (pollingTokens.get(this.options.token) === this.options.accountId) pollingTokens.delete(this.options.token);
    await this.account.end();
    this.agent.destroy();
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): AdapterAccountStatus {
    return this.account.status();
  }
}
