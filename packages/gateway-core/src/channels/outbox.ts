import type { Database, Statement } from "better-sqlite3";
import { ChannelSendError, type Receipt, type SendFailureKind } from "@openclaw/channel-kit";

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
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly waiters = new Map<number, ((item: OutboxItem) => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private readonly sql: Record<"insert" | "deadIfSending" | "byKey" | "byId" | "due" | "transientCount" | "markSending" | "attemptStart" | "attemptEnd" | "chunkDone" | "finish" | "retryLater" | "dead", Statement>;

  constructor(private readonly options: OutboxOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.idleRecheckMs = options.idleRecheckMs ?? 2_000;
    const db = this.db;
    this.sql = {
      insert: db.prepare(`INSERT OR IGNORE INTO channel_outbox
        (idempotency_key, channel, account_id, chat_id, text, reply_to, thread, session_key, created_at_ms, expires_at_ms, status, next_attempt_at_ms)
        VALUES (@idempotencyKey, @channel, @accountId, @chatId, @text, @replyTo, @thread, @sessionKey, @now, @expiresAt, 'pending', @now)`),
      byKey: db.prepare("SELECT * FROM channel_outbox WHERE idempotency_key = ?"),
      byId: db.prepare("SELECT * FROM channel_outbox WHERE id = ?"),
      due: db.prepare("SELECT * FROM channel_outbox WHERE status = 'pending' ORDER BY id"),
      // Transient failures since the operator last retried it (a retry starts a fresh budget).
      transientCount: db.prepare(
        `SELECT COUNT(*) AS count FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome = 'transient'
           AND id > COALESCE((SELECT MAX(id) FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome = 'retried'), 0)`,
      ),
      markSending: db.prepare("UPDATE channel_outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
      attemptStart: db.prepare("INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms) VALUES (?, ?, ?, ?)"),
      attemptEnd: db.prepare("UPDATE channel_outbox_attempts SET ended_at_ms = ?, outcome = ?, error = ? WHERE id = ?"),
      chunkDone: db.prepare("UPDATE channel_outbox SET chunks_sent = ?, provider_ids = ? WHERE id = ?"),
      finish: db.prepare("UPDATE channel_outbox SET status = 'sent', sent_at_ms = ?, last_error = NULL WHERE id = ?"),
      retryLater: db.prepare("UPDATE channel_outbox SET status = 'pending', next_attempt_at_ms = ?, last_error = ? WHERE id = ?"),
      deadIfSending: db.prepare("UPDATE channel_outbox SET status = 'dead', dead_reason = ? WHERE id = ? AND status = 'sending'"),
      dead: db.prepare("UPDATE channel_outbox SET status = 'dead', dead_reason = ?, last_error = ? WHERE id = ?"),
    };
  }

  /**
   * Recovers after a restart, then starts delivering. An item left `sending` was interrupted
   * mid-attempt: the provider may have it, so it is dead-lettered as ambiguous, never resent blindly.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const interrupted = this.db.prepare("SELECT * FROM channel_outbox WHERE status = 'sending'").all() as Row[];
    for (const row of interrupted) {
      this.sql.dead.run("ambiguous: the gateway stopped while this message was being sent, so it may have been delivered; not resent automatically", row.last_error, row.id);
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
    if (item.expiresAtMs <= this.now()) {
      this.sql.dead.run(`expired: not delivered within ${Math.round(this.ttlMs / 1000)} s of being accepted, so it was not sent late`, item.lastError ?? null, item.id);
      return this.settle(item.id);
    }
    const chunks = this.options.transport.chunks(item);
    if (this.sql.markSending.run(item.id).changes === 0) return;
    item = this.get(item.id)!;
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

  private fail(item: OutboxItem, kind: SendFailureKind, message: string, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (kind === "permanent") {
      this.sql.dead.run(`permanent: ${message}`, message, item.id);
      return;
    }
    if (kind === "ambiguous") {
      this.sql.dead.run(`ambiguous: ${message}; it may have been delivered, so it is not resent automatically`, message, item.id);
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
