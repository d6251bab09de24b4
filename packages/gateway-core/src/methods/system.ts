import type { HeartbeatEvent, MethodResult, PresenceEntry } from "@openclaw/protocol";
import type { SystemEventQueue } from "../agent/system-events.js";
import type { HeartbeatView } from "../agent/heartbeat.js";
import type { MethodHandlers } from "./types.js";

/** What the system methods read and change. */
export interface SystemState {
  readonly version: string;
  readonly presence: { list(): PresenceEntry[]; merge(key: string, fields: Partial<PresenceEntry>, ts: number): void };
  readonly health: { snapshot: MethodResult<"health">; refresh(): MethodResult<"health"> };
  /** Broadcast the presence table after a change. */
  readonly presenceChanged: () => void;
  readonly healthChanged: () => void;
  readonly statusExtras: (admin: boolean) => Record<string, unknown>;
  /** The periodic heartbeat; absent without an agent runtime. */
  readonly heartbeat: { readonly last: HeartbeatEvent | null; setEnabled(enabled: boolean): void; view(): HeartbeatView } | undefined;
  /** Lines waiting for a session's next agent turn. */
  readonly systemEvents: SystemEventQueue;
  /** The session system events go to when none is named. */
  readonly mainSessionKey: string;
  /** Run a turn on `sessionKey` now, so it picks up what was just queued; absent without an agent runtime. */
  readonly wakeNow: ((sessionKey: string) => void) | undefined;
  readonly now: () => number;
}

/** `health`, `status`, `system-presence`, `system-event`, `wake`, `last-heartbeat`, `set-heartbeats`. */
export function createSystemHandlers(state: SystemState): MethodHandlers {
  const wakeNow = state.wakeNow;
  return {
    // Only with an agent runtime: without one, nothing would ever read what wake queues.
    ...(wakeNow
      ? {
          // The text waits for the session's next turn; "now" starts that turn instead of waiting for the next beat.
          wake: (params) => {
            const sessionKey = params.sessionKey ?? (params.agentId ? `agent:${params.agentId}:main` : state.mainSessionKey);
            state.systemEvents.enqueue(sessionKey, params.text, state.now());
            if (params.mode === "now") wakeNow(sessionKey);
            return { ok: true as const };
          },
        }
      : {}),

    health: (params) => {
      if (params.probe) {
        const snapshot = state.health.refresh();
        state.healthChanged();
        return snapshot;
      }
      return state.health.snapshot;
    },

    status: (_params, context) => {
      const admin = context.scopes.includes("operator.admin");
      const memory = process.memoryUsage();
      const heartbeat = state.heartbeat?.view();
      return {
        runtimeVersion: state.version,
        heartbeat: {
          defaultAgentId: "main",
          agents: [{ agentId: "main", enabled: heartbeat?.enabled ?? false, every: heartbeat?.every ?? "disabled", everyMs: heartbeat?.everyMs ?? null }],
        },
        queuedSystemEvents: state.systemEvents.peek(state.mainSessionKey).map(({ text, ts }) => ({ text, ts })),
        eventLoop: state.health.snapshot.eventLoop,
        processMemory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          arrayBuffersBytes: memory.arrayBuffers,
        },
        pid: process.pid,
        ...state.statusExtras(admin),
      };
    },

    "system-presence": () => state.presence.list(),

    "system-event": (params) => {
      const now = state.now();
      const key = params.deviceId ?? params.instanceId;
      if (key !== undefined) {
        const { text, idempotencyKey: _key, sessionKey: _session, wake: _wake, ...fields } = params;
        state.presence.merge(key, { ...fields, text, reason: params.reason ?? "system-event" }, now);
        state.presenceChanged();
      }
      const sessionKey = params.sessionKey ?? state.mainSessionKey;
      state.systemEvents.enqueue(sessionKey, params.text, now);
      if (params.wake === true) state.wakeNow?.(sessionKey);
      return { ok: true as const };
    },

    "last-heartbeat": () => state.heartbeat?.last ?? null,

    "set-heartbeats": (params) => {
      state.heartbeat?.setEnabled(params.enabled);
      // Health carries each agent's heartbeat; refresh it now rather than at the next maintenance tick.
      state.health.refresh();
      state.healthChanged();
      return { ok: true as const, enabled: params.enabled };
    },
  };
}
