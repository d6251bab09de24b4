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
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
} from "@openclaw/channel-kit";
import { toInbound, type ExampleEvent } from "./inbound.js";
import type { ExampleAdapterOptions } from "./options.js";

/** A failed HTTP answer or request as the outbox classifies it. */
async function classify(response: Response | undefined, error?: unknown): Promise<ChannelSendError> {
  if (response === undefined) return networkSendFailure("example", error);
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
  private readonly account: AccountRuntime;
  private me: BotIdentity | undefined;
  private after = 0;

  constructor(private readonly options: ExampleAdapterOptions) {
    this.account = new AccountRuntime({ channel: "example", accountId: options.accountId });
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.account.begin();
    const me = await this.request("/me");
    if (me.status === 401) {
      this.account.tracker.failed("the token was refused (401); check token");
      throw new ProviderAuthError(this.account.tracker.lastError!);
    }
    if (!me.ok) throw new ProviderConnectionError(`GET /me answered ${me.status}`);
    this.me = (await me.json()) as BotIdentity;
    await this.account.supervise({
      label: "example poll",
      logger: context.logger,
      reconnect: this.options.reconnect,
      connect: ({ signal, reportHealthy }) => this.openPoll(context, signal, reportHealthy),
    });
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
        if (this.account.tracker.state !== "connected") this.account.tracker.connected();
        reportHealthy();
        for (const event of events) {
          const inbound = toInbound(event, this.options.accountId);
          if (inbound && !(inbound.sender.isBot && inbound.sender.id === this.me?.id)) {
            // Not recorded: the cursor stays, so the next poll hands it over again.
            await context.deliver(inbound);
            this.account.tracker.inbound();
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
    return this.account.gate.run(message.chatId, async () => {
      let response: Response;
      try {
        response = await this.request("/send", { method: "POST", body: JSON.stringify({ chatId: message.chatId, text: message.text }) });
      } catch (error) {
        throw await classify(undefined, error);
      }
      if (!response.ok) throw await classify(response);
      const { messageId } = (await response.json()) as { messageId: string };
      return { providerMessageIds: [messageId], sentAtMs: this.account.tracker.outbound() };
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
    await this.account.stopConnection();
    await this.account.end();
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): AdapterAccountStatus {
    return this.account.status();
  }
}
