import type { AgentEvent, InboundMedia } from "@openclaw/protocol";
import type { TokenUsage } from "./providers/types.js";

/**
 * One streamed event of a run: the protocol's `agent` event payload, with the session always named
 * and the streams the runtime emits (the gateway adds `isHeartbeat` for heartbeat turns).
 */
export type RunEvent = Omit<AgentEvent, "sessionKey" | "stream" | "spawnedBy" | "isHeartbeat"> & {
  readonly sessionKey: string;
  /** `thinking` carries the model's thinking, only while the session's reasoningLevel is `on` or `stream`. */
  readonly stream: "lifecycle" | "assistant" | "thinking" | "tool" | "error";
};

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
  /** Set on a run that was folded into another (steer, collect): the run that answered it. */
  readonly joinedRunId?: string;
}

export type QueueMode = "followup" | "interrupt" | "collect" | "steer";

export interface RunRequest {
  readonly runId: string;
  readonly sessionKey: string;
  readonly agentId: string;
  readonly message: string;
  /**
   * The message's attachments (a channel message's photos, voice notes, files, …). The run's user
   * transcript entry keeps them; the model sees stored images when it takes images, and a text line
   * for every other attachment.
   */
  readonly attachments?: readonly InboundMedia[];
  /** @default "followup" */
  readonly queueMode?: QueueMode;
  /**
   * Run it after a crash if its turn had not started. Leave it off when the caller replays its
   * own input after a restart (channels do), or the message would run twice.
   * @default false
   */
  readonly resumeAfterRestart?: boolean;
}

/**
 * One accepted message. Most runs are a turn of their own; a `steer` or `collect` message may
 * instead join another run (`host`) and end when that run ends.
 */
export class Run {
  status: RunStatus = "queued";
  startedAt = 0;
  readonly aborter = new AbortController();
  readonly done: Promise<RunOutcome>;
  /** Steer messages waiting for this run's next model turn. */
  readonly steering: Run[] = [];
  /** Messages that joined this run (consumed steers, collected followups); they end with it. */
  readonly followers: Run[] = [];
  /** The run this one joined, while it waits for or shares that run's turn. */
  host: Run | undefined;
  outcome: RunOutcome | undefined;
  finishedAt = 0;
  private settle!: (outcome: RunOutcome) => void;

  constructor(
    readonly runId: string,
    readonly sessionKey: string,
    readonly agentId: string,
    public message: string,
    /** The session id it was accepted into; writes stop if the session is deleted or reset. */
    readonly sessionId: string,
    readonly resumeAfterRestart: boolean,
    /** The message's attachments; runs folded into this one add theirs. */
    public attachments: readonly InboundMedia[] = [],
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** Abort the run, or the run it joined: they are one turn. */
  abort(reason = "aborted"): void {
    if (this.host) return this.host.abort(reason);
    if (this.status === "queued" || this.status === "running") this.aborter.abort(reason);
  }

  get abortReason(): string | undefined {
    const signal = this.aborter.signal;
    return signal.aborted ? (typeof signal.reason === "string" ? signal.reason : "aborted") : undefined;
  }

  finish(outcome: RunOutcome, at: number): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.status = outcome.status;
    this.finishedAt = at;
    this.settle(outcome);
  }
}
