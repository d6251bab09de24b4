import { RuntimeClosedError } from "./errors.js";
import type { ModelMessage, ModelProvider, TokenUsage, ToolCall, ToolSpec } from "./providers/types.js";
import { Run, type RunEvent, type RunOutcome, type RunRequest } from "./run.js";
import type { NewTranscriptEntry, PendingRun, TranscriptEntry, TranscriptStore } from "./transcript.js";

/** Runs the tools a model calls (node commands, `send`, …). */
export interface ToolHost {
  tools(sessionKey: string): readonly ToolSpec[] | Promise<readonly ToolSpec[]>;
  call(call: ToolCall, context: { runId: string; sessionKey: string; signal: AbortSignal }): Promise<{ text: string; isError?: boolean }>;
}

export interface AgentRuntimeOptions {
  readonly store: TranscriptStore;
  /** The provider and model for a run. Throwing fails that run with the error's message. */
  readonly resolveModel: (agentId: string, sessionKey: string) => { provider: ModelProvider; model: string };
  readonly onEvent: (event: RunEvent) => void;
  /** Every run's end, including runs that joined another one (they share its outcome). */
  readonly onOutcome?: (outcome: RunOutcome) => void;
  readonly tools?: ToolHost;
  readonly systemPrompt?: string;
  /** Model turns a run may spend on tool calls. @default 8 */
  readonly maxToolRounds?: number;
  /** How many transcript entries go to the model. @default 200 */
  readonly historyLimit?: number;
  /** How long finished runs stay answerable by id. @default 300000 */
  readonly completedTtlMs?: number;
  readonly now?: () => number;
}

export type Submission = { readonly run: Run; readonly duplicate: "none" | "in_flight" | "completed" };

/** The error a turn that was in flight when the process died is closed with after the restart. */
export const RESTART_INTERRUPTED = "interrupted: gateway restarted";

const SHUTDOWN = "gateway stopping";
/** Ids of runs swept from memory that `forgotten` still recognises. */
const FORGOTTEN_LIMIT = 1000;

interface SessionLane {
  active: Run | undefined;
  queue: Run[];
}

type Ending = Pick<RunOutcome, "status" | "text" | "error" | "usage" | "provider" | "model">;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const addUsage = (total: TokenUsage | undefined, more: TokenUsage): TokenUsage => ({
  inputTokens: (total?.inputTokens ?? 0) + more.inputTokens,
  outputTokens: (total?.outputTokens ?? 0) + more.outputTokens,
});

/**
 * Runs agent turns: one at a time per session, sessions in parallel, each
 * streamed as events and recorded in the transcript.
 */
export class AgentRuntime {
  private readonly runs = new Map<string, Run>();
  private readonly forgottenIds = new Set<string>();
  private readonly lanes = new Map<string, SessionLane>();
  /** `wait` calls for run ids not submitted yet. */
  private readonly arrivals = new Map<string, Set<(run: Run) => void>>();
  private readonly waits = new Set<(outcome: RunOutcome | undefined) => void>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: AgentRuntimeOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Accept a message. A known run id is a retry: it returns that run instead of starting another.
   * `steer` joins the active run at its next model turn; `collect` joins the last queued run. A run
   * that joined another ends with it (same outcome, its own `runId`).
   */
  submit(request: RunRequest): Submission {
    if (this.closed) throw new RuntimeClosedError();
    this.sweep();
    const known = this.runs.get(request.runId);
    if (known) return { run: known, duplicate: known.outcome ? "completed" : "in_flight" };

    const { store } = this.options;
    const session = store.ensureSession(request.sessionKey, request.agentId, this.now());
    const run = new Run(request.runId, request.sessionKey, request.agentId, request.message, session.sessionId, request.resumeAfterRestart ?? false);
    this.register(run);
    const lane = this.lane(request.sessionKey);
    const mode = request.queueMode ?? "followup";
    const active = lane.active;

    if (mode === "steer" && active && !active.outcome && !active.aborter.signal.aborted) {
      // Recorded as pending on its own until a model turn takes it in, so a crash cannot lose it.
      store.addPendingRun(this.pendingRecord(run));
      run.host = active;
      active.steering.push(run);
      return { run, duplicate: "none" };
    }
    const lastQueued = lane.queue.at(-1);
    // Only runs that would both resume after a crash (or both not) can share one pending record.
    if (mode === "collect" && lastQueued && !lastQueued.aborter.signal.aborted && lastQueued.resumeAfterRestart === run.resumeAfterRestart) {
      this.fold(lastQueued, [run]);
      return { run, duplicate: "none" };
    }
    store.addPendingRun(this.pendingRecord(run));
    if (mode === "interrupt") {
      active?.abort("interrupted");
      lane.queue.unshift(run);
    } else lane.queue.push(run);
    this.pump(lane);
    return { run, duplicate: "none" };
  }

  get(runId: string): Run | undefined {
    return this.runs.get(runId);
  }

  /** True for a run that finished long enough ago to be swept from memory. */
  forgotten(runId: string): boolean {
    return !this.runs.has(runId) && this.forgottenIds.has(runId);
  }

  /**
   * Wait for a run's outcome. An id not submitted yet is waited for too (the run may be
   * submitted after the wait starts). Undefined on timeout, and at `close()`.
   */
  wait(runId: string, timeoutMs: number): Promise<RunOutcome | undefined> {
    const known = this.runs.get(runId);
    if (known?.outcome) return Promise.resolve(known.outcome);
    if (timeoutMs <= 0 || this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const follow = (run: Run) => void run.done.then(settle);
      const settle = (outcome: RunOutcome | undefined) => {
        clearTimeout(timer);
        this.waits.delete(settle);
        const waiting = this.arrivals.get(runId);
        waiting?.delete(follow);
        if (waiting?.size === 0) this.arrivals.delete(runId);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      this.waits.add(settle);
      if (known) follow(known);
      else {
        const waiting = this.arrivals.get(runId) ?? new Set();
        waiting.add(follow);
        this.arrivals.set(runId, waiting);
      }
    });
  }

  /**
   * Abort a session's runs, or the one with `runId`; returns the run ids stopped. A run that
   * joined another is one turn with it, so aborting either stops both; a steer message that no
   * turn has taken in yet is dropped on its own.
   */
  abortSession(sessionKey: string, runId?: string): string[] {
    const lane = this.lanes.get(sessionKey);
    if (!lane) return [];
    const heads = [...(lane.active ? [lane.active] : []), ...lane.queue].filter((run) => !run.outcome);
    const group = (run: Run) => [run, ...run.steering, ...run.followers];
    if (runId === undefined) {
      const stopped = heads.flatMap(group);
      // Steers are aborted themselves too, so they are not re-queued when their run ends.
      for (const run of stopped) run.aborter.abort("aborted");
      return stopped.map((run) => run.runId);
    }
    const target = heads.flatMap(group).find((run) => run.runId === runId);
    if (!target) return [];
    const host = target.host;
    if (host && host.steering.includes(target)) {
      host.steering.splice(host.steering.indexOf(target), 1);
      target.host = undefined;
      target.aborter.abort("aborted");
      this.settle(target, { status: "aborted", text: "", error: "aborted", provider: "", model: "" });
      return [target.runId];
    }
    const head = host ?? target;
    head.abort("aborted");
    return [head.runId, ...head.followers.map((run) => run.runId)];
  }

  /** The active run of a session and the runs that joined it. */
  activeRunIds(sessionKey: string): string[] {
    const active = this.lanes.get(sessionKey)?.active;
    return active && !active.outcome ? [active.runId, ...active.followers.map((run) => run.runId)] : [];
  }

  /**
   * Account for the runs a killed process left in the store: a turn that was in flight gets an
   * aborted entry saying so (its reply is gone, and running it again could repeat tool calls),
   * and messages still queued with `resumeAfterRestart` run now, in the order they were accepted.
   * Call it once, before submitting anything.
   */
  resume(): { interrupted: string[]; resumed: string[] } {
    const { store } = this.options;
    const interrupted: string[] = [];
    const resumed: string[] = [];
    for (const pending of store.pendingRuns()) {
      if (this.runs.has(pending.runId)) continue;
      const current = store.session(pending.sessionKey)?.sessionId === pending.sessionId;
      if (current && pending.state === "running") {
        const now = this.now();
        store.transaction(() => {
          // A tool call cut off mid-way gets its result, as providers require one after every call.
          for (const call of this.unansweredToolCalls(pending.sessionKey)) {
            store.appendIfCurrent(pending.sessionId, { sessionKey: pending.sessionKey, runId: pending.runId, role: "tool", text: RESTART_INTERRUPTED, toolCallId: call.id, toolName: call.name, createdAtMs: now });
          }
          store.appendIfCurrent(pending.sessionId, { sessionKey: pending.sessionKey, runId: pending.runId, role: "assistant", text: "", stopReason: "aborted", errorMessage: RESTART_INTERRUPTED, createdAtMs: now });
          store.removePendingRun(pending.runId);
        });
        // Kept as finished, so agent.wait and retries of these ids get an answer.
        for (const runId of [pending.runId, ...pending.foldedRunIds]) {
          const run = this.restored(pending, runId);
          run.finish({ runId, sessionKey: pending.sessionKey, status: "aborted", text: "", error: RESTART_INTERRUPTED, startedAt: now, endedAt: now, provider: "", model: "" }, now);
        }
        interrupted.push(pending.runId);
      } else if (current && pending.state === "queued" && pending.resume) {
        const run = this.restored(pending, pending.runId);
        for (const runId of pending.foldedRunIds) {
          const follower = this.restored(pending, runId);
          follower.host = run;
          run.followers.push(follower);
        }
        this.lane(pending.sessionKey).queue.push(run);
        resumed.push(pending.runId);
      } else store.removePendingRun(pending.runId);
    }
    for (const lane of this.lanes.values()) this.pump(lane);
    return { interrupted, resumed };
  }

  /** Abort everything, wait for every run to end, and answer pending waits. */
  async close(): Promise<void> {
    this.closed = true;
    // Ending runs may queue their leftover steers (already aborted, since closed), so repeat until none is left.
    for (let pending = this.unfinished(); pending.length > 0; pending = this.unfinished()) {
      for (const run of pending) run.aborter.abort(SHUTDOWN);
      await Promise.all(pending.map((run) => run.done));
    }
    for (const settle of [...this.waits]) settle(undefined);
  }

  /** The calls of the session's last assistant entry that no tool entry after it answers. */
  private unansweredToolCalls(sessionKey: string): ToolCall[] {
    const entries = this.options.store.page(sessionKey, { limit: 50 }).entries;
    const last = entries.findLastIndex((entry) => entry.role === "assistant");
    const calls = entries[last]?.toolCalls ?? [];
    const answered = new Set(entries.slice(last + 1).flatMap((entry) => (entry.role === "tool" && entry.toolCallId ? [entry.toolCallId] : [])));
    return calls.filter((call) => !answered.has(call.id));
  }

  private unfinished(): Run[] {
    return [...this.lanes.values()]
      .flatMap((lane) => [...(lane.active ? [lane.active] : []), ...lane.queue])
      .flatMap((run) => [run, ...run.steering, ...run.followers])
      .filter((run) => !run.outcome);
  }

  private register(run: Run): void {
    this.runs.set(run.runId, run);
    const waiting = this.arrivals.get(run.runId);
    this.arrivals.delete(run.runId);
    for (const follow of waiting ?? []) follow(run);
  }

  private restored(pending: PendingRun, runId: string): Run {
    const run = new Run(runId, pending.sessionKey, pending.agentId, runId === pending.runId ? pending.message : "", pending.sessionId, pending.resume);
    this.register(run);
    return run;
  }

  private pendingRecord(run: Run): PendingRun {
    return {
      runId: run.runId,
      sessionKey: run.sessionKey,
      sessionId: run.sessionId,
      agentId: run.agentId,
      message: run.message,
      state: "queued",
      resume: run.resumeAfterRestart,
      foldedRunIds: [],
      acceptedAtMs: this.now(),
    };
  }

  /** `joiners` become part of `host`'s turn: their messages are appended to its message. */
  private fold(host: Run, joiners: readonly Run[]): void {
    for (const joiner of joiners) {
      joiner.host = host;
      host.followers.push(joiner);
      host.message = `${host.message}\n\n${joiner.message}`;
    }
    this.options.store.updatePendingRun(host.runId, { message: host.message, foldedRunIds: host.followers.map((run) => run.runId) });
  }

  private lane(sessionKey: string): SessionLane {
    let lane = this.lanes.get(sessionKey);
    if (!lane) {
      lane = { active: undefined, queue: [] };
      this.lanes.set(sessionKey, lane);
    }
    return lane;
  }

  private pump(lane: SessionLane): void {
    if (lane.active) return;
    const next = lane.queue.shift();
    if (!next) return;
    lane.active = next;
    void this.execute(next)
      // A store that throws must neither leave the run unanswered nor reject into the void.
      .catch((error: unknown) => this.settle(next, { status: "error", text: "", error: errorText(error), provider: "", model: "" }))
      .catch(() => undefined)
      .finally(() => {
        lane.active = undefined;
        this.pump(lane);
      });
  }

  private sweep(): void {
    const cutoff = this.now() - (this.options.completedTtlMs ?? 300_000);
    for (const [id, run] of this.runs) {
      if (!run.outcome || run.finishedAt >= cutoff) continue;
      this.runs.delete(id);
      this.forgottenIds.add(id);
    }
    for (const id of this.forgottenIds) {
      if (this.forgottenIds.size <= FORGOTTEN_LIMIT) break;
      this.forgottenIds.delete(id);
    }
  }

  private toModelMessages(entries: readonly TranscriptEntry[]): ModelMessage[] {
    const messages: ModelMessage[] = this.options.systemPrompt ? [{ role: "system", content: this.options.systemPrompt }] : [];
    const resent = resentInterruptedTurns(entries);
    for (const [index, entry] of entries.entries()) {
      if (entry.role === "system" || resent.has(index)) continue;
      if (entry.role === "tool") messages.push({ role: "tool", content: entry.text, toolCallId: entry.toolCallId ?? "", name: entry.toolName ?? "" });
      else if (entry.role === "assistant") messages.push({ role: "assistant", content: entry.text, ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}) });
      else messages.push({ role: "user", content: entry.text });
    }
    return messages;
  }

  private async execute(run: Run): Promise<void> {
    // Nothing starts once shutdown began; the run still ends, as aborted.
    if (this.closed) run.aborter.abort(SHUTDOWN);
    const { store } = this.options;
    let seq = 0;
    const emit = (stream: RunEvent["stream"], data: Record<string, unknown>) =>
      this.options.onEvent({ runId: run.runId, sessionKey: run.sessionKey, seq: ++seq, stream, ts: this.now(), data });
    // Every write names the session id the run belongs to, so a deleted or reset session gets nothing.
    const write = (entry: Omit<NewTranscriptEntry, "sessionKey" | "runId" | "createdAtMs"> & { runId?: string; createdAtMs?: number }) =>
      store.appendIfCurrent(run.sessionId, { sessionKey: run.sessionKey, runId: run.runId, createdAtMs: this.now(), ...entry });
    run.status = "running";
    run.startedAt = this.now();
    let resolved: { provider: ModelProvider; model: string } | undefined;
    let text = "";
    let turnText = "";
    let usage: TokenUsage | undefined;
    const end = (status: RunOutcome["status"], error?: string) =>
      this.settle(run, { status, text, ...(error !== undefined ? { error } : {}), ...(usage ? { usage } : {}), provider: resolved?.provider.id ?? "", model: resolved?.model ?? "" });

    if (run.aborter.signal.aborted) {
      store.transaction(() => {
        write({ role: "user", text: run.message, createdAtMs: run.startedAt });
        write({ role: "assistant", text: "", stopReason: "aborted", errorMessage: run.abortReason ?? "aborted" });
      });
      emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now(), aborted: true });
      return end("aborted", run.abortReason);
    }
    emit("lifecycle", { phase: "start", startedAt: run.startedAt });
    // Resolved before the message is written: the resolver may add context that belongs before it.
    let unresolvable: unknown;
    try {
      resolved = this.options.resolveModel(run.agentId, run.sessionKey);
    } catch (error) {
      unresolvable = error;
    }
    // The message joins the transcript when its turn starts, so a queued follow-up never leaks into
    // the turn before it; until then its pending run holds it.
    store.transaction(() => {
      write({ role: "user", text: run.message, createdAtMs: run.startedAt });
      store.updatePendingRun(run.runId, { state: "running" });
    });

    try {
      if (!resolved) throw unresolvable;
      const { provider, model } = resolved;
      const tools = this.options.tools ? await this.options.tools.tools(run.sessionKey) : [];
      const maxRounds = this.options.maxToolRounds ?? 8;
      for (let round = 0; ; round++) {
        const history = store.page(run.sessionKey, { limit: this.options.historyLimit ?? 200 }).entries;
        const calls: ToolCall[] = [];
        let roundUsage: TokenUsage | undefined;
        turnText = "";
        for await (const event of provider.stream({ model, messages: this.toModelMessages(history), ...(tools.length > 0 && round < maxRounds ? { tools } : {}), signal: run.aborter.signal })) {
          if (event.type === "text") {
            turnText += event.delta;
            text += event.delta;
            emit("assistant", { text, delta: event.delta });
          } else if (event.type === "tool_call") calls.push(event.call);
          else if (event.usage) {
            roundUsage = addUsage(roundUsage, event.usage);
            usage = addUsage(usage, event.usage);
          }
        }
        write({ role: "assistant", text: turnText, ...(calls.length > 0 ? { toolCalls: calls } : {}), ...(roundUsage ? { usage: roundUsage } : {}) });
        if (calls.length === 0 || !this.options.tools) break;
        for (const call of calls) {
          emit("tool", { phase: "start", name: call.name, toolCallId: call.id, args: call.arguments });
          let result: { text: string; isError?: boolean };
          try {
            result = await this.options.tools.call(call, { runId: run.runId, sessionKey: run.sessionKey, signal: run.aborter.signal });
          } catch (error) {
            result = { text: errorText(error), isError: true };
          }
          emit("tool", { phase: "result", name: call.name, toolCallId: call.id, result: result.text, isError: result.isError === true });
          write({ role: "tool", text: result.text, toolCallId: call.id, toolName: call.name });
        }
        // Steering messages join the conversation at the next model turn, and the run from then on.
        for (const steer of run.steering.splice(0)) {
          store.transaction(() => {
            write({ runId: steer.runId, role: "user", text: steer.message });
            store.removePendingRun(steer.runId);
          });
          steer.status = "running";
          run.followers.push(steer);
        }
      }
      emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now() });
      end("ok");
    } catch (error) {
      const aborted = run.aborter.signal.aborted;
      const message = aborted ? (run.abortReason ?? "aborted") : errorText(error);
      // Keep what was streamed, marked, so the transcript shows where it stopped.
      write({ role: "assistant", text: turnText, stopReason: aborted ? "aborted" : "error", errorMessage: message });
      if (aborted) emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now(), aborted: true });
      else emit("lifecycle", { phase: "error", startedAt: run.startedAt, endedAt: this.now(), error: message });
      end(aborted ? "aborted" : "error", message);
    }
  }

  /** End a run and the runs that joined it; steers no model turn took in are queued first. */
  private settle(run: Run, ending: Ending): void {
    if (run.outcome) return;
    const { store } = this.options;
    const outcome: RunOutcome = { runId: run.runId, sessionKey: run.sessionKey, startedAt: run.startedAt || this.now(), endedAt: this.now(), ...ending };
    // Before the run's waiters wake, so close() finds the leftovers it has to end too.
    this.requeueSteering(run);
    try {
      store.transaction(() => {
        if (outcome.usage) store.recordUsage({ runId: run.runId, sessionKey: run.sessionKey, sessionId: run.sessionId, provider: outcome.provider, model: outcome.model, ...outcome.usage, createdAtMs: outcome.endedAt });
        store.removePendingRun(run.runId);
        for (const follower of run.followers) store.removePendingRun(follower.runId);
      });
    } finally {
      run.finish(outcome, outcome.endedAt);
      this.options.onOutcome?.(outcome);
      for (const follower of run.followers) {
        const shared: RunOutcome = { ...outcome, runId: follower.runId, joinedRunId: run.runId };
        follower.finish(shared, outcome.endedAt);
        this.options.onOutcome?.(shared);
      }
    }
  }

  /**
   * Steers that arrived after the last model turn still deserve an answer: the first becomes a
   * run of its own and the rest join it. Aborted ones are queued to end as aborted.
   */
  private requeueSteering(host: Run): void {
    const leftovers = host.steering.splice(0);
    if (leftovers.length === 0) return;
    for (const run of leftovers) {
      run.host = undefined;
      if (this.closed) run.aborter.abort(SHUTDOWN);
    }
    const live = leftovers.filter((run) => !run.aborter.signal.aborted);
    const [first] = live;
    // Those that resume after a crash like the first join it; the others go on their own.
    const rest = live.filter((run) => run !== first && run.resumeAfterRestart === first?.resumeAfterRestart);
    const alone = leftovers.filter((run) => run !== first && !rest.includes(run));
    const lane = this.lane(host.sessionKey);
    // An interrupting run waits at the front and must still go next.
    const at = host.abortReason === "interrupted" ? Math.min(1, lane.queue.length) : 0;
    lane.queue.splice(at, 0, ...(first ? [first] : []), ...alone);
    if (first && rest.length > 0) {
      this.options.store.transaction(() => {
        this.fold(first, rest);
        for (const run of rest) this.options.store.removePendingRun(run.runId);
      });
    }
  }
}

/** Markers of turns the gateway itself cut off (a restart or a shutdown), not the user. */
const GATEWAY_INTERRUPTIONS: ReadonlySet<string> = new Set([RESTART_INTERRUPTED, SHUTDOWN]);

/**
 * Entries of turns the gateway cut off before any output whose message came again as the very next
 * one (a channel replays an inbound message it had not answered): the model sees that message once.
 * The transcript keeps both, as it keeps everything.
 */
function resentInterruptedTurns(entries: readonly TranscriptEntry[]): Set<number> {
  const skipped = new Set<number>();
  for (let index = 0; index + 2 < entries.length; index++) {
    const [user, marker, next] = [entries[index]!, entries[index + 1]!, entries[index + 2]!];
    const cutOff = marker.role === "assistant" && marker.text === "" && marker.stopReason === "aborted" && GATEWAY_INTERRUPTIONS.has(marker.errorMessage ?? "");
    if (user.role === "user" && cutOff && !marker.toolCalls?.length && next.role === "user" && next.text === user.text) {
      skipped.add(index);
      skipped.add(index + 1);
    }
  }
  return skipped;
}
