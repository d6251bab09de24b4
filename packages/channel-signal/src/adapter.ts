import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { createParser } from "eventsource-parser";
import {
  ChannelSendError,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  type BotIdentity,
  type ChannelAccountContext,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelLogger,
  type ChannelStartContext,
  type ChatTarget,
  type InboundMessage,
  type MessageTarget,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsReactions,
  type SupportsTyping,
} from "@openclaw/channel-kit";

export interface SignalAdapterOptions {
  readonly accountId: string;
  /** Our Signal number (E.164). */
  readonly account: string;
  /** An existing daemon (`url`), or one this adapter runs (`cliPath`). */
  readonly transport: { readonly url: string } | { readonly cliPath: string; readonly httpPort?: number; readonly startupTimeoutMs?: number };
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Per JSON-RPC request. @default 10 000 */
  readonly requestTimeoutMs?: number;
}

type State = "stopped" | "starting" | "connected" | "reconnecting" | "failed";

interface Envelope {
  readonly source?: string;
  readonly sourceNumber?: string | null;
  readonly sourceUuid?: string;
  readonly sourceName?: string;
  readonly timestamp?: number;
  readonly dataMessage?: {
    readonly timestamp?: number;
    readonly message?: string | null;
    readonly groupInfo?: { readonly groupId?: string };
    readonly mentions?: readonly { readonly number?: string; readonly uuid?: string }[];
    readonly attachments?: readonly { readonly contentType?: string; readonly filename?: string | null; readonly size?: number; readonly id?: string }[];
    readonly quote?: { readonly id?: number; readonly author?: string; readonly authorNumber?: string };
  };
  readonly syncMessage?: unknown;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A `receive` event's envelope as an InboundMessage; `undefined` for what the channel ignores
 * (sync copies of our own sends, receipts, typing). Throws on a malformed envelope.
 */
export function toInbound(raw: unknown, accountId: string, self: string): InboundMessage | undefined {
  const envelope = (raw as { envelope?: Envelope } | null)?.envelope;
  if (!envelope || typeof envelope !== "object") throw new Error("event has no envelope");
  if (envelope.syncMessage !== undefined) return undefined;
  const sender = envelope.sourceNumber ?? envelope.source ?? (envelope.sourceUuid ? `uuid:${envelope.sourceUuid}` : undefined);
  if (typeof sender !== "string" || sender === "") throw new Error("envelope has no source");
  if (sender === self) return undefined;
  const data = envelope.dataMessage;
  if (!data) return undefined;
  const timestamp = data.timestamp ?? envelope.timestamp;
  if (typeof timestamp !== "number") throw new Error("data message has no timestamp");
  const text = typeof data.message === "string" ? data.message : "";
  const media = (data.attachments ?? []).map((attachment) => ({
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
    ...(attachment.size !== undefined ? { sizeBytes: attachment.size } : {}),
    ...(attachment.filename ? { fileName: attachment.filename } : {}),
    ...(attachment.id ? { path: attachment.id } : {}),
  }));
  if (text === "" && media.length === 0) return undefined;
  const groupId = data.groupInfo?.groupId;
  return {
    channel: "signal",
    accountId,
    chat: groupId ? { kind: "group", id: `group:${groupId}` } : { kind: "dm", id: sender },
    sender: { id: sender, ...(envelope.sourceName ? { name: envelope.sourceName } : {}) },
    text,
    mentions: (data.mentions ?? []).map((mention) => mention.number ?? (mention.uuid ? `uuid:${mention.uuid}` : "")).filter((id) => id !== ""),
    ...(data.quote?.id !== undefined ? { replyTo: { messageId: String(data.quote.id), ...(data.quote.authorNumber ?? data.quote.author ? { senderId: (data.quote.authorNumber ?? data.quote.author)! } : {}) } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: String(timestamp),
    timestamp,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One Signal account through the signal-cli HTTP daemon. Inbound is the SSE event stream, resumed
 * with `Last-Event-ID` so nothing in the daemon's buffer is lost across reconnects; an event id is
 * remembered only after the gateway recorded the message. Outbound is JSON-RPC `send`.
 */
export class SignalAdapter implements ChannelAdapter, SupportsTyping, SupportsReactions {
  readonly id = "signal";
  private baseUrl: string | undefined;
  private daemon: ChildProcess | undefined;
  private supervisor: ReconnectSupervisor | undefined;
  private readonly limiter = new RateLimiter();
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastEventId: string | undefined;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private rejected = 0;
  private everConnected = false;

  constructor(private readonly options: SignalAdapterOptions) {}

  /** Malformed events rejected so far. */
  get rejectedEvents(): number {
    return this.rejected;
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.state = "starting";
    try {
      this.baseUrl = "url" in this.options.transport ? this.options.transport.url.replace(/\/$/, "") : await this.startDaemon(this.options.transport, context.logger);
    } catch (error) {
      this.state = "failed";
      this.lastError = describe(error);
      throw error;
    }
    let first: (error?: Error) => void = () => undefined;
    const connected = new Promise<void>((resolve, reject) => {
      first = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ signal, reportHealthy }) => this.openStream(context, signal, () => {
        reportHealthy();
        first();
      }),
      backoff: { initialDelayMs: this.options.reconnect?.initialMs ?? 1_000, maxDelayMs: this.options.reconnect?.maxMs ?? 60_000 },
      maxRestartsPerHour: 60,
    });
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
      } else if (status.state === "failed") {
        this.state = "failed";
        this.lastError = status.reason;
        first(new Error(status.reason));
      }
    });
    this.supervisor = supervisor;
    await supervisor.start();
    const timer = setTimeout(() => first(), 10_000);
    try {
      await connected;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Spawns `signal-cli -a <account> daemon --http 127.0.0.1:<port>` and waits for its health check. */
  private async startDaemon(transport: { cliPath: string; httpPort?: number; startupTimeoutMs?: number }, logger: ChannelLogger): Promise<string> {
    const port = transport.httpPort ?? (await freePort());
    const child = spawn(transport.cliPath, ["-a", this.options.account, "daemon", "--http", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
    this.daemon = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    const exited = new Promise<never>((_resolve, reject) => {
      child.once("error", (error) => reject(new Error(`could not run ${transport.cliPath}: ${error.message}`)));
      child.once("exit", (code) => reject(new Error(`signal-cli exited with code ${code} before it was ready${stderr ? `: ${stderr.trim()}` : ""}`)));
    });
    exited.catch(() => undefined);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (transport.startupTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      const healthy = await Promise.race([
        fetch(`${url}/api/v1/check`, { signal: AbortSignal.timeout(1_000) }).then(
          (response) => response.ok,
          () => false,
        ),
        exited,
      ]).catch(async (error: unknown) => {
        await this.stopDaemon();
        throw error;
      });
      if (healthy) {
        child.on("exit", (code) => {
          if (this.daemon === child && this.state !== "stopped") {
            this.lastError = `signal-cli daemon exited (code ${code})`;
            logger.error(this.lastError);
          }
        });
        return url;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.stopDaemon();
    throw new Error(`the signal-cli daemon did not become healthy within ${transport.startupTimeoutMs ?? 30_000} ms (GET ${url}/api/v1/check)`);
  }

  private async stopDaemon(): Promise<void> {
    const child = this.daemon;
    this.daemon = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async openStream(context: ChannelStartContext, signal: AbortSignal, opened: () => void): Promise<SupervisedConnection> {
    const abort = new AbortController();
    const onStop = () => abort.abort();
    signal.addEventListener("abort", onStop, { once: true });
    const query = `?account=${encodeURIComponent(this.options.account)}`;
    // On a reconnect with no event seen yet, ask for the daemon's whole buffer: what arrived while we
    // were away is in it, and the gateway drops what it already recorded.
    const resumeFrom = this.lastEventId ?? (this.everConnected ? "0" : undefined);
    const response = await fetch(`${this.baseUrl}/api/v1/events${query}`, {
      headers: { accept: "text/event-stream", ...(resumeFrom !== undefined ? { "last-event-id": resumeFrom } : {}) },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      signal.removeEventListener("abort", onStop);
      throw new Error(`GET /api/v1/events answered ${response.status}`);
    }
    this.state = "connected";
    this.everConnected = true;
    this.lastError = undefined;
    this.reconnectAttempts = 0;
    this.lastConnectedAt = Date.now();
    opened();
    // Events are parsed synchronously and handed over one at a time, in order.
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    const parser = createParser({
      onEvent: (event) => {
        chain = chain.then(async () => {
          if (failure !== undefined) return;
          try {
            await this.handleEvent(event.id, event.data, context);
          } catch (error) {
            // Not recorded: reconnect from the last recorded id, so the daemon sends it again.
            failure = error;
            abort.abort();
          }
        });
      },
    });
    const closed = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        if (!abort.signal.aborted) throw new Error(`event stream broke: ${describe(error)}`);
      } finally {
        signal.removeEventListener("abort", onStop);
        await chain;
      }
      if (failure !== undefined) throw new Error(`stopped reading events: ${describe(failure)}`);
      if (!abort.signal.aborted) throw new Error("event stream ended");
    })();
    return {
      closed,
      close: async () => {
        abort.abort();
        await closed.catch(() => undefined);
      },
    };
  }

  private async handleEvent(id: string | undefined, data: string, context: ChannelStartContext): Promise<void> {
    let inbound: InboundMessage | undefined;
    try {
      inbound = toInbound(JSON.parse(data), this.options.accountId, this.options.account);
    } catch (error) {
      // Skipped for good: a malformed event never blocks the stream behind it.
      this.rejected += 1;
      context.logger.warn("rejected a malformed signal-cli event", { eventId: id, error: describe(error) });
      if (id !== undefined) this.lastEventId = id;
      return;
    }
    if (inbound) {
      await context.deliver(inbound).catch((error: unknown) => {
        context.logger.error("could not hand a Signal message to the gateway", { error: describe(error), eventId: id });
        throw error;
      });
    }
    if (id !== undefined) this.lastEventId = id;
  }

  private async rpc(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.baseUrl) throw new ChannelSendError("transient", `signal account ${this.options.accountId} is not running`);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/v1/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method, params: { ...params, account: this.options.account }, id: randomUUID() }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND") throw new ChannelSendError("transient", `signal-cli daemon unreachable: ${describe(error)}`, { cause: error });
      throw new ChannelSendError("ambiguous", `signal-cli request failed: ${describe(error)}`, { cause: error });
    }
    if (response.status === 201) return {};
    if (response.status >= 500) throw new ChannelSendError("transient", `signal-cli daemon answered ${response.status}`, { status: response.status });
    let body: { result?: Record<string, unknown>; error?: { code?: number; message?: string; data?: { response?: { retryAfterSeconds?: number } } } };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new ChannelSendError("ambiguous", `signal-cli answered something that is not JSON (${response.status})`, { cause: error });
    }
    if (body.error) {
      const message = body.error.message ?? "unknown error";
      if (/rate limit/i.test(message)) {
        const seconds = body.error.data?.response?.retryAfterSeconds ?? Number(/retry after (\d+)/i.exec(message)?.[1] ?? 60);
        throw new ChannelSendError("rate_limited", `Signal rate limit: ${message}`, { status: 429, retryAfterMs: seconds * 1000 });
      }
      throw new ChannelSendError("permanent", `signal-cli ${method} failed: ${message}`, { status: 400 });
    }
    return body.result ?? {};
  }

  private target(chatId: string): Record<string, unknown> {
    return chatId.startsWith("group:") ? { groupId: chatId.slice("group:".length) } : { recipient: [chatId.replace(/^uuid:/, "")] };
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    const work = (async () => {
      await this.limiter.acquire(this.options.accountId, message.chatId);
      try {
        const result = await this.rpc("send", { ...this.target(message.chatId), message: message.text });
        const timestamp = result["timestamp"];
        if (typeof timestamp !== "number") throw new ChannelSendError("ambiguous", "signal-cli sent the message but returned no timestamp");
        return { providerMessageIds: [String(timestamp)], sentAtMs: Date.now() };
      } catch (error) {
        if (error instanceof ChannelSendError && error.kind === "rate_limited") this.limiter.penalize(this.options.accountId, message.chatId, error.retryAfterMs ?? 60_000);
        throw error;
      }
    })();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    await this.rpc("sendTyping", { ...this.target(target.chatId), ...(on ? {} : { stop: true }) });
  }

  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    await this.rpc("sendReaction", { ...this.target(target.chatId), emoji, targetAuthor: target.chatId, targetTimestamp: Number(target.providerMessageId), ...(options.remove ? { remove: true } : {}) });
  }

  async stop(): Promise<void> {
    this.state = "stopped";
    await Promise.allSettled([...this.inFlight]);
    await this.supervisor?.stop();
    this.supervisor = undefined;
    await this.stopDaemon();
    this.limiter.close();
  }

  identity(): BotIdentity | undefined {
    return { id: this.options.account };
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

export const SIGNAL_CONFIG_KEYS = ["account", "transport", "reconnect", "requestTimeoutMs"] as const;

export function signalOptions(account: ChannelAccountContext): SignalAdapterOptions {
  const path = account.accountId === "default" ? "channels.signal" : `channels.signal.accounts.${account.accountId}`;
  const config = account.config;
  if (typeof config.account !== "string" || !/^\+\d{6,15}$/.test(config.account)) throw new InvalidOptionError(`${path}.account`, "the Signal number in E.164 form (+15551234567)", config.account);
  const transport = config.transport as Record<string, unknown> | undefined;
  if (!transport || typeof transport !== "object") throw new InvalidOptionError(`${path}.transport`, '{ url: "http://127.0.0.1:8080" } or { cliPath: "signal-cli" }', transport);
  let resolved: SignalAdapterOptions["transport"];
  if (typeof transport["url"] === "string") {
    if (!/^https?:\/\//.test(transport["url"])) throw new InvalidOptionError(`${path}.transport.url`, "an http(s) URL", transport["url"]);
    resolved = { url: transport["url"] };
  } else if (typeof transport["cliPath"] === "string") {
    resolved = {
      cliPath: transport["cliPath"],
      ...(typeof transport["httpPort"] === "number" ? { httpPort: transport["httpPort"] } : {}),
      ...(typeof transport["startupTimeoutMs"] === "number" ? { startupTimeoutMs: transport["startupTimeoutMs"] } : {}),
    };
  } else {
    throw new InvalidOptionError(`${path}.transport`, "url (an existing daemon) or cliPath (a managed one)", transport);
  }
  return {
    accountId: account.accountId,
    account: config.account,
    transport: resolved,
    ...(config.reconnect ? { reconnect: config.reconnect as SignalAdapterOptions["reconnect"] & object } : {}),
    ...(typeof config.requestTimeoutMs === "number" ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
  };
}
