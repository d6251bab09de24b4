import type { Database, Statement } from "better-sqlite3";
import { ChannelSendError, type Receipt, type ReconcileOutcome, type SendFailureKind } from "@openclaw/channel-kit";

/** One logical outbound message and its delivery state. */
export interface OutboxItem {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
  readonly text: string;
  readonly replyTo?: string;
  readonly thread?: string;
  readonly sessionKey?: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly status: "pending" | "sending" | "sent" | "dead";
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  readonly chunksSent: number;
  readonly providerIds: string[];
  readonly sentAtMs?: number;
  readonly lastError?: string;
  readonly deadReason?: string;
}

export interface OutboxMessage {
  readonly idempotencyKey: string;
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
  readonly text: string;
  readonly replyTo?: string | undefined;
  readonly thread?: string | undefined;
  readonly sessionKey?: string | undefined;
}

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

interface Row {
  id: number;
  idempotency_key: string;
  channel: string;
  account_id: string;
  chat_id: string;
  text: string;
  reply_to: string | null;
  thread: string | null;
  session_key: string | null;
  created_at_ms: number;
  expires_at_ms: number;
  status: OutboxItem["status"];
  attempts: number;
  next_attempt_at_ms: number;
  chunks_sent: number;
  provider_ids: string;
  sent_at_ms: number | null;
  last_error: string | null;
  dead_reason: string | null;
}

function toItem(row: Row): OutboxItem {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    channel: row.channel,
    accountId: row.account_id,
    chatId: row.chat_id,
    text: row.text,
    ...(row.reply_to !== null ? { replyTo: row.reply_to } : {}),
    ...(row.thread !== null ? { thread: row.thread } : {}),
    ...(row.session_key !== null ? { sessionKey: row.session_key } : {}),
    createdAtMs: row.created_at_ms,
    expiresAtMs: row.expires_at_ms,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at_ms,
    chunksSent: row.chunks_sent,
    providerIds: JSON.parse(row.provider_ids) as string[],
    ...(row.sent_at_ms !== null ? { sentAtMs: row.sent_at_ms } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.dead_reason !== null ? { deadReason: row.dead_reason } : {}),
  };
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 25_000, 120_000];
/** Attempt outcomes after which the next step is asking the provider, not sending. */
const NEEDS_RECONCILE = new Set(["ambiguous", "reconcile-failed"]);
const INTERRUPTED = "the gateway stopped while this message was being sent";

interface AttemptRow {
  id: number;
  chunk: number;
  started_at_ms: number;
  outcome: string | null;
  error: string | null;
}
const laneKey = (item: OutboxItem) => `${item.channel}\u0000${item.accountId}\u0000${item.chatId}`;

/**
 * The durable outbox. A message is stored once under its idempotency key before the first
 * attempt; chunks are recorded as they succeed, so a success is never sent again; failures are
 * classified (rate limited, transient, permanent, ambiguous) and only the provably unsent are
 * retried. Messages of one chat go out in order; chats proceed independently. One timer.
 */
export class Outbox {
  private readonly db: Database;
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
  private readonly sql: Record<
    | "insert"
    | "deadIfSending"
    | "byKey"
    | "byId"
    | "due"
    | "transientCount"
    | "markSending"
    | "attemptStart"
    | "attemptEnd"
    | "attemptRecord"
    | "closeOpenAttempts"
    | "lastAttempt"
    | "lastAmbiguous"
    | "chunkDone"
    | "finish"
    | "retryLater"
    | "dead",
    Statement
  >;

  constructor(private readonly options: OutboxOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.idleRecheckMs = options.idleRecheckMs ?? 2_000;
    this.reconcileDelayMs = options.reconcileDelayMs ?? 5_000;
    const db = this.db;
    this.sql = {
      insert: db.prepare(`INSERT OR IGNORE INTO channel_outbox
        (idempotency_key, channel, account_id, chat_id, text, reply_to, thread, session_key, created_at_ms, expires_at_ms, status, next_attempt_at_ms)
        VALUES (@idempotencyKey, @channel, @accountId, @chatId, @text, @replyTo, @thread, @sessionKey, @now, @expiresAt, 'pending', @now)`),
      byKey: db.prepare("SELECT * FROM channel_outbox WHERE idempotency_key = ?"),
      byId: db.prepare("SELECT * FROM channel_outbox WHERE id = ?"),
      due: db.prepare("SELECT * FROM channel_outbox WHERE status = 'pending' ORDER BY id"),
      // Transient failures (and failed look-ups) since the operator last retried it (a retry starts a fresh budget).
      transientCount: db.prepare(
        `SELECT COUNT(*) AS count FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome IN ('transient', 'reconcile-failed')
           AND id > COALESCE((SELECT MAX(id) FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome = 'retried'), 0)`,
      ),
      markSending: db.prepare("UPDATE channel_outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
      attemptStart: db.prepare("INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms) VALUES (?, ?, ?, ?)"),
      attemptEnd: db.prepare("UPDATE channel_outbox_attempts SET ended_at_ms = ?, outcome = ?, error = ? WHERE id = ?"),
      attemptRecord: db.prepare("INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms, ended_at_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      closeOpenAttempts: db.prepare("UPDATE channel_outbox_attempts SET ended_at_ms = ?, outcome = 'ambiguous', error = ? WHERE outbox_id = ? AND outcome IS NULL"),
      lastAttempt: db.prepare("SELECT id, chunk, started_at_ms, outcome, error FROM channel_outbox_attempts WHERE outbox_id = ? ORDER BY id DESC LIMIT 1"),
      lastAmbiguous: db.prepare("SELECT id, chunk, started_at_ms, outcome, error FROM channel_outbox_attempts WHERE outbox_id = ? AND outcome = 'ambiguous' ORDER BY id DESC LIMIT 1"),
      chunkDone: db.prepare("UPDATE channel_outbox SET chunks_sent = ?, provider_ids = ? WHERE id = ?"),
      finish: db.prepare("UPDATE channel_outbox SET status = 'sent', sent_at_ms = ?, last_error = NULL WHERE id = ?"),
      retryLater: db.prepare("UPDATE channel_outbox SET status = 'pending', next_attempt_at_ms = ?, last_error = ? WHERE id = ?"),
      deadIfSending: db.prepare("UPDATE channel_outbox SET status = 'dead', dead_reason = ? WHERE id = ? AND status = 'sending'"),
      dead: db.prepare("UPDATE channel_outbox SET status = 'dead', dead_reason = ?, last_error = ? WHERE id = ?"),
    };
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
    const now = this.now();
    const interrupted = this.db.prepare("SELECT * FROM channel_outbox WHERE status = 'sending'").all() as Row[];
    for (const row of interrupted) {
      this.db.transaction(() => {
        if (this.sql.closeOpenAttempts.run(now, INTERRUPTED, row.id).changes === 0) this.sql.attemptRecord.run(row.id, row.attempts, row.chunks_sent, now, now, "ambiguous", INTERRUPTED);
        this.sql.retryLater.run(now, INTERRUPTED, row.id);
      })();
    }
    this.kick();
  }

  /** Stores a message unless its idempotency key is known; either way returns the stored item. */
  enqueue(message: OutboxMessage): { item: OutboxItem; created: boolean } {
    const now = this.now();
    const result = this.sql.insert.run({
      idempotencyKey: message.idempotencyKey,
      channel: message.channel,
      accountId: message.accountId,
      chatId: message.chatId,
      text: message.text,
      replyTo: message.replyTo ?? null,
      thread: message.thread ?? null,
      sessionKey: message.sessionKey ?? null,
      now,
      expiresAt: now + this.ttlMs,
    });
    const item = toItem(this.sql.byKey.get(message.idempotencyKey) as Row);
    if (result.changes > 0) this.kick();
    return { item, created: result.changes > 0 };
  }

  get(id: number): OutboxItem | undefined {
    const row = this.sql.byId.get(id) as Row | undefined;
    return row && toItem(row);
  }

  byKey(idempotencyKey: string): OutboxItem | undefined {
    const row = this.sql.byKey.get(idempotencyKey) as Row | undefined;
    return row && toItem(row);
  }

  list(filter: { status?: OutboxItem["status"]; channel?: string; limit?: number } = {}): OutboxItem[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM channel_outbox WHERE (@status IS NULL OR status = @status) AND (@channel IS NULL OR channel = @channel) ORDER BY id DESC LIMIT @limit`,
      )
      .all({ status: filter.status ?? null, channel: filter.channel ?? null, limit: filter.limit ?? 100 }) as Row[];
    return rows.map(toItem);
  }

  attempts(id: number): { attempt: number; chunk: number; startedAtMs: number; endedAtMs?: number; outcome?: string; error?: string }[] {
    const rows = this.db.prepare("SELECT * FROM channel_outbox_attempts WHERE outbox_id = ? ORDER BY id").all(id) as {
      attempt: number;
      chunk: number;
      started_at_ms: number;
      ended_at_ms: number | null;
      outcome: string | null;
      error: string | null;
    }[];
    return rows.map((row) => ({
      attempt: row.attempt,
      chunk: row.chunk,
      startedAtMs: row.started_at_ms,
      ...(row.ended_at_ms !== null ? { endedAtMs: row.ended_at_ms } : {}),
      ...(row.outcome !== null ? { outcome: row.outcome } : {}),
      ...(row.error !== null ? { error: row.error } : {}),
    }));
  }

  /** Puts a dead letter back in the queue with a fresh TTL; chunks already sent stay sent. */
  retry(id: number): OutboxItem {
    const item = this.get(id);
    if (!item) throw new RangeError(`no outbox message with id ${id}`);
    if (item.status !== "dead") throw new RangeError(`outbox message ${id} is ${item.status}, only dead letters can be retried`);
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare("UPDATE channel_outbox SET status = 'pending', next_attempt_at_ms = ?, expires_at_ms = ?, dead_reason = NULL WHERE id = ?").run(now, now + this.ttlMs, id);
      this.db
        .prepare("INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms, ended_at_ms, outcome) VALUES (?, ?, ?, ?, ?, 'retried')")
        .run(id, item.attempts, item.chunksSent, now, now);
    })();
    this.kick();
    return this.get(id)!;
  }

  /** Deletes dead letters (and sent items) older than `olderThanMs`; returns how many went. */
  prune(options: { olderThanMs?: number; includeSent?: boolean } = {}): number {
    const cutoff = this.now() - (options.olderThanMs ?? 0);
    const statuses = options.includeSent ? "('dead', 'sent')" : "('dead')";
    return this.db.prepare(`DELETE FROM channel_outbox WHERE status IN ${statuses} AND created_at_ms <= ?`).run(cutoff).changes;
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
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.drain();
    }, Math.max(0, at - this.now()));
  }

  private drain(): void {
    if (!this.running) return;
    const now = this.now();
    const seen = new Set<string>();
    let recheckAt = Number.POSITIVE_INFINITY;
    for (const row of this.sql.due.all() as Row[]) {
      const item = toItem(row);
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
          this.sql.deadIfSending.run(`internal error while sending: ${error instanceof Error ? error.message : String(error)}`, item.id);
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
    const unconfirmed = NEEDS_RECONCILE.has((this.sql.lastAttempt.get(item.id) as AttemptRow | undefined)?.outcome ?? "");
    if (item.expiresAtMs <= this.now()) {
      const note = unconfirmed ? "; its last send was never confirmed, so check the chat before retrying it" : "";
      this.sql.dead.run(`expired: not delivered within ${Math.round(this.ttlMs / 1000)} s of being accepted, so it was not sent late${note}`, item.lastError ?? null, item.id);
      return this.settle(item.id);
    }
    const chunks = this.options.transport.chunks(item);
    if (this.sql.markSending.run(item.id).changes === 0) return;
    item = this.get(item.id)!;
    if (unconfirmed) {
      if ((await this.reconcile(item, chunks)) === "settled") return this.settle(item.id);
      item = this.get(item.id)!;
      if (item.chunksSent >= chunks.length) {
        this.sql.finish.run(this.now(), item.id);
        return this.settle(item.id);
      }
    }
    const attempt = item.attempts;
    const providerIds = [...item.providerIds];
    for (let index = item.chunksSent; index < chunks.length; index += 1) {
      const attemptId = Number(this.sql.attemptStart.run(item.id, attempt, index, this.now()).lastInsertRowid);
      let receipt: Receipt;
      try {
        receipt = await this.options.transport.send(item, chunks[index]!, index);
      } catch (error) {
        const kind: SendFailureKind = error instanceof ChannelSendError ? error.kind : "ambiguous";
        const message = error instanceof Error ? error.message : String(error);
        this.sql.attemptEnd.run(this.now(), kind, message, attemptId);
        this.fail(item, kind, message, error instanceof ChannelSendError ? error.retryAfterMs : undefined);
        return this.settle(item.id);
      }
      providerIds.push(...receipt.providerMessageIds);
      this.db.transaction(() => {
        this.sql.attemptEnd.run(this.now(), "sent", null, attemptId);
        this.sql.chunkDone.run(index + 1, JSON.stringify(providerIds), item.id);
      })();
    }
    this.sql.finish.run(this.now(), item.id);
    this.settle(item.id);
  }

  /**
   * Field failure #7: after an ambiguous send, ask the provider instead of resending. Delivered
   * marks the chunk sent; not delivered lets the caller send it again; unknown (or no way to ask)
   * dead-letters the item with the reason and what to do. A failed look-up is retried like a
   * transient failure. Returns whether the item is settled or sending may go on.
   */
  private async reconcile(item: OutboxItem, chunks: readonly string[]): Promise<"settled" | "continue"> {
    const ambiguous = (this.sql.lastAmbiguous.get(item.id) as AttemptRow | undefined) ?? { id: 0, chunk: item.chunksSent, started_at_ms: item.createdAtMs, outcome: "ambiguous", error: item.lastError ?? null };
    const cause = ambiguous.error ?? "the send was not confirmed";
    const index = item.chunksSent;
    const reconciler = this.options.transport.reconciler?.(item);
    if (!reconciler) {
      this.sql.dead.run(this.ambiguousReason(item, cause, `${item.channel} cannot look up whether it arrived`), cause, item.id);
      return "settled";
    }
    const attemptId = Number(this.sql.attemptStart.run(item.id, item.attempts, index, this.now()).lastInsertRowid);
    let outcome: ReconcileOutcome;
    try {
      outcome = await reconciler({ chunk: chunks[index] ?? "", index, attemptStartedAtMs: ambiguous.started_at_ms });
    } catch (error) {
      const message = `could not check whether the ambiguous send arrived: ${error instanceof Error ? error.message : String(error)}`;
      this.sql.attemptEnd.run(this.now(), "reconcile-failed", message, attemptId);
      this.fail(item, "transient", message, undefined);
      return "settled";
    }
    if (outcome.status === "delivered") {
      this.db.transaction(() => {
        this.sql.attemptEnd.run(this.now(), "reconciled-delivered", null, attemptId);
        this.sql.chunkDone.run(index + 1, JSON.stringify([...item.providerIds, ...outcome.providerMessageIds]), item.id);
      })();
      return "continue";
    }
    if (outcome.status === "not-delivered") {
      this.sql.attemptEnd.run(this.now(), "reconciled-not-delivered", null, attemptId);
      return "continue";
    }
    this.sql.attemptEnd.run(this.now(), "reconciled-unknown", outcome.reason ?? null, attemptId);
    this.sql.dead.run(this.ambiguousReason(item, cause, `${item.channel} could not confirm whether it arrived${outcome.reason ? ` (${outcome.reason})` : ""}`), cause, item.id);
    return "settled";
  }

  private ambiguousReason(item: OutboxItem, cause: string, why: string): string {
    return `ambiguous: ${cause}; ${why}, so it may have been delivered and is not resent automatically: look in the chat, then run openclaw channels outbox retry ${item.id} to send it`;
  }

  private fail(item: OutboxItem, kind: SendFailureKind, message: string, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (kind === "permanent") {
      this.sql.dead.run(`permanent: ${message}`, message, item.id);
      return;
    }
    if (kind === "ambiguous") {
      // Ask the provider after a moment; an account that cannot be asked dead-letters it now.
      if (this.options.transport.reconciler?.(item) === undefined) {
        this.sql.dead.run(this.ambiguousReason(item, message, `${item.channel} cannot look up whether it arrived`), message, item.id);
        return;
      }
      this.sql.retryLater.run(now + this.reconcileDelayMs, message, item.id);
      return;
    }
    if (kind === "rate_limited") {
      // The provider said exactly when; a 429 does not use up the transient-retry budget (the TTL bounds it).
      this.sql.retryLater.run(now + Math.max(retryAfterMs ?? 1_000, 0), message, item.id);
      return;
    }
    const transientFailures = (this.sql.transientCount.get({ id: item.id }) as { count: number }).count;
    const delay = this.retryDelaysMs[transientFailures - 1];
    if (delay === undefined) {
      this.sql.dead.run(`gave up after ${transientFailures} attempts: ${message}`, message, item.id);
      return;
    }
    // ±20% jitter, so a provider outage does not end in a synchronized burst.
    const jittered = Math.round(delay * (0.8 + 0.4 * this.random()));
    this.sql.retryLater.run(now + jittered, message, item.id);
  }
}
