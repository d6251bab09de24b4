import {
  ChannelSendError,
  type ChannelAdapter,
  type ChannelDefinition,
  type ChannelStartContext,
  type InboundMessage,
  type OutboundMessage,
  type Receipt,
  type ReconcileOutcome,
  type ReconcileRequest,
  type WebhookRequest,
  type WebhookResponse,
} from "@openclaw/channel-kit";

/**
 * A provider kept in memory: it plays the remote service for the router and outbox tests.
 * The real adapters run the same service against their HTTP/WS fakes in the contract suite.
 */
export class MemoryProvider {
  readonly sent: { chatId: string; text: string; id: string }[] = [];
  /** When each sent id was accepted, for look-ups that search "since the attempt began". */
  readonly sentAtMs = new Map<string, number>();
  readonly attempts: { chatId: string; outcome: string }[] = [];
  readonly failures: ChannelSendError[] = [];
  /** Failures after which the message did land (the answer was lost, not the message); `text` picks the chunk. */
  readonly landedFailures: { readonly error: ChannelSendError; readonly text?: string }[] = [];
  /** Look-ups asked of accounts configured with `reconcile: true`. */
  readonly reconciles: ReconcileRequest[] = [];
  /** Forced answers for the next look-ups (an Error is thrown); otherwise the sent log is searched. */
  readonly reconcileAnswers: (ReconcileOutcome | Error)[] = [];
  contexts = new Map<string, ChannelStartContext>();
  /** Account ids in the order their adapters started and stopped. */
  readonly starts: string[] = [];
  readonly stops: string[] = [];
  private nextId = 1;

  definition(): ChannelDefinition {
    const provider = this;
    return {
      id: "memory",
      label: "Memory",
      textChunkLimit: 2000,
      maxTextLength: 4000,
      configKeys: ["token", "webhookSecret", "reconcile"],
      create(account) {
        let running = false;
        const adapter: ChannelAdapter = {
          id: "memory",
          async start(context) {
            if (account.config.token === "bad") throw new Error("401 unauthorized: the token was refused");
            provider.contexts.set(account.accountId, context);
            provider.starts.push(account.accountId);
            running = true;
          },
          async stop() {
            if (running) provider.stops.push(account.accountId);
            running = false;
          },
          async send(message: OutboundMessage): Promise<Receipt> {
            const next = provider.landedFailures[0];
            const landed = next && (next.text === undefined || next.text === message.text) ? provider.landedFailures.shift()!.error : undefined;
            const failure = landed ?? provider.failures.shift();
            provider.attempts.push({ chatId: message.chatId, outcome: failure?.kind ?? "sent" });
            if (failure && !landed) throw failure;
            const id = `m${provider.nextId++}`;
            provider.sent.push({ chatId: message.chatId, text: message.text, id });
            provider.sentAtMs.set(id, Date.now());
            if (landed) throw landed;
            return { providerMessageIds: [id], sentAtMs: Date.now() };
          },
          status: () => ({ accountId: account.accountId, state: running ? "connected" : "stopped", connected: running }),
          identity: () => ({ id: "bot", username: "membot" }),
        };
        if (account.config.reconcile === true) {
          // Like a provider with a chat history to search: our text in that chat since the attempt began.
          Object.assign(adapter, {
            async reconcile(request: ReconcileRequest): Promise<ReconcileOutcome> {
              provider.reconciles.push(request);
              const forced = provider.reconcileAnswers.shift();
              if (forced instanceof Error) throw forced;
              if (forced) return forced;
              const found = provider.sent.filter(
                (sent) => sent.chatId === request.chatId && sent.text === request.text && (provider.sentAtMs.get(sent.id) ?? 0) >= request.attemptStartedAtMs,
              );
              return found.length > 0 ? { status: "delivered", providerMessageIds: found.map((sent) => sent.id) } : { status: "not-delivered" };
            },
          });
        }
        if (account.config.webhookSecret !== undefined) {
          Object.assign(adapter, {
            webhookPath: `/hooks/memory/${account.accountId}`,
            async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
              if (request.headers["x-secret"] !== account.config.webhookSecret) return { status: 401, body: "bad secret" };
              const body = JSON.parse(Buffer.from(request.rawBody).toString("utf8")) as { id: string; text: string; from: string };
              await provider.deliver(provider.inbound({ id: body.id, text: body.text, from: body.from }), account.accountId);
              return { status: 200, body: "ok" };
            },
          });
        }
        return adapter;
      },
    };
  }

  inbound(
    partial: Partial<InboundMessage> & { text: string; id: string; from?: string; kind?: "dm" | "group"; chat?: InboundMessage["chat"] },
  ): InboundMessage {
    const from = partial.from ?? "u1";
    return {
      channel: "memory",
      accountId: "default",
      chat: partial.chat ?? { kind: partial.kind ?? "dm", id: partial.kind === "group" ? "g1" : `dm-${from}` },
      sender: { id: from, name: `User ${from}` },
      text: partial.text,
      mentions: partial.mentions ?? [],
      providerMessageId: partial.id,
      timestamp: Date.now(),
    };
  }

  deliver(message: InboundMessage, accountId = "default"): Promise<void> {
    const context = this.contexts.get(accountId);
    if (!context) throw new Error(`account ${accountId} not started`);
    return context.deliver(message);
  }
}

export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
