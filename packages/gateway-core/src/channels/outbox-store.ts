import type { Database, Statement } from "better-sqlite3";
import type { OutboxEntry, OutboxStatus } from "@openclaw/protocol";
import { prepared } from "../store/statements.js";

/** A file an outbox message carries: a reference into the media store, never the bytes. */
export interface OutboxMediaRef {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly contentType?: string;
  readonly fileName?: string;
}

/**
 * One logical outbound message and its delivery state: protocol's `OutboxEntry`, with the message
 * itself in place of its preview, the next attempt always known, and the provider's message ids.
 */
export type OutboxItem = Readonly<
  Omit<OutboxEntry, "preview" | "nextAttemptAtMs"> & {
    text: string;
    replyTo?: string;
    thread?: string;
    sessionKey?: string;
    /** The file sent with `text` as its caption. */
    media?: OutboxMediaRef;
    nextAttemptAtMs: number;
    providerIds: string[];
  }
>;

export interface OutboxMessage {
  readonly idempotencyKey: string;
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
  readonly text: string;
  readonly replyTo?: string | undefined;
  readonly thread?: string | undefined;
  readonly sessionKey?: string | undefined;
  readonly media?: OutboxMediaRef | undefined;
}

/** One recorded attempt of an outbox item, as `attempts(id)` lists it. */
export interface OutboxAttempt {
  attempt: number;
  chunk: number;
  startedAtMs: number;
  endedAtMs?: number;
  outcome?: string;
  error?: string;
}

/** The last attempt of an item, as delivery reads it back. */
export interface AttemptRow {
  id: number;
  chunk: number;
  started_at_ms: number;
  outcome: string | null;
  error: string | null;
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
  media: string | null;
  created_at_ms: number;
  expires_at_ms: number;
  status: OutboxStatus;
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
    ...(row.media !== null ? { media: JSON.parse(row.media) as OutboxMediaRef } : {}),
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

type StatementName =
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
  | "dead";

/**
 * The outbox tables (`channel_outbox`, `channel_outbox_attempts`): every statement and the
 * mapping of rows to {@link OutboxItem}s. No timers and no delivery decisions.
 */
export class OutboxStore {
  private readonly sql: Record<StatementName, Statement>;

  constructor(private readonly db: Database) {
    this.sql = {
      insert: prepared(
        db,
        `INSERT OR IGNORE INTO channel_outbox
        (idempotency_key, channel, account_id, chat_id, text, reply_to, thread, session_key, media, created_at_ms, expires_at_ms, status, next_attempt_at_ms)
        VALUES (@idempotencyKey, @channel, @accountId, @chatId, @text, @replyTo, @thread, @sessionKey, @media, @now, @expiresAt, 'pending', @now)`,
      ),
      byKey: prepared(db, "SELECT * FROM channel_outbox WHERE idempotency_key = ?"),
      byId: prepared(db, "SELECT * FROM channel_outbox WHERE id = ?"),
      due: prepared(db, "SELECT * FROM channel_outbox WHERE status = 'pending' ORDER BY id"),
      // Transient failures (and failed look-ups) since the operator last retried it (a retry starts a fresh budget).
      transientCount: prepared(
        db,
        `SELECT COUNT(*) AS count FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome IN ('transient', 'reconcile-failed')
           AND id > COALESCE((SELECT MAX(id) FROM channel_outbox_attempts WHERE outbox_id = @id AND outcome = 'retried'), 0)`,
      ),
      markSending: prepared(db, "UPDATE channel_outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
      attemptStart: prepared(db, "INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms) VALUES (?, ?, ?, ?)"),
      attemptEnd: prepared(db, "UPDATE channel_outbox_attempts SET ended_at_ms = ?, outcome = ?, error = ? WHERE id = ?"),
      attemptRecord: prepared(
        db,
        "INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms, ended_at_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      closeOpenAttempts: prepared(
        db,
        "UPDATE channel_outbox_attempts SET ended_at_ms = ?, outcome = 'ambiguous', error = ? WHERE outbox_id = ? AND outcome IS NULL",
      ),
      lastAttempt: prepared(db, "SELECT id, chunk, started_at_ms, outcome, error FROM channel_outbox_attempts WHERE outbox_id = ? ORDER BY id DESC LIMIT 1"),
      lastAmbiguous: prepared(
        db,
        "SELECT id, chunk, started_at_ms, outcome, error FROM channel_outbox_attempts WHERE outbox_id = ? AND outcome = 'ambiguous' ORDER BY id DESC LIMIT 1",
      ),
      chunkDone: prepared(db, "UPDATE channel_outbox SET chunks_sent = ?, provider_ids = ? WHERE id = ?"),
      finish: prepared(db, "UPDATE channel_outbox SET status = 'sent', sent_at_ms = ?, last_error = NULL WHERE id = ?"),
      retryLater: prepared(db, "UPDATE channel_outbox SET status = 'pending', next_attempt_at_ms = ?, last_error = ? WHERE id = ?"),
      deadIfSending: prepared(db, "UPDATE channel_outbox SET status = 'dead', dead_reason = ? WHERE id = ? AND status = 'sending'"),
      dead: prepared(db, "UPDATE channel_outbox SET status = 'dead', dead_reason = ?, last_error = ? WHERE id = ?"),
    };
  }

  /** Runs `work` in one SQLite transaction. */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Stores a message unless its idempotency key is known; either way returns the stored item. */
  insert(message: OutboxMessage, now: number, expiresAtMs: number): { item: OutboxItem; created: boolean } {
    const result = this.sql.insert.run({
      idempotencyKey: message.idempotencyKey,
      channel: message.channel,
      accountId: message.accountId,
      chatId: message.chatId,
      text: message.text,
      replyTo: message.replyTo ?? null,
      thread: message.thread ?? null,
      sessionKey: message.sessionKey ?? null,
      media: message.media ? JSON.stringify(message.media) : null,
      now,
      expiresAt: expiresAtMs,
    });
    return { item: toItem(this.sql.byKey.get(message.idempotencyKey) as Row), created: result.changes > 0 };
  }

  get(id: number): OutboxItem | undefined {
    const row = this.sql.byId.get(id) as Row | undefined;
    return row && toItem(row);
  }

  byKey(idempotencyKey: string): OutboxItem | undefined {
    const row = this.sql.byKey.get(idempotencyKey) as Row | undefined;
    return row && toItem(row);
  }

  /** Newest first. @default limit 100 */
  list(filter: { status?: OutboxStatus; channel?: string; limit?: number } = {}): OutboxItem[] {
    const rows = prepared(
      this.db,
      `SELECT * FROM channel_outbox WHERE (@status IS NULL OR status = @status) AND (@channel IS NULL OR channel = @channel) ORDER BY id DESC LIMIT @limit`,
    ).all({ status: filter.status ?? null, channel: filter.channel ?? null, limit: filter.limit ?? 100 }) as Row[];
    return rows.map(toItem);
  }

  /** Pending items, oldest first. */
  due(): OutboxItem[] {
    return (this.sql.due.all() as Row[]).map(toItem);
  }

  attempts(id: number): OutboxAttempt[] {
    const rows = prepared(this.db, "SELECT * FROM channel_outbox_attempts WHERE outbox_id = ? ORDER BY id").all(id) as {
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

  /**
   * Items left `sending` by a gateway that stopped mid-attempt: their open attempt (or, when none
   * is open, a new one) is recorded as ambiguous and they go back to pending.
   */
  recoverInterrupted(now: number, reason: string): void {
    const interrupted = prepared(this.db, "SELECT * FROM channel_outbox WHERE status = 'sending'").all() as Row[];
    for (const row of interrupted) {
      this.transaction(() => {
        if (this.sql.closeOpenAttempts.run(now, reason, row.id).changes === 0)
          this.sql.attemptRecord.run(row.id, row.attempts, row.chunks_sent, now, now, "ambiguous", reason);
        this.sql.retryLater.run(now, reason, row.id);
      });
    }
  }

  /** Back to pending with a fresh expiry, and a `retried` attempt that restarts the transient budget. */
  requeue(item: OutboxItem, now: number, expiresAtMs: number): void {
    this.transaction(() => {
      prepared(this.db, "UPDATE channel_outbox SET status = 'pending', next_attempt_at_ms = ?, expires_at_ms = ?, dead_reason = NULL WHERE id = ?").run(
        now,
        expiresAtMs,
        item.id,
      );
      prepared(
        this.db,
        "INSERT INTO channel_outbox_attempts (outbox_id, attempt, chunk, started_at_ms, ended_at_ms, outcome) VALUES (?, ?, ?, ?, ?, 'retried')",
      ).run(item.id, item.attempts, item.chunksSent, now, now);
    });
  }

  /** Deletes dead letters (and, with `includeSent`, sent items) created at or before `cutoff`. */
  prune(cutoff: number, includeSent: boolean): number {
    const statuses = includeSent ? "('dead', 'sent')" : "('dead')";
    return prepared(this.db, `DELETE FROM channel_outbox WHERE status IN ${statuses} AND created_at_ms <= ?`).run(cutoff).changes;
  }

  /** Deletes sent items created before `cutoff` (retention); pending work and dead letters stay. */
  pruneSent(cutoff: number): number {
    return prepared(this.db, "DELETE FROM channel_outbox WHERE status = 'sent' AND created_at_ms < ?").run(cutoff).changes;
  }

  /** Transient failures (and failed look-ups) since the operator last retried the item. */
  transientFailures(id: number): number {
    return (this.sql.transientCount.get({ id }) as { count: number }).count;
  }

  lastAttempt(id: number): AttemptRow | undefined {
    return this.sql.lastAttempt.get(id) as AttemptRow | undefined;
  }

  lastAmbiguous(id: number): AttemptRow | undefined {
    return this.sql.lastAmbiguous.get(id) as AttemptRow | undefined;
  }

  /** Claims a pending item for one delivery; false when it is no longer pending. */
  markSending(id: number): boolean {
    return this.sql.markSending.run(id).changes > 0;
  }

  /** Opens an attempt and returns its id. */
  startAttempt(id: number, attempt: number, chunk: number, at: number): number {
    return Number(this.sql.attemptStart.run(id, attempt, chunk, at).lastInsertRowid);
  }

  endAttempt(attemptId: number, at: number, outcome: string, error: string | null): void {
    this.sql.attemptEnd.run(at, outcome, error, attemptId);
  }

  /** Ends the attempt with `outcome` and records chunk `index` as sent, in one transaction. */
  chunkSent(id: number, attemptId: number, at: number, outcome: string, index: number, providerIds: readonly string[]): void {
    this.transaction(() => {
      this.sql.attemptEnd.run(at, outcome, null, attemptId);
      this.sql.chunkDone.run(index + 1, JSON.stringify(providerIds), id);
    });
  }

  finish(id: number, at: number): void {
    this.sql.finish.run(at, id);
  }

  retryLater(id: number, at: number, error: string): void {
    this.sql.retryLater.run(at, error, id);
  }

  dead(id: number, reason: string, lastError: string | null): void {
    this.sql.dead.run(reason, lastError, id);
  }

  /** Dead-letters an item still marked sending (an internal error mid-delivery). */
  deadIfSending(id: number, reason: string): void {
    this.sql.deadIfSending.run(reason, id);
  }
}
