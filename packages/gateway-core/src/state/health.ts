import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from "node:perf_hooks";
import type { ChannelHealthSummary, HealthSnapshot } from "@openclaw/protocol";

/**
 * A health snapshot as the gateway produces it. `channelHealth` is added to the protocol's open
 * snapshot: `ok` keeps meaning "the gateway answers" (a protocol v4 gateway that answers reports `ok: true`, and
 * OpenClaw's own gateway reports trouble in blocks such as `eventLoop.degraded`), while a channel
 * account that is down or stuck (a logged-out WhatsApp, a dead poller) sets `channelHealth.degraded` and is listed.
 */
export type GatewayHealthSnapshot = HealthSnapshot & { channelHealth?: ChannelHealthSummary };

/** The parts of a health snapshot that come from the rest of the gateway. */
export interface HealthSources {
  readonly agents: () => NonNullable<HealthSnapshot["agents"]>;
  readonly sessions: () => NonNullable<HealthSnapshot["sessions"]>;
  readonly channels: () => { channels: Record<string, unknown>; order: string[]; labels: Record<string, string>; summary?: ChannelHealthSummary };
  readonly heartbeatSeconds: () => number;
  readonly defaultAgentId: () => string;
}

/** Event-loop pressure, measured between two snapshots. */
class EventLoopProbe {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private lastAt = performance.now();
  private degradedSince: number | null = null;

  constructor() {
    this.histogram.enable();
  }

  sample(now: number) {
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    const at = performance.now();
    const intervalMs = at - this.lastAt;
    this.lastAt = at;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const delayP99Ms = round(this.histogram.percentile(99) / 1e6);
    const delayMaxMs = round(this.histogram.max / 1e6);
    this.histogram.reset();
    const reasons: string[] = [];
    // A window shorter than a second (start-up, forced probes) says nothing about sustained load.
    if (intervalMs >= 1000) {
      if (delayP99Ms > 250) reasons.push("delay");
      if (utilization.utilization > 0.9) reasons.push("utilization");
    }
    if (reasons.length === 0) this.degradedSince = null;
    else this.degradedSince ??= now;
    return {
      degraded: reasons.length > 0,
      degradedSinceMs: this.degradedSince === null ? null : now - this.degradedSince,
      reasons,
      intervalMs,
      delayP99Ms,
      delayMaxMs,
      utilization: Math.round(utilization.utilization * 1000) / 1000,
    };
  }

  stop(): void {
    this.histogram.disable();
  }
}

/**
 * Produces health snapshots from real state. Each new snapshot bumps `version`,
 * the health `stateVersion`.
 */
export class HealthMonitor {
  version = 0;
  private current: GatewayHealthSnapshot = {};
  private readonly probe = new EventLoopProbe();

  constructor(
    private readonly sources: HealthSources,
    private readonly now: () => number = Date.now,
  ) {}

  get snapshot(): GatewayHealthSnapshot {
    return this.current;
  }

  refresh(): GatewayHealthSnapshot {
    const started = performance.now();
    const channels = this.sources.channels();
    const ts = this.now();
    const snapshot: GatewayHealthSnapshot = {
      ok: true,
      ts,
      durationMs: 0,
      channels: channels.channels,
      channelOrder: channels.order,
      channelLabels: channels.labels,
      ...(channels.summary !== undefined ? { channelHealth: channels.summary } : {}),
      heartbeatSeconds: this.sources.heartbeatSeconds(),
      defaultAgentId: this.sources.defaultAgentId(),
      agents: this.sources.agents(),
      sessions: this.sources.sessions(),
      eventLoop: this.probe.sample(ts),
    };
    snapshot.durationMs = Math.round(performance.now() - started);
    // Frozen: the snapshot stands as of `ts`, and the dispatcher serializes a frozen answer once
    // however many `health` calls it serves.
    this.current = Object.freeze(snapshot);
    this.version += 1;
    return this.current;
  }

  eventLoop() {
    return this.current.eventLoop;
  }

  stop(): void {
    this.probe.stop();
  }
}
