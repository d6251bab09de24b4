import type { ResponseFrame } from "@openclaw/protocol";
import { GatewayProtocolError, GatewayRequestError, GatewayTimeoutError } from "./errors.js";

export interface TrackedRequestOptions {
  /** `Infinity` waits forever. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Keep waiting past a `{ status: "accepted" }` answer (the `agent` ack). */
  readonly expectFinal: boolean;
  readonly onAccepted: ((payload: unknown) => void) | undefined;
}

export interface TrackedRequest {
  readonly id: string;
  readonly method: string;
  /** The serialized `req` frame. */
  readonly text: string;
  sent: boolean;
}

interface Entry extends TrackedRequest {
  readonly options: TrackedRequestOptions;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  detachSignal: (() => void) | undefined;
}

/** Requests awaiting their `res`, each with its own timer and abort signal. */
export class RequestTracker {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;

  /** `abandoned` hears of a sent request given up by its timeout or abort, to tell the gateway. */
  constructor(private readonly abandoned: (request: TrackedRequest) => void = () => undefined) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Start tracking a request; the promise settles on its answer, timeout, abort or a `reject*` call.
   * The caller checks `signal.aborted` first: an already aborted signal never fires.
   */
  add(method: string, params: unknown, options: TrackedRequestOptions): { request: TrackedRequest; promise: Promise<unknown> } {
    const id = `r${++this.counter}`;
    const text = JSON.stringify({ type: "req", id, method, ...(params === undefined ? {} : { params }) });
    let entry!: Entry;
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = { id, method, text, sent: false, options, resolve, reject, timer: undefined, detachSignal: undefined };
    });
    const { signal, timeoutMs } = options;
    this.entries.set(id, entry);
    if (Number.isFinite(timeoutMs)) entry.timer = setTimeout(() => this.abandon(entry, new GatewayTimeoutError(method, timeoutMs)), timeoutMs);
    if (signal) {
      const onAbort = () => this.abandon(entry, signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      entry.detachSignal = () => signal.removeEventListener("abort", onAbort);
    }
    return { request: entry, promise };
  }

  /** Requests not yet written to a socket, oldest first. */
  unsent(): TrackedRequest[] {
    return [...this.entries.values()].filter((entry) => !entry.sent);
  }

  /** Route a `res`; false when no request is waiting for it. */
  settle(frame: ResponseFrame): boolean {
    const entry = this.entries.get(frame.id);
    if (entry === undefined) return false;
    if (frame.ok) {
      const status = (frame.payload as { status?: unknown } | null | undefined)?.status;
      if (entry.options.expectFinal && status === "accepted") {
        entry.options.onAccepted?.(frame.payload);
        return true;
      }
      this.finish(entry);
      entry.resolve(frame.payload);
      return true;
    }
    const error = frame.error
      ? new GatewayRequestError(entry.method, frame.error, { payload: frame.payload })
      : new GatewayProtocolError(`${entry.method} failed without an error: the gateway sent ok:false and no error`);
    this.fail(entry, error);
    return true;
  }

  /** Fail one request, e.g. when its answer could not be parsed. */
  rejectOne(id: string, error: Error): void {
    const entry = this.entries.get(id);
    if (entry) this.fail(entry, error);
  }

  /** Fail the requests already sent: their socket is gone, so their answers are too. */
  rejectSent(error: Error): void {
    for (const entry of [...this.entries.values()]) if (entry.sent) this.fail(entry, error);
  }

  rejectAll(error: Error): void {
    for (const entry of [...this.entries.values()]) this.fail(entry, error);
  }

  private abandon(entry: Entry, error: unknown): void {
    if (!this.entries.has(entry.id)) return;
    this.fail(entry, error);
    if (entry.sent) this.abandoned(entry);
  }

  private fail(entry: Entry, error: unknown): void {
    if (!this.entries.has(entry.id)) return;
    this.finish(entry);
    entry.reject(error);
  }

  private finish(entry: Entry): void {
    this.entries.delete(entry.id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.detachSignal?.();
  }
}
