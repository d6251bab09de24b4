import { LogLevel, isValidSlackRequest, type App, type Logger, type Receiver, type ReceiverEvent } from "@slack/bolt";
import { describeError, type ChannelLogger, type WebhookRequest, type WebhookResponse } from "@openclaw/channel-kit";

/** Bolt's logger interface on the channel log; debug and info are dropped. */
export function boltLogger(log: ChannelLogger): Logger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...messages: unknown[]) => log.warn("slack", { detail: messages.map(describeError).join(" ") }),
    error: (...messages: unknown[]) => log.error("slack", { detail: messages.map(describeError).join(" ") }),
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
export class GatewayHttpReceiver implements Receiver {
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
