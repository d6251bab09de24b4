import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import {
  ChannelSendError,
  DEFAULT_RECONNECT,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  sendFailureKindForStatus,
  supervisorPolicy,
  type BotIdentity,
  type ChannelAccountContext,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelStartContext,
  type ChatTarget,
  type InboundMessage,
  type MessageTarget,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsMedia,
  type SupportsReactions,
  type SupportsTyping,
} from "@openclaw/channel-kit";
import { ManagedDaemon } from "./daemon.js";
import { NOT_REGISTERED, SignalAccountNotRegisteredError } from "./errors.js";
import { toInbound } from "./inbound.js";

export interface SignalAdapterOptions {
  readonly accountId: string;
  /** Our Signal number (E.164). */
  readonly account: string;
  /** An existing daemon (`url`), or one this adapter runs (`cliPath`). */
  readonly transport: { readonly url: string } | { readonly cliPath: string; readonly httpPort?: number; readonly startupTimeoutMs?: number };
  /** Reconnect backoff for the event stream. @default { initialMs: 1000, maxMs: 60000 } */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Per JSON-RPC request. @default 10 000 */
  readonly requestTimeoutMs?: number;
  /** Attachments larger than this are refused before sending. @default 8 MB */
  readonly mediaMaxBytes?: number;
}

/** `unregistered`: the daemon has no registered account for us; terminal until it is registered or linked again. */
type State = "stopped" | "starting" | "connected" | "reconnecting" | "unregistered" | "failed";

/** signal-cli's JSON-RPC error codes (`SignalJsonRpcCommandHandler`). */
const RPC_IO_ERROR = -3;
const RPC_RATE_LIMIT = -5;
const RPC_METHOD_NOT_FOUND = -32601;

interface RpcError {
  readonly code?: number;
  readonly message?: string;
  readonly data?: { readonly response?: { readonly retryAfterSeconds?: number; readonly results?: readonly { readonly type?: string; readonly retryAfterSeconds?: number }[] } } | null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The daemon's retry hint for a rate-limit error, in ms. */
function retryAfterMs(error: RpcError): number | undefined {
  const response = error.data?.response;
  const fromResults = response?.results?.map((result) => result.retryAfterSeconds).find((seconds) => typeof seconds === "number");
  const seconds = response?.retryAfterSeconds ?? fromResults ?? Number(/retry after (\d+(?:\.\d+)?)/i.exec(error.message ?? "")?.[1] ?? Number.NaN);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Classifies a JSON-RPC error answer: rate limits and I/O trouble are retried, everything else is permanent. */
function rpcFailure(method: string, error: RpcError): ChannelSendError {
  const message = `signal-cli ${method} failed: ${error.message ?? "unknown error"}`;
  const rateLimited = error.code === RPC_RATE_LIMIT || /rate.?limit/i.test(error.message ?? "") || error.data?.response?.results?.some((result) => result.type === "RATE_LIMIT_FAILURE");
  if (rateLimited) return new ChannelSendError("rate_limited", message, { status: 429, retryAfterMs: retryAfterMs(error) ?? 60_000 });
  // signal-cli could not reach Signal's servers: nothing was sent.
  if (error.code === RPC_IO_ERROR) return new ChannelSendError("transient", message);
  return new ChannelSendError("permanent", message, { status: 400 });
}

/**
 * One Signal account through the signal-cli HTTP daemon. Inbound is the SSE event stream, resumed
 * with `Last-Event-ID` so nothing in the daemon's buffer is lost across reconnects; an event id is
 * remembered only after the gateway recorded the message. Outbound is JSON-RPC `send`.
 */
export class SignalAdapter implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsMedia {
  readonly id = "signal";
  readonly mediaMaxBytes: number;
  private baseUrl: string | undefined;
  private daemon: ManagedDaemon | undefined;
  private supervisor: ReconnectSupervisor | undefined;
  private limiter = new RateLimiter();
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastEventId: string | undefined;
  private everConnected = false;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private lastInboundAt: number | undefined;
  private lastOutboundAt: number | undefined;
  private rejected = 0;
  /** Whether the daemon has our account registered; unknown until the first probe answers. */
  private linked: boolean | undefined;
  private relinkNeeded = false;

  constructor(private readonly options: SignalAdapterOptions) {
    this.mediaMaxBytes = options.mediaMaxBytes ?? 8 * 1024 * 1024;
  }

  /** Malformed events rejected so far. */
  get rejectedEvents(): number {
    return this.rejected;
  }

  /** The managed daemon's process id, while one runs. */
  get daemonPid(): number | undefined {
    return this.daemon?.pid;
  }

  async start(context: ChannelStartContext): Promise<void> {
    if (this.supervisor) return;
    this.state = "starting";
    this.limiter = new RateLimiter();
    const transport = this.options.transport;
    try {
      if ("url" in transport) {
        this.baseUrl = transport.url.replace(/\/$/, "");
      } else {
        this.daemon = new ManagedDaemon({ ...transport, account: this.options.account, logger: context.logger });
        this.baseUrl = await this.daemon.ensureRunning();
      }
    } catch (error) {
      if (error instanceof SignalAccountNotRegisteredError) this.markUnregistered();
      this.state = this.relinkNeeded ? "unregistered" : "failed";
      this.lastError = describe(error);
      throw error;
    }
    let first: (error?: Error) => void = () => undefined;
    const connected = new Promise<void>((resolve, reject) => {
      first = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ signal, reportHealthy }) =>
        this.openStream(context, signal, () => {
          reportHealthy();
          first();
        }),
      // A local daemon restarts cheaply: twice the bot channels' hourly budget.
      ...supervisorPolicy(this.options.reconnect, { ...DEFAULT_RECONNECT, maxRestartsPerHour: 60 }),
    });
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
      } else if (status.state === "failed") {
        this.state = this.relinkNeeded ? "unregistered" : "failed";
        this.lastError = status.reason;
        first(new Error(status.reason));
      }
    });
    this.supervisor = supervisor;
    await supervisor.start();
    // A daemon that is down is retried in the background; start() does not wait forever for it.
    const timer = setTimeout(() => first(), 10_000);
    try {
      await connected;
    } finally {
      clearTimeout(timer);
    }
  }

  private markUnregistered(): void {
    this.linked = false;
    this.relinkNeeded = true;
  }

  /**
   * Whether the daemon has our account registered. A multi-account daemon (`signal-cli daemon`
   * without `-a`) lists its accounts; a single-account one answers "method not implemented", and
   * it only runs for a registered account, so being up is the answer. `undefined` when the probe
   * itself failed (the stream attempt reports that).
   */
  private async probeRegistration(): Promise<boolean | undefined> {
    let answer: { result?: unknown; error?: RpcError };
    try {
      answer = await this.post("listAccounts", {}, { withAccount: false });
    } catch {
      return undefined;
    }
    if (answer.error?.code === RPC_METHOD_NOT_FOUND) return true;
    if (!Array.isArray(answer.result)) return undefined;
    return answer.result.some((entry) => (entry as { number?: unknown } | null)?.number === this.options.account);
  }

  private async openStream(context: ChannelStartContext, signal: AbortSignal, opened: () => void): Promise<SupervisedConnection> {
    // A managed daemon that died is started again before reconnecting to it.
    if (this.daemon) {
      try {
        this.baseUrl = await this.daemon.ensureRunning(signal);
      } catch (error) {
        if (error instanceof SignalAccountNotRegisteredError) this.markUnregistered();
        throw error;
      }
    }
    const registered = await this.probeRegistration();
    if (registered === false) {
      this.markUnregistered();
      throw new SignalAccountNotRegisteredError(this.options.account, `the daemon at ${this.baseUrl} does not list it in listAccounts`);
    }
    if (registered) {
      this.linked = true;
      this.relinkNeeded = false;
    }
    const abort = new AbortController();
    const onStop = () => abort.abort();
    signal.addEventListener("abort", onStop, { once: true });
    // On a reconnect before any event was recorded, ask for the daemon's whole buffer: what arrived
    // while we were away is in it, and the gateway drops what it already recorded.
    const resumeFrom = this.lastEventId ?? (this.everConnected ? "0" : undefined);
    const url = `${this.baseUrl}/api/v1/events?account=${encodeURIComponent(this.options.account)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: "text/event-stream", ...(resumeFrom !== undefined ? { "last-event-id": resumeFrom } : {}) },
        signal: abort.signal,
      });
    } catch (error) {
      signal.removeEventListener("abort", onStop);
      throw new Error(`could not reach the signal-cli daemon at ${this.baseUrl}: ${describe((error as { cause?: unknown }).cause ?? error)}`);
    }
    if (!response.ok || !response.body) {
      signal.removeEventListener("abort", onStop);
      await response.body?.cancel().catch(() => undefined);
      const problem = `GET /api/v1/events answered ${response.status}`;
      // Wrong URL or account: retrying cannot fix it.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new TerminalConnectionError(`${problem}; check channels.signal.transport and channels.signal.account`);
      }
      throw new Error(problem);
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
          if (failure !== undefined || abort.signal.aborted) return;
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
      try {
        await context.deliver(inbound);
      } catch (error) {
        context.logger.error("could not hand a Signal message to the gateway", { error: describe(error), eventId: id });
        throw error;
      }
      this.lastInboundAt = Date.now();
    }
    if (id !== undefined) this.lastEventId = id;
  }

  /** One JSON-RPC call; transport failures throw a classified `ChannelSendError`, answers come back as they are. */
  private async post(method: string, params: Record<string, unknown>, options: { withAccount?: boolean; timeoutMs?: number } = {}): Promise<{ result?: unknown; error?: RpcError }> {
    const baseUrl = this.baseUrl;
    if (!baseUrl) throw new ChannelSendError("transient", `signal account ${this.options.accountId} is not running`);
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 10_000;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/v1/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method, params: options.withAccount === false ? params : { ...params, account: this.options.account }, id: randomUUID() }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
        throw new ChannelSendError("transient", `signal-cli daemon unreachable at ${baseUrl} (${code})`, { cause: error });
      }
      const what = (error as { name?: string }).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describe(error);
      throw new ChannelSendError("ambiguous", `signal-cli ${method}: ${what}; the message may have been sent`, { cause: error });
    }
    // 201: accepted, no body.
    if (response.status === 201) return { result: {} };
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const kind = sendFailureKindForStatus(response.status);
      const retryAfter = Number(response.headers.get("retry-after"));
      throw new ChannelSendError(kind, `signal-cli daemon answered HTTP ${response.status} to ${method}`, {
        status: response.status,
        ...(kind === "rate_limited" ? { retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000 } : {}),
      });
    }
    try {
      return (await response.json()) as { result?: unknown; error?: RpcError };
    } catch (error) {
      throw new ChannelSendError("ambiguous", `signal-cli answered ${method} with something that is not JSON`, { status: response.status, cause: error });
    }
  }

  private async rpc(method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>> {
    const body = await this.post(method, params, timeoutMs === undefined ? {} : { timeoutMs });
    if (body.error) {
      // Our account vanished from the daemon (device unlinked, account deleted): say so in the status.
      if (NOT_REGISTERED.test(body.error.message ?? "")) {
        this.markUnregistered();
        this.state = "unregistered";
        this.lastError = new SignalAccountNotRegisteredError(this.options.account, `${method}: ${body.error.message}`).message;
      }
      throw rpcFailure(method, body.error);
    }
    return body.result !== null && typeof body.result === "object" ? (body.result as Record<string, unknown>) : {};
  }

  private target(chatId: string): Record<string, unknown> {
    return chatId.startsWith("group:") ? { groupId: chatId.slice("group:".length) } : { recipient: [chatId.replace(/^uuid:/, "")] };
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.sendTo(message.chatId, async () => ({ message: message.text }));
  }

  /**
   * One attachment with its caption in one `send`. signal-cli takes attachments as file paths on
   * its own host or as data URIs; the data URI works for a daemon on another host too, so the
   * file (or URL) is read here, capped at `mediaMaxBytes`, and sent inline.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    return this.sendTo(media.chatId, async () => ({ message: media.caption ?? "", attachments: [await this.attachment(media)] }));
  }

  /** Waits for the chat's rate-limit turn, then sends; the timestamp in the answer is the message id. */
  private async sendTo(chatId: string, body: () => Promise<Record<string, unknown>>): Promise<Receipt> {
    const work = (async (): Promise<Receipt> => {
      const params = await body();
      await this.limiter.acquire(this.options.accountId, chatId).catch((error: unknown) => {
        throw new ChannelSendError("transient", `signal account ${this.options.accountId} is stopping`, { cause: error });
      });
      try {
        // An inline attachment is a big body for the daemon to upload: give it longer than a text.
        const result = await this.rpc("send", { ...this.target(chatId), ...params }, params["attachments"] ? Math.max(60_000, this.options.requestTimeoutMs ?? 0) : undefined);
        this.lastOutboundAt = Date.now();
        const timestamp = result["timestamp"];
        // The timestamp is the message id (and what an echo of it carries).
        return { providerMessageIds: typeof timestamp === "number" ? [String(timestamp)] : [], sentAtMs: this.lastOutboundAt };
      } catch (error) {
        if (error instanceof ChannelSendError && error.kind === "rate_limited") this.limiter.penalize(this.options.accountId, chatId, error.retryAfterMs ?? 60_000);
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

  /** The media as a `data:<type>;filename=<name>;base64,…` URI. Nothing is sent when it cannot be read, so failures are permanent. */
  private async attachment(media: OutboundMedia): Promise<string> {
    const max = this.mediaMaxBytes;
    const tooBig = (size: number) => new ChannelSendError("permanent", `attachment ${media.source} is ${size} bytes; Signal accounts here take at most ${max} (mediaMaxBytes)`, { status: 413 });
    let data: Buffer;
    let type = media.contentType;
    let name = media.fileName;
    if (/^https?:\/\//i.test(media.source)) {
      let response: Response;
      try {
        response = await fetch(media.source, { signal: AbortSignal.timeout(30_000) });
      } catch (error) {
        throw new ChannelSendError("transient", `could not download attachment ${media.source}: ${describe((error as { cause?: unknown }).cause ?? error)}`, { cause: error });
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new ChannelSendError(sendFailureKindForStatus(response.status), `could not download attachment ${media.source}: HTTP ${response.status}`, { status: response.status });
      }
      const declared = Number(response.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > max) {
        await response.body?.cancel().catch(() => undefined);
        throw tooBig(declared);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > max) throw tooBig(size);
        chunks.push(chunk);
      }
      data = Buffer.concat(chunks);
      type ??= response.headers.get("content-type")?.split(";")[0]?.trim() || undefined;
      name ??= basename(new URL(media.source).pathname) || undefined;
    } else {
      const path = media.source.startsWith("file:") ? fileURLToPath(media.source) : media.source;
      try {
        const info = await stat(path);
        if (info.size > max) throw tooBig(info.size);
        data = await readFile(path);
      } catch (error) {
        if (error instanceof ChannelSendError) throw error;
        throw new ChannelSendError("permanent", `could not read attachment ${path}: ${describe(error)}`, { cause: error });
      }
      name ??= basename(path);
    }
    // `;` and `,` end the filename parameter in signal-cli's data URI parser.
    const filename = (name ?? "attachment").replace(/[;,\r\n]/g, "_");
    return `data:${type ?? "application/octet-stream"};filename=${filename};base64,${data.toString("base64")}`;
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    await this.rpc("sendTyping", { ...this.target(target.chatId), ...(on ? {} : { stop: true }) });
  }

  /** Reacts to a message in a DM (its author is the chat). In groups the author is not known from the target, so the chat id is used. */
  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    await this.rpc("sendReaction", {
      ...this.target(target.chatId),
      emoji,
      targetAuthor: target.chatId.replace(/^uuid:/, ""),
      targetTimestamp: Number(target.providerMessageId),
      ...(options.remove ? { remove: true } : {}),
    });
  }

  /** Stops reading events, lets in-flight sends settle, then stops a managed daemon. Idempotent. */
  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    await supervisor?.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.daemon?.stop();
    this.daemon = undefined;
    this.baseUrl = undefined;
    this.limiter.close();
    if (this.state !== "failed" && this.state !== "unregistered") this.state = "stopped";
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
      ...(this.linked !== undefined ? { linked: this.linked } : {}),
      ...(this.relinkNeeded ? { relinkNeeded: true } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastInboundAt !== undefined ? { lastInboundAt: this.lastInboundAt } : {}),
      ...(this.lastOutboundAt !== undefined ? { lastOutboundAt: this.lastOutboundAt } : {}),
    };
  }
}

export const SIGNAL_CONFIG_KEYS = ["account", "transport", "reconnect", "requestTimeoutMs"] as const;

function positiveNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

const E164 = /^\+\d{6,15}$/;

/** Reads one account's settings; throws InvalidOptionError naming the key. */
export function signalOptions(account: ChannelAccountContext): SignalAdapterOptions {
  const path = account.accountId === "default" ? "channels.signal" : `channels.signal.accounts.${account.accountId}`;
  const config = account.config;
  const transport = config["transport"] as Record<string, unknown> | undefined;
  if (!transport || typeof transport !== "object") throw new InvalidOptionError(`${path}.transport`, '{ url: "http://127.0.0.1:8080" } or { cliPath: "signal-cli", account: "+15551234567" }', transport);
  const number = config["account"] ?? transport["account"];
  if (typeof number !== "string" || !E164.test(number)) throw new InvalidOptionError(`${path}.account`, "the Signal number in E.164 form (+15551234567)", number);
  let resolved: SignalAdapterOptions["transport"];
  if (typeof transport["url"] === "string") {
    if (!/^https?:\/\//.test(transport["url"])) throw new InvalidOptionError(`${path}.transport.url`, "an http(s) URL of a signal-cli daemon", transport["url"]);
    resolved = { url: transport["url"] };
  } else if (typeof transport["cliPath"] === "string" && transport["cliPath"] !== "") {
    const { httpPort, startupTimeoutMs } = transport;
    if (httpPort !== undefined && !(Number.isInteger(httpPort) && (httpPort as number) > 0 && (httpPort as number) < 65_536)) throw new InvalidOptionError(`${path}.transport.httpPort`, "an integer 1..65535", httpPort);
    if (startupTimeoutMs !== undefined && !positiveNumber(startupTimeoutMs)) throw new InvalidOptionError(`${path}.transport.startupTimeoutMs`, "milliseconds > 0", startupTimeoutMs);
    resolved = {
      cliPath: transport["cliPath"],
      ...(typeof httpPort === "number" ? { httpPort } : {}),
      ...(typeof startupTimeoutMs === "number" ? { startupTimeoutMs } : {}),
    };
  } else {
    throw new InvalidOptionError(`${path}.transport`, "url (an existing daemon) or cliPath (a managed one)", transport);
  }
  const reconnect = config["reconnect"] as { initialMs?: unknown; maxMs?: unknown } | undefined;
  if (reconnect !== undefined && (typeof reconnect !== "object" || reconnect === null || (reconnect.initialMs !== undefined && !positiveNumber(reconnect.initialMs)) || (reconnect.maxMs !== undefined && !positiveNumber(reconnect.maxMs)))) {
    throw new InvalidOptionError(`${path}.reconnect`, "{ initialMs?: number > 0, maxMs?: number > 0 }", reconnect);
  }
  const timeout = config["requestTimeoutMs"];
  if (timeout !== undefined && !positiveNumber(timeout)) throw new InvalidOptionError(`${path}.requestTimeoutMs`, "milliseconds > 0", timeout);
  return {
    accountId: account.accountId,
    account: number,
    transport: resolved,
    ...(reconnect ? { reconnect: reconnect as { initialMs?: number; maxMs?: number } } : {}),
    ...(typeof timeout === "number" ? { requestTimeoutMs: timeout } : {}),
  };
}
