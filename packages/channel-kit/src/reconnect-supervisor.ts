import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from "./backoff.js";
import { abortableSleep } from "./reconnect-policy.js";
import { SupervisorFailedError, TerminalConnectionError, describeError } from "./errors.js";

/** A live provider connection as the supervisor sees it. */
export interface SupervisedConnection {
  /** Settles when the connection ends on its own; reject with `TerminalConnectionError` to stop retrying. */
  readonly closed: Promise<void>;
  /** Ends the connection; resolves once it is fully closed. */
  close(): Promise<void>;
}

export interface ConnectContext {
  /** 0 for the first try after a healthy period, then 1, 2, … */
  readonly attempt: number;
  /** Aborted when the supervisor stops or restarts; abandon the attempt. */
  readonly signal: AbortSignal;
  /** Call once the provider proves the connection works (READY, hello, first poll); resets the attempt counter. */
  reportHealthy(): void;
}

export type Connect = (context: ConnectContext) => Promise<SupervisedConnection>;

export type SupervisorStatus =
  | { readonly state: "idle" }
  | { readonly state: "connecting"; readonly attempt: number }
  | { readonly state: "connected"; readonly attempt: number; readonly healthy: boolean }
  | { readonly state: "backing-off"; readonly attempt: number; readonly delayMs: number; readonly lastError: string }
  | { readonly state: "failed"; readonly reason: string }
  | { readonly state: "stopped" };

export interface ReconnectSupervisorOptions {
  readonly connect: Connect;
  /** @default DEFAULT_BACKOFF */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Restarts allowed in any rolling hour before giving up. @default 10 */
  readonly maxRestartsPerHour?: number;
  /** A connection that stays up this long counts as healthy. @default 30_000 */
  readonly healthyAfterMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default Date.now */
  readonly now?: () => number;
}

const HOUR_MS = 3_600_000;

/**
 * Owns the one connection of one account: connects, reconnects with backoff, and gives up
 * when the hourly restart budget is spent. Every operation is serialized, so two starts can
 * never leave two live connections.
 */
export class ReconnectSupervisor {
  readonly #connect: Connect;
  readonly #policy: BackoffPolicy;
  readonly #maxRestartsPerHour: number;
  readonly #healthyAfterMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #listeners = new Set<(status: SupervisorStatus) => void>();
  #status: SupervisorStatus = { state: "idle" };
  #attempt = 0;
  #restarts: number[] = [];
  #run: { abort: AbortController; done: Promise<void> } | undefined;
  #operations: Promise<unknown> = Promise.resolve();

  constructor(options: ReconnectSupervisorOptions) {
    this.#connect = options.connect;
    this.#policy = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#maxRestartsPerHour = options.maxRestartsPerHour ?? 10;
    this.#healthyAfterMs = options.healthyAfterMs ?? 30_000;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  get status(): SupervisorStatus {
    return this.#status;
  }

  /** Restarts counted against the budget in the last hour. */
  get restartsInLastHour(): number {
    const since = this.#now() - HOUR_MS;
    return this.#restarts.filter((at) => at > since).length;
  }

  /** Subscribe to status changes; returns the unsubscribe function. */
  onStatus(listener: (status: SupervisorStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Connect, first stopping and awaiting any current connection. Rejects with `SupervisorFailedError` while failed. */
  start(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#status.state === "failed") throw new SupervisorFailedError(this.#status.reason);
      await this.#halt();
      const abort = new AbortController();
      this.#run = { abort, done: this.#loop(abort.signal) };
    });
  }

  /** Clear every timer and close the live connection; resolves once it is closed. */
  stop(): Promise<void> {
    return this.#serialize(async () => {
      await this.#halt();
      if (this.#status.state !== "failed") this.#setStatus({ state: "stopped" });
    });
  }

  /** Forget the restart budget and attempt counter, leaving the supervisor idle and ready to start. */
  reset(): Promise<void> {
    return this.#serialize(async () => {
      await this.#halt();
      this.#attempt = 0;
      this.#restarts = [];
      this.#setStatus({ state: "idle" });
    });
  }

  #serialize(operation: () => Promise<void>): Promise<void> {
    const result = this.#operations.then(operation);
    this.#operations = result.catch(() => undefined);
    return result;
  }

  async #halt(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    run.abort.abort();
    await run.done;
  }

  #setStatus(status: SupervisorStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }

  async #loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const attempt = this.#attempt;
      this.#setStatus({ state: "connecting", attempt });
      let healthy = false;
      let live: SupervisedConnection | undefined;
      let healthyTimer: ReturnType<typeof setTimeout> | undefined;
      let ended = false;
      const markHealthy = () => {
        // A late report from an attempt that already ended must not reset the counter.
        if (healthy || ended || signal.aborted) return;
        healthy = true;
        if (live === undefined) return;
        if (healthyTimer !== undefined) clearTimeout(healthyTimer);
        healthyTimer = undefined;
        this.#attempt = 0;
        this.#setStatus({ state: "connected", attempt, healthy: true });
      };

      let failure: unknown;
      try {
        const connection = await this.#connect({ attempt, signal, reportHealthy: markHealthy });
        if (signal.aborted) {
          await connection.close().catch(() => undefined);
          return;
        }
        live = connection;
        this.#setStatus({ state: "connected", attempt, healthy: false });
        if (healthy) {
          healthy = false;
          markHealthy();
        } else {
          healthyTimer = setTimeout(markHealthy, this.#healthyAfterMs);
        }
        failure = await waitForCloseOrAbort(connection, signal);
      } catch (error) {
        failure = error;
      } finally {
        ended = true;
        if (healthyTimer !== undefined) clearTimeout(healthyTimer);
      }

      if (signal.aborted) {
        await live?.close().catch(() => undefined);
        return;
      }
      const delayMs = this.#nextDelay(failure);
      if (delayMs === undefined) return;
      await abortableSleep(delayMs, signal);
    }
  }

  /** Count a restart against the budget; `undefined` means the supervisor has failed. */
  #nextDelay(failure: unknown): number | undefined {
    const lastError = failure === undefined ? "connection closed" : describeError(failure);
    if (failure instanceof TerminalConnectionError) {
      this.#setStatus({ state: "failed", reason: `terminal: ${lastError}` });
      return undefined;
    }
    const now = this.#now();
    this.#restarts = this.#restarts.filter((at) => at > now - HOUR_MS);
    if (this.#restarts.length >= this.#maxRestartsPerHour) {
      this.#setStatus({
        state: "failed",
        reason: `restart budget exhausted: ${this.#restarts.length} restarts in the last hour (last error: ${lastError})`,
      });
      return undefined;
    }
    this.#restarts.push(now);
    this.#attempt += 1;
    const delayMs = backoffDelay(this.#attempt, this.#policy, this.#random);
    this.#setStatus({ state: "backing-off", attempt: this.#attempt, delayMs, lastError });
    return delayMs;
  }
}

/** Resolves with the close reason (`undefined` for a clean close), or `undefined` once aborted. */
function waitForCloseOrAbort(connection: SupervisedConnection, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    connection.closed.then(
      () => resolve(undefined),
      (error: unknown) => resolve(error ?? new Error("connection closed with an error")),
    );
    void connection.closed.catch(() => undefined).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
