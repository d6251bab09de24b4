import type { HeartbeatEvent, MethodResult, PresenceEntry } from "@openclaw/protocol";
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
  readonly heartbeats: { enabled: boolean; last: HeartbeatEvent | null };
  readonly systemEvents: { text: string; ts: number; sessionKey?: string }[];
  readonly now: () => number;
}

const MAX_QUEUED_SYSTEM_EVENTS = 100;

/** `health`, `status`, `system-presence`, `system-event`, `last-heartbeat`, `set-heartbeats`. */
export function createSystemHandlers(state: SystemState): MethodHandlers {
  return {
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
      return {
        runtimeVersion: state.version,
        queuedSystemEvents: state.systemEvents.map(({ text, ts }) => ({ text, ts })),
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
      state.systemEvents.push({ text: params.text, ts: now, ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}) });
      if (state.systemEvents.length > MAX_QUEUED_SYSTEM_EVENTS) state.systemEvents.shift();
      return { ok: true as const };
    },

    "last-heartbeat": () => state.heartbeats.last,

    "set-heartbeats": (params) => {
      state.heartbeats.enabled = params.enabled;
      return { ok: true as const, enabled: params.enabled };
    },
  };
}
