import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { NewTranscriptEntry, SessionRecord, TranscriptEntry, TranscriptStore } from "@openclaw/agent";

interface SessionRow {
  session_key: string;
  session_id: string;
  agent_id: string;
  label: string | null;
  model: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

interface EntryRow {
  id: number;
  session_key: string;
  run_id: string | null;
  role: TranscriptEntry["role"];
  text: string;
  extra: string | null;
  created_at_ms: number;
}

type Extra = Pick<TranscriptEntry, "toolCalls" | "toolCallId" | "toolName" | "stopReason">;

function toSession(row: SessionRow): SessionRecord {
  return {
    key: row.session_key,
    sessionId: row.session_id,
    agentId: row.agent_id,
    ...(row.label !== null ? { label: row.label } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

function toEntry(row: EntryRow): TranscriptEntry {
  const extra = row.extra === null ? {} : (JSON.parse(row.extra) as Extra);
  return { id: row.id, sessionKey: row.session_key, runId: row.run_id ?? undefined, role: row.role, text: row.text, ...extra, createdAtMs: row.created_at_ms };
}

/** Sessions and transcripts in the gateway's SQLite file, so they survive restarts. */
export class SqliteTranscriptStore implements TranscriptStore {
  constructor(private readonly db: Database) {}

  ensureSession(key: string, agentId: string, now: number): SessionRecord {
    this.db
      .prepare("INSERT INTO sessions (session_key, session_id, agent_id, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_key) DO NOTHING")
      .run(key, randomUUID(), agentId, now, now);
    return this.session(key)!;
  }

  session(key: string): SessionRecord | undefined {
    const row = this.db.prepare<[string], SessionRow>("SELECT * FROM sessions WHERE session_key = ?").get(key);
    return row ? toSession(row) : undefined;
  }

  listSessions(): SessionRecord[] {
    return this.db.prepare<[], SessionRow>("SELECT * FROM sessions ORDER BY updated_at_ms DESC").all().map(toSession);
  }

  patchSession(key: string, patch: { label?: string | null; model?: string | null }, now: number): SessionRecord | undefined {
    const current = this.session(key);
    if (!current) return undefined;
    this.db
      .prepare("UPDATE sessions SET label = ?, model = ?, updated_at_ms = ? WHERE session_key = ?")
      .run(patch.label !== undefined ? patch.label : (current.label ?? null), patch.model !== undefined ? patch.model : (current.model ?? null), now, key);
    return this.session(key);
  }

  deleteSession(key: string): boolean {
    return this.db.prepare("DELETE FROM sessions WHERE session_key = ?").run(key).changes > 0;
  }

  resetSession(key: string, now: number): SessionRecord | undefined {
    return this.db.transaction(() => {
      if (!this.session(key)) return undefined;
      this.db.prepare("DELETE FROM transcript_entries WHERE session_key = ?").run(key);
      this.db.prepare("UPDATE sessions SET session_id = ?, updated_at_ms = ? WHERE session_key = ?").run(randomUUID(), now, key);
      return this.session(key);
    })();
  }

  append(entry: NewTranscriptEntry): TranscriptEntry {
    const { toolCalls, toolCallId, toolName, stopReason } = entry;
    const extra: Extra = { ...(toolCalls ? { toolCalls } : {}), ...(toolCallId ? { toolCallId } : {}), ...(toolName ? { toolName } : {}), ...(stopReason ? { stopReason } : {}) };
    return this.db.transaction(() => {
      const info = this.db
        .prepare("INSERT INTO transcript_entries (session_key, run_id, role, text, extra, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .run(entry.sessionKey, entry.runId ?? null, entry.role, entry.text, Object.keys(extra).length > 0 ? JSON.stringify(extra) : null, entry.createdAtMs);
      this.db.prepare("UPDATE sessions SET updated_at_ms = ? WHERE session_key = ?").run(entry.createdAtMs, entry.sessionKey);
      return { ...entry, id: Number(info.lastInsertRowid) };
    })();
  }

  page(key: string, options: { limit: number; beforeId?: number }): { entries: TranscriptEntry[]; hasMore: boolean } {
    const rows = this.db
      .prepare<[string, number, number], EntryRow>("SELECT * FROM transcript_entries WHERE session_key = ? AND id < ? ORDER BY id DESC LIMIT ?")
      .all(key, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit + 1);
    const hasMore = rows.length > options.limit;
    return { entries: rows.slice(0, options.limit).reverse().map(toEntry), hasMore };
  }

  count(key: string): number {
    return this.db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM transcript_entries WHERE session_key = ?").get(key)!.n;
  }
}
