import { App, SocketModeReceiver, type Receiver, type ReceiverEvent } from "@slack/bolt";
import {
  AccountRuntime,
  ChannelSendError,
  InvalidOptionError,
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
  type SupportsWebhook,
  type WebhookRequest,
  type WebhookResponse,
} from "@openclaw/channel-kit";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { downloadSlackFile } from "./files.js";
import { GatewayHttpReceiver, boltLogger } from "./http-receiver.js";
import { toInbound, type SlackMessageEvent } from "./inbound.js";
import type { SlackAdapterOptions } from "./options.js";
import { outboundMetadata, reconcileFromHistory, type HistoryPage } from "./reconcile.js";
import { slackReactionName } from "./emoji-names.js";

/** The largest file Slack takes: 1 GB (https://slack.com/help/articles/201330736-Add-files-to-Slack). */
export const SLACK_UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;

/** The message a share made, from files.completeUploadExternal's file object (a channel's under `public`, a DM's under `private`). */
function sharedTs(result: unknown, channel: string): string | undefined {
  const completions = (result as { files?: { files?: { shares?: Record<string, Record<string, { ts?: string }[]>> }[] }[] }).files ?? [];
  const shares = completions[0]?.files?.[0]?.shares;
  return shares?.["public"]?.[channel]?.[0]?.ts ?? shares?.["private"]?.[channel]?.[0]?.ts;
}

/** apps.connections.open answers that no retry can fix (Socket Mode's own list). */
const UNRECOVERABLE_OPEN_ERRORS = new Set(["not_authed", "invalid_auth", "account_inactive", "user_removed_from_team", "team_disabled"]);
/** Slack platform errors that mean "try again", not "this can never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** A Web API failure as the outbox classifies it. */
function classify(error: unknown): ChannelSendError {
  const failure = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: { code?: string } };
  if (failure.code === "slack_webapi_rate_limited_error") {
    const retryAfterMs = (failure.retryAfter ?? 1) * 1000;
    return new ChannelSendError("rate_limited", `Slack 429: retry after ${retryAfterMs} ms`, { status: 429, retryAfterMs, cause: error });
  }
  if (failure.code === "slack_webapi_platform_error") {
    const reason = failure.data?.error ?? "unknown_error";
    return new ChannelSendError(TRANSIENT_PLATFORM_ERRORS.has(reason) ? "transient" : "permanent", `Slack refused: ${reason}`, { cause: error });
  }
  if (failure.code === "slack_webapi_http_error" && failure.statusCode !== undefined) {
    return new ChannelSendError(sendFailureKindForStatus(failure.statusCode), `Slack HTTP ${failure.statusCode}`, { status: failure.statusCode, cause: error });
  }
  // The Web API client keeps the system error code on the error it wraps.
  return networkSendFailure("Slack", error, failure.original?.code);
}

/**
 * One Slack app account on Bolt. In Socket Mode the envelope is acknowledged only after the
 * gateway recorded the event (Bolt would ack before the listener runs). Reconnects have one owner,
 * the channel-kit supervisor: the Socket Mode client's own reconnect is off, because it backs off
 * linearly without jitter, cap or budget, and a network error while reopening leaves it dead with
 * an unhandled rejection, connected on paper but receiving nothing. Each (re)connect starts the
 * client afresh once the previous socket is fully closed; stop disconnects it before returning.
 */
export class SlackAdapter
  implements ChannelAdapter, SupportsReactions, SupportsEdits, SupportsWebhook, SupportsReconcile, SupportsMedia, SupportsMediaDownload
{
  readonly id = "slack";
  readonly mediaMaxBytes = SLACK_UPLOAD_MAX_BYTES;
  readonly webhookPath: string;
  private app: App | undefined;
  private socketReceiver: SocketModeReceiver | undefined;
  private httpReceiver: GatewayHttpReceiver | undefined;
  private readonly account: AccountRuntime;
  private me: (BotIdentity & { botId?: string }) | undefined;

  constructor(private readonly options: SlackAdapterOptions) {
    this.webhookPath = options.webhookPath ?? `/channels/slack/${options.accountId}/events`;
    this.account = new AccountRuntime({ channel: "slack", accountId: options.accountId });
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.account.begin();
    const logger = boltLogger(context.logger);
    const clientOptions = {
      ...(this.options.apiUrl ? { slackApiUrl: this.options.apiUrl } : {}),
      // The outbox owns retries and waits; a 429 comes back as an error with its delay.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    };
    let receiver: Receiver;
    if (this.options.appToken) {
      receiver = this.socketReceiver = this.createSocketReceiver(this.options.appToken, logger, clientOptions);
    } else if (this.options.signingSecret) {
      receiver = this.httpReceiver = new GatewayHttpReceiver(this.options.signingSecret);
    } else {
      throw new InvalidOptionError("appToken", "an app token (Socket Mode) or a signingSecret (HTTP events)", undefined);
    }

    const app = new App({ token: this.options.botToken, receiver, logger, clientOptions, deferInitialization: true, ignoreSelf: true });
    this.app = app;
    app.error(async (error) => {
      this.account.tracker.lastError = describeError(error);
      throw error;
    });
    app.event("message", async ({ event }) => {
      const inbound = toInbound(event as SlackMessageEvent, this.options.accountId);
      if (!inbound) return;
      if (inbound.sender.id === this.me?.id || (event as SlackMessageEvent).bot_id === this.me?.botId) return;
      await context.deliver(inbound);
    });
    try {
      const auth = await app.client.auth.test();
      this.me = { id: String(auth.user_id), ...(auth.user ? { username: String(auth.user) } : {}), ...(auth.bot_id ? { botId: String(auth.bot_id) } : {}) };
      await app.init();
      if (this.socketReceiver) await this.startSocketMode(this.socketReceiver, context);
      else await app.start();
    } catch (error) {
      const refused = /invalid_auth|not_authed/.test(describeError(error));
      const reason = refused ? `Slack refused the token (${describeError(error)}); check botToken and appToken` : `Slack start failed: ${describeError(error)}`;
      await this.stop();
      this.account.tracker.failed(reason);
      throw refused ? new ProviderAuthError(reason, { cause: error }) : new ProviderConnectionError(reason, { cause: error });
    }
    if (this.httpReceiver) this.account.tracker.connected();
  }

  private createSocketReceiver(appToken: string, logger: ReturnType<typeof boltLogger>, clientOptions: Record<string, unknown>): SocketModeReceiver {
    const socketReceiver = new SocketModeReceiver({
      appToken,
      logger,
      clientPingTimeout: this.options.pingTimeoutMs ?? 5_000,
      // The supervisor owns reconnects (see the class comment).
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: { ...clientOptions, retryConfig: { retries: 0 } } },
      // A failed listener leaves the envelope unacknowledged, so Slack delivers it again.
      processEventErrorHandler: async () => false,
    });
    const client = socketReceiver.client;
    client.on("connected", () => this.account.tracker.connected());
    client.on("disconnected", () => {
      if (this.account.tracker.state === "connected") this.account.tracker.state = "reconnecting";
    });
    const init = socketReceiver.init.bind(socketReceiver);
    // Defer Bolt's immediate ack until the listener (and so the gateway's record) has finished.
    socketReceiver.init = (app: App) =>
      init({
        processEvent: async (event: ReceiverEvent) => {
          let response: unknown;
          let acked = false;
          await app.processEvent({
            ...event,
            ack: async (value?: unknown) => {
              acked = true;
              response = value;
            },
          });
          if (acked) await event.ack(response);
        },
      } as unknown as App);
    return socketReceiver;
  }

  /**
   * Hands the Socket Mode connection to the supervisor and waits for the first one: it rejects
   * when that one can never work (a refused token), and returns after `startTimeoutMs` with the
   * account still reconnecting when Slack is merely unreachable.
   */
  private async startSocketMode(receiver: SocketModeReceiver, context: ChannelStartContext): Promise<void> {
    await this.account.supervise({
      label: "slack socket",
      logger: context.logger,
      reconnect: this.options.reconnect,
      firstConnectionTimeoutMs: this.options.startTimeoutMs ?? 15_000,
      connect: ({ reportHealthy }) => this.openSocket(receiver, reportHealthy),
    });
  }

  /** One Socket Mode connection: apps.connections.open, the socket, Slack's hello; `closed` settles when the socket is gone. */
  private async openSocket(receiver: SocketModeReceiver, healthy: () => void): Promise<SupervisedConnection> {
    const client = receiver.client;
    let ended = false;
    let closedNow: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      closedNow = resolve;
    });
    const onDisconnected = () => {
      ended = true;
      client.off("disconnected", onDisconnected);
      closedNow();
    };
    try {
      await receiver.start();
    } catch (error) {
      const failure = error as { code?: string; data?: { error?: string } };
      if (failure.code === "slack_webapi_platform_error" && UNRECOVERABLE_OPEN_ERRORS.has(failure.data?.error ?? "")) {
        throw new TerminalConnectionError(`Slack refused the app token (${failure.data?.error}); check appToken`);
      }
      throw new ProviderConnectionError(`Slack Socket Mode could not connect: ${describeError(error)}`, { cause: error });
    }
    // Registered after start: its own failure to connect also emits "disconnected", and that is the throw above.
    client.on("disconnected", onDisconnected);
    healthy();
    return {
      closed,
      close: async () => {
        // The client's disconnect() never settles for a socket that is already gone, so only a live one is asked.
        if (!ended) await Promise.race([client.disconnect(), closed]);
        client.off("disconnected", onDisconnected);
      },
    };
  }

  /** A shared file's bytes from its private URL, with the bot token, under `maxBytes` (see `downloadSlackFile`). */
  downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    return downloadSlackFile(media, {
      botToken: this.options.botToken,
      maxBytes: options.maxBytes,
      ...(this.options.apiUrl ? { apiUrl: this.options.apiUrl } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    if (!this.httpReceiver) return Promise.resolve({ status: 404, body: "this Slack account runs in Socket Mode" });
    return this.httpReceiver.handle(request);
  }

  /** Posts one chunk; an outbox chunk carries metadata naming its key and index, for `reconcile` to find. */
  async send(message: OutboundMessage): Promise<Receipt> {
    return this.call(message.chatId, async (app) => {
      const result = await app.client.chat.postMessage({
        channel: message.chatId,
        text: message.text,
        ...(message.thread ? { thread_ts: message.thread } : {}),
        ...(message.chunkIndex !== undefined ? { metadata: outboundMetadata(message.idempotencyKey, message.chunkIndex) } : {}),
      });
      return { providerMessageIds: [String(result.ts)], sentAtMs: Date.now() };
    });
  }

  /**
   * Uploads one file the current way (files.getUploadURLExternal, the bytes to the URL it gives,
   * files.completeUploadExternal: Bolt's `filesUploadV2`), shared into the chat or thread with the
   * caption as its initial comment. The receipt names the message the share made; Slack may leave
   * the share out of its answer, and then it names the file. A URL source is posted as a link.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    const caption = media.caption ?? "";
    if (/^https?:\/\//i.test(media.source)) return this.send({ ...media, text: caption === "" ? media.source : `${caption}\n${media.source}` });
    const data = await readFile(media.source);
    const filename = media.fileName ?? basename(media.source);
    return this.call(media.chatId, async (app) => {
      const file = { channel_id: media.chatId, file: data, filename, ...(caption !== "" ? { initial_comment: caption } : {}) };
      const result = await app.client.filesUploadV2(media.thread ? { ...file, thread_ts: media.thread } : file);
      const ts = sharedTs(result, media.chatId);
      const fileId = (result as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0]?.id;
      return { providerMessageIds: [ts ?? `file:${String(fileId)}`], sentAtMs: Date.now() };
    });
  }

  /** Looks the chunk up by its metadata in the channel's history, or the thread's replies (see `reconcileFromHistory`). */
  async reconcile(request: ReconcileRequest): Promise<ReconcileOutcome> {
    return reconcileFromHistory(request, (method, query) =>
      this.call(request.chatId, async (app) =>
        method === "replies"
          ? ((await app.client.conversations.replies({ ...query, ts: query.ts! })) as HistoryPage)
          : ((await app.client.conversations.history(query)) as HistoryPage),
      ),
    );
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    const reaction = { channel: target.chatId, timestamp: target.providerMessageId, name: slackReactionName(emoji) };
    await this.call(target.chatId, (app) => (options.remove ? app.client.reactions.remove(reaction) : app.client.reactions.add(reaction)));
  }

  async edit(target: MessageTarget, text: string): Promise<void> {
    await this.call(target.chatId, (app) => app.client.chat.update({ channel: target.chatId, ts: target.providerMessageId, text }));
  }

  /** One Web API call for a channel, through the gate (rate limit, classification, in-flight tracking). */
  private call<T>(chatId: string, work: (app: App) => Promise<T>): Promise<T> {
    const app = this.app;
    if (!app) return Promise.reject(this.account.notRunning());
    return this.account.gate.run(chatId, () => work(app), classify);
  }

  async stop(): Promise<void> {
    await this.account.gate.settle();
    const app = this.app;
    this.app = undefined;
    this.account.tracker.state = "stopped";
    // The socket is disconnected and every backoff timer cleared before anything new starts.
    if (this.account.supervised) await this.account.stopConnection();
    else if (app) await app.stop().catch(() => undefined);
    this.socketReceiver = undefined;
    this.httpReceiver = undefined;
    await this.account.end();
  }

  identity(): BotIdentity | undefined {
    return this.me && { id: this.me.id, ...(this.me.username ? { username: this.me.username } : {}) };
  }

  status(): AdapterAccountStatus {
    return this.account.status();
  }
}
