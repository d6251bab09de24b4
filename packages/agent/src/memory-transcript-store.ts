import type { TokenUsage } from "./providers/types.js";
import {
  mergeSessionOptions,
  type NewTranscriptEntry,
  type PendingRun,
  type SessionPatch,
  type SessionRecord,
  type TranscriptEntry,
  type TranscriptPage,
  type TranscriptStore,
  type UsageRecord,
} from "./transcript.js";

type StoredSession = Omit<SessionRecord, "usage">;

/** A transcript store that lives in memory; `transaction` runs its function as is (nothing here can half-fail). */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly entries: TranscriptEntry[] = [];
  private readonly usage: UsageRecord[] = [];
  private readonly pending = new Map<string, PendingRun>();
  private nextId = 1;

  ensureSession(key: string, agentId: string, now: number): SessionRecord {
    if (!this.sessions.has(key))
      this.sessions.set(key, { key, sessionId: globalThis.crypto.randomUUID(), agentId, options: {}, createdAtMs: now, updatedAtMs: now });
    return this.session(key)!;
  }

  session(key: string): SessionRecord | undefined {
    const stored = this.sessions.get(key);
    return stored ? { ...stored, usage: this.totalUsage(stored) } : undefined;
  }

  listSessions(): SessionRecord[] {
    return [...this.sessions.keys()].map((key) => this.session(key)!).sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  }

  patchSession(key: string, patch: SessionPatch, now: number): SessionRecord | undefined {
    const existing = this.sessions.get(key);
    if (!existing) return undefined;
    this.sessions.set(key, {
      ...existing,
      ...(patch.label !== undefined ? { label: patch.label ?? undefined } : {}),
      ...(patch.model !== undefined ? { model: patch.model ?? undefined } : {}),
      options: mergeSessionOptions(existing.options, patch.options),
      updatedAtMs: now,
    });
    return this.session(key);
  }

  deleteSession(key: string): boolean {
    this.dropEntries(key);
    for (let i = this.usage.length - 1; i >= 0; i--) if (this.usage[i]!.sessionKey === key) this.usage.splice(i, 1);
    for (const [runId, run] of this.pending) if (run.sessionKey === key) this.pending.delete(runId);
    return this.sessions.delete(key);
  }

  resetSession(key: string, now: number): SessionRecord | undefined {
    const existing = this.sessions.get(key);
    if (!existing) return undefined;
    this.dropEntries(key);
    this.sessions.set(key, { ...existing, sessionId: globalThis.crypto.randomUUID(), updatedAtMs: now });
    return this.session(key);
  }

  append(entry: NewTranscriptEntry): TranscriptEntry {
    const stored = { ...entry, id: this.nextId++ };
    this.entries.push(stored);
    const session = this.sessions.get(entry.sessionKey);
    if (session) this.sessions.set(entry.sessionKey, { ...session, updatedAtMs: entry.createdAtMs });
    return stored;
  }

  appendIfCurrent(sessionId: string, entry: NewTranscriptEntry): TranscriptEntry | undefined {
    return this.sessions.get(entry.sessionKey)?.sessionId === sessionId ? this.append(entry) : undefined;
  }

  page(key: string, options: { limit: number; beforeId?: number; offset?: number }): TranscriptPage {
    const matching = this.entries.filter((entry) => entry.sessionKey === key && (options.beforeId === undefined || entry.id < options.beforeId));
    const end = Math.max(0, matching.length - (options.offset ?? 0));
    const start = Math.max(0, end - options.limit);
    return { entries: matching.slice(start, end), hasMore: start > 0 };
  }

  around(key: string, id: number, limit: number): (TranscriptPage & { hasNewer: boolean }) | undefined {
    const matching = this.entries.filter((entry) => entry.sessionKey === key);
    const index = matching.findIndex((entry) => entry.id === id);
    if (index < 0) return undefined;
    const [start, end] = centredWindow(index, matching.length, limit);
    return { entries: matching.slice(start, end), hasMore: start > 0, hasNewer: end < matching.length };
  }

  count(key: string): number {
    return this.entries.filter((entry) => entry.sessionKey === key).length;
  }

  recordUsage(record: UsageRecord): void {
    if (this.sessions.get(record.sessionKey)?.sessionId === record.sessionId) this.usage.push(record);
  }

  addPendingRun(run: PendingRun): void {
    this.pending.set(run.runId, run);
  }

  updatePendingRun(runId: string, patch: Partial<Pick<PendingRun, "state" | "message" | "foldedRunIds">>): void {
    const run = this.pending.get(runId);
    if (run) this.pending.set(runId, { ...run, ...patch });
  }

  removePendingRun(runId: string): void {
    this.pending.delete(runId);
  }

  pendingRuns(): PendingRun[] {
    return [...this.pending.values()];
  }

  transaction<T>(fn: () => T): T {
    return fn();
  }

  private dropEntries(key: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.sessionKey === key) this.entries.splice(i, 1);
  }

  private totalUsage(session: StoredSession): TokenUsage {
    let inputTokens = 0;
    let outputTokens = 0;
    for (const record of this.usage) {
      if (record.sessionKey !== session.key || record.sessionId !== session.sessionId) continue;
      inputTokens += record.inputTokens;
      outputTokens += record.outputTokens;
    }
    return { inputTokens, outputTokens };
  }
}

/**
 * `[start, end)` of at most `limit` items around `index` in a list of `length`: as many older
 * as newer, and whatever one side lacks goes to the other.
 */
export function centredWindow(index: number, length: number, limit: number): [number, number] {
  const size = Math.min(Math.max(1, limit), length);
  let start = Math.max(0, index - Math.floor((size - 1) / 2));
  const end = Math.min(length, start + size);
  start = Math.max(0, end - size);
  return [start, end];
}
