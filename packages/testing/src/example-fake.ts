import type { ServerResponse } from "node:http";
import { sendJson, startHttpFake } from "./http-fake.js";

/** One message the example provider holds for the bot, as `GET /events` returns it. */
export interface ExampleEvent {
  readonly id: number;
  readonly chatId: string;
  readonly senderId: string;
  readonly messageId: string;
  readonly text: string;
  readonly fromBot: boolean;
  readonly sentAtMs: number;
}

export interface ExampleFake {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  readonly botId: string;
  /** Messages the fake accepted from the bot, in order. */
  readonly sent: { chatId: string; text: string; messageId: string; atMs: number }[];
  /** Every send attempt, refused or not. */
  readonly attempts: { chatId: string; status: number; atMs: number }[];
  /** Queues an inbound message; returns its event. */
  inject(input: { chatId: string; senderId: string; text: string; messageId?: string; fromBot?: boolean }): ExampleEvent;
  /** Queues an event already delivered once, again (a lost ack). */
  redeliver(messageId: string): void;
  /** Refuses the next `count` sends with `status` (429 with `retry-after`). */
  failSends(failure: { status: number; retryAfterSeconds?: number; count?: number }): void;
  /** Holds send answers (the message is recorded) until the returned function is called. */
  holdSends(): () => void;
  /** Ends every open long poll with a 502, as a proxy in between would. */
  dropPolls(): void;
  /** While on, every long poll is answered 502 at once (the provider is down). */
  failPolls(on: boolean): void;
  pollsOpened(): number;
  maxConcurrentPolls(): number;
  openPolls(): number;
  close(): Promise<void>;
}

/**
 * The provider of `@openclaw/channel-example`: a tiny chat service over HTTP, on port 0. `GET
 * /events?after=<id>` long-polls for inbound events after an id, `POST /send` sends a message,
 * `GET /me` answers who the bot is. Requests need `authorization: Bearer <token>`.
 */
export async function startExampleFake(options: { pollHoldMs?: number } = {}): Promise<ExampleFake> {
  const token = "example-token";
  const botId = "bot-1";
  const events: ExampleEvent[] = [];
  const sent: ExampleFake["sent"] = [];
  const attempts: ExampleFake["attempts"] = [];
  const waiters = new Set<{ after: number; res: ServerResponse; timer: ReturnType<typeof setTimeout> }>();
  let failure: { status: number; retryAfterSeconds?: number; count: number } | undefined;
  let held: Promise<void> | undefined;
  let pollsFail = false;
  let nextEvent = 1;
  let nextMessage = 1000;
  let opened = 0;
  let maxOpen = 0;

  const answerPoll = (waiter: { after: number; res: ServerResponse; timer: ReturnType<typeof setTimeout> }, status = 200) => {
    clearTimeout(waiter.timer);
    waiters.delete(waiter);
    if (status !== 200) sendJson(waiter.res, status, { error: "bad gateway" });
    else sendJson(waiter.res, 200, { events: events.filter((event) => event.id > waiter.after) });
  };
  const wake = () => {
    for (const waiter of [...waiters]) if (events.some((event) => event.id > waiter.after)) answerPoll(waiter);
  };

  const server = await startHttpFake(async (request, res) => {
    if (request.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { error: "unauthorized" });
    const url = new URL(request.path, "http://fake");
    if (request.method === "GET" && url.pathname === "/me") return sendJson(res, 200, { id: botId, username: "example_bot" });
    if (request.method === "GET" && url.pathname === "/events") {
      const after = Number(url.searchParams.get("after") ?? 0);
      opened += 1;
      if (pollsFail) return sendJson(res, 502, { error: "bad gateway" });
      const holdMs = Number(url.searchParams.get("timeoutMs") ?? options.pollHoldMs ?? 1_000);
      const waiter = { after, res, timer: setTimeout(() => answerPoll(waiter), holdMs) };
      waiters.add(waiter);
      maxOpen = Math.max(maxOpen, waiters.size);
      void request.closed.then(() => {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
      });
      if (events.some((event) => event.id > after)) answerPoll(waiter);
      return;
    }
    if (request.method === "POST" && url.pathname === "/send") {
      const body = request.body as { chatId: string; text: string };
      const atMs = Date.now();
      if (failure && failure.count > 0) {
        failure.count -= 1;
        attempts.push({ chatId: body.chatId, status: failure.status, atMs });
        const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { "retry-after": String(failure.retryAfterSeconds) } : {};
        return sendJson(res, failure.status, { error: `refused with ${failure.status}` }, headers);
      }
      attempts.push({ chatId: body.chatId, status: 200, atMs });
      const messageId = String(nextMessage++);
      sent.push({ chatId: body.chatId, text: body.text, messageId, atMs });
      if (held) await held;
      return sendJson(res, 200, { messageId });
    }
    sendJson(res, 404, { error: "not found" });
  });

  return {
    url: server.url,
    token,
    botId,
    sent,
    attempts,
    inject(input) {
      const event: ExampleEvent = {
        id: nextEvent++,
        chatId: input.chatId,
        senderId: input.senderId,
        messageId: input.messageId ?? String(nextMessage++),
        text: input.text,
        fromBot: input.fromBot ?? false,
        sentAtMs: Date.now(),
      };
      events.push(event);
      wake();
      return event;
    },
    redeliver(messageId) {
      const original = events.find((event) => event.messageId === messageId);
      if (!original) throw new Error(`no event with message id ${messageId}`);
      events.push({ ...original, id: nextEvent++ });
      wake();
    },
    failSends(next) {
      failure = { ...next, count: next.count ?? 1 };
    },
    holdSends() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    dropPolls() {
      for (const waiter of [...waiters]) answerPoll(waiter, 502);
    },
    failPolls(on) {
      pollsFail = on;
    },
    pollsOpened: () => opened,
    maxConcurrentPolls: () => maxOpen,
    openPolls: () => waiters.size,
    async close() {
      for (const waiter of [...waiters]) clearTimeout(waiter.timer);
      waiters.clear();
      await server.close();
    },
  };
}
