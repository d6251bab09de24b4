import { AGENT_WAIT_TIMEOUT_MS, ErrorCodes } from "@openclaw/protocol";
import type { RunOutcome, SessionRecord } from "@openclaw/agent";
import { DEFAULT_AGENT, splitModelRef, type AgentBridge } from "../agent/agent-bridge.js";
import { readChatHistory } from "../agent/chat-history.js";
import { ADMIN_SCOPE, WireErrors } from "@openclaw/protocol";
import type { ChatCommands } from "../commands/chat-commands.js";
import { commandCaller } from "../commands/callers.js";
import { ForbiddenError, InvalidInputError, MethodError, NotFoundError } from "../errors.js";
import type { MethodHandlers } from "./types.js";

/** `agent:<agentId>:main` unless a key is given. */
export function resolveSessionKey(params: { sessionKey?: string | undefined; agentId?: string | undefined }): string {
  return params.sessionKey ?? `agent:${params.agentId ?? DEFAULT_AGENT}:main`;
}

/** Session totals as the reference gateway's session rows carry them. */
function usageFields(session: SessionRecord) {
  const { inputTokens, outputTokens } = session.usage;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

function finalPayload(outcome: RunOutcome) {
  return {
    runId: outcome.runId,
    status: "ok" as const,
    summary: "completed",
    sessionKey: outcome.sessionKey,
    result: {
      payloads: [{ text: outcome.text }],
      meta: {
        durationMs: outcome.endedAt - outcome.startedAt,
        agentMeta: { provider: outcome.provider, model: outcome.model, ...(outcome.usage ? { usage: outcome.usage } : {}) },
      },
    },
  };
}

/** `agent`, `agent.wait`, `chat.*`, `sessions.*`, `agents.list`, `models.list` and the other agent-side lists, backed by the agent bridge. */
export function createAgentHandlers(bridge: AgentBridge, commands?: ChatCommands): MethodHandlers {
  const { store, runtime } = bridge;
  return {
    agent: async (params, context) => {
      const sessionKey = resolveSessionKey(params);
      const command = commands?.parse(params.message);
      if (command) {
        // Starting over through `agent` needs admin, as the method's scope table says for /new and /reset.
        if ((command.command.name === "new" || command.command.name === "reset") && !context.scopes.includes(ADMIN_SCOPE))
          throw ForbiddenError.fromWire(WireErrors.missingScope(ADMIN_SCOPE));
        const startedAt = bridge.now();
        context.accept({ runId: params.idempotencyKey, status: "accepted" as const, acceptedAt: startedAt, sessionKey });
        const caller = commandCaller(context, sessionKey, params.agentId ?? DEFAULT_AGENT);
        const outcome = await commands!.execute(command, caller, params.message, params.idempotencyKey);
        bridge.showReply(params.idempotencyKey, outcome.reply);
        return {
          runId: params.idempotencyKey,
          status: "ok" as const,
          summary: outcome.ok ? "command" : "command refused",
          sessionKey,
          result: { payloads: [{ text: outcome.text }], meta: { durationMs: bridge.now() - startedAt, command: outcome.name } },
        };
      }
      const submission = runtime.submit({
        runId: params.idempotencyKey,
        sessionKey,
        agentId: params.agentId ?? DEFAULT_AGENT,
        message: params.message,
        resumeAfterRestart: true,
      });
      const { run } = submission;
      const ack = { runId: run.runId, status: "accepted" as const, acceptedAt: bridge.now(), sessionKey };
      if (submission.duplicate === "in_flight") return ack;
      if (submission.duplicate !== "completed") context.accept(ack);
      // The caller's cancel frame for this request stops the run it started.
      const onCancel = () => run.abort("cancelled by the client");
      if (submission.duplicate === "none") context.cancelled?.addEventListener("abort", onCancel, { once: true });
      const outcome = await run.done.finally(() => context.cancelled?.removeEventListener("abort", onCancel));
      if (outcome.status === "ok") return finalPayload(outcome);
      const summary = outcome.status === "aborted" ? "aborted" : (outcome.error ?? "run failed");
      // A run cut short by the gateway's own shutdown is worth retrying once it is back.
      const byShutdown = outcome.status === "aborted" && outcome.error === "gateway stopping";
      throw new MethodError(
        {
          code: ErrorCodes.UNAVAILABLE,
          message: byShutdown ? "gateway stopping; retry the run when it is back" : summary,
          ...(byShutdown ? { retryable: true, retryAfterMs: 1000 } : {}),
        },
        { payload: { runId: run.runId, status: outcome.status === "aborted" ? "timeout" : "error", summary, sessionKey } },
      );
    },

    "agent.wait": async (params) => {
      // A run that finished longer ago than the result cache keeps is not found; an id not
      // seen yet is waited for like any other, since its run may still be submitted.
      if (runtime.forgotten(params.runId)) {
        throw new MethodError({
          code: ErrorCodes.AGENT_RESULT_NOT_FOUND,
          message: `agent.wait: run ${params.runId} ended too long ago to have its result cached; read it with chat.history`,
        });
      }
      const outcome = await runtime.wait(params.runId, params.timeoutMs ?? AGENT_WAIT_TIMEOUT_MS);
      if (!outcome) return { runId: params.runId, status: "timeout" as const };
      return {
        runId: outcome.runId,
        status: outcome.status === "ok" ? ("ok" as const) : ("error" as const),
        summary: outcome.status === "ok" ? "completed" : outcome.status === "aborted" ? "aborted" : (outcome.error ?? "run failed"),
        startedAt: outcome.startedAt,
        endedAt: outcome.endedAt,
        outputText: outcome.text,
        sessionKey: outcome.sessionKey,
        ...(outcome.error ? { error: outcome.error } : {}),
      };
    },

    "chat.send": async (params, context) => {
      if (params.message.trim().length === 0) throw new InvalidInputError("chat.send needs a non-empty message");
      const command = commands?.parse(params.message);
      if (command) {
        const caller = commandCaller(context, params.sessionKey, params.agentId ?? DEFAULT_AGENT);
        const outcome = await commands!.execute(command, caller, params.message, params.idempotencyKey);
        bridge.showReply(params.idempotencyKey, outcome.reply);
        return { runId: params.idempotencyKey, status: "ok" as const };
      }
      const submission = runtime.submit({
        runId: params.idempotencyKey,
        sessionKey: params.sessionKey,
        agentId: params.agentId ?? DEFAULT_AGENT,
        message: params.message,
        queueMode: params.queueMode ?? store.session(params.sessionKey)?.options.queueMode ?? "followup",
        resumeAfterRestart: true,
      });
      if (submission.duplicate === "in_flight") return { runId: params.idempotencyKey, status: "in_flight" as const };
      if (submission.duplicate === "completed") return { runId: params.idempotencyKey, status: submission.run.outcome!.status };
      bridge.sessionsChanged({ sessionKey: params.sessionKey, reason: "run-started", activeRunIds: runtime.activeRunIds(params.sessionKey), ts: bridge.now() });
      return { runId: params.idempotencyKey, status: "started" as const };
    },

    "chat.abort": (params) => {
      const runIds = runtime.abortSession(params.sessionKey, params.runId);
      return { ok: true as const, aborted: runIds.length > 0, runIds };
    },

    "chat.history": (params) => readChatHistory(store, params),

    "chat.inject": (params) => ({
      ok: true as const,
      ...bridge.inject({ sessionKey: params.sessionKey, agentId: params.agentId ?? DEFAULT_AGENT, message: params.message }),
    }),

    "sessions.list": (params) => {
      const sessions = store
        .listSessions()
        .filter(
          (session) => (params.agentId === undefined || session.agentId === params.agentId) && (params.label === undefined || session.label === params.label),
        )
        .filter((session) => params.search === undefined || session.key.includes(params.search) || (session.label ?? "").includes(params.search))
        .slice(0, params.limit ?? 500)
        .map((session) => ({
          key: session.key,
          kind: "direct" as const,
          ...(session.label ? { label: session.label } : {}),
          updatedAt: session.updatedAtMs,
          sessionId: session.sessionId,
          ...(session.model ? { model: session.model } : {}),
          ...usageFields(session),
          hasActiveRun: runtime.activeRunIds(session.key).length > 0,
          activeRunIds: runtime.activeRunIds(session.key),
        }));
      const model = bridge.configuredModel(DEFAULT_AGENT);
      return {
        ts: bridge.now(),
        path: bridge.storePath,
        count: sessions.length,
        defaults: { modelProvider: model.provider.id, model: model.model, contextTokens: null },
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

    "sessions.patch": (params) => {
      const unsupported = Object.keys(params).filter((key) => !["key", "label", "model"].includes(key));
      if (unsupported.length > 0)
        throw new InvalidInputError(`sessions.patch: ${unsupported.join(", ")} not supported by this gateway yet (label and model are)`);
      store.ensureSession(params.key, DEFAULT_AGENT, bridge.now());
      const entry = store.patchSession(
        params.key,
        { ...(params.label !== undefined ? { label: params.label } : {}), ...(params.model !== undefined ? { model: params.model } : {}) },
        bridge.now(),
      );
      bridge.sessionsChanged({ sessionKey: params.key, reason: "patched", ts: bridge.now() });
      const resolved = typeof params.model === "string" ? splitModelRef(params.model, bridge.configuredModel(DEFAULT_AGENT).provider.id) : undefined;
      return { ok: true as const, key: params.key, entry, ...(resolved ? { resolved } : {}) };
    },

    "sessions.reset": (params) => {
      runtime.abortSession(params.key);
      const entry = store.resetSession(params.key, bridge.now());
      if (!entry) throw new NotFoundError(`unknown session: ${params.key}`);
      bridge.sessionsChanged({ sessionKey: params.key, reason: params.reason ?? "reset", ts: bridge.now() });
      return { ok: true as const, key: params.key, entry };
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

    "sessions.describe": (params) => {
      const session = store.session(params.key);
      const configured = bridge.configuredModel(session?.agentId ?? DEFAULT_AGENT);
      const model =
        session?.model !== undefined
          ? splitModelRef(session.model, configured.provider.id)
          : { modelProvider: configured.provider.id, model: configured.model };
      const activeRunIds = runtime.activeRunIds(params.key);
      return {
        key: params.key,
        ...(session ? { sessionId: session.sessionId } : {}),
        kind: "direct" as const,
        agentId: session?.agentId ?? /^agent:([^:]+):/.exec(params.key)?.[1] ?? DEFAULT_AGENT,
        isMain: /^agent:[^:]+:main$/.test(params.key),
        ...(session?.label ? { label: session.label } : {}),
        updatedAt: session?.updatedAtMs ?? null,
        ...model,
        ...(session ? usageFields(session) : {}),
        hasActiveRun: activeRunIds.length > 0,
        activeRunIds,
      };
    },

    "agents.list": () => {
      const { provider, model } = bridge.configuredModel(DEFAULT_AGENT);
      return {
        defaultId: DEFAULT_AGENT,
        mainKey: "main",
        scope: "per-sender",
        agents: [{ id: DEFAULT_AGENT, name: DEFAULT_AGENT, model: { primary: `${provider.id}/${model}` } }],
      };
    },

    "agent.identity.get": (params) => ({ agentId: params.agentId ?? DEFAULT_AGENT, name: "OpenClaw" }),

    "models.list": async () => ({ models: await bridge.listModels() }),

    "commands.list": (params) => commands?.list({ includeArgs: params.includeArgs }) ?? { commands: [] },

    "question.list": () => ({ questions: [] }),
    "plugin.approval.list": () => [],
    "taskSuggestions.list": () => ({ suggestions: [] }),
  };
}
