import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { InboundMedia } from "@openclaw/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, openStore, type Store } from "../src/index.js";
import { SqliteTranscriptStore, migrate, readSchemaVersion } from "../src/internal.js";
import { keepDatabase } from "../src/store/statements.js";
import { firstValue } from "./sql.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-transcripts-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "state.sqlite");
}

function open(path: string): Store {
  const store = openStore(path);
  cleanups.push(() => store.close());
  return store;
}

const pending = (runId: string, sessionId: string) => ({
  runId,
  sessionKey: "s",
  sessionId,
  agentId: "main",
  message: "hi",
  state: "queued" as const,
  resume: true,
  foldedRunIds: [],
  acceptedAtMs: 1,
});

const photo: InboundMedia = { kind: "image", mime: "image/jpeg", sizeBytes: 2048, sha256: "f".repeat(64), caption: "look" };
const place: InboundMedia = { kind: "location", location: { latitude: 48.8566, longitude: 2.3522, name: "Louvre" } };

describe("SqliteTranscriptStore", () => {
  it("a database from before usage and pending runs (version 6) migrates with its sessions and entries intact", () => {
    const path = tempPath();
    const old = keepDatabase(new BetterSqlite3(path));
    migrate(old, { upTo: 6 });
    old.exec("INSERT INTO sessions (session_key, session_id, agent_id, created_at_ms, updated_at_ms) VALUES ('s', 'sid-1', 'main', 1, 2)");
    old.exec("INSERT INTO transcript_entries (session_key, run_id, role, text, created_at_ms) VALUES ('s', 'r1', 'user', 'kept', 2)");
    old.close();

    const store = open(path);
    expect(readSchemaVersion(store.db)).toBe(SCHEMA_VERSION);
    const transcripts = new SqliteTranscriptStore(store.db);
    expect(transcripts.session("s")).toMatchObject({ sessionId: "sid-1", usage: { inputTokens: 0, outputTokens: 0 } });
    expect(transcripts.page("s", { limit: 10 }).entries.map((entry) => entry.text)).toEqual(["kept"]);
    expect(transcripts.pendingRuns()).toEqual([]);
  });

  it("session options survive a reopen, null clears one field and a reset keeps them", () => {
    const path = tempPath();
    const first = new SqliteTranscriptStore(open(path).db);
    first.ensureSession("s", "main", 1);
    expect(first.session("s")!.options).toEqual({});
    first.patchSession("s", { options: { thinkingLevel: "high", verboseLevel: "on", sendPolicy: "deny" } }, 2);
    first.patchSession("s", { options: { verboseLevel: null } }, 3);
    const reopened = new SqliteTranscriptStore(open(path).db);
    expect(reopened.session("s")!.options).toEqual({ thinkingLevel: "high", sendPolicy: "deny" });
    expect(reopened.resetSession("s", 4)!.options).toEqual({ thinkingLevel: "high", sendPolicy: "deny" });
  });

  it("an entry marked as a chat command keeps its marker", () => {
    const transcripts = new SqliteTranscriptStore(open(tempPath()).db);
    transcripts.ensureSession("s", "main", 1);
    transcripts.append({ sessionKey: "s", runId: undefined, role: "user", text: "/status", command: "status", createdAtMs: 2 });
    expect(transcripts.page("s", { limit: 5 }).entries[0]).toMatchObject({ text: "/status", command: "status" });
  });

  it("writes tied to a session id land only while the session still has it", () => {
    const transcripts = new SqliteTranscriptStore(open(tempPath()).db);
    const { sessionId } = transcripts.ensureSession("s", "main", 1);
    const entry = (text: string) => ({ sessionKey: "s", runId: "r", role: "assistant" as const, text, createdAtMs: 2 });
    expect(transcripts.appendIfCurrent(sessionId, entry("first"))).toMatchObject({ text: "first" });
    const reset = transcripts.resetSession("s", 3)!;
    expect(transcripts.appendIfCurrent(sessionId, entry("stale"))).toBeUndefined();
    transcripts.recordUsage({ runId: "r", sessionKey: "s", sessionId, provider: "p", model: "m", inputTokens: 5, outputTokens: 5, createdAtMs: 3 });
    expect(transcripts.session("s")?.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    transcripts.recordUsage({
      runId: "r2",
      sessionKey: "s",
      sessionId: reset.sessionId,
      provider: "p",
      model: "m",
      inputTokens: 7,
      outputTokens: 1,
      createdAtMs: 4,
    });
    expect(transcripts.session("s")?.usage).toEqual({ inputTokens: 7, outputTokens: 1 });
    transcripts.deleteSession("s");
    expect(transcripts.appendIfCurrent(reset.sessionId, entry("gone"))).toBeUndefined();
    expect(transcripts.count("s")).toBe(0);
  });

  it("pending runs keep their order, take updates, and go with their session", () => {
    const store = open(tempPath());
    const transcripts = new SqliteTranscriptStore(store.db);
    const { sessionId } = transcripts.ensureSession("s", "main", 1);
    transcripts.addPendingRun(pending("b", sessionId));
    transcripts.addPendingRun(pending("a", sessionId));
    transcripts.updatePendingRun("b", { state: "running" });
    transcripts.updatePendingRun("a", { message: "hi\n\nmore", foldedRunIds: ["c"] });
    expect(transcripts.pendingRuns().map((run) => [run.runId, run.state, run.message, run.foldedRunIds, run.resume])).toEqual([
      ["b", "running", "hi", [], true],
      ["a", "queued", "hi\n\nmore", ["c"], true],
    ]);
    transcripts.recordUsage({ runId: "b", sessionKey: "s", sessionId, provider: "p", model: "m", inputTokens: 1, outputTokens: 1, createdAtMs: 2 });
    transcripts.deleteSession("s");
    expect(transcripts.pendingRuns()).toEqual([]);
    expect(firstValue(store.db, "SELECT COUNT(*) FROM run_usage")).toBe(0);
  });

  it("a database from before attachments (version 8) migrates, keeps its entries, and takes entries with attachments", () => {
    const path = tempPath();
    const old = keepDatabase(new BetterSqlite3(path));
    migrate(old, { upTo: 8 });
    old.exec("INSERT INTO sessions (session_key, session_id, agent_id, created_at_ms, updated_at_ms) VALUES ('s', 'sid-1', 'main', 1, 2)");
    old.exec(
      `INSERT INTO transcript_entries (session_key, run_id, role, text, extra, created_at_ms) VALUES ('s', 'r1', 'assistant', 'kept', '{"stopReason":"aborted"}', 2)`,
    );
    old.close();

    const transcripts = new SqliteTranscriptStore(open(path).db);
    transcripts.append({ sessionKey: "s", runId: "r2", role: "user", text: "look", attachments: [photo, place], createdAtMs: 3 });
    const [kept, added] = transcripts.page("s", { limit: 10 }).entries;
    expect(kept).toEqual({ id: 1, sessionKey: "s", runId: "r1", role: "assistant", text: "kept", stopReason: "aborted", createdAtMs: 2 });
    expect(added).toEqual({ id: 2, sessionKey: "s", runId: "r2", role: "user", text: "look", attachments: [photo, place], createdAtMs: 3 });
  });

  it("attachments survive a reopen, and entries without any store none", () => {
    const path = tempPath();
    const first = new SqliteTranscriptStore(open(path).db);
    const { sessionId } = first.ensureSession("s", "main", 1);
    first.appendIfCurrent(sessionId, { sessionKey: "s", runId: "r1", role: "user", text: "", attachments: [photo], createdAtMs: 2 });
    first.append({ sessionKey: "s", runId: "r2", role: "user", text: "plain", attachments: [], createdAtMs: 3 });
    const store = open(path);
    const reopened = new SqliteTranscriptStore(store.db);
    expect(reopened.page("s", { limit: 10 }).entries.map((entry) => entry.attachments)).toEqual([[photo], undefined]);
    expect(reopened.around("s", 1, 5)?.entries[0]?.attachments).toEqual([photo]);
    expect(firstValue(store.db, "SELECT COUNT(*) FROM transcript_entries WHERE attachments IS NULL")).toBe(1);
  });
});
