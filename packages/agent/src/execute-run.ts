import { attachmentsOf } from "./attachments.js";
import type { ModelProvider } from "./providers/types.js";
import type { Run, RunEvent, RunOutcome } from "./run.js";
import type { AgentRuntimeOptions } from "./runtime.js";
import type { NewTranscriptEntry } from "./transcript.js";
import { SHUTDOWN, errorText, runModelTurns, type TurnProgress } from "./turn-loop.js";

/** How a run ends: what `settle` records for it and the runs that joined it. */
export type Ending = Pick<RunOutcome, "status" | "text" | "error" | "usage" | "provider" | "model">;

export interface RunDeps {
  readonly options: AgentRuntimeOptions;
  readonly now: () => number;
  /** Shutdown began: the run is ended as aborted without starting. */
  readonly closed: boolean;
  readonly settle: (run: Run, ending: Ending) => void;
}

/**
 * One run from start to end: lifecycle events, the user message into the transcript as the turn
 * starts, the model and tool loop, and the ending (ok, aborted or error) handed to `settle`.
 */
export async function executeRun(run: Run, deps: RunDeps): Promise<void> {
  // Nothing starts once shutdown began; the run still ends, as aborted.
  if (deps.closed) run.aborter.abort(SHUTDOWN);
  const { store } = deps.options;
  let seq = 0;
  const emit = (stream: RunEvent["stream"], data: Record<string, unknown>) =>
    deps.options.onEvent({ runId: run.runId, sessionKey: run.sessionKey, seq: ++seq, stream, ts: deps.now(), data });
  // Every write names the session id the run belongs to, so a deleted or reset session gets nothing.
  const write = (entry: Omit<NewTranscriptEntry, "sessionKey" | "runId" | "createdAtMs"> & { runId?: string; createdAtMs?: number }) =>
    store.appendIfCurrent(run.sessionId, { sessionKey: run.sessionKey, runId: run.runId, createdAtMs: deps.now(), ...entry });
  run.status = "running";
  run.startedAt = deps.now();
  let resolved: { provider: ModelProvider; model: string } | undefined;
  const progress: TurnProgress = { text: "", turnText: "", usage: undefined };
  const end = (status: RunOutcome["status"], error?: string) =>
    deps.settle(run, {
      status,
      text: progress.text,
      ...(error !== undefined ? { error } : {}),
      ...(progress.usage ? { usage: progress.usage } : {}),
      provider: resolved?.provider.id ?? "",
      model: resolved?.model ?? "",
    });

  if (run.aborter.signal.aborted) {
    store.transaction(() => {
      write({ role: "user", text: run.message, ...attachmentsOf(run), createdAtMs: run.startedAt });
      write({ role: "assistant", text: "", stopReason: "aborted", errorMessage: run.abortReason ?? "aborted" });
    });
    emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: deps.now(), aborted: true });
    return end("aborted", run.abortReason);
  }
  emit("lifecycle", { phase: "start", startedAt: run.startedAt });
  // Resolved before the message is written: the resolver may add context that belongs before it.
  let unresolvable: unknown;
  try {
    resolved = deps.options.resolveModel(run.agentId, run.sessionKey);
  } catch (error) {
    unresolvable = error;
  }
  // The message joins the transcript when its turn starts, so a queued follow-up never leaks into
  // the turn before it; until then its pending run holds it.
  store.transaction(() => {
    write({ role: "user", text: run.message, ...attachmentsOf(run), createdAtMs: run.startedAt });
    store.updatePendingRun(run.runId, { state: "running" });
  });

  try {
    if (!resolved) throw unresolvable;
    await runModelTurns(
      {
        run,
        provider: resolved.provider,
        model: resolved.model,
        store,
        ...(deps.options.tools ? { tools: deps.options.tools } : {}),
        ...(deps.options.systemPrompt ? { systemPrompt: deps.options.systemPrompt } : {}),
        ...(deps.options.loadMedia ? { loadMedia: deps.options.loadMedia } : {}),
        maxToolRounds: deps.options.maxToolRounds ?? 8,
        historyLimit: deps.options.historyLimit ?? 200,
        emit,
        write,
      },
      progress,
    );
    emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: deps.now() });
    end("ok");
  } catch (error) {
    const aborted = run.aborter.signal.aborted;
    const message = aborted ? (run.abortReason ?? "aborted") : errorText(error);
    // Keep what was streamed, marked, so the transcript shows where it stopped.
    write({ role: "assistant", text: progress.turnText, stopReason: aborted ? "aborted" : "error", errorMessage: message });
    if (aborted) emit("lifecycle", { phase: "end", startedAt: run.startedAt, endedAt: deps.now(), aborted: true });
    else emit("lifecycle", { phase: "error", startedAt: run.startedAt, endedAt: deps.now(), error: message });
    end(aborted ? "aborted" : "error", message);
  }
}
