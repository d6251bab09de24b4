import { afterEach, describe, expect, it } from "vitest";
import { ModelUnavailableError } from "./errors.js";
import { MemoryTranscriptStore } from "./memory-transcript-store.js";
import { GatedProvider, lastUser } from "@openclaw/testing";
import type { ModelProvider } from "./providers/types.js";
import type { RunOutcome } from "./run.js";
import { AgentRuntime, RESTART_INTERRUPTED, type AgentRuntimeOptions, type ToolHost } from "./runtime.js";

const clockTool: ToolHost = { tools: () => [{ name: "clock", description: "time", parameters: { type: "object" } }], call: async () => ({ text: "12:00" }) };

const runtimes: AgentRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

function runtimeWith(provider: ModelProvider, extra: Partial<AgentRuntimeOptions> & { store?: MemoryTranscriptStore } = {}) {
  const outcomes: RunOutcome[] = [];
  const store = extra.store ?? new MemoryTranscriptStore();
  const runtime = new AgentRuntime({
    store,
    resolveModel: () => ({ provider, model: "m" }),
    onEvent: () => undefined,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...extra,
  });
  runtimes.push(runtime);
  return { runtime, store, outcomes };
}

const texts = (store: MemoryTranscriptStore, key: string) =>
  store.page(key, { limit: 100 }).entries.map((entry) => [entry.role, entry.text, entry.stopReason ?? ""]);

describe("queue modes", () => {
  it("steer: a message sent during a tool round joins the run, and its own run id ends with that run", async () => {
    const provider = new GatedProvider((request, index) =>
      index === 0 ? [{ type: "tool_call", call: { id: "c1", name: "clock", arguments: "{}" } }] : [`saw ${lastUser(request)}`],
    );
    const { runtime, store, outcomes } = runtimeWith(provider, { tools: clockTool });
    const host = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "what time?" }).run;
    await provider.started(0);
    const steer = runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "and the date", queueMode: "steer" });
    expect(steer).toMatchObject({ duplicate: "none", run: { runId: "S" } });
    expect(runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "and the date", queueMode: "steer" }).duplicate).toBe("in_flight");
    provider.release(0);
    provider.release(1);
    const [hostOutcome, steerOutcome] = await Promise.all([host.done, steer.run.done]);
    expect(hostOutcome).toMatchObject({ runId: "A", status: "ok", text: "saw and the date" });
    expect(steerOutcome).toMatchObject({ runId: "S", status: "ok", text: "saw and the date", joinedRunId: "A" });
    expect(outcomes.map((outcome) => outcome.runId)).toEqual(["A", "S"]);
    expect(provider.requests).toHaveLength(2);
    expect(texts(store, "s")).toEqual([
      ["user", "what time?", ""],
      ["assistant", "", ""],
      ["tool", "12:00", ""],
      ["user", "and the date", ""],
      ["assistant", "saw and the date", ""],
    ]);
    expect(store.pendingRuns()).toEqual([]);
  });

  it("steer: a message that arrives after the last model turn runs next under its own id", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const { runtime, outcomes } = runtimeWith(provider);
    const host = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "one" }).run;
    await provider.started(0);
    const steer = runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "two", queueMode: "steer" }).run;
    provider.release(0);
    expect(await host.done).toMatchObject({ status: "ok", text: "re: one" });
    await provider.started(1);
    provider.release(1);
    expect(await steer.done).toMatchObject({ runId: "S", status: "ok", text: "re: two" });
    expect((await steer.done).joinedRunId).toBeUndefined();
    expect(outcomes.map((outcome) => outcome.runId)).toEqual(["A", "S"]);
  });

  it("collect: a message joins the last queued run, which answers both", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const { runtime, store } = runtimeWith(provider);
    runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" });
    await provider.started(0);
    const queued = runtime.submit({ runId: "B", sessionKey: "s", agentId: "main", message: "b" }).run;
    const collected = runtime.submit({ runId: "C", sessionKey: "s", agentId: "main", message: "c", queueMode: "collect" }).run;
    expect(store.pendingRuns().map((pending) => [pending.runId, pending.message, pending.foldedRunIds])).toEqual([
      ["A", "a", []],
      ["B", "b\n\nc", ["C"]],
    ]);
    provider.release(0);
    provider.release(1);
    expect(await collected.done).toMatchObject({ runId: "C", status: "ok", text: "re: b\n\nc", joinedRunId: "B" });
    expect((await queued.done).text).toBe("re: b\n\nc");
  });

  it("interrupt: the active run is aborted and the interrupting message goes next, ahead of leftover steers", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const { runtime } = runtimeWith(provider);
    const first = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "long job" }).run;
    await provider.started(0);
    const steer = runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "also this", queueMode: "steer" }).run;
    const urgent = runtime.submit({ runId: "I", sessionKey: "s", agentId: "main", message: "stop, do this", queueMode: "interrupt" }).run;
    expect(await first.done).toMatchObject({ status: "aborted", error: "interrupted" });
    await provider.started(1);
    expect(lastUser(provider.requests[1]!)).toBe("stop, do this");
    provider.release(1);
    expect(await urgent.done).toMatchObject({ runId: "I", status: "ok" });
    await provider.started(2);
    provider.release(2);
    expect(await steer.done).toMatchObject({ runId: "S", status: "ok", text: "re: also this" });
  });

  it("chat.abort of a steer no turn took in yet drops only that message", async () => {
    const provider = new GatedProvider(() => ["done"]);
    const { runtime, store } = runtimeWith(provider);
    const host = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" }).run;
    await provider.started(0);
    const steer = runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "s", queueMode: "steer" }).run;
    expect(runtime.abortSession("s", "S")).toEqual(["S"]);
    expect(await steer.done).toMatchObject({ runId: "S", status: "aborted" });
    provider.release(0);
    expect(await host.done).toMatchObject({ status: "ok" });
    expect(provider.requests).toHaveLength(1);
    expect(store.pendingRuns()).toEqual([]);
  });

  it("close() finishes with a leftover steer and a queued follow-up while the model only stops when aborted", async () => {
    const provider = new GatedProvider(() => ["never"]);
    const { runtime, store } = runtimeWith(provider);
    const active = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" }).run;
    await provider.started(0);
    const steer = runtime.submit({ runId: "S", sessionKey: "s", agentId: "main", message: "s", queueMode: "steer" }).run;
    const followup = runtime.submit({ runId: "F", sessionKey: "s", agentId: "main", message: "f" }).run;
    await runtime.close();
    for (const run of [active, steer, followup]) expect(run.outcome).toMatchObject({ status: "aborted", error: "gateway stopping" });
    expect(provider.requests).toHaveLength(1);
    expect(store.pendingRuns()).toEqual([]);
    expect(() => runtime.submit({ runId: "late", sessionKey: "s", agentId: "main", message: "x" })).toThrow(/shut down/);
  });
});

describe("sessions deleted or reset under a run", () => {
  it("a deleted session: the run ends aborted and nothing is written for it", async () => {
    const provider = new GatedProvider(() => ["late"]);
    const { runtime, store } = runtimeWith(provider);
    const run = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" }).run;
    const queued = runtime.submit({ runId: "B", sessionKey: "s", agentId: "main", message: "b" }).run;
    await provider.started(0);
    runtime.abortSession("s");
    store.deleteSession("s");
    expect(await run.done).toMatchObject({ status: "aborted" });
    expect(await queued.done).toMatchObject({ status: "aborted" });
    expect(store.session("s")).toBeUndefined();
    expect(store.count("s")).toBe(0);
  });

  it("a reset session: the old run's abort marker stays out of the new transcript", async () => {
    const provider = new GatedProvider(() => ["fresh"]);
    const { runtime, store } = runtimeWith(provider);
    const old = runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "old" }).run;
    await provider.started(0);
    runtime.abortSession("s");
    store.resetSession("s", Date.now());
    const next = runtime.submit({ runId: "B", sessionKey: "s", agentId: "main", message: "new" }).run;
    expect(await old.done).toMatchObject({ status: "aborted" });
    await provider.started(1);
    provider.release(1);
    await next.done;
    expect(texts(store, "s")).toEqual([
      ["user", "new", ""],
      ["assistant", "fresh", ""],
    ]);
  });
});

describe("accepted messages survive a crash", () => {
  it("resume(): the turn in flight is marked interrupted, queued resumable messages run, others are left to their caller", async () => {
    const store = new MemoryTranscriptStore();
    const stuck = new GatedProvider(() => ["lost"]);
    // The first process: one turn in flight, two queued; it dies without closing.
    const crashed = new AgentRuntime({ store, resolveModel: () => ({ provider: stuck, model: "m" }), onEvent: () => undefined });
    crashed.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "in flight", resumeAfterRestart: true });
    crashed.submit({ runId: "B", sessionKey: "s", agentId: "main", message: "queued", resumeAfterRestart: true });
    crashed.submit({ runId: "C", sessionKey: "s", agentId: "main", message: "from a channel" });
    crashed.submit({ runId: "D", sessionKey: "s", agentId: "main", message: "collected", queueMode: "collect", resumeAfterRestart: true });
    await stuck.started(0);

    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    provider.release(0);
    provider.release(1);
    const { runtime } = runtimeWith(provider, { store });
    // D could not join C (a channel message its channel replays itself), so it is queued on its own.
    expect(runtime.resume()).toEqual({ interrupted: ["A"], resumed: ["B", "D"] });
    expect(await runtime.wait("D", 5000)).toMatchObject({ status: "ok", text: "re: collected" });
    expect(await runtime.wait("A", 0)).toMatchObject({ status: "aborted", error: RESTART_INTERRUPTED });
    expect(texts(store, "s")).toEqual([
      ["user", "in flight", ""],
      ["assistant", "", "aborted"],
      ["user", "queued", ""],
      ["assistant", "re: queued", ""],
      ["user", "collected", ""],
      ["assistant", "re: collected", ""],
    ]);
    expect(store.page("s", { limit: 10 }).entries[1]).toMatchObject({ runId: "A", errorMessage: RESTART_INTERRUPTED });
    expect(store.pendingRuns()).toEqual([]);
    await crashed.close();
  });

  it("a message its channel sends again after a crash cut its turn off reaches the model once", async () => {
    const store = new MemoryTranscriptStore();
    const stuck = new GatedProvider(() => ["lost"]);
    const crashed = new AgentRuntime({ store, resolveModel: () => ({ provider: stuck, model: "m" }), onEvent: () => undefined });
    crashed.submit({ runId: "earlier", sessionKey: "s", agentId: "main", message: "hello" });
    stuck.release(0);
    await crashed.wait("earlier", 5000);
    crashed.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "what is 2+2?" });
    await stuck.started(1);

    const provider = new GatedProvider(() => ["4"]);
    provider.release(0);
    const { runtime } = runtimeWith(provider, { store });
    expect(runtime.resume().interrupted).toEqual(["A"]);
    // The channel's replay: the same text under a new run id.
    runtime.submit({ runId: "replay", sessionKey: "s", agentId: "main", message: "what is 2+2?" });
    expect(await runtime.wait("replay", 5000)).toMatchObject({ status: "ok", text: "4" });
    expect(provider.requests[0]!.messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "hello"],
      ["assistant", "lost"],
      ["user", "what is 2+2?"],
    ]);
    // The transcript keeps the interrupted turn.
    expect(texts(store, "s").slice(2)).toEqual([
      ["user", "what is 2+2?", ""],
      ["assistant", "", "aborted"],
      ["user", "what is 2+2?", ""],
      ["assistant", "4", ""],
    ]);
    await crashed.close();
  });

  it("resume(): a tool call cut off by the crash gets an interrupted result before the marker", async () => {
    const store = new MemoryTranscriptStore();
    const hangingTool: ToolHost = { tools: clockTool.tools, call: () => new Promise(() => {}) };
    const provider = new GatedProvider(() => [{ type: "tool_call", call: { id: "c1", name: "clock", arguments: "{}" } }]);
    provider.release(0);
    let calling!: () => void;
    const toolStarted = new Promise<void>((resolve) => (calling = resolve));
    // The process dies while the tool runs: the call is in the transcript, its result never is.
    const crashed = new AgentRuntime({
      store,
      resolveModel: () => ({ provider, model: "m" }),
      onEvent: (event) => event.stream === "tool" && calling(),
      tools: hangingTool,
    });
    crashed.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "time?", resumeAfterRestart: true });
    await toolStarted;

    const { runtime } = runtimeWith(new GatedProvider(() => []), { store });
    expect(runtime.resume()).toEqual({ interrupted: ["A"], resumed: [] });
    expect(store.page("s", { limit: 10 }).entries.map((entry) => [entry.role, entry.toolCallId ?? "", entry.text])).toEqual([
      ["user", "", "time?"],
      ["assistant", "", ""],
      ["tool", "c1", RESTART_INTERRUPTED],
      ["assistant", "", ""],
    ]);
  });
});

describe("usage, models and waits", () => {
  it("records each run's tokens and totals them for the session until a reset", async () => {
    const provider = new GatedProvider(() => ["hi", { type: "done", stopReason: "end", usage: { inputTokens: 10, outputTokens: 3 } }]);
    provider.release(0);
    provider.release(1);
    const { runtime, store } = runtimeWith(provider);
    expect(await runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" }).run.done).toMatchObject({
      usage: { inputTokens: 10, outputTokens: 3 },
    });
    await runtime.submit({ runId: "B", sessionKey: "s", agentId: "main", message: "b" }).run.done;
    expect(store.session("s")?.usage).toEqual({ inputTokens: 20, outputTokens: 6 });
    expect(
      store
        .page("s", { limit: 10 })
        .entries.filter((entry) => entry.role === "assistant")
        .map((entry) => entry.usage),
    ).toEqual([
      { inputTokens: 10, outputTokens: 3 },
      { inputTokens: 10, outputTokens: 3 },
    ]);
    store.resetSession("s", Date.now());
    expect(store.session("s")?.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it("a model that cannot be resolved fails the run with the resolver's message", async () => {
    const { runtime, store } = runtimeWith(new GatedProvider(() => []), {
      resolveModel: () => {
        throw new ModelUnavailableError("nowhere/model-x", 'provider "nowhere" is not configured');
      },
    });
    const outcome = await runtime.submit({ runId: "A", sessionKey: "s", agentId: "main", message: "a" }).run.done;
    expect(outcome).toMatchObject({ status: "error", error: expect.stringContaining('model "nowhere/model-x" is not available') });
    expect(texts(store, "s")).toEqual([
      ["user", "a", ""],
      ["assistant", "", "error"],
    ]);
  });

  it("wait() follows a run submitted after the wait began, and times out on one that never comes", async () => {
    const provider = new GatedProvider(() => ["ok"]);
    provider.release(0);
    const { runtime } = runtimeWith(provider);
    const waiting = runtime.wait("later", 5000);
    runtime.submit({ runId: "later", sessionKey: "s", agentId: "main", message: "a" });
    expect(await waiting).toMatchObject({ runId: "later", status: "ok" });
    expect(await runtime.wait("never", 20)).toBeUndefined();
  });

  it("close() answers waits still pending, so no timer outlives the runtime", async () => {
    const { runtime } = runtimeWith(new GatedProvider(() => []));
    const waiting = runtime.wait("never", 60_000);
    await runtime.close();
    expect(await waiting).toBeUndefined();
  });
});
