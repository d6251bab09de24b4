import type { ModelMessage, ModelProvider, TokenUsage, ToolCall, ToolSpec } from "./providers/types.js";
import type { TranscriptEntry, TranscriptStore } from "./transcript.js";

/** Runs the tools a model calls (node commands, `send`, …). */
export interface ToolHost {
  tools(sessionKey: string): readonly ToolSpec[] | Promise<readonly ToolSpec[]>;
  call(call: ToolCall, context: { runId: string; sessionKey: string; signal: AbortSignal }): Promise<{ text: string; isError?: boolean }>;
}

/** One streamed event of a run, before the gateway wraps it as an `agent` event. */
export interface RunEvent {
  readonly runId: string;
  readonly sessionKey: string;
  readonly seq: number;
  readonly stream: "lifecycle" | "assistant" | "tool" | "error";
  readonly ts: number;
  readonly data: Record<string, unknown>;
}

export type RunStatus = "queued" | "running" | "ok" | "error" | "aborted";

export interface RunOutcome {
  readonly runId: string;
  readonly sessionKey: string;
  readonly status: "ok" | "error" | "aborted";
  readonly text: string;
  readonly error?: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly provider: string;
  readonly model: string;
  readonly usage?: TokenUsage;
}

export type QueueMode = "followup" | "interrupt" | "collect" | "steer";

export interface RunRequest {
  readonly runId: string;
  readonly sessionKey: string;
  readonly agentId: string;
  readonly message: string;
  /** @default "followup" */
  readonly queueMode?: QueueMode;
}

export interface AgentRuntimeOptions {
  readonly store: TranscriptStore;
  readonly resolveModel: (agentId: string, sessionKey: string) => { provider: ModelProvider; model: string };
  readonly onEvent: (event: RunEvent) => void;
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

/** One agent turn: queued, running, then finished with an outcome. */
export class Run {
  status: RunStatus = "queued";
  startedAt = 0;
  readonly aborter = new AbortController();
  readonly done: Promise<RunOutcome>;
  /** Messages that arrive while running with queueMode "steer". */
  readonly steering: string[] = [];
  outcome: RunOutcome | undefined;
  finishedAt = 0;
  private settle!: (outcome: RunOutcome) => void;

  constructor(
    readonly runId: string,
    readonly sessionKey: string,
    readonly agentId: string,
    public message: string,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  abort(reason = "aborted"): void {
    if (this.status === "queued" || this.status === "running") this.aborter.abort(reason);
  }

  finish(outcome: RunOutcome, at: number): void {
    this.outcome = outcome;
    this.status = outcome.status;
    this.finishedAt = at;
    this.settle(outcome);
  }
}

interface SessionLane {
  active: Run | undefined;
  queue: Run[];
}

export type Submission = { readonly run: Run; readonly duplicate: "none" | "in_flight" | "completed" | "merged" };

const abortReason = (signal: AbortSignal) => (typeof signal.reason === "string" ? signal.reason : "aborted");

/**
 * Runs agent turns: one at a time per session, sessions in parallel, each
 * streamed as events and recorded in the transcript.
 */
export class AgentRuntime {
  private readonly runs = new Map<string, Run>();
  private readonly lanes = new Map<string, SessionLane>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: AgentRuntimeOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Accept a message. A known run id is a retry: it returns that run instead of starting another. */
  submit(request: RunRequest): Submission {
    if (this.closed) throw new Error("agent runtime is shut down");
    this.sweep();
    const known = this.runs.get(request.runId);
    if (known) return { run: known, duplicate: known.outcome ? "completed" : "in_flight" };

    const lane = this.lane(request.sessionKey);
    const mode = request.queueMode ?? "followup";
    this.options.store.ensureSession(request.sessionKey, request.agentId, this.now());

    if (mode === "steer" && lane.active) {
      lane.active.steering.push(request.message);
      this.runs.set(request.runId, lane.active);
      return { run: lane.active, duplicate: "merged" };
    }
    const lastQueued = lane.queue.at(-1);
    if (mode === "collect" && lastQueued) {
      lastQueued.message = `${lastQueued.message}\n\n${request.message}`;
      this.runs.set(request.runId, lastQueued);
      return { run: lastQueued, duplicate: "merged" };
    }
    const run = new Run(request.runId, request.sessionKey, request.agentId, request.message);
    this.runs.set(run.runId, run);
    if (mode === "interrupt") {
      lane.active?.abort("interrupted");
      lane.queue.unshift(run);
    } else lane.queue.push(run);
    this.pump(lane);
    return { run, duplicate: "none" };
  }

  get(runId: string): Run | undefined {
    return this.runs.get(runId);
  }

  /** Wait for a run's outcome; undefined on timeout or for an unknown run. */
  async wait(runId: string, timeoutMs: number): Promise<RunOutcome | undefined> {
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    if (run.outcome || timeoutMs <= 0) return run.outcome;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      return await Promise.race([run.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Abort a session's active and queued runs (or one of them); returns the run ids stopped. */
  abortSession(sessionKey: string, runId?: string): string[] {
    const lane = this.lanes.get(sessionKey);
    if (!lane) return [];
    const targets = [...(lane.active ? [lane.active] : []), ...lane.queue].filter((run) => runId === undefined || run.runId === runId);
    for (const run of targets) run.abort("aborted");
    return targets.map((run) => run.runId);
  }

  activeRunIds(sessionKey: string): string[] {
    const lane = this.lanes.get(sessionKey);
    return lane?.active ? [lane.active.runId] : [];
  }

  /** Abort everything; pending waits resolve with the aborted outcomes. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.lanes.values()].flatMap((lane) => [...(lane.active ? [lane.active] : []), ...lane.queue]);
    for (const run of pending) run.abort("gateway stopping");
    await Promise.all(pending.map((run) => run.done));
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
    void this.execute(next).finally(() => {
      lane.active = undefined;
      this.pump(lane);
    });
  }

  private sweep(): void {
    const cutoff = this.now() - (this.options.completedTtlMs ?? 300_000);
    for (const [id, run] of this.runs) if (run.outcome && run.finishedAt < cutoff) this.runs.delete(id);
  }

  private toModelMessages(entries: readonly TranscriptEntry[]): ModelMessage[] {
    const messages: ModelMessage[] = this.options.systemPrompt ? [{ role: "system", content: this.options.systemPrompt }] : [];
    for (const entry of entries) {
      if (entry.role === "system") continue;
      if (entry.role === "tool") messages.push({ role: "tool", content: entry.text, toolCallId: entry.toolCallId ?? "", name: entry.toolName ?? "" });
      else if (entry.role === "assistant") messages.push({ role: "assistant", content: entry.text, ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}) });
      else messages.push({ role: "user", content: entry.text });
    }
    return messages;
  }

  private async execute(run: Run): Promise<void> {
    const { store } = this.options;
    let seq = 0;
    const emit = (stream: RunEvent["stream"], data: Record<string, unknown>) =>
      this.options.onEvent({ runId: run.runId, sessionKey: run.sessionKey, seq: ++seq, stream, ts: this.now(), data });
    const { provider, model } = this.options.resolveModel(run.agentId, run.sessionKey);
    run.status = "running";
    run.startedAt = this.now();
    const finish = (outcome: Omit<RunOutcome, "runId" | "sessionKey" | "startedAt" | "endedAt" | "provider" | "model">) => {
      const full: RunOutcome = { runId: run.runId, sessionKey: run.sessionKey, startedAt: run.startedAt, endedAt: this.now(), provider: provider.id, model, ...outcome };
      run.finish(full, full.endedAt);
      this.options.onOutcome?.(full);
    };

    if (run.aborter.signal.aborted) {
      store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "user", text: run.message, createdAtMs: run.startedAt });
      store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "assistant", text: "", stopReason: "aborted", createdAtMs: this.now() });
      emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now(), aborted: true });
      return finish({ status: "aborted", text: "" });
    }
    emit("lifecycle", { phase: "start", startedAt: run.startedAt });
    // The message joins the transcript when its turn starts, so a queued follow-up never
    // leaks into the turn before it.
    store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "user", text: run.message, createdAtMs: run.startedAt });

    let text = "";
    let turnText = "";
    let usage: TokenUsage | undefined;
    try {
      const tools = this.options.tools ? await this.options.tools.tools(run.sessionKey) : [];
      const maxRounds = this.options.maxToolRounds ?? 8;
      for (let round = 0; ; round++) {
        const history = store.page(run.sessionKey, { limit: this.options.historyLimit ?? 200 }).entries;
        const calls: ToolCall[] = [];
        turnText = "";
        for await (const event of provider.stream({ model, messages: this.toModelMessages(history), ...(tools.length > 0 && round < maxRounds ? { tools } : {}), signal: run.aborter.signal })) {
          if (event.type === "text") {
            turnText += event.delta;
            text += event.delta;
            emit("assistant", { text, delta: event.delta });
          } else if (event.type === "tool_call") calls.push(event.call);
          else if (event.usage) usage = { inputTokens: (usage?.inputTokens ?? 0) + event.usage.inputTokens, outputTokens: (usage?.outputTokens ?? 0) + event.usage.outputTokens };
        }
        store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "assistant", text: turnText, ...(calls.length > 0 ? { toolCalls: calls } : {}), createdAtMs: this.now() });
        if (calls.length === 0 || !this.options.tools) break;
        for (const call of calls) {
          emit("tool", { phase: "start", name: call.name, toolCallId: call.id, args: call.arguments });
          let result: { text: string; isError?: boolean };
          try {
            result = await this.options.tools.call(call, { runId: run.runId, sessionKey: run.sessionKey, signal: run.aborter.signal });
          } catch (error) {
            result = { text: error instanceof Error ? error.message : String(error), isError: true };
          }
          emit("tool", { phase: "result", name: call.name, toolCallId: call.id, result: result.text, isError: result.isError === true });
          store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "tool", text: result.text, toolCallId: call.id, toolName: call.name, createdAtMs: this.now() });
        }
        // Steering messages join the conversation at the next model turn.
        for (const message of run.steering.splice(0)) store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "user", text: message, createdAtMs: this.now() });
      }
      emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now() });
      finish({ status: "ok", text, ...(usage ? { usage } : {}) });
    } catch (error) {
      const aborted = run.aborter.signal.aborted;
      const message = aborted ? abortReason(run.aborter.signal) : error instanceof Error ? error.message : String(error);
      // Keep what was streamed, marked, so the transcript shows where it stopped.
      store.append({ sessionKey: run.sessionKey, runId: run.runId, role: "assistant", text: turnText, stopReason: aborted ? "aborted" : "error", createdAtMs: this.now() });
      if (aborted) {
        emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: this.now(), aborted: true });
        finish({ status: "aborted", text, error: message });
      } else {
        emit("lifecycle", { phase: "error", startedAt: run.startedAt, endedAt: this.now(), error: message });
        finish({ status: "error", text, error: message });
      }
    }
    // A steer that arrived after the last model turn still deserves an answer.
    if (run.steering.length > 0) {
      const leftover = run.steering.splice(0).join("\n\n");
      const followup = new Run(`${run.runId}:steer`, run.sessionKey, run.agentId, leftover);
      this.runs.set(followup.runId, followup);
      this.lane(run.sessionKey).queue.unshift(followup);
    }
  }
}
