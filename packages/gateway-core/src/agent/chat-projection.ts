import type { RunEvent, RunOutcome } from "@openclaw/agent";
import type { EventPayload } from "@openclaw/protocol";

/** Deltas go out at most this often per run (the first one at once). */
export const CHAT_DELTA_INTERVAL_MS = 150;

interface RunView {
  seq: number;
  text: string;
  sentText: string;
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
}

function assistantMessage(text: string, timestamp: number) {
  return { role: "assistant", content: [{ type: "text", text }], timestamp };
}

/**
 * Turns a run's stream into `chat` events, the UI-level view: throttled deltas
 * with the new text, then one final, aborted or error event.
 */
export class ChatProjection {
  private readonly runs = new Map<string, RunView>();

  constructor(
    private readonly emit: (payload: EventPayload<"chat">) => void,
    private readonly now: () => number = Date.now,
  ) {}

  onEvent(event: RunEvent): void {
    if (event.stream !== "assistant") return;
    const view = this.view(event.runId);
    view.text = String(event.data["text"] ?? "");
    const due = view.lastSentAt + CHAT_DELTA_INTERVAL_MS - this.now();
    if (due <= 0) this.flush(event.runId, event.sessionKey, view);
    else view.timer ??= setTimeout(() => this.flush(event.runId, event.sessionKey, view), due);
  }

  onOutcome(outcome: RunOutcome): void {
    const view = this.view(outcome.runId);
    // Send the throttled tail first, so the deltas always add up to the final text.
    if (outcome.status === "ok") this.flush(outcome.runId, outcome.sessionKey, view);
    clearTimeout(view.timer);
    this.runs.delete(outcome.runId);
    const base = { runId: outcome.runId, sessionKey: outcome.sessionKey, seq: ++view.seq, message: assistantMessage(outcome.text, outcome.endedAt) };
    if (outcome.status === "ok") this.emit({ ...base, state: "final", stopReason: "end", ...(outcome.usage ? { usage: outcome.usage } : {}) });
    else if (outcome.status === "aborted") this.emit({ ...base, state: "aborted", stopReason: "aborted" });
    else this.emit({ ...base, state: "error", errorMessage: outcome.error ?? "run failed", errorKind: "unknown", stopReason: "error" });
  }

  /** Clear every pending delta timer. */
  close(): void {
    for (const view of this.runs.values()) clearTimeout(view.timer);
    this.runs.clear();
  }

  private view(runId: string): RunView {
    let view = this.runs.get(runId);
    if (!view) {
      view = { seq: 0, text: "", sentText: "", lastSentAt: 0, timer: undefined };
      this.runs.set(runId, view);
    }
    return view;
  }

  private flush(runId: string, sessionKey: string, view: RunView): void {
    clearTimeout(view.timer);
    view.timer = undefined;
    if (!this.runs.has(runId) || view.text === view.sentText) return;
    const replace = !view.text.startsWith(view.sentText);
    const deltaText = replace ? view.text : view.text.slice(view.sentText.length);
    view.sentText = view.text;
    view.lastSentAt = this.now();
    this.emit({
      runId,
      sessionKey,
      seq: ++view.seq,
      state: "delta",
      deltaText,
      ...(replace ? { replace: true } : {}),
      message: assistantMessage(view.text, view.lastSentAt),
    });
  }
}
