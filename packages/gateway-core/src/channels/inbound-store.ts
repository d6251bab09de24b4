import type { Database } from "better-sqlite3";
import type { InboundMessage } from "@openclaw/channel-kit";
import { prepared } from "../store/statements.js";

/** An inbound message accepted but not yet handled, as stored before the provider was acked. */
export interface PendingInbound {
  readonly channel: string;
  readonly accountId: string;
  readonly messageId: string;
  readonly message: InboundMessage;
}

interface InboundRow {
  channel: string;
  account_id: string;
  chat_id: string;
  message_id: string;
  message: string;
}

/**
 * The inbound log (`channel_inbound`): one row per provider message ever admitted, keyed by
 * `(channel, account, chat, message)`. The row is the dedupe key and stays as a tombstone once the
 * message is handled.
 */
export class InboundStore {
  constructor(private readonly db: Database) {}

  /** Runs `work` in one SQLite transaction. */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Records a message as pending; false when its dedupe key was seen before. */
  record(channel: string, accountId: string, inbound: InboundMessage, receivedAtMs: number): boolean {
    const inserted = prepared(
      this.db,
      `INSERT OR IGNORE INTO channel_inbound (channel, account_id, chat_id, message_id, received_at_ms, status, message)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    ).run(channel, accountId, inbound.chat.id, inbound.providerMessageId, receivedAtMs, JSON.stringify(inbound));
    return inserted.changes > 0;
  }

  /** Marks a message handled (`done`) or dropped by policy, with what happened to it. */
  finish(inbound: InboundMessage, status: "done" | "dropped", outcome: string): void {
    prepared(this.db, "UPDATE channel_inbound SET status = ?, outcome = ? WHERE channel = ? AND account_id = ? AND chat_id = ? AND message_id = ?").run(
      status,
      outcome,
      inbound.channel,
      inbound.accountId,
      inbound.chat.id,
      inbound.providerMessageId,
    );
  }

  /** Messages accepted whose handling never finished, oldest first. */
  pending(): PendingInbound[] {
    const rows = prepared(
      this.db,
      "SELECT channel, account_id, chat_id, message_id, message FROM channel_inbound WHERE status = 'pending' ORDER BY received_at_ms",
    ).all() as InboundRow[];
    return rows.map((row) => ({
      channel: row.channel,
      accountId: row.account_id,
      messageId: row.message_id,
      message: JSON.parse(row.message) as InboundMessage,
    }));
  }

  /** Deletes handled tombstones received before `cutoff`; pending messages stay. */
  prune(cutoff: number): number {
    return prepared(this.db, "DELETE FROM channel_inbound WHERE status != 'pending' AND received_at_ms < ?").run(cutoff).changes;
  }
}
