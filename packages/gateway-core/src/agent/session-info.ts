import type { SessionOptions, SessionRecord } from "@openclaw/agent";
import type { AgentBridge } from "./agent-bridge.js";
import { DEFAULT_AGENT } from "./model-ref.js";

/**
 * The session's own settings (thinking, fast mode, verbose, reasoning, usage footer, send policy,
 * group activation, queue mode), as session rows, `entry` and `chat.history` carry them: only the
 * fields the session sets; a missing one means the default.
 */
export function sessionInfoFields(session: SessionRecord): SessionOptions {
  return { ...session.options };
}

/** A model's thinking levels as agents, session rows and the list defaults carry them. */
export function thinkingFields(support: { readonly levels: readonly string[]; readonly default?: string | undefined; readonly reason?: string | undefined }) {
  return {
    thinkingLevels: support.levels.map((id) => ({ id, label: id })),
    thinkingOptions: [...support.levels],
    ...(support.default !== undefined ? { thinkingDefault: support.default } : {}),
    ...(support.levels.length === 0 && support.reason !== undefined ? { thinkingUnsupportedReason: support.reason } : {}),
  };
}

/** The agent a session key names (`agent:<id>:…`), if it names one. */
export function agentIdOfKey(key: string): string | undefined {
  return /^agent:([^:]+):/.exec(key)?.[1];
}

/**
 * The key a new session is stored under, as the reference gateway normalises it: lower case, and
 * under `agent:<agentId>:` unless it already names an agent (`main` is the agent's main session).
 */
export function canonicalSessionKey(key: string, agentId: string): string {
  const lowered = key.trim().toLowerCase();
  return lowered.startsWith("agent:") ? lowered : `agent:${agentId}:${lowered}`;
}

/** Session totals as the reference gateway's session rows carry them. */
function usageFields(session: SessionRecord) {
  const { inputTokens, outputTokens } = session.usage;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** One session as `sessions.list` lists it and `sessions.describe` describes it. */
export function sessionRow(bridge: AgentBridge, session: SessionRecord) {
  const resolved = bridge.settings.resolveSession(session);
  const activeRunIds = bridge.runtime.activeRunIds(session.key);
  return {
    key: session.key,
    kind: "direct" as const,
    agentId: session.agentId,
    isMain: session.key === `agent:${session.agentId}:main`,
    ...(session.label !== undefined ? { label: session.label } : {}),
    updatedAt: session.updatedAtMs,
    sessionId: session.sessionId,
    modelProvider: resolved.modelProvider,
    model: resolved.model,
    ...sessionInfoFields(session),
    ...thinkingFields({
      levels: resolved.thinkingLevels.map((level) => level.id),
      default: resolved.thinkingDefault,
      reason: resolved.thinkingUnsupportedReason,
    }),
    ...usageFields(session),
    hasActiveRun: activeRunIds.length > 0,
    activeRunIds,
  };
}

/** The model and thinking levels a session starts with: the agent's configured model's. */
export function sessionDefaults(bridge: AgentBridge, agentId: string = DEFAULT_AGENT) {
  const support = bridge.settings.thinking(undefined, agentId);
  return { modelProvider: support.provider, model: support.model, contextTokens: null, ...thinkingFields(support) };
}
