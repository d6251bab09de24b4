import type { Database } from "better-sqlite3";
import { ChannelSendError, type Receipt, type ReconcileOutcome, type SendFailureKind } from "@openclaw/channel-kit";
import { OutboxStore, type OutboxAttempt, type OutboxItem, type OutboxMessage } from "./outbox-store.js";

export type { OutboxAttempt, OutboxItem, OutboxMessage } from "./outbox-store.js";

/** What the outbox needs from the channel service. */
export interface OutboxTransport {
  /** The chunks `item.text` is sent as, for its channel account; stable for a given text. */
  chunks(item: OutboxItem): string[];
  /** `undefined` while the account cannot send (stopped, reconnecting): the item waits. */
  ready(item: OutboxItem): boolean;
  send(item: OutboxItem, chunk: string, index: number): Promise<Receipt>;
  /**
   * How to ask the provider whether an ambiguously sent chunk arrived, or `undefined` when this
   * item's account cannot be asked (then an ambiguous send is dead-lettered for the operator).
   */
  reconciler?(item: OutboxItem): ((request: { chunk: string; index: number; attemptStartedAtMs: number }) => Promise<ReconcileOutcome>) | undefined;
}

export interface OutboxOptions {
  readonly db: Database;
  readonly transport: OutboxTransport;
  /** Waits after transient failures; the item is dead-lettered after the last one fails. @default [5 s, 25 s, 120 s] */
  readonly retryDelaysMs?: readonly number[];
  /** A message not delivered within this long after it was accepted is dead-lettered, never sent late. @default 1 h */
  readonly ttlMs?: number;
  /** How soon to look again at items whose account was not ready. @default 2 s */
  readonly idleRecheckMs?: number;
  /** How long after an ambiguous failure to ask the provider whether the message landed (it may need a moment to show it). @default 5 s */
  readonly reconcileDelayMs?: number;
  readonly onSettled?: (item: OutboxItem) => void;
  readonly onError?: (error: unknown, item: OutboxItem) => void;
  readonly now?: () => number;
  readonly random?: () => number;
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 25_000, 120_000];
/** Attempt outcomes after which the next step is asking the provider, not sending. */
const NEEDS_RECONCILE = new Set(["ambiguous", "reconcile-failed"]);
const INTERRUPTED = "the gateway stopped while this message was being sent";

const laneKey = (item: OutboxItem) => `${item.channel}\u0000${item.accountId}\u0000${item.chatId}`;

/**
 * The durable outbox. A message is stored once under its idempotency key before the first
 * attempt; chunks are recorded as they succeed, so a success is never sent again; failures are
 * classified (rate limited, transient, permanent, ambiguous) and only the provably unsent are
 * retried. Messages of one chat go out in order; chats proceed independently. One timer.
 */
export class Outbox {
  /** The outbox tables; read it for listings that need no delivery. */
  readonly store: OutboxStore;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly retryDelaysMs: readonly number[];
  private readonly ttlMs: number;
  private readonly idleRecheckMs: number;
  private readonly reconcileDelayMs: number;
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly waiters = new Map<number, ((item: OutboxItem) => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;

  constructor(private readonly options: OutboxOptions) {
    this.store = new OutboxStore(options.db);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.idleRecheckMs = options.idleRecheckMs ?? 2_000;
    this.reconcileDelayMs = options.reconcileDelayMs ?? 5_000;
  }

  /**
   * Recovers after a restart, then starts delivering. An item left `sending` was interrupted
   * mid-attempt: the provider may have it, so it is never resent blindly. Its open attempt is
   * recorded as ambiguous and the item waits for its account, which is asked whether the chunk
   * landed; an account that cannot be asked dead-letters it for the operator.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.store.recoverInterrupted(this.now(), INTERRUPTED);
    this.kick();
  }

  /** Stores a message unless its idempotency key is known; either way returns the stored item. */
  enqueue(message: OutboxMessage): { item: OutboxItem; created: boolean } {
    const now = this.now();
    const stored = this.store.insert(message, now, now + this.ttlMs);
    if (stored.created) this.kick();
    return stored;
  }

  get(id: number): OutboxItem | undefined {
    return this.store.get(id);
  }

  byKey(idempotencyKey: string): OutboxItem | undefined {
    return this.store.byKey(idempotencyKey);
  }

  list(filter: { status?: OutboxItem["status"]; channel?: string; limit?: number } = {}): OutboxItem[] {
    return this.store.list(filter);
  }

  attempts(id: number): OutboxAttempt[] {
    return this.store.attempts(id);
  }

  /** Puts a dead letter back in the queue with a fresh TTL; chunks already sent stay sent. */
  retry(id: number): OutboxItem {
    const item = this.get(id);
    if (!item) throw new RangeError(`no outbox message with id ${id}`);
    if (item.status !== "dead") throw new RangeError(`outbox message ${id} is ${item.status}, only dead letters can be retried`);
    const now = this.now();
    this.store.requeue(item, now, now + this.ttlMs);
    this.kick();
    return this.get(id)!;
  }

  /** Deletes dead letters (and sent items) older than `olderThanMs`; returns how many went. */
  prune(options: { olderThanMs?: number; includeSent?: boolean } = {}): number {
    return this.store.prune(this.now() - (options.olderThanMs ?? 0), options.includeSent ?? false);
  }

  /** Resolves when the item is sent or dead, or with its current state after `timeoutMs`. */
  waitFor(id: number, timeoutMs: number): Promise<OutboxItem> {
    const current = this.get(id);
    if (!current || current.status === "sent" || current.status === "dead") return Promise.resolve(current!);
    return new Promise((resolve) => {
      const done = (item: OutboxItem) => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        const list = this.waiters.get(id) ?? [];
        this.waiters.set(
          id,
          list.filter((waiter) => waiter !== done),
        );
        resolve(this.get(id)!);
      }, timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push(done);
      this.waiters.set(id, list);
    });
  }

  /** Look for due work now (after an enqueue, or when an account became ready). */
  kick(): void {
    if (!this.running) return;
    this.schedule(this.now());
  }

  /** Stops the timer and waits for in-flight sends; pending items stay stored for the next start. */
  async close(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    await Promise.allSettled([...this.lanes.values()]);
    for (const [id, list] of this.waiters) {
      const item = this.get(id);
      if (item) for (const waiter of list) waiter(item);
    }
    this.waiters.clear();
  }

  private schedule(at: number): void {
    if (!this.running) return;
    // The armed timer fires sooner, unless it is already overdue: timers run on a monotonic clock,
    // so after the wall clock jumps forward (a resume from suspend) it could be hours away.
    if (at >= this.timerAt && this.timerAt > this.now()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.drain();
      },
      Math.max(0, at - this.now()),
    );
  }

  private drain(): void {
    if (!this.running) return;
    const now = this.now();
    const seen = new Set<string>();
    let recheckAt = Number.POSITIVE_INFINITY;
    for (const item of this.store.due()) {
      const lane = laneKey(item);
      // Only the oldest pending item of a chat may go, so a chat's messages keep their order.
      if (seen.has(lane)) continue;
      seen.add(lane);
      if (this.lanes.has(lane)) continue;
      if (item.nextAttemptAtMs > now) {
        recheckAt = Math.min(recheckAt, item.nextAttemptAtMs);
        continue;
      }
      if (!this.options.transport.ready(item) && item.expiresAtMs > now) {
        recheckAt = Math.min(recheckAt, now + this.idleRecheckMs);
        continue;
      }
      const work = this.deliver(item)
        .catch((error: unknown) => {
          // A bug, not a provider answer: the send may or may not have happened, so park it visibly.
          this.store.deadIfSending(item.id, `internal error while sending: ${error instanceof Error ? error.message : String(error)}`);
          this.settle(item.id);
          this.options.onError?.(error, item);
        })
        .finally(() => {
          this.lanes.delete(lane);
          this.kick();
        });
      this.lanes.set(lane, work);
    }
    if (recheckAt !== Number.POSITIVE_INFINITY) this.schedule(recheckAt);
  }

  private settle(id: number): void {
    const item = this.get(id);
    if (!item) return;
    if (item.status === "sent" || item.status === "dead") {
      this.options.onSettled?.(item);
      const list = this.waiters.get(id);
      this.waiters.delete(id);
      for (const waiter of list ?? []) waiter(item);
    }
  }

  private async deliver(start: OutboxItem): Promise<void> {
    let item = start;
    const unconfirmed = NEEDS_RECONCILE.has(this.store.lastAttempt(item.id)?.outcome ?? "");
    if (item.expiresAtMs <= this.now()) {
      const note = unconfirmed ? "; its last send was never confirmed, so check the chat before retrying it" : "";
      this.store.dead(
        item.id,
        `expired: not delivered within ${Math.round(this.ttlMs / 1000)} s of being accepted, so it was not sent late${note}`,
        item.lastError ?? null,
      );
      return this.settle(item.id);
    }
    const chunks = this.options.transport.chunks(item);
    if (!this.store.markSending(item.id)) return;
    item = this.get(item.id)!;
    if (unconfirmed) {
      if ((await this.reconcile(item, chunks)) === "settled") return this.settle(item.id);
      item = this.get(item.id)!;
      if (item.chunksSent >= chunks.length) {
        this.store.finish(item.id, this.now());
        return this.settle(item.id);
      }
    }
    const attempt = item.attempts;
    const providerIds = [...item.providerIds];
    for (let index = item.chunksSent; index < chunks.length; index += 1) {
      const attemptId = this.store.startAttempt(item.id, attempt, index, this.now());
      let receipt: Receipt;
      try {
        receipt = await this.options.transport.send(item, chunks[index]!, index);
      } catch (error) {
        const kind: SendFailureKind = error instanceof ChannelSendError ? error.kind : "ambiguous";
        const message = error instanceof Error ? error.message : String(error);
        this.store.endAttempt(attemptId, this.now(), kind, message);
        this.fail(item, kind, message, error instanceof ChannelSendError ? error.retryAfterMs : undefined);
        return this.settle(item.id);
      }
      providerIds.push(...receipt.providerMessageIds);
      this.store.chunkSent(item.id, attemptId, this.now(), "sent", index, providerIds);
    }
    this.store.finish(item.id, this.now());
    this.settle(item.id);
  }

  /**
   * After an ambiguous send, ask the provider instead of resending: a blind resend can post the
   * message twice. Delivered
   * marks the chunk sent; not delivered lets the caller send it again; unknown (or no way to ask)
   * dead-letters the item with the reason and what to do. A failed look-up is retried like a
   * transient failure. Returns whether the item is settled or sending may go on.
   */
  private async reconcile(item: OutboxItem, chunks: readonly string[]): Promise<"settled" | "continue"> {
    const ambiguous = this.store.lastAmbiguous(item.id) ?? {
      id: 0,
      chunk: item.chunksSent,
      started_at_ms: item.createdAtMs,
      outcome: "ambiguous",
      error: item.lastError ?? null,
    };
    const cause = ambiguous.error ?? "the send was not confirmed";
    const index = item.chunksSent;
    const reconciler = this.options.transport.reconciler?.(item);
    if (!reconciler) {
      this.store.dead(item.id, this.ambiguousReason(item, cause, `${item.channel} cannot look up whether it arrived`), cause);
      return "settled";
    }
    const attemptId = this.store.startAttempt(item.id, item.attempts, index, this.now());
    let outcome: ReconcileOutcome;
    try {
      outcome = await reconciler({ chunk: chunks[index] ?? "", index, attemptStartedAtMs: ambiguous.started_at_ms });
    } catch (error) {
      const message = `could not check whether the ambiguous send arrived: ${error instanceof Error ? error.message : String(error)}`;
      this.store.endAttempt(attemptId, this.now(), "reconcile-failed", message);
      this.fail(item, "transient", message, undefined);
      return "settled";
    }
    if (outcome.status === "delivered") {
      this.store.chunkSent(item.id, attemptId, this.now(), "reconciled-delivered", index, [...item.providerIds, ...outcome.providerMessageIds]);
      return "continue";
    }
    if (outcome.status === "not-delivered") {
      this.store.endAttempt(attemptId, this.now(), "reconciled-not-delivered", null);
      return "continue";
    }
    this.store.endAttempt(attemptId, this.now(), "reconciled-unknown", outcome.reason ?? null);
    this.store.dead(
      item.id,
      this.ambiguousReason(item, cause, `${item.channel} could not confirm whether it arrived${outcome.reason ? ` (${outcome.reason})` : ""}`),
      cause,
    );
    return "settled";
  }

  private ambiguousReason(item: OutboxItem, cause: string, why: string): string {
    return `ambiguous: ${cause}; ${why}, so it may have been delivered and is not resent automatically: look in the chat, then run openclaw channels outbox retry ${item.id} to send it`;
  }

  private fail(item: OutboxItem, kind: SendFailureKind, message: string, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (kind === "permanent") {
      this.store.dead(item.id, `permanent: ${message}`, message);
      return;
    }
    if (kind === "ambiguous") {
      // Ask the provider after a moment; an account that cannot be asked dead-letters it now.
      if (this.options.transport.reconciler?.(item) === undefined) {
        this.store.dead(item.id, this.ambiguousReason(item, message, `${item.channel} cannot look up whether it arrived`), message);
        return;
      }
      this.store.retryLater(item.id, now + this.reconcileDelayMs, message);
      return;
    }
    if (kind === "rate_limited") {
      // The provider said exactly when; a 429 does not use up the transient-retry budget (the TTL bounds it).
      this.store.retryLater(item.id, now + Math.max(retryAfterMs ?? 1_000, 0), message);
      return;
    }
    const transientFailures = this.store.transientFailures(item.id);
    const delay = this.retryDelaysMs[transientFailures - 1];
    if (delay === undefined) {
      this.store.dead(item.id, `gave up after ${transientFailures} attempts: ${message}`, message);
      return;
    }
    // ±20% jitter, so a provider outage does not end in a synchronized burst.
    const jittered = Math.round(delay * (0.8 + 0.4 * this.random()));
    this.store.retryLater(item.id, now + jittered, message);
  }
}
