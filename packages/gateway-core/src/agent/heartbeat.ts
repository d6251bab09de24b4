import { randomUUID } from "node:crypto";
import type { AgentRuntime } from "@openclaw/agent";
import type { HeartbeatEvent } from "@openclaw/protocol";

export interface HeartbeatOptions {
  /** Time between beats; 0 means no periodic beat. @default 1800000 (30 min) */
  readonly everyMs: number;
  /** `agents.defaults.heartbeat.enabled`; `set-heartbeats` changes it at runtime. @default true */
  readonly enabled: boolean;
  /** The message of each heartbeat turn. @default DEFAULT_HEARTBEAT_PROMPT */
  readonly prompt: string;
  /** @default "agent:main:main" */
  readonly sessionKey?: string;
}

/** Why a beat ran: the timer, a `wake`/`system-event` asking for a turn now, or a cron job's `wakeMode: "now"`. */
export type HeartbeatReason = "interval" | "wake" | "cron";

export const DEFAULT_HEARTBEAT_PROMPT = "Heartbeat: check whether anything needs attention. If nothing does, reply NO_REPLY.";

/** How `health` and `status` describe the heartbeat. */
export interface HeartbeatView {
  readonly enabled: boolean;
  /** `"30m"`, or `"disabled"`. */
  readonly every: string;
  readonly everyMs: number | null;
  readonly prompt: string;
  readonly target: string;
}

function formatEvery(everyMs: number): string {
  if (everyMs % 3_600_000 === 0) return `${everyMs / 3_600_000}h`;
  if (everyMs % 60_000 === 0) return `${everyMs / 60_000}m`;
  if (everyMs % 1000 === 0) return `${everyMs / 1000}s`;
  return `${everyMs}ms`;
}

/**
 * A periodic agent turn on the main session. One timer, armed only while enabled;
 * each beat emits a `heartbeat` event and is remembered for `last-heartbeat`.
 */
export class Heartbeat {
  last: HeartbeatEvent | null = null;
  private wanted: boolean;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private inFlight = 0;
  private readonly runIds = new Set<string>();

  constructor(
    private readonly runtime: AgentRuntime,
    private options: HeartbeatOptions,
    private readonly emit: (event: HeartbeatEvent) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.wanted = options.enabled;
  }

  /** Periodic beats are on: enabled, with a non-zero interval. */
  get enabled(): boolean {
    return this.wanted && this.options.everyMs > 0;
  }

  /** Whether the timer is armed (tests prove that disabling and `stop()` clear it). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  get sessionKey(): string {
    return this.options.sessionKey ?? "agent:main:main";
  }

  /** `set-heartbeats`: arms or clears the timer at once. */
  setEnabled(enabled: boolean): void {
    this.wanted = enabled;
    if (this.started) this.arm();
  }

  /**
   * A changed `agents.defaults.heartbeat`: the interval and prompt apply from now on and the timer
   * is re-armed. A changed `enabled` replaces what `set-heartbeats` chose; otherwise that choice stays.
   */
  reconfigure(next: Pick<HeartbeatOptions, "everyMs" | "enabled" | "prompt">): void {
    if (next.enabled !== this.options.enabled) this.wanted = next.enabled;
    const rearm = next.everyMs !== this.options.everyMs || next.enabled !== this.options.enabled;
    this.options = { ...this.options, everyMs: next.everyMs, enabled: next.enabled, prompt: next.prompt };
    if (rearm && this.started) this.arm();
  }

  start(): void {
    this.started = true;
    this.arm();
  }

  stop(): void {
    this.started = false;
    this.disarm();
  }

  /** Whether `runId` is a turn a beat started; its `agent` events carry `isHeartbeat`. */
  owns(runId: string): boolean {
    return this.runIds.has(runId);
  }

  view(): HeartbeatView {
    const { everyMs, prompt } = this.options;
    return this.enabled
      ? { enabled: true, every: formatEvery(everyMs), everyMs, prompt, target: "main" }
      : { enabled: false, every: "disabled", everyMs: null, prompt, target: "main" };
  }

  /**
   * Run one beat. The timer's beats (the default reason) are skipped while disabled or
   * while another beat is still running; a wake or cron beat always runs its turn, queued
   * behind whatever the session is doing, because something asked for it.
   */
  async beat(trigger: { reason?: HeartbeatReason; sessionKey?: string } = {}): Promise<HeartbeatEvent> {
    const reason = trigger.reason ?? "interval";
    const started = this.now();
    if (reason === "interval" && (!this.enabled || this.inFlight > 0)) {
      return this.record({ ts: started, status: "skipped", reason: this.enabled ? "previous heartbeat still running" : "disabled" });
    }
    const sessionKey = trigger.sessionKey ?? this.sessionKey;
    const runId = `heartbeat-${randomUUID()}`;
    this.inFlight += 1;
    this.runIds.add(runId);
    try {
      const agentId = /^agent:([^:]+):/.exec(sessionKey)?.[1] ?? "main";
      const outcome = await this.runtime.submit({ runId, sessionKey, agentId, message: this.options.prompt }).run.done;
      const durationMs = this.now() - started;
      const why = reason === "interval" ? {} : { reason };
      if (outcome.status !== "ok")
        return this.record({ ts: started, status: "failed", durationMs, reason: outcome.error ?? outcome.status, indicatorType: "error" });
      const text = outcome.text.trim();
      const quiet = text.length === 0 || text === "NO_REPLY";
      return this.record({
        ts: started,
        status: quiet ? "ok-empty" : "ok-token",
        durationMs,
        ...why,
        ...(quiet ? {} : { preview: text.slice(0, 200) }),
        indicatorType: quiet ? "ok" : "alert",
      });
    } catch (error) {
      // The runtime refuses turns once it is shutting down; a beat racing that is a failed beat, not a crash.
      return this.record({
        ts: started,
        status: "failed",
        durationMs: this.now() - started,
        reason: error instanceof Error ? error.message : String(error),
        indicatorType: "error",
      });
    } finally {
      this.inFlight -= 1;
      // Every event of the run went out before `done` settled, so the id is no longer needed.
      this.runIds.delete(runId);
    }
  }

  private arm(): void {
    this.disarm();
    if (this.started && this.enabled) this.timer = setInterval(() => void this.beat(), this.options.everyMs);
  }

  private disarm(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private record(event: HeartbeatEvent): HeartbeatEvent {
    this.last = event;
    this.emit(event);
    return event;
  }
}
