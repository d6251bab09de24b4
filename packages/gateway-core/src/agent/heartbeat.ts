import { randomUUID } from "node:crypto";
import type { AgentRuntime } from "@openclaw/agent";
import type { HeartbeatEvent } from "@openclaw/protocol";

export interface HeartbeatOptions {
  /** @default 1800000 (30 min) */
  readonly everyMs: number;
  readonly enabled: boolean;
  readonly prompt: string;
  /** @default "agent:main:main" */
  readonly sessionKey?: string;
}

export const DEFAULT_HEARTBEAT_PROMPT = "Heartbeat: check whether anything needs attention. If nothing does, reply NO_REPLY.";

/**
 * A periodic agent turn on the main session. One timer; each beat emits a
 * `heartbeat` event and is remembered for `last-heartbeat`.
 */
export class Heartbeat {
  enabled: boolean;
  last: HeartbeatEvent | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly options: HeartbeatOptions,
    private readonly emit: (event: HeartbeatEvent) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = options.enabled;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.beat(), this.options.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Run one beat now (also what the timer calls); skipped while disabled or still running. */
  async beat(): Promise<HeartbeatEvent> {
    const started = this.now();
    if (!this.enabled || this.running) return this.record({ ts: started, status: "skipped", reason: this.enabled ? "previous heartbeat still running" : "disabled" });
    this.running = true;
    try {
      const sessionKey = this.options.sessionKey ?? "agent:main:main";
      const outcome = await this.runtime.submit({ runId: `heartbeat-${randomUUID()}`, sessionKey, agentId: "main", message: this.options.prompt }).run.done;
      const durationMs = this.now() - started;
      if (outcome.status !== "ok") return this.record({ ts: started, status: "failed", durationMs, reason: outcome.error ?? outcome.status, indicatorType: "error" });
      const text = outcome.text.trim();
      const quiet = text.length === 0 || text === "NO_REPLY";
      return this.record({ ts: started, status: quiet ? "ok-empty" : "ok-token", durationMs, ...(quiet ? {} : { preview: text.slice(0, 200) }), indicatorType: quiet ? "ok" : "alert" });
    } finally {
      this.running = false;
    }
  }

  private record(event: HeartbeatEvent): HeartbeatEvent {
    this.last = event;
    this.emit(event);
    return event;
  }
}
