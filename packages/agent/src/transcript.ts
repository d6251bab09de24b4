import type { ToolCall } from "./providers/types.js";

/** One stored transcript entry. `id` orders entries and pages `chat.history`. */
export interface TranscriptEntry {
  readonly id: number;
  readonly sessionKey: string;
  readonly runId: string | undefined;
  readonly role: "user" | "assistant" | "tool" | "system";
  readonly text: string;
  readonly toolCalls?: readonly ToolCall[];
  readonly toolCallId?: string;
  readonly toolName?: string;
  /** Set when the run ended early: `aborted` or `error`. */
  readonly stopReason?: string;
  readonly createdAtMs: number;
}

export type NewTranscriptEntry = Omit<TranscriptEntry, "id">;

/** A session as listed by `sessions.list`. */
export interface SessionRecord {
  readonly key: string;
  readonly sessionId: string;
  readonly agentId: string;
  readonly label?: string | undefined;
  readonly model?: string | undefined;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/**
 * Where sessions and transcripts live. The gateway backs it with SQLite so they
 * survive restarts; tests and embedders may use the in-memory one.
 */
export interface TranscriptStore {
  ensureSession(key: string, agentId: string, now: number): SessionRecord;
  session(key: string): SessionRecord | undefined;
  listSessions(): SessionRecord[];
  patchSession(key: string, patch: { label?: string | null; model?: string | null }, now: number): SessionRecord | undefined;
  deleteSession(key: string): boolean;
  /** Drop the transcript and start a new session id under the same key. */
  resetSession(key: string, now: number): SessionRecord | undefined;
  append(entry: NewTranscriptEntry): TranscriptEntry;
  /** Entries before `beforeId` (newest first when paging backwards), oldest first in the result. */
  page(key: string, options: { limit: number; beforeId?: number }): { entries: TranscriptEntry[]; hasMore: boolean };
  count(key: string): number;
}

/** A transcript store that lives in memory. */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly entries: TranscriptEntry[] = [];
  private nextId = 1;

  ensureSession(key: string, agentId: string, now: number): SessionRecord {
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const record: SessionRecord = { key, sessionId: globalThis.crypto.randomUUID(), agentId, createdAtMs: now, updatedAtMs: now };
    this.sessions.set(key, record);
    return record;
  }

  session(key: string): SessionRecord | undefined {
    return this.sessions.get(key);
  }

  listSessions(): SessionRecord[] {
    return [...this.sessions.values()].sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  }

  patchSession(key: string, patch: { label?: string | null; model?: string | null }, now: number): SessionRecord | undefined {
    const existing = this.sessions.get(key);
    if (!existing) return undefined;
    const next: SessionRecord = {
      ...existing,
      ...(patch.label !== undefined ? { label: patch.label ?? undefined } : {}),
      ...(patch.model !== undefined ? { model: patch.model ?? undefined } : {}),
      updatedAtMs: now,
    };
    this.sessions.set(key, next);
    return next;
  }

  deleteSession(key: string): boolean {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.sessionKey === key) this.entries.splice(i, 1);
    return this.sessions.delete(key);
  }

  resetSession(key: string, now: number): SessionRecord | undefined {
    const existing = this.sessions.get(key);
    if (!existing) return undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.sessionKey === key) this.entries.splice(i, 1);
    const next = { ...existing, sessionId: globalThis.crypto.randomUUID(), updatedAtMs: now };
    this.sessions.set(key, next);
    return next;
  }

  append(entry: NewTranscriptEntry): TranscriptEntry {
    const stored = { ...entry, id: this.nextId++ };
    this.entries.push(stored);
    const session = this.sessions.get(entry.sessionKey);
    if (session) this.sessions.set(entry.sessionKey, { ...session, updatedAtMs: entry.createdAtMs });
    return stored;
  }

  page(key: string, options: { limit: number; beforeId?: number }): { entries: TranscriptEntry[]; hasMore: boolean } {
    const matching = this.entries.filter((entry) => entry.sessionKey === key && (options.beforeId === undefined || entry.id < options.beforeId));
    const entries = matching.slice(-options.limit);
    return { entries, hasMore: matching.length > entries.length };
  }

  count(key: string): number {
    return this.entries.filter((entry) => entry.sessionKey === key).length;
  }
}
