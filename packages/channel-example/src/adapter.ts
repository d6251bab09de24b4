import {
  AccountStatusTracker,
  AlreadyRunningError,
  CallGate,
  ChannelSendError,
  ProviderAuthError,
  ProviderConnectionError,
  TerminalConnectionError,
  describeError,
  sendFailureKindForStatus,
  superviseConnection,
  supervisorPolicy,
  type AdapterAccountStatus,
  type BotIdentity,
  type ChannelAdapter,
  type ChannelStartContext,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
} from "@openclaw/channel-kit";
import type { ExampleAdapterOptions } from "./config.js";
import { toInbound, type ExampleEvent } from "./inbound.js";

/** A failed HTTP answer or request as the outbox classifies it. */
async function classify(response: Response | undefined, error?: unknown): Promise<ChannelSendError> {
  if (response === undefined) {
    const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
    // Refused means nothing was sent; a timeout or reset after the body went out may have been.
    return new ChannelSendError(code === "ECONNREFUSED" ? "transient" : "ambiguous", `example request failed: ${describeError(error)}`, { cause: error });
  }
  await response.body?.cancel().catch(() => undefined);
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  return new ChannelSendError(sendFailureKindForStatus(response.status), `example answered HTTP ${response.status}`, {
    status: response.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/**
 * One account of the example provider. Inbound is a long poll whose cursor moves only after the
 * gateway recorded each event, so nothing is lost across a restart; the channel-kit supervisor
 * owns reconnects. Outbound goes through the call gate (rate limit, in-flight set).
 */
export class ExampleAdapter implements ChannelAdapter {
  readonly id = "example";
  private readonly gate: CallGate;
  private readonly tracker: AccountStatusTracker;
  private supervisor: { stop(): Promise<void> } | undefined;
  private me: BotIdentity | undefined;
  private after = 0;

  constructor(private readonly options: ExampleAdapterOptions) {
    this.gate = new CallGate({ accountId: options.accountId, channel: "example" });
    this.tracker = new AccountStatusTracker(options.accountId);
  }

  async start(context: ChannelStartContext): Promise<void> {
    if (this.supervisor) throw new AlreadyRunningError("example", this.options.accountId);
    this.tracker.state = "starting";
    this.gate.reopen();
    const me = await this.request("/me");
    if (me.status === 401) {
      this.tracker.failed("the token was refused (401); check token");
      throw new ProviderAuthError(this.tracker.lastError!);
    }
    if (!me.ok) throw new ProviderConnectionError(`GET /me answered ${me.status}`);
    this.me = (await me.json()) as BotIdentity;
    const run = superviseConnection({
      label: "example poll",
      tracker: this.tracker,
      logger: context.logger,
      policy: supervisorPolicy(this.options.reconnect),
      connect: ({ signal, reportHealthy }) => this.openPoll(context, signal, reportHealthy),
    });
    this.supervisor = run.supervisor;
    await run.started();
  }

  /** One connection: long polls in a loop until one fails; the supervisor opens the next. */
  private async openPoll(context: ChannelStartContext, signal: AbortSignal, reportHealthy: () => void): Promise<SupervisedConnection> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const loop = async (): Promise<void> => {
      while (!stop.signal.aborted) {
        let response: Response;
        try {
          response = await this.request(`/events?after=${this.after}&timeoutMs=${this.options.pollTimeoutMs ?? 25_000}`, { signal: stop.signal });
        } catch (error) {
          if (stop.signal.aborted) return;
          throw new ProviderConnectionError(`poll failed: ${describeError(error)}`, { cause: error });
        }
        if (response.status === 401) throw new TerminalConnectionError("the token was refused (401); check token");
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new ProviderConnectionError(`poll answered ${response.status}`);
        }
        const { events } = (await response.json()) as { events: ExampleEvent[] };
        if (this.tracker.state !== "connected") this.tracker.connected();
        reportHealthy();
        for (const event of events) {
          const inbound = toInbound(event, this.options.accountId);
          if (inbound && !(inbound.sender.isBot && inbound.sender.id === this.me?.id)) {
            // Not recorded: the cursor stays, so the next poll hands it over again.
            await context.deliver(inbound);
            this.tracker.inbound();
          }
          this.after = event.id;
        }
      }
    };
    const closed = loop().finally(() => signal.removeEventListener("abort", onAbort));
    return {
      closed,
      close: async () => {
        stop.abort();
        await closed.catch(() => undefined);
      },
    };
  }

  send(message: OutboundMessage): Promise<Receipt> {
    return this.gate.run(message.chatId, async () => {
      let response: Response;
      try {
        response = await this.request("/send", { method: "POST", body: JSON.stringify({ chatId: message.chatId, text: message.text }) });
      } catch (error) {
        throw await classify(undefined, error);
      }
      if (!response.ok) throw await classify(response);
      const { messageId } = (await response.json()) as { messageId: string };
      return { providerMessageIds: [messageId], sentAtMs: this.tracker.outbound() };
    });
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.options.apiUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.options.token}`, "content-type": "application/json" },
    });
  }

  /** Stops polling first, then lets sends in flight settle. */
  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    await supervisor?.stop();
    await this.gate.settle();
    this.gate.close();
    this.tracker.stopped();
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): AdapterAccountStatus {
    return this.tracker.status();
  }
}
