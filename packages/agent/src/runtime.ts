import { RuntimeClosedError } from "./errors.js";
import type { LoadMedia } from "./attachments.js";
import type { ModelProvider, ToolCall, ToolSpec } from "./providers/types.js";
import { Run, type RunEvent, type RunOutcome, type RunRequest } from "./run.js";
import { executeRun, type Ending } from "./execute-run.js";
import { RunWaits } from "./run-waits.js";
import { RESTART_INTERRUPTED, SHUTDOWN, closeInterruptedTurn, errorText } from "./turn-loop.js";
import type { PendingRun, TranscriptStore } from "./transcript.js";

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
  /**
   * Reads a stored attachment by its SHA-256 (the gateway's media store), for images sent to a model
   * that takes them. Without it, every attachment reaches the model as a text line.
   */
  readonly loadMedia?: LoadMedia;
  /** How long finished runs stay answerable by id. @default 300000 */
  readonly completedTtlMs?: number;
  readonly now?: () => number;
}

export type Submission = { readonly run: Run; readonly duplicate: "none" | "in_flight" | "completed" };

export { RESTART_INTERRUPTED } from "./turn-loop.js";

/** Ids of runs swept from memory that `forgotten` still recognises. */
const FORGOTTEN_LIMIT = 1000;

interface SessionLane {
  active: Run | undefined;
  queue: Run[];
}

/**
 * Runs agent turns: one at a time per session, sessions in parallel, each
 * streamed as events and recorded in the transcript.
 */
/**
 * Resolves once the promise jobs queued so far have run: the submitting handler's return and the
 * answer its caller writes. A tick, then a promise job, then a tick: whether the submit came from
 * a promise job (its tick runs after the queue drains) or from plain code (its first tick runs
 * before the queue, the second after it). Not a timer, so fake clocks in tests do not hold runs.
 */
async function afterPendingPromiseJobs(): Promise<void> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
  await new Promise<void>((resolve) => process.nextTick(resolve));
}

export class AgentRuntime {
  private readonly runs = new Map<string, Run>();
  private readonly forgottenIds = new Set<string>();
  private readonly lanes = new Map<string, SessionLane>();
  /** `wait` calls for run ids not submitted yet. */
  private readonly waiting = new RunWaits();
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
    const run = new Run(
      request.runId,
      request.sessionKey,
      request.agentId,
      request.message,
      session.sessionId,
      request.resumeAfterRestart ?? false,
      request.attachments ?? [],
    );
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
    return this.waiting.wait(runId, known, timeoutMs);
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
        closeInterruptedTurn(store, pending, now);
        // Kept as finished, so agent.wait and retries of these ids get an answer.
        for (const runId of [pending.runId, ...pending.foldedRunIds]) {
          const run = this.restored(pending, runId);
          run.finish(
            {
              runId,
              sessionKey: pending.sessionKey,
              status: "aborted",
              text: "",
              error: RESTART_INTERRUPTED,
              startedAt: now,
              endedAt: now,
              provider: "",
              model: "",
            },
            now,
          );
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
    this.waiting.closeAll();
  }

  private unfinished(): Run[] {
    return [...this.lanes.values()]
      .flatMap((lane) => [...(lane.active ? [lane.active] : []), ...lane.queue])
      .flatMap((run) => [run, ...run.steering, ...run.followers])
      .filter((run) => !run.outcome);
  }

  private register(run: Run): void {
    this.runs.set(run.runId, run);
    this.waiting.arrived(run);
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
      host.attachments = [...host.attachments, ...joiner.attachments];
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

  private async execute(run: Run): Promise<void> {
    // The request that submitted the run (chat.send's `started`, agent's `accepted`) is answered
    // before the run's first event: clients match the events to the run id that answer gives them.
    await afterPendingPromiseJobs();
    return executeRun(run, { options: this.options, now: this.now, closed: this.closed, settle: (target, ending) => this.settle(target, ending) });
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
        if (outcome.usage)
          store.recordUsage({
            runId: run.runId,
            sessionKey: run.sessionKey,
            sessionId: run.sessionId,
            provider: outcome.provider,
            model: outcome.model,
            ...outcome.usage,
            createdAtMs: outcome.endedAt,
          });
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
