import type { AgentEvent, AgentResult, ChatEvent, MethodResult } from "@openclaw/protocol";
import { AsyncQueue } from "./async-queue.js";
import type { GatewayClient } from "./client.js";
import { GatewayClosedError, GatewayTimeoutError } from "./errors.js";
import { randomId } from "./random-id.js";
import type { CallParams, RunOptions } from "./types.js";

/** An `agent` run: iterate it for the run's `agent` events, in order. */
export interface AgentRun extends AsyncIterable<AgentEvent> {
  /** The key the run was sent with (current gateways use it as the `runId`). */
  readonly idempotencyKey: string;
  /** The ack (`status: "accepted"`), or the final answer when the gateway skipped the ack. */
  readonly accepted: Promise<AgentResult>;
  /** The final answer; rejects with `GatewayRequestError` (its `payload` holds the run) when the run failed. */
  readonly result: Promise<AgentResult>;
}

/** A `chat.send` run: iterate it for the run's `chat` events, ending with the terminal one. */
export interface ChatRun extends AsyncIterable<ChatEvent> {
  readonly idempotencyKey: string;
  /** The ack (`status: "started"`, or `in_flight` for a key already running). */
  readonly accepted: Promise<MethodResult<"chat.send">>;
  /** The terminal `chat` event: `state` is `final`, `error` or `aborted`. */
  readonly result: Promise<ChatEvent>;
}

const TERMINAL_CHAT_STATES: ReadonlySet<string> = new Set(["final", "error", "aborted"]);
/** Events of other runs held until the ack names this run's id; bounded so a busy gateway cannot grow it. */
const EARLY_EVENT_LIMIT = 256;

/** The events of one run, picked out of the shared event stream by `runId`. */
class RunStream<T extends { runId: string }> {
  readonly queue: AsyncQueue<T>;
  private runId: string | undefined;
  private readonly early: T[] = [];

  constructor(
    private readonly key: string,
    unsubscribe: () => void,
  ) {
    this.queue = new AsyncQueue(unsubscribe);
  }

  /** Take the event if it belongs to this run. */
  offer(event: T): boolean {
    if (event.runId === (this.runId ?? this.key)) {
      this.queue.push(event);
      return true;
    }
    if (this.runId === undefined && this.early.length < EARLY_EVENT_LIMIT) this.early.push(event);
    return false;
  }

  /** The gateway named the run; events it sent under that id before the ack are replayed. */
  identify(runId: string): void {
    if (this.runId !== undefined) return;
    this.runId = runId;
    const early = this.early.splice(0);
    if (runId !== this.key) for (const event of early) if (event.runId === runId) this.queue.push(event);
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  // Callers may read only one of `accepted` and `result`; the other must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export function startAgentRun(client: GatewayClient, params: CallParams<"agent">, options: RunOptions): AgentRun {
  const idempotencyKey = params.idempotencyKey ?? randomId();
  let off = () => {};
  const stream = new RunStream<AgentEvent>(idempotencyKey, () => off());
  off = client.on("agent", (event) => void stream.offer(event));
  const accepted = deferred<AgentResult>();
  const result = client.call(
    "agent",
    { ...params, idempotencyKey },
    {
      expectFinal: true,
      timeoutMs: options.timeoutMs ?? Infinity,
      ...(options.signal ? { signal: options.signal } : {}),
      onAccepted: (ack) => {
        stream.identify(ack.runId);
        accepted.resolve(ack);
      },
    },
  );
  result.then(
    (final) => {
      stream.identify(final.runId);
      accepted.resolve(final);
      stream.queue.end();
    },
    (error: unknown) => {
      accepted.reject(error);
      stream.queue.end(error);
    },
  );
  return { idempotencyKey, accepted: accepted.promise, result, [Symbol.asyncIterator]: () => stream.queue };
}

export function startChatRun(client: GatewayClient, params: CallParams<"chat.send">, options: RunOptions): ChatRun {
  const idempotencyKey = params.idempotencyKey ?? randomId();
  const result = deferred<ChatEvent>();
  let acked = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cleanups: (() => void)[] = [];
  const stream = new RunStream<ChatEvent>(idempotencyKey, () => {
    clearTimeout(timer);
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const settle = (outcome: { event: ChatEvent } | { error: unknown }) => {
    if (stream.queue.done) return;
    if ("event" in outcome) {
      result.resolve(outcome.event);
      stream.queue.end();
    } else {
      result.reject(outcome.error);
      stream.queue.end(outcome.error);
    }
  };
  cleanups.push(
    client.on("chat", (event) => {
      if (stream.offer(event) && TERMINAL_CHAT_STATES.has(event.state)) settle({ event });
    }),
    // Unlike agent, chat.send has no pending answer to fail with the socket, so watch the status.
    client.onStatus((status) => {
      if (!acked || status.state === "open" || status.state === "connecting") return;
      const cause = status.state === "closed" ? status.reason : status.lastError;
      settle({ error: new GatewayClosedError(1006, "connection lost during the chat run; events may be missing (use chat.history)", { cause }) });
    }),
  );
  const signal = options.signal;
  if (signal) {
    const onAbort = () => settle({ error: signal.reason });
    signal.addEventListener("abort", onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener("abort", onAbort));
  }
  if (options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)) {
    const timeoutMs = options.timeoutMs;
    timer = setTimeout(() => settle({ error: new GatewayTimeoutError("chat.send", timeoutMs) }), timeoutMs);
  }
  const accepted = client.call("chat.send", { ...params, idempotencyKey }, signal ? { signal } : {});
  accepted.then(
    (ack) => {
      acked = true;
      stream.identify(ack.runId);
      // A key that already finished answers with its cached outcome and no events follow.
      if (ack.status === "ok" || ack.status === "aborted" || ack.status === "error" || ack.status === "timeout") {
        settle({
          event: {
            runId: ack.runId,
            sessionKey: params.sessionKey,
            seq: 0,
            state: ack.status === "ok" ? "final" : ack.status === "aborted" ? "aborted" : "error",
          },
        });
      }
    },
    (error: unknown) => settle({ error }),
  );
  return { idempotencyKey, accepted, result: result.promise, [Symbol.asyncIterator]: () => stream.queue };
}
