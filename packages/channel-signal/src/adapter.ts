import { randomUUID } from "node:crypto";
import { createParser } from "eventsource-parser";
import {
  AccountRuntime,
  ChannelSendError,
  DEFAULT_RECONNECT,
  ProviderConnectionError,
  TerminalConnectionError,
  describeError,
  sendFailureKindForStatus,
  type AdapterAccountStatus,
  type BotIdentity,
  type ChannelAdapter,
  type ChannelStartContext,
  type ChatTarget,
  type DownloadedMedia,
  type InboundMediaFact,
  type InboundMessage,
  type MessageTarget,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type ReconcileOutcome,
  type ReconcileRequest,
  type SupervisedConnection,
  type SupportsMedia,
  type SupportsMediaDownload,
  type SupportsReactions,
  type SupportsReadReceipts,
  type SupportsReconcile,
  type SupportsTyping,
} from "@openclaw/channel-kit";
import { readAttachment } from "./attachment.js";
import { ManagedDaemon } from "./daemon.js";
import { NOT_REGISTERED, SignalAccountNotRegisteredError } from "./errors.js";
import { toInbound } from "./inbound.js";
import { downloadSignalMedia } from "./media-download.js";
import type { SignalAdapterOptions } from "./options.js";
import { signalReconcileOutcome } from "./reconcile.js";
import { RPC_METHOD_NOT_FOUND, rpcFailure, type RpcError } from "./rpc.js";

/**
 * One Signal account through the signal-cli HTTP daemon. Inbound is the SSE event stream, resumed
 * with `Last-Event-ID` so nothing in the daemon's buffer is lost across reconnects; an event id is
 * remembered only after the gateway recorded the message. Outbound is JSON-RPC `send`.
 */
export class SignalAdapter
  implements ChannelAdapter, SupportsTyping, SupportsReactions, SupportsReadReceipts, SupportsMedia, SupportsMediaDownload, SupportsReconcile
{
  readonly id = "signal";
  /** Signal clients drop a typing indicator after about 15 s without a refresh. */
  readonly typingRefreshMs = 10_000;
  readonly mediaMaxBytes: number;
  private baseUrl: string | undefined;
  private daemon: ManagedDaemon | undefined;
  private lastEventId: string | undefined;
  private everConnected = false;
  private rejected = 0;
  /** Its tracker's `linked`: whether the daemon has our account registered; unknown until the first probe answers. */
  private readonly account: AccountRuntime;

  constructor(private readonly options: SignalAdapterOptions) {
    this.mediaMaxBytes = options.mediaMaxBytes ?? 8 * 1024 * 1024;
    this.account = new AccountRuntime({ channel: "signal", accountId: options.accountId, rateLimitFallbackMs: 60_000 });
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
    if (this.account.running) return;
    this.account.begin();
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
      this.account.tracker.failed(describeError(error), this.account.tracker.relinkNeeded ? "unregistered" : "failed");
      throw error;
    }
    await this.account.supervise({
      label: "signal event stream",
      reconnect: this.options.reconnect,
      // A local daemon restarts cheaply: twice the bot channels' hourly budget.
      reconnectDefaults: { ...DEFAULT_RECONNECT, maxRestartsPerHour: 60 },
      // A daemon that is down is retried in the background; start() does not wait forever for it.
      firstConnectionTimeoutMs: 10_000,
      failedState: () => (this.account.tracker.relinkNeeded ? "unregistered" : "failed"),
      connect: ({ signal, reportHealthy }) => this.openStream(context, signal, reportHealthy),
    });
  }

  private markUnregistered(): void {
    this.account.tracker.linked = false;
    this.account.tracker.relinkNeeded = true;
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
      this.account.tracker.linked = true;
      this.account.tracker.relinkNeeded = false;
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
      throw new ProviderConnectionError(
        `could not reach the signal-cli daemon at ${this.baseUrl}: ${describeError((error as { cause?: unknown }).cause ?? error)}`,
        { cause: error },
      );
    }
    if (!response.ok || !response.body) {
      signal.removeEventListener("abort", onStop);
      await response.body?.cancel().catch(() => undefined);
      const problem = `GET /api/v1/events answered ${response.status}`;
      // Wrong URL or account: retrying cannot fix it.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new TerminalConnectionError(`${problem}; check channels.signal.transport and channels.signal.account`);
      }
      throw new ProviderConnectionError(problem);
    }
    this.account.tracker.connected();
    this.everConnected = true;
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
        if (!abort.signal.aborted) throw new ProviderConnectionError(`event stream broke: ${describeError(error)}`, { cause: error });
      } finally {
        signal.removeEventListener("abort", onStop);
        await chain;
      }
      if (failure !== undefined) throw new ProviderConnectionError(`stopped reading events: ${describeError(failure)}`, { cause: failure });
      if (!abort.signal.aborted) throw new ProviderConnectionError("event stream ended");
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
      context.logger.warn("rejected a malformed signal-cli event", { eventId: id, error: describeError(error) });
      if (id !== undefined) this.lastEventId = id;
      return;
    }
    if (inbound) {
      try {
        await context.deliver(inbound);
      } catch (error) {
        context.logger.error("could not hand a Signal message to the gateway", { error: describeError(error), eventId: id });
        throw error;
      }
      this.account.tracker.inbound();
    }
    if (id !== undefined) this.lastEventId = id;
  }

  /** One JSON-RPC call; transport failures throw a classified `ChannelSendError`, answers come back as they are. */
  private async post(
    method: string,
    params: Record<string, unknown>,
    options: { withAccount?: boolean; timeoutMs?: number } = {},
  ): Promise<{ result?: unknown; error?: RpcError }> {
    const baseUrl = this.baseUrl;
    if (!baseUrl) throw this.account.notRunning();
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 10_000;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/v1/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          method,
          params: options.withAccount === false ? params : { ...params, account: this.options.account },
          id: randomUUID(),
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
        throw new ChannelSendError("transient", `signal-cli daemon unreachable at ${baseUrl} (${code})`, { cause: error });
      }
      const what = (error as { name?: string }).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describeError(error);
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
        this.account.tracker.failed(new SignalAccountNotRegisteredError(this.options.account, `${method}: ${body.error.message}`).message, "unregistered");
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

  /** Always `unknown`, with the reason the operator sees (see `SIGNAL_CANNOT_RECONCILE`). */
  async reconcile(_request: ReconcileRequest): Promise<ReconcileOutcome> {
    return signalReconcileOutcome();
  }

  /**
   * One attachment with its caption in one `send`. signal-cli takes attachments as file paths on
   * its own host or as data URIs; the data URI works for a daemon on another host too, so the
   * file (or URL) is read here, capped at `mediaMaxBytes`, and sent inline.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    return this.sendTo(media.chatId, async () => ({ message: media.caption ?? "", attachments: [await readAttachment(media, this.mediaMaxBytes)] }));
  }

  /** Waits for the chat's rate-limit turn, then sends; the timestamp in the answer is the message id. */
  private sendTo(chatId: string, body: () => Promise<Record<string, unknown>>): Promise<Receipt> {
    return this.account.gate.track(
      (async (): Promise<Receipt> => {
        const params = await body();
        // An inline attachment is a big body for the daemon to upload: give it longer than a text.
        const timeoutMs = params["attachments"] ? Math.max(60_000, this.options.requestTimeoutMs ?? 0) : undefined;
        const result = await this.account.gate.run(chatId, () => this.rpc("send", { ...this.target(chatId), ...params }, timeoutMs));
        const sentAtMs = this.account.tracker.outbound();
        const timestamp = result["timestamp"];
        // The timestamp is the message id (and what an echo of it carries).
        return { providerMessageIds: typeof timestamp === "number" ? [String(timestamp)] : [], sentAtMs };
      })(),
    );
  }

  /** An inbound file or sticker, from the daemon's own copy (`getAttachment` / `getSticker`), under `maxBytes`. */
  async downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    const baseUrl = this.baseUrl;
    if (!baseUrl) throw this.account.notRunning();
    return downloadSignalMedia(media, options, { baseUrl, account: this.options.account });
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    await this.rpc("sendTyping", { ...this.target(target.chatId), ...(on ? {} : { stop: true }) });
  }

  /** Reacts to a message; Signal names it by author and timestamp (in a DM the author is the chat). */
  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    await this.rpc("sendReaction", {
      ...this.target(target.chatId),
      emoji,
      targetAuthor: authorOf(target),
      targetTimestamp: Number(target.providerMessageId),
      ...(options.remove ? { remove: true } : {}),
    });
  }

  /** A read receipt to the message's author (`sendReceipt`, type read), in a DM or a group alike. */
  async markRead(target: MessageTarget): Promise<void> {
    await this.rpc("sendReceipt", { recipient: authorOf(target), targetTimestamp: [Number(target.providerMessageId)], type: "read" });
  }

  /** Stops reading events, lets in-flight sends settle, then stops a managed daemon. Idempotent. */
  async stop(): Promise<void> {
    await this.account.stopConnection();
    await this.account.gate.settle();
    await this.daemon?.stop();
    this.daemon = undefined;
    this.baseUrl = undefined;
    await this.account.end(["failed", "unregistered"]);
  }

  identity(): BotIdentity | undefined {
    return { id: this.options.account };
  }

  status(): AdapterAccountStatus {
    return this.account.status();
  }
}

/** The number or ACI of a message's author: the sender when known, else the DM's chat. */
function authorOf(target: MessageTarget): string {
  return (target.senderId ?? target.chatId).replace(/^uuid:/, "");
}
