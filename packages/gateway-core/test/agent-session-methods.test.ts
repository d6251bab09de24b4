import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelProvider } from "@openclaw/agent";
import { openMemoryStore, openStore, type GatewayServer, type GatewayServerOptions, type Store } from "../src/index.js";
import { SqliteTranscriptStore } from "../src/internal.js";
import { GatedProvider, lastUser } from "@openclaw/testing";
import { RawClient, connectClient, connectParams, startGateway, type Frame } from "./harness.js";
import { firstValue } from "./sql.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function start(provider: ModelProvider, extra: Partial<GatewayServerOptions> = {}) {
  server = await startGateway({ agent: { resolveModel: () => ({ provider, model: "test-model" }), listModels: async () => [] }, ...extra });
  return server;
}

async function operator(gateway: GatewayServer) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes: ["operator.read", "operator.write", "operator.admin"] }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

const chatEvent = (runId: string, state: string) => (frame: Frame) => frame.event === "chat" && frame.payload.runId === runId && frame.payload.state === state;
const finalTextOf = (frame: Frame) => frame.payload.message.content[0].text as string;
const historyTexts = (frame: Frame) =>
  frame.payload.messages.map((message: { role: string; content: { text: string }[] }) => `${message.role}: ${message.content[0]!.text}`);

describe("sessions.delete and sessions.reset while a run is active", () => {
  it("delete: the run ends aborted, nothing is written into the deleted session, and the gateway keeps serving", async () => {
    const provider = new GatedProvider(() => ["too late"]);
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    const gateway = await start(provider, { store });
    const client = await operator(gateway);
    client.send({ type: "req", id: "a1", method: "agent", params: { message: "long task", sessionKey: "doomed", idempotencyKey: "run-a" } });
    expect((await client.response("a1")).payload.status).toBe("accepted");
    await client.call("chat.send", { sessionKey: "doomed", message: "queued behind it", idempotencyKey: "run-b" });
    await provider.started(0);

    expect((await client.call("sessions.delete", { key: "doomed" })).payload).toEqual({ ok: true, key: "doomed", deleted: true });
    const final = await client.response("a1");
    expect(final).toMatchObject({ ok: false, payload: { runId: "run-a", status: "timeout", summary: "aborted" } });
    await client.next(chatEvent("run-a", "aborted"));
    await client.next(chatEvent("run-b", "aborted"));

    const rows = (table: string) => firstValue(store.db, `SELECT COUNT(*) FROM ${table} WHERE session_key = 'doomed'`);
    for (const table of ["sessions", "transcript_entries", "pending_runs"]) expect(rows(table), table).toBe(0);
    // Still alive: a new run in the same key starts a fresh session.
    provider.release(1);
    await client.call("chat.send", { sessionKey: "doomed", message: "again", idempotencyKey: "run-c" });
    await client.next(chatEvent("run-c", "final"));
    expect(historyTexts(await client.call("chat.history", { sessionKey: "doomed" }))).toEqual(["user: again", "assistant: too late"]);
  });

  it("reset: the old run's abort entry does not land in the fresh transcript", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const gateway = await start(provider);
    const client = await operator(gateway);
    await client.call("chat.send", { sessionKey: "s", message: "old question", idempotencyKey: "old" });
    await provider.started(0);
    const before = (await client.call("sessions.describe", { key: "s" })).payload.session.sessionId;
    const reset = await client.call("sessions.reset", { key: "s" });
    expect(reset.payload.entry.sessionId).not.toBe(before);
    await client.next(chatEvent("old", "aborted"));
    provider.release(1);
    await client.call("chat.send", { sessionKey: "s", message: "new question", idempotencyKey: "new" });
    await client.next(chatEvent("new", "final"));
    expect(historyTexts(await client.call("chat.history", { sessionKey: "s" }))).toEqual(["user: new question", "assistant: re: new question"]);
  });
});

describe("sessions.patch {model}", () => {
  it("the session's runs use the patched model; a provider this gateway lacks is refused, and a stored one no longer served fails the run, naming the model", async () => {
    const provider = new GatedProvider(() => ["ok"], { gated: false });
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    const gateway = await start(provider, { store });
    const client = await operator(gateway);
    const patched = await client.call("sessions.patch", { key: "s", model: "gated/bigger-model" });
    expect(patched.payload).toMatchObject({ ok: true, resolved: { modelProvider: "gated", model: "bigger-model" } });
    expect((await client.call("sessions.describe", { key: "s" })).payload.session).toMatchObject({ modelProvider: "gated", model: "bigger-model" });
    await client.call("chat.send", { sessionKey: "s", message: "hi", idempotencyKey: "r1" });
    await client.next(chatEvent("r1", "final"));
    expect(provider.requests.map((request) => request.model)).toEqual(["bigger-model"]);

    // Other sessions keep the configured model.
    await client.call("chat.send", { sessionKey: "other", message: "hi", idempotencyKey: "r2" });
    await client.next(chatEvent("r2", "final"));
    expect(provider.requests.at(-1)?.model).toBe("test-model");

    const refused = await client.call("sessions.patch", { key: "s", model: "elsewhere/huge-model" });
    expect(refused.error).toMatchObject({ code: "INVALID_REQUEST", message: expect.stringMatching(/^model: model "elsewhere\/huge-model" is not available/) });
    // A model stored while it was served (the config changed since): the run fails, naming it.
    new SqliteTranscriptStore(store.db).patchSession("s", { model: "elsewhere/huge-model" }, Date.now());
    client.send({ type: "req", id: "x", method: "agent", params: { message: "hi", sessionKey: "s", idempotencyKey: "r3" } });
    await client.response("x");
    const failed = await client.response("x");
    expect(failed).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(failed.error.message).toMatch(/model "elsewhere\/huge-model" is not available: provider "elsewhere" is not configured/);
    const error = await client.next(chatEvent("r3", "error"));
    expect(error.payload.errorMessage).toContain('model "elsewhere/huge-model"');
    expect(provider.requests).toHaveLength(2);

    // Clearing the patch goes back to the configured model.
    await client.call("sessions.patch", { key: "s", model: null });
    await client.call("chat.send", { sessionKey: "s", message: "hi", idempotencyKey: "r4" });
    await client.next(chatEvent("r4", "final"));
    expect(provider.requests.at(-1)?.model).toBe("test-model");
  });
});

describe("sessions.patch {model} with resolveModelRef", () => {
  it("a ref on another provider goes to that provider; one the resolver refuses is refused by sessions.patch, and fails the run with both reasons if stored anyway", async () => {
    const main = new GatedProvider(() => ["from main"], { gated: false });
    const second = new GatedProvider(() => ["from second"], { gated: false, id: "second" });
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    server = await startGateway({
      store,
      agent: {
        resolveModel: () => ({ provider: main, model: "test-model" }),
        resolveModelRef: (ref) => {
          if (ref.startsWith("second/")) return { provider: second, model: ref.slice("second/".length) };
          throw new Error(`no provider for "${ref}" (declare it under models.providers)`);
        },
        listModels: async () => [],
      },
    });
    const client = await operator(server);
    await client.call("sessions.patch", { key: "s", model: "second/small" });
    await client.call("chat.send", { sessionKey: "s", message: "hi", idempotencyKey: "r1" });
    expect(finalTextOf(await client.next(chatEvent("r1", "final")))).toBe("from second");
    expect(second.requests.map((request) => request.model)).toEqual(["small"]);
    expect(main.requests).toHaveLength(0);

    const refused = await client.call("sessions.patch", { key: "s", model: "third/x" });
    expect(refused.error?.message).toMatch(/^model: model "third\/x" is not available: no provider for "third\/x" \(declare it under models.providers\)/);
    new SqliteTranscriptStore(store.db).patchSession("s", { model: "third/x" }, Date.now());
    await client.call("chat.send", { sessionKey: "s", message: "hi", idempotencyKey: "r2" });
    const error = await client.next(chatEvent("r2", "error"));
    expect(error.payload.errorMessage).toMatch(/^model "third\/x" is not available: no provider for "third\/x" \(declare it under models.providers\)/);
  });
});

describe("agent.wait", () => {
  it("waits for a running run to end, and answers timeout when it does not end in time", async () => {
    const provider = new GatedProvider(() => ["done now"]);
    const gateway = await start(provider);
    const client = await operator(gateway);
    await client.call("chat.send", { sessionKey: "s", message: "go", idempotencyKey: "slow" });
    await provider.started(0);
    expect((await client.call("agent.wait", { runId: "slow", timeoutMs: 30 })).payload).toEqual({ runId: "slow", status: "timeout" });

    client.send({ type: "req", id: "w", method: "agent.wait", params: { runId: "slow", timeoutMs: 10_000 } });
    // Requests on one socket are taken in order: once health answers, the wait is waiting.
    await client.call("health", {});
    expect(client.frames.some((frame) => frame.id === "w")).toBe(false);
    provider.release(0);
    expect((await client.response("w")).payload).toMatchObject({
      runId: "slow",
      status: "ok",
      summary: "completed",
      outputText: "done now",
      sessionKey: "s",
      startedAt: expect.any(Number),
      endedAt: expect.any(Number),
    });
  });

  it("an id not submitted yet is waited for until its run ends, or times out", async () => {
    const provider = new GatedProvider(() => ["later"], { gated: false });
    const gateway = await start(provider);
    const client = await operator(gateway);
    expect((await client.call("agent.wait", { runId: "never", timeoutMs: 0 })).payload).toEqual({ runId: "never", status: "timeout" });
    expect((await client.call("agent.wait", { runId: "never", timeoutMs: 20 })).payload).toEqual({ runId: "never", status: "timeout" });

    client.send({ type: "req", id: "w", method: "agent.wait", params: { runId: "soon", timeoutMs: 10_000 } });
    await client.call("health", {});
    await client.call("chat.send", { sessionKey: "s", message: "go", idempotencyKey: "soon" });
    expect((await client.response("w")).payload).toMatchObject({ runId: "soon", status: "ok", outputText: "later" });
  });

  it("a run whose result left the cache answers AGENT_RESULT_NOT_FOUND", async () => {
    let clock = 1_000_000;
    const gateway = await start(new GatedProvider(() => ["x"], { gated: false }), { now: () => clock });
    const client = await operator(gateway);
    await client.call("chat.send", { sessionKey: "s", message: "a", idempotencyKey: "old-run" });
    await client.next(chatEvent("old-run", "final"));
    clock += 301_000;
    // The cache is swept as runs are submitted.
    await client.call("chat.send", { sessionKey: "s", message: "b", idempotencyKey: "new-run" });
    await client.next(chatEvent("new-run", "final"));
    const wait = await client.call("agent.wait", { runId: "old-run", timeoutMs: 0 });
    expect(wait).toMatchObject({ ok: false, error: { code: "AGENT_RESULT_NOT_FOUND" } });
    expect(wait.error.message).toMatch(/ended too long ago/);
  });
});

describe("chat.history params", () => {
  async function seeded(texts: string[]) {
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    const transcripts = new SqliteTranscriptStore(store.db);
    transcripts.ensureSession("s", "main", 1);
    const ids = texts.map(
      (text, index) => transcripts.append({ sessionKey: "s", runId: `r${index}`, role: index % 2 ? "assistant" : "user", text, createdAtMs: index + 1 }).id,
    );
    const gateway = await start(new GatedProvider(() => [], { gated: false }), { store });
    return { client: await operator(gateway), ids };
  }

  const texts = (frame: Frame) => frame.payload.messages.map((message: { content: { text: string }[] }) => message.content[0]!.text);

  it("offset skips the newest messages; messageId centres the page on one message", async () => {
    const { client, ids } = await seeded(Array.from({ length: 10 }, (_, index) => `m${index + 1}`));
    const offset = await client.call("chat.history", { sessionKey: "s", limit: 3, offset: 2 });
    expect(texts(offset)).toEqual(["m6", "m7", "m8"]);
    expect(offset.payload).toMatchObject({ hasMore: true, nextOffset: 5 });
    expect(texts(await client.call("chat.history", { sessionKey: "s", limit: 3, offset: 5 }))).toEqual(["m3", "m4", "m5"]);
    const last = await client.call("chat.history", { sessionKey: "s", limit: 3, offset: 8 });
    expect(texts(last)).toEqual(["m1", "m2"]);
    expect(last.payload.hasMore).toBe(false);

    const around = await client.call("chat.history", { sessionKey: "s", limit: 3, messageId: String(ids[4]) });
    expect(texts(around)).toEqual(["m4", "m5", "m6"]);
    expect(around.payload).toMatchObject({ hasMore: true, hasNewer: true });
    expect(texts(await client.call("chat.history", { sessionKey: "s", limit: 4, messageId: String(ids[9]) }))).toEqual(["m7", "m8", "m9", "m10"]);
    expect((await client.call("chat.history", { sessionKey: "s", messageId: "999999" })).payload).toMatchObject({ messages: [], hasMore: false });
    expect((await client.call("chat.history", { sessionKey: "s", messageId: "abc" })).error).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining("messageId"),
    });
  });

  it("maxChars shortens each message's text and marks it truncated", async () => {
    const { client } = await seeded(["short", "x".repeat(50)]);
    const history = await client.call("chat.history", { sessionKey: "s", maxChars: 10 });
    expect(history.payload.messages[0]).toMatchObject({ content: [{ text: "short" }] });
    expect(history.payload.messages[0].truncated).toBeUndefined();
    expect(history.payload.messages[1]).toMatchObject({ content: [{ text: `${"x".repeat(10)}\n...(truncated)...` }], truncated: true });
  });

  it("an answer holds at most 6 MiB of messages: the newest that fit, and the cursor pages on to the rest", async () => {
    const mib = 1024 * 1024;
    const { client } = await seeded(Array.from({ length: 8 }, (_, index) => `${index}`.repeat(mib)));
    const first = await client.call("chat.history", { sessionKey: "s" });
    expect(Buffer.byteLength(JSON.stringify(first.payload.messages))).toBeLessThanOrEqual(6 * mib);
    const firstIndexes = texts(first).map((text: string) => Number(text[0]));
    expect(firstIndexes).toEqual([3, 4, 5, 6, 7]);
    expect(first.payload.hasMore).toBe(true);
    const rest = await client.call("chat.history", { sessionKey: "s", cursor: first.payload.cursor });
    expect(texts(rest).map((text: string) => Number(text[0]))).toEqual([0, 1, 2]);
    expect(rest.payload.hasMore).toBe(false);
  });

  it("a single message larger than the cap is replaced by a placeholder", async () => {
    const { client } = await seeded(["before", "y".repeat(7 * 1024 * 1024)]);
    const history = await client.call("chat.history", { sessionKey: "s" });
    expect(texts(history)).toEqual(["before", "[chat.history omitted: message too large]"]);
    expect(history.payload.messages[1].omitted).toBe(true);
  });
});

describe("token usage", () => {
  it("is stored per run, totalled on sessions.list and sessions.describe, shown on the message, and survives a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-usage-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const provider = new GatedProvider(() => ["counted", { type: "done", stopReason: "end", usage: { inputTokens: 40, outputTokens: 2 } }], { gated: false });
    let store: Store = openStore(join(dir, "state.sqlite"));
    let gateway = await start(provider, { store });
    let client = await operator(gateway);
    for (const key of ["u1", "u2"]) {
      await client.call("chat.send", { sessionKey: "s", message: "hi", idempotencyKey: key });
      const final = await client.next(chatEvent(key, "final"));
      expect(final.payload.usage).toEqual({ inputTokens: 40, outputTokens: 2 });
    }
    const history = await client.call("chat.history", { sessionKey: "s" });
    expect(
      history.payload.messages.filter((message: { role: string }) => message.role === "assistant").map((message: { usage: unknown }) => message.usage),
    ).toEqual([
      { inputTokens: 40, outputTokens: 2 },
      { inputTokens: 40, outputTokens: 2 },
    ]);
    client.close();
    await gateway.stop();
    store.close();

    store = openStore(join(dir, "state.sqlite"));
    const reopened = store;
    cleanups.push(() => reopened.close());
    gateway = await start(provider, { store });
    client = await operator(gateway);
    const row = (await client.call("sessions.list", {})).payload.sessions.find((session: { key: string }) => session.key === "s");
    expect(row).toMatchObject({ inputTokens: 80, outputTokens: 4, totalTokens: 84 });
    expect((await client.call("sessions.describe", { key: "s" })).payload.session).toMatchObject({ inputTokens: 80, outputTokens: 4, totalTokens: 84 });
    await client.call("sessions.reset", { key: "s" });
    expect((await client.call("sessions.describe", { key: "s" })).payload.session).toMatchObject({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
