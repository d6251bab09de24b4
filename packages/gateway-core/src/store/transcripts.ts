import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import {
  mergeSessionOptions,
  type NewTranscriptEntry,
  type PendingRun,
  type SessionOptions,
  type SessionPatch,
  type SessionRecord,
  type TranscriptEntry,
  type TranscriptPage,
  type TranscriptStore,
  type UsageRecord,
} from "@openclaw/agent";
import type { InboundMedia } from "@openclaw/protocol";
import { prepared } from "./statements.js";

interface SessionRow {
  session_key: string;
  session_id: string;
  agent_id: string;
  label: string | null;
  model: string | null;
  options: string;
  created_at_ms: number;
  updated_at_ms: number;
  input_tokens: number;
  output_tokens: number;
}

interface EntryRow {
  id: number;
  session_key: string;
  run_id: string | null;
  role: TranscriptEntry["role"];
  text: string;
  extra: string | null;
  /** Added by schema version 9; NULL on older entries. */
  attachments: string | null;
  created_at_ms: number;
}

interface PendingRunRow {
  run_id: string;
  session_key: string;
  session_id: string;
  agent_id: string;
  message: string;
  state: PendingRun["state"];
  resume: number;
  folded_run_ids: string;
  accepted_at_ms: number;
}

type Extra = Pick<TranscriptEntry, "toolCalls" | "toolCallId" | "toolName" | "stopReason" | "errorMessage" | "usage" | "command" | "summary">;

// Totals count only the current session id: a reset starts them again.
const SESSION_SELECT = `
  SELECT s.*,
    (SELECT COALESCE(SUM(u.input_tokens), 0) FROM run_usage u WHERE u.session_key = s.session_key AND u.session_id = s.session_id) AS input_tokens,
    (SELECT COALESCE(SUM(u.output_tokens), 0) FROM run_usage u WHERE u.session_key = s.session_key AND u.session_id = s.session_id) AS output_tokens
  FROM sessions s`;

function toSession(row: SessionRow): SessionRecord {
  return {
    key: row.session_key,
    sessionId: row.session_id,
    agentId: row.agent_id,
    ...(row.label !== null ? { label: row.label } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    options: JSON.parse(row.options) as SessionOptions,
    usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens },
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

function toEntry(row: EntryRow): TranscriptEntry {
  const extra = row.extra === null ? {} : (JSON.parse(row.extra) as Extra);
  const attachments = row.attachments === null ? {} : { attachments: JSON.parse(row.attachments) as InboundMedia[] };
  return {
    id: row.id,
    sessionKey: row.session_key,
    runId: row.run_id ?? undefined,
    role: row.role,
    text: row.text,
    ...attachments,
    ...extra,
    createdAtMs: row.created_at_ms,
  };
}

function toPendingRun(row: PendingRunRow): PendingRun {
  return {
    runId: row.run_id,
    sessionKey: row.session_key,
    sessionId: row.session_id,
    agentId: row.agent_id,
    message: row.message,
    state: row.state,
    resume: row.resume === 1,
    foldedRunIds: JSON.parse(row.folded_run_ids) as string[],
    acceptedAtMs: row.accepted_at_ms,
  };
}

/** Sessions, transcripts, usage and pending runs in the gateway's SQLite file, so they survive restarts. */
export class SqliteTranscriptStore implements TranscriptStore {
  constructor(private readonly db: Database) {}

  ensureSession(key: string, agentId: string, now: number): SessionRecord {
    prepared(
      this.db,
      "INSERT INTO sessions (session_key, session_id, agent_id, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_key) DO NOTHING",
    ).run(key, randomUUID(), agentId, now, now);
    return this.session(key)!;
  }

  session(key: string): SessionRecord | undefined {
    const row = prepared<[string], SessionRow>(this.db, `${SESSION_SELECT} WHERE s.session_key = ?`).get(key);
    return row ? toSession(row) : undefined;
  }

  listSessions(): SessionRecord[] {
    return prepared<[], SessionRow>(this.db, `${SESSION_SELECT} ORDER BY s.updated_at_ms DESC`).all().map(toSession);
  }

  patchSession(key: string, patch: SessionPatch, now: number): SessionRecord | undefined {
    const current = this.session(key);
    if (!current) return undefined;
    prepared(this.db, "UPDATE sessions SET label = ?, model = ?, options = ?, updated_at_ms = ? WHERE session_key = ?").run(
      patch.label !== undefined ? patch.label : (current.label ?? null),
      patch.model !== undefined ? patch.model : (current.model ?? null),
      JSON.stringify(mergeSessionOptions(current.options, patch.options)),
      now,
      key,
    );
    return this.session(key);
  }

  deleteSession(key: string): boolean {
    // Entries, usage and pending runs go with it (ON DELETE CASCADE).
    return prepared(this.db, "DELETE FROM sessions WHERE session_key = ?").run(key).changes > 0;
  }

  resetSession(key: string, now: number): SessionRecord | undefined {
    return this.db.transaction(() => {
      if (!this.session(key)) return undefined;
      prepared(this.db, "DELETE FROM transcript_entries WHERE session_key = ?").run(key);
      prepared(this.db, "UPDATE sessions SET session_id = ?, updated_at_ms = ? WHERE session_key = ?").run(randomUUID(), now, key);
      return this.session(key);
    })();
  }

  append(entry: NewTranscriptEntry): TranscriptEntry {
    const { toolCalls, toolCallId, toolName, stopReason, errorMessage, usage, command, summary } = entry;
    const extra: Extra = {
      ...(toolCalls ? { toolCalls } : {}),
      ...(toolCallId ? { toolCallId } : {}),
      ...(toolName ? { toolName } : {}),
      ...(stopReason ? { stopReason } : {}),
      ...(errorMessage ? { errorMessage } : {}),
      ...(usage ? { usage } : {}),
      ...(command !== undefined ? { command } : {}),
      ...(summary ? { summary } : {}),
    };
    return this.db.transaction(() => {
      const info = prepared(
        this.db,
        "INSERT INTO transcript_entries (session_key, run_id, role, text, extra, attachments, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        entry.sessionKey,
        entry.runId ?? null,
        entry.role,
        entry.text,
        Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
        entry.attachments && entry.attachments.length > 0 ? JSON.stringify(entry.attachments) : null,
        entry.createdAtMs,
      );
      prepared(this.db, "UPDATE sessions SET updated_at_ms = ? WHERE session_key = ?").run(entry.createdAtMs, entry.sessionKey);
      return { ...entry, id: Number(info.lastInsertRowid) };
    })();
  }

  appendIfCurrent(sessionId: string, entry: NewTranscriptEntry): TranscriptEntry | undefined {
    return this.db.transaction(() => (this.isCurrent(entry.sessionKey, sessionId) ? this.append(entry) : undefined))();
  }

  page(key: string, options: { limit: number; beforeId?: number; offset?: number }): TranscriptPage {
    const rows = prepared<[string, number, number, number], EntryRow>(
      this.db,
      "SELECT * FROM transcript_entries WHERE session_key = ? AND id < ? ORDER BY id DESC LIMIT ? OFFSET ?",
    ).all(key, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit + 1, options.offset ?? 0);
    const hasMore = rows.length > options.limit;
    return { entries: rows.slice(0, options.limit).reverse().map(toEntry), hasMore };
  }

  around(key: string, id: number, limit: number): (TranscriptPage & { hasNewer: boolean }) | undefined {
    // Read `limit` (plus one) on each side, then keep a window of `limit` with the anchor in the middle.
    const older = prepared<[string, number, number], EntryRow>(
      this.db,
      "SELECT * FROM transcript_entries WHERE session_key = ? AND id < ? ORDER BY id DESC LIMIT ?",
    ).all(key, id, limit + 1);
    const newer = prepared<[string, number, number], EntryRow>(
      this.db,
      "SELECT * FROM transcript_entries WHERE session_key = ? AND id >= ? ORDER BY id ASC LIMIT ?",
    ).all(key, id, limit + 1);
    if (newer[0]?.id !== id) return undefined;
    const rows = [...older.reverse(), ...newer];
    const index = older.length;
    const size = Math.min(Math.max(1, limit), rows.length);
    let start = Math.max(0, index - Math.floor((size - 1) / 2));
    const end = Math.min(rows.length, start + size);
    start = Math.max(0, end - size);
    return { entries: rows.slice(start, end).map(toEntry), hasMore: start > 0, hasNewer: end < rows.length };
  }

  count(key: string): number {
    return prepared<[string], { n: number }>(this.db, "SELECT COUNT(*) AS n FROM transcript_entries WHERE session_key = ?").get(key)!.n;
  }

  recordUsage(record: UsageRecord): void {
    prepared(
      this.db,
      `INSERT INTO run_usage (run_id, session_key, session_id, provider, model, input_tokens, output_tokens, created_at_ms)
         SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM sessions WHERE session_key = ? AND session_id = ?)`,
    ).run(
      record.runId,
      record.sessionKey,
      record.sessionId,
      record.provider,
      record.model,
      record.inputTokens,
      record.outputTokens,
      record.createdAtMs,
      record.sessionKey,
      record.sessionId,
    );
  }

  addPendingRun(run: PendingRun): void {
    prepared(
      this.db,
      `INSERT INTO pending_runs (run_id, session_key, session_id, agent_id, message, state, resume, folded_run_ids, accepted_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      run.runId,
      run.sessionKey,
      run.sessionId,
      run.agentId,
      run.message,
      run.state,
      run.resume ? 1 : 0,
      JSON.stringify(run.foldedRunIds),
      run.acceptedAtMs,
    );
  }

  updatePendingRun(runId: string, patch: Partial<Pick<PendingRun, "state" | "message" | "foldedRunIds">>): void {
    prepared(
      this.db,
      "UPDATE pending_runs SET state = COALESCE(?, state), message = COALESCE(?, message), folded_run_ids = COALESCE(?, folded_run_ids) WHERE run_id = ?",
    ).run(patch.state ?? null, patch.message ?? null, patch.foldedRunIds ? JSON.stringify(patch.foldedRunIds) : null, runId);
  }

  removePendingRun(runId: string): void {
    prepared(this.db, "DELETE FROM pending_runs WHERE run_id = ?").run(runId);
  }

  pendingRuns(): PendingRun[] {
    return prepared<[], PendingRunRow>(this.db, "SELECT * FROM pending_runs ORDER BY seq").all().map(toPendingRun);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private isCurrent(key: string, sessionId: string): boolean {
    return (
      prepared<[string, string], { one: number }>(this.db, "SELECT 1 AS one FROM sessions WHERE session_key = ? AND session_id = ?").get(key, sessionId) !==
      undefined
    );
  }
}
