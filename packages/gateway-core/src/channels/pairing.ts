import { randomInt } from "node:crypto";
import type { Database } from "better-sqlite3";
import { prepared } from "../store/statements.js";

/** Uppercase letters and digits without the look-alikes 0, O, 1 and I. */
export const PAIRING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_TTL_MS = 3_600_000;
export const MAX_PENDING_PER_ACCOUNT = 3;

export interface ChannelPairingRequest {
  readonly channel: string;
  readonly accountId: string;
  readonly senderId: string;
  readonly senderName?: string;
  readonly chatId: string;
  readonly code: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/** What happened to a DM from an unknown sender. Only `created` sends the code to the sender. */
export type PairingOutcome =
  | { readonly kind: "created"; readonly request: ChannelPairingRequest }
  | { readonly kind: "pending"; readonly request: ChannelPairingRequest }
  | { readonly kind: "full" };

interface Row {
  channel: string;
  account_id: string;
  sender_id: string;
  code: string;
  sender_name: string | null;
  chat_id: string;
  created_at_ms: number;
  expires_at_ms: number;
}

const toRequest = (row: Row): ChannelPairingRequest => ({
  channel: row.channel,
  accountId: row.account_id,
  senderId: row.sender_id,
  ...(row.sender_name !== null ? { senderName: row.sender_name } : {}),
  chatId: row.chat_id,
  code: row.code,
  createdAtMs: row.created_at_ms,
  expiresAtMs: row.expires_at_ms,
});

export function generatePairingCode(): string {
  let code = "";
  for (let index = 0; index < PAIRING_CODE_LENGTH; index += 1) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}

/** Normalizes what an operator typed: case and separators do not matter. */
export function normalizePairingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/**
 * DM pairing for channel senders: codes, expiry, the per-account cap, and the approved-sender
 * list. Approval grants DM access on that channel account only; groups never consult it.
 */
export class ChannelPairingStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  private sweep(): void {
    prepared(this.db, "DELETE FROM channel_pairing_requests WHERE expires_at_ms <= ?").run(this.now());
  }

  /** Called for a DM the policy wants paired; creates a request only when there is room and none is pending. */
  request(input: { channel: string; accountId: string; senderId: string; senderName?: string | undefined; chatId: string }): PairingOutcome {
    return this.db.transaction((): PairingOutcome => {
      this.sweep();
      const existing = prepared(this.db, "SELECT * FROM channel_pairing_requests WHERE channel = ? AND account_id = ? AND sender_id = ?").get(
        input.channel,
        input.accountId,
        input.senderId,
      ) as Row | undefined;
      if (existing) return { kind: "pending", request: toRequest(existing) };
      const { count } = prepared(this.db, "SELECT COUNT(*) AS count FROM channel_pairing_requests WHERE channel = ? AND account_id = ?").get(
        input.channel,
        input.accountId,
      ) as { count: number };
      if (count >= MAX_PENDING_PER_ACCOUNT) return { kind: "full" };
      const now = this.now();
      for (;;) {
        const code = generatePairingCode();
        const inserted = prepared(
          this.db,
          `INSERT OR IGNORE INTO channel_pairing_requests (channel, account_id, sender_id, code, sender_name, chat_id, created_at_ms, expires_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(input.channel, input.accountId, input.senderId, code, input.senderName ?? null, input.chatId, now, now + PAIRING_TTL_MS);
        if (inserted.changes > 0) {
          const row = prepared(this.db, "SELECT * FROM channel_pairing_requests WHERE channel = ? AND code = ?").get(input.channel, code) as Row;
          return { kind: "created", request: toRequest(row) };
        }
      }
    })();
  }

  list(filter: { channel?: string | undefined } = {}): ChannelPairingRequest[] {
    this.sweep();
    const rows = prepared(this.db, "SELECT * FROM channel_pairing_requests WHERE (@channel IS NULL OR channel = @channel) ORDER BY created_at_ms").all({
      channel: filter.channel ?? null,
    }) as Row[];
    return rows.map(toRequest);
  }

  find(channel: string, code: string, accountId?: string): ChannelPairingRequest | undefined {
    this.sweep();
    const row = prepared(this.db, "SELECT * FROM channel_pairing_requests WHERE channel = ? AND code = ? AND (@account IS NULL OR account_id = @account)").get(
      channel,
      normalizePairingCode(code),
      { account: accountId ?? null },
    ) as Row | undefined;
    return row && toRequest(row);
  }

  /** Moves the request to the approved list in one transaction: the state is either old or new. */
  approve(request: ChannelPairingRequest): void {
    this.db.transaction(() => {
      prepared(this.db, "INSERT OR REPLACE INTO channel_allow_entries (channel, account_id, sender_id, approved_at_ms) VALUES (?, ?, ?, ?)").run(
        request.channel,
        request.accountId,
        request.senderId,
        this.now(),
      );
      prepared(this.db, "DELETE FROM channel_pairing_requests WHERE channel = ? AND account_id = ? AND sender_id = ?").run(
        request.channel,
        request.accountId,
        request.senderId,
      );
    })();
  }

  dismiss(request: ChannelPairingRequest): void {
    prepared(this.db, "DELETE FROM channel_pairing_requests WHERE channel = ? AND account_id = ? AND sender_id = ?").run(
      request.channel,
      request.accountId,
      request.senderId,
    );
  }

  /** Lets `senderId` message this account without pairing (what `/allowlist add` does). */
  allow(channel: string, accountId: string, senderId: string): void {
    prepared(this.db, "INSERT OR REPLACE INTO channel_allow_entries (channel, account_id, sender_id, approved_at_ms) VALUES (?, ?, ?, ?)").run(
      channel,
      accountId,
      senderId,
      this.now(),
    );
  }

  /** Takes an approved sender off the list; false when it was not on it. */
  disallow(channel: string, accountId: string, senderId: string): boolean {
    return (
      prepared(this.db, "DELETE FROM channel_allow_entries WHERE channel = ? AND account_id = ? AND sender_id = ?").run(channel, accountId, senderId).changes >
      0
    );
  }

  approvedSenders(channel: string, accountId: string): string[] {
    return (
      prepared(this.db, "SELECT sender_id FROM channel_allow_entries WHERE channel = ? AND account_id = ?").all(channel, accountId) as { sender_id: string }[]
    ).map((row) => row.sender_id);
  }
}
