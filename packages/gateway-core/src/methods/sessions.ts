import { randomUUID } from "node:crypto";
import { SESSION_RUNTIME_OVERRIDES, type MethodParams } from "@openclaw/protocol";
import type { SessionRecord } from "@openclaw/agent";
import { DEFAULT_AGENT, type AgentBridge } from "../agent/agent-bridge.js";
import { agentIdOfKey, canonicalSessionKey, sessionDefaults, sessionRow } from "../agent/session-info.js";
import type { SettingsPatch } from "../agent/session-settings.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { MethodHandlers } from "./types.js";

/** `sessions.*`: list, preview, describe, create, patch, reset, delete and the change feed, backed by the agent bridge. */
export function createSessionHandlers(bridge: AgentBridge): MethodHandlers {
  const { store, runtime, settings } = bridge;
  const storePath = () => (bridge.storePath ? { path: bridge.storePath } : {});
  return {
    "sessions.list": (params) => {
      const sessions = store
        .listSessions()
        .filter(
          (session) => (params.agentId === undefined || session.agentId === params.agentId) && (params.label === undefined || session.label === params.label),
        )
        .filter((session) => params.search === undefined || session.key.includes(params.search) || (session.label ?? "").includes(params.search))
        .slice(0, params.limit ?? 500)
        .map((session) => sessionRow(bridge, session));
      return {
        ts: bridge.now(),
        path: bridge.storePath,
        count: sessions.length,
        defaults: sessionDefaults(bridge, params.agentId),
        sessions,
      };
    },

    "sessions.preview": (params) => ({
      ts: bridge.now(),
      previews: params.keys.map((key) => {
        if (!store.session(key)) return { key, status: "missing", items: [] };
        const items = store
          .page(key, { limit: params.limit ?? 6 })
          .entries.map((entry) => ({ role: entry.role, text: entry.text.slice(0, params.maxChars ?? 240) }));
        return { key, status: "ok", items };
      }),
    }),

    "sessions.describe": (params) => {
      const session = store.session(params.key);
      return { session: session ? sessionRow(bridge, session) : null };
    },

    "sessions.create": (params) => {
      const { key, parent } = newSessionTarget(bridge, params);
      const agentId = agentIdOfKey(key) ?? DEFAULT_AGENT;
      // A successor starts where its parent was: same model, same settings.
      const inherited: SettingsPatch =
        params.succeedsParent && parent ? { ...(parent.model !== undefined ? { model: parent.model } : {}), ...parent.options } : {};
      const { session, resolved } = settings.patch(
        key,
        { ...inherited, ...(params.label !== undefined ? { label: params.label } : {}), ...(params.model !== undefined ? { model: params.model } : {}) },
        agentId,
        "created",
      );
      const message = params.message?.trim() ? params.message : undefined;
      let runId: string | undefined;
      if (message !== undefined) {
        runId = randomUUID();
        runtime.submit({ runId, sessionKey: key, agentId, message, queueMode: "followup", resumeAfterRestart: true });
        bridge.sessionsChanged({ sessionKey: key, reason: "run-started", activeRunIds: runtime.activeRunIds(key), ts: bridge.now() });
      }
      return {
        ok: true as const,
        key,
        sessionId: session.sessionId,
        entry: settings.entry(session),
        runStarted: runId !== undefined,
        ...(runId !== undefined ? { runId } : {}),
        resolved,
      };
    },

    "sessions.patch": (params) => {
      const { key, agentId, ...fields } = params;
      const overrides = SESSION_RUNTIME_OVERRIDES.filter((field) => fields[field] !== undefined);
      if (overrides.length > 0) {
        throw new InvalidInputError(
          `sessions.patch: ${overrides.join(", ")} ${overrides.length === 1 ? "is a runtime override" : "are runtime overrides"} this gateway does not implement; leave ${overrides.length === 1 ? "it" : "them"} out`,
        );
      }
      // SessionSettings checks each value and names the field and the values it takes.
      const { session, resolved } = settings.patch(key, fields as SettingsPatch, agentId ?? agentIdOfKey(key) ?? DEFAULT_AGENT);
      return { ok: true as const, ...storePath(), key, entry: settings.entry(session), resolved };
    },

    "sessions.reset": (params) => {
      runtime.abortSession(params.key);
      const session = store.resetSession(params.key, bridge.now());
      if (!session) throw new NotFoundError(`unknown session: ${params.key}`);
      // After the answer, and with the new id: a client that already knows the session tells the reset from a stale event by it.
      const changed = { sessionKey: params.key, sessionId: session.sessionId, reason: params.reason ?? "reset", ts: bridge.now() };
      bridge.afterAnswer(() => bridge.sessionsChanged(changed));
      return { ok: true as const, key: params.key, entry: settings.entry(session) };
    },

    "sessions.delete": (params) => {
      runtime.abortSession(params.key);
      const deleted = store.deleteSession(params.key);
      if (deleted) bridge.sessionsChanged({ sessionKey: params.key, reason: "deleted", ts: bridge.now() });
      return { ok: true as const, key: params.key, deleted };
    },

    "sessions.subscribe": (_params, context) => {
      bridge.subscribeSessions(context.connId);
      return { subscribed: true };
    },
  };
}

/**
 * The key `sessions.create` makes, and the parent it names. Refuses a key that exists, an agent
 * that contradicts the key, and a parent that does not exist.
 */
function newSessionTarget(bridge: AgentBridge, params: MethodParams<"sessions.create">): { key: string; parent: SessionRecord | undefined } {
  const agentId = params.agentId ?? DEFAULT_AGENT;
  const key = params.key === undefined ? `agent:${agentId}:dashboard:${randomUUID()}` : canonicalSessionKey(params.key, agentId);
  const keyAgent = agentIdOfKey(key);
  if (params.agentId !== undefined && keyAgent !== params.agentId)
    throw new InvalidInputError(`sessions.create: key ${key} belongs to agent ${String(keyAgent)}, not to agentId ${params.agentId}`);
  if (bridge.store.session(key))
    throw new InvalidInputError(`sessions.create: session ${key} already exists; open it, or change it with sessions.patch or sessions.reset`);
  if (params.succeedsParent && params.parentSessionKey === undefined)
    throw new InvalidInputError("sessions.create: succeedsParent needs parentSessionKey (the session the new one succeeds)");
  if (params.parentSessionKey === undefined) return { key, parent: undefined };
  const parent = bridge.store.session(params.parentSessionKey) ?? bridge.store.session(canonicalSessionKey(params.parentSessionKey, agentId));
  if (!parent) throw new InvalidInputError(`sessions.create: unknown parent session: ${params.parentSessionKey}`);
  return { key, parent };
}
