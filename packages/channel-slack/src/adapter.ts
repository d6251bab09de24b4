import { App, LogLevel, SocketModeReceiver, isValidSlackRequest, type Logger, type Receiver, type ReceiverEvent } from "@slack/bolt";
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
  type ChannelLogger,
  type ChannelStartContext,
  type InboundMessage,
  type MessageTarget,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsEdits,
  type SupportsReactions,
  type SupportsWebhook,
  type WebhookRequest,
  type WebhookResponse,
} from "@openclaw/channel-kit";

export interface SlackAdapterOptions {
  readonly accountId: string;
  readonly botToken: string;
  /** Socket Mode when set (the default way to run). */
  readonly appToken?: string;
  /** The HTTP receiver when set (Slack posts events to `webhookPath` on the gateway port). */
  readonly signingSecret?: string;
  readonly webhookPath?: string;
  /** Web API root (tests point it at a fake). @default https://slack.com/api/ */
  readonly apiUrl?: string;
  /** Socket Mode ping timeout: a socket that misses it is closed and reconnected. @default 5000 */
  readonly pingTimeoutMs?: number;
  /**
   * Socket Mode reconnects, owned by the channel-kit supervisor: backoff with jitter from
   * `initialMs` to `maxMs`, and at most `maxRestartsPerHour` before the account gives up and says so.
   * @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 }
   */
  readonly reconnect?: ReconnectConfig;
  /** How long `start` waits for the first Socket Mode connection before returning with the account still connecting. @default 15 000 */
  readonly startTimeoutMs?: number;
}

/** apps.connections.open answers that no retry can fix (Socket Mode's own list). */
const UNRECOVERABLE_OPEN_ERRORS = new Set(["not_authed", "invalid_auth", "account_inactive", "user_removed_from_team", "team_disabled"]);

type State = "stopped" | "starting" | "connected" | "reconnecting" | "failed";

interface SlackMessageEvent {
  readonly type: string;
  readonly subtype?: string;
  readonly channel?: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly files?: readonly { readonly url_private?: string; readonly mimetype?: string; readonly size?: number; readonly name?: string }[];
}

const HANDLED_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);
/** Slack platform errors that mean "try again", not "this can never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A message event as an InboundMessage, or `undefined` for edits, joins and other non-messages. */
export function toInbound(event: SlackMessageEvent, accountId: string): InboundMessage | undefined {
  if (event.type !== "message" || !HANDLED_SUBTYPES.has(event.subtype) || !event.channel || !event.ts) return undefined;
  const sender = event.user ?? event.bot_id;
  if (!sender) return undefined;
  const text = event.text ?? "";
  const media = (event.files ?? []).map((file) => ({
    ...(file.url_private ? { url: file.url_private } : {}),
    ...(file.mimetype ? { contentType: file.mimetype } : {}),
    ...(file.size !== undefined ? { sizeBytes: file.size } : {}),
    ...(file.name ? { fileName: file.name } : {}),
  }));
  if (text === "" && media.length === 0) return undefined;
  return {
    channel: "slack",
    accountId,
    chat: { kind: event.channel_type === "im" ? "dm" : "group", id: event.channel },
    sender: { id: sender, ...(event.bot_id ? { isBot: true } : {}) },
    text,
    mentions: [...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((match) => match[1]!),
    ...(event.thread_ts && event.thread_ts !== event.ts ? { thread: { id: event.thread_ts } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: event.ts,
    timestamp: Math.round(Number(event.ts) * 1000),
  };
}

/** Bolt's logger interface on the channel log; debug and info are dropped. */
function boltLogger(log: ChannelLogger): Logger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...messages: unknown[]) => log.warn("slack", { detail: messages.map(describe).join(" ") }),
    error: (...messages: unknown[]) => log.error("slack", { detail: messages.map(describe).join(" ") }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Receives events over HTTP through the gateway's own server: the signature and timestamp are
 * checked with Bolt's verifier, and Slack gets its answer only after the listener has run, so an
 * event the gateway could not record is answered 500 and Slack retries it.
 */
class GatewayHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly signingSecret: string) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    const body = Buffer.from(request.rawBody).toString("utf8");
    const valid = isValidSlackRequest({
      signingSecret: this.signingSecret,
      body,
      headers: {
        "x-slack-signature": request.headers["x-slack-signature"] ?? "",
        "x-slack-request-timestamp": Number(request.headers["x-slack-request-timestamp"] ?? 0),
      },
    });
    if (!valid) return { status: 401, body: "invalid signature" };
    let parsed: Record<string, unknown>;
    try {
      parsed = (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")
        ? (JSON.parse(new URLSearchParams(body).get("payload") ?? "{}") as Record<string, unknown>)
        : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      return { status: 400, body: "invalid body" };
    }
    if (parsed["type"] === "url_verification") return { status: 200, headers: { "content-type": "text/plain" }, body: String(parsed["challenge"] ?? "") };
    const app = this.app;
    if (!app) return { status: 503, body: "not running" };
    let answer: unknown;
    const event: ReceiverEvent = {
      body: parsed,
      ack: async (response?: unknown) => {
        answer = response;
      },
      ...(request.headers["x-slack-retry-num"] ? { retryNum: Number(request.headers["x-slack-retry-num"]) } : {}),
      ...(request.headers["x-slack-retry-reason"] ? { retryReason: request.headers["x-slack-retry-reason"] } : {}),
    };
    try {
      await app.processEvent(event);
    } catch {
      return { status: 500, body: "retry" };
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: answer === undefined ? "" : JSON.stringify(answer) };
  }
}

/**
 * One Slack app account on Bolt. In Socket Mode the envelope is acknowledged only after the
 * gateway recorded the event (Bolt would ack before the listener runs). Reconnects have one owner,
 * the channel-kit supervisor: the Socket Mode client's own reconnect is off, because it backs off
 * linearly without jitter, cap or budget, and a network error while reopening leaves it dead with
 * an unhandled rejection ("connected but deaf", field failure #11). Each (re)connect starts the
 * client afresh once the previous socket is fully closed; stop disconnects it before returning.
 */
export class SlackAdapter implements ChannelAdapter, SupportsReactions, SupportsEdits, SupportsWebhook {
  readonly id = "slack";
  readonly webhookPath: string;
  private app: App | undefined;
  private socketReceiver: SocketModeReceiver | undefined;
  private httpReceiver: GatewayHttpReceiver | undefined;
  private readonly limiter = new RateLimiter();
  private readonly inFlight = new Set<Promise<unknown>>();
  private me: (BotIdentity & { botId?: string }) | undefined;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private supervisor: ReconnectSupervisor | undefined;

  constructor(private readonly options: SlackAdapterOptions) {
    this.webhookPath = options.webhookPath ?? `/channels/slack/${options.accountId}/events`;
  }

  async start(context: ChannelStartContext): Promise<void> {
    if (this.app) throw new Error(`slack account ${this.options.accountId} is already running`);
    this.state = "starting";
    const logger = boltLogger(context.logger);
    const clientOptions = {
      ...(this.options.apiUrl ? { slackApiUrl: this.options.apiUrl } : {}),
      // The outbox owns retries and waits; a 429 comes back as an error with its delay.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    };
    let receiver: Receiver;
    if (this.options.appToken) {
      const socketReceiver = new SocketModeReceiver({
        appToken: this.options.appToken,
        logger,
        clientPingTimeout: this.options.pingTimeoutMs ?? 5_000,
        // The supervisor owns reconnects (see the class comment).
        autoReconnectEnabled: false,
        installerOptions: { clientOptions: { ...clientOptions, retryConfig: { retries: 0 } } },
        // A failed listener leaves the envelope unacknowledged, so Slack delivers it again.
        processEventErrorHandler: async () => false,
      });
      const client = socketReceiver.client;
      client.on("connected", () => {
        this.state = "connected";
        this.lastConnectedAt = Date.now();
        this.lastError = undefined;
        this.reconnectAttempts = 0;
      });
      client.on("disconnected", () => {
        if (this.state === "connected") this.state = "reconnecting";
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
      this.socketReceiver = socketReceiver;
      receiver = socketReceiver;
    } else if (this.options.signingSecret) {
      this.httpReceiver = new GatewayHttpReceiver(this.options.signingSecret);
      receiver = this.httpReceiver;
    } else {
      throw new InvalidOptionError("appToken", "an app token (Socket Mode) or a signingSecret (HTTP events)", undefined);
    }

    const app = new App({ token: this.options.botToken, receiver, logger, clientOptions, deferInitialization: true, ignoreSelf: true });
    this.app = app;
    app.error(async (error) => {
      this.lastError = describe(error);
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
      this.state = "failed";
      this.lastError = /invalid_auth|not_authed/.test(describe(error)) ? `Slack refused the token (${describe(error)}); check botToken and appToken` : `Slack start failed: ${describe(error)}`;
      await this.stop();
      this.state = "failed";
      throw new Error(this.lastError, { cause: error });
    }
    if (this.httpReceiver) {
      this.state = "connected";
      this.lastConnectedAt = Date.now();
    }
  }

  /**
   * Hands the Socket Mode connection to the supervisor and waits for the first one: it rejects
   * when that one can never work (a refused token), and returns after `startTimeoutMs` with the
   * account still reconnecting when Slack is merely unreachable.
   */
  private async startSocketMode(receiver: SocketModeReceiver, context: ChannelStartContext): Promise<void> {
    let settle: (error?: Error) => void = () => undefined;
    const first = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ reportHealthy }) =>
        this.openSocket(receiver, () => {
          reportHealthy();
          settle();
        }),
      ...supervisorPolicy(this.options.reconnect),
    });
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
        context.logger.warn("slack socket closed; reconnecting after a backoff", { error: status.lastError, delayMs: status.delayMs, attempt: status.attempt });
      } else if (status.state === "failed") {
        this.state = "failed";
        this.lastError = status.reason;
        context.logger.error("slack socket mode stopped for good", { reason: status.reason });
        settle(new Error(status.reason));
      }
    });
    this.supervisor = supervisor;
    await supervisor.start();
    const timer = setTimeout(() => settle(), this.options.startTimeoutMs ?? 15_000);
    try {
      await first;
    } finally {
      clearTimeout(timer);
    }
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
      throw new Error(`Slack Socket Mode could not connect: ${describe(error)}`, { cause: error });
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

  handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    if (!this.httpReceiver) return Promise.resolve({ status: 404, body: "this Slack account runs in Socket Mode" });
    return this.httpReceiver.handle(request);
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.call(message.chatId, async (app) => {
      const result = await app.client.chat.postMessage({ channel: message.chatId, text: message.text, ...(message.thread ? { thread_ts: message.thread } : {}) });
      return { providerMessageIds: [String(result.ts)], sentAtMs: Date.now() };
    });
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    const name = emoji.replace(/^:|:$/g, "");
    await this.call(target.chatId, (app) =>
      options.remove ? app.client.reactions.remove({ channel: target.chatId, timestamp: target.providerMessageId, name }) : app.client.reactions.add({ channel: target.chatId, timestamp: target.providerMessageId, name }),
    );
  }

  async edit(target: MessageTarget, text: string): Promise<void> {
    await this.call(target.chatId, (app) => app.client.chat.update({ channel: target.chatId, ts: target.providerMessageId, text }));
  }

  /** One Web API call for a channel: waits its turn in the rate limiter and classifies failures. */
  private async call<T>(chatId: string, work: (app: App) => Promise<T>): Promise<T> {
    const app = this.app;
    if (!app) throw new ChannelSendError("transient", `slack account ${this.options.accountId} is not running`);
    const promise = (async () => {
      await this.limiter.acquire(this.options.accountId, chatId);
      try {
        return await work(app);
      } catch (error) {
        const failure = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: { code?: string } };
        if (failure.code === "slack_webapi_rate_limited_error") {
          const retryAfterMs = (failure.retryAfter ?? 1) * 1000;
          this.limiter.penalize(this.options.accountId, chatId, retryAfterMs);
          throw new ChannelSendError("rate_limited", `Slack 429: retry after ${retryAfterMs} ms`, { status: 429, retryAfterMs, cause: error });
        }
        if (failure.code === "slack_webapi_platform_error") {
          const reason = failure.data?.error ?? "unknown_error";
          throw new ChannelSendError(TRANSIENT_PLATFORM_ERRORS.has(reason) ? "transient" : "permanent", `Slack refused: ${reason}`, { cause: error });
        }
        if (failure.code === "slack_webapi_http_error" && failure.statusCode !== undefined) {
          throw new ChannelSendError(sendFailureKindForStatus(failure.statusCode), `Slack HTTP ${failure.statusCode}`, { status: failure.statusCode, cause: error });
        }
        const network = failure.original?.code;
        if (network === "ECONNREFUSED" || network === "ENOTFOUND") throw new ChannelSendError("transient", `Slack unreachable: ${describe(error)}`, { cause: error });
        throw new ChannelSendError("ambiguous", `Slack request failed: ${describe(error)}`, { cause: error });
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
    await Promise.allSettled([...this.inFlight]);
    const app = this.app;
    this.app = undefined;
    this.state = "stopped";
    // The socket is disconnected and every backoff timer cleared before anything new starts.
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    if (supervisor) await supervisor.stop();
    else if (app) await app.stop().catch(() => undefined);
    this.socketReceiver = undefined;
    this.httpReceiver = undefined;
    this.limiter.close();
  }

  identity(): BotIdentity | undefined {
    return this.me && { id: this.me.id, ...(this.me.username ? { username: this.me.username } : {}) };
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

export const SLACK_CONFIG_KEYS = ["botToken", "appToken", "signingSecret", "webhookPath", "apiUrl", "pingTimeoutMs", "reconnect"] as const;

/** Reads one account's settings; SLACK_BOT_TOKEN / SLACK_APP_TOKEN apply to the default account only. */
export function slackOptions(account: ChannelAccountContext): SlackAdapterOptions {
  const path = account.accountId === "default" ? "channels.slack" : `channels.slack.accounts.${account.accountId}`;
  const config = account.config;
  const fromEnv = (name: string) => (account.accountId === "default" ? account.env[name] : undefined);
  const botToken = config.botToken ?? fromEnv("SLACK_BOT_TOKEN");
  if (typeof botToken !== "string" || !botToken.startsWith("xoxb-")) throw new InvalidOptionError(`${path}.botToken`, "a bot token (xoxb-…)", botToken === undefined ? undefined : "(not a bot token)");
  const appToken = config.appToken ?? fromEnv("SLACK_APP_TOKEN");
  const signingSecret = config.signingSecret ?? fromEnv("SLACK_SIGNING_SECRET");
  if (appToken === undefined && signingSecret === undefined) throw new InvalidOptionError(`${path}.appToken`, "an app token (xapp-…, Socket Mode) or signingSecret (HTTP events)", undefined);
  if (appToken !== undefined && (typeof appToken !== "string" || !appToken.startsWith("xapp-"))) throw new InvalidOptionError(`${path}.appToken`, "an app-level token (xapp-…)", "(not an app token)");
  if (signingSecret !== undefined && (typeof signingSecret !== "string" || signingSecret.length < 8)) throw new InvalidOptionError(`${path}.signingSecret`, "the app's signing secret", "(too short)");
  const apiUrl = config.apiUrl;
  if (apiUrl !== undefined && (typeof apiUrl !== "string" || !/^https?:\/\//.test(apiUrl))) throw new InvalidOptionError(`${path}.apiUrl`, "an http(s) URL", apiUrl);
  const reconnect = config.reconnect as SlackAdapterOptions["reconnect"] | undefined;
  const positive = (value: unknown) => value === undefined || (typeof value === "number" && Number.isFinite(value) && value > 0);
  if (reconnect !== undefined && (typeof reconnect !== "object" || reconnect === null || !positive(reconnect.initialMs) || !positive(reconnect.maxMs) || !positive(reconnect.maxRestartsPerHour))) {
    throw new InvalidOptionError(`${path}.reconnect`, "{ initialMs?, maxMs?, maxRestartsPerHour? } (numbers > 0)", reconnect);
  }
  return {
    accountId: account.accountId,
    botToken,
    ...(typeof appToken === "string" ? { appToken } : {}),
    ...(typeof signingSecret === "string" ? { signingSecret } : {}),
    ...(typeof config.webhookPath === "string" ? { webhookPath: config.webhookPath } : {}),
    ...(typeof apiUrl === "string" ? { apiUrl } : {}),
    ...(typeof config.pingTimeoutMs === "number" ? { pingTimeoutMs: config.pingTimeoutMs } : {}),
    ...(reconnect ? { reconnect } : {}),
  };
}
