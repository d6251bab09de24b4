import { AGENT_WAIT_TIMEOUT_MS, ErrorCodes, type MethodResult } from "@openclaw/protocol";
import { AgentRuntime, ModelUnavailableError, type ModelProvider, type RunEvent, type RunOutcome, type SessionRecord, type ToolHost, type TranscriptStore } from "@openclaw/agent";
import { MethodError } from "../errors.js";
import type { MethodHandlers } from "../methods/types.js";
import type { Connection } from "../transport/connection.js";
import { readChatHistory, toChatMessage } from "./chat-history.js";
import { ChatProjection } from "./chat-projection.js";

export interface AgentBridgeOptions {
  readonly store: TranscriptStore;
  /** The provider and model for an agent, from `agents.defaults.model`. */
  readonly resolveModel: (agentId: string) => { provider: ModelProvider; model: string };
  /**
   * A `"provider/model"` ref (a session's `sessions.patch {model}`) to a provider; throws when
   * this gateway cannot serve it.
   * @default the configured provider, when the ref names its id (or no provider at all)
   */
  readonly resolveModelRef?: (ref: string) => { provider: ModelProvider; model: string };
  readonly listModels: () => Promise<MethodResult<"models.list">["models"]>;
  readonly broadcast: (event: string, payload: unknown, filter?: (connection: Connection) => boolean) => void;
  readonly tools?: ToolHost;
  readonly storePath?: string;
  readonly systemPrompt?: string;
  /**
   * Called as each turn starts, before its message joins the transcript: may add context
   * to the transcript (queued system events) and swap the model (a cron job's `model`).
   * @default the resolved model, unchanged
   */
  readonly prepareTurn?: (turn: { runId: string; agentId: string; sessionKey: string }, resolved: { provider: ModelProvider; model: string }) => { provider: ModelProvider; model: string };
  readonly now?: () => number;
}

const DEFAULT_AGENT = "main";

/** `agent:<agentId>:main` unless a key is given. */
export function resolveSessionKey(params: { sessionKey?: string | undefined; agentId?: string | undefined }): string {
  return params.sessionKey ?? `agent:${params.agentId ?? DEFAULT_AGENT}:main`;
}

/** A model ref split as `sessions.describe` shows it; a bare model id stays on the default provider. */
function splitModelRef(ref: string, defaultProvider: string): { modelProvider: string; model: string } {
  const slash = ref.indexOf("/");
  return slash > 0 ? { modelProvider: ref.slice(0, slash), model: ref.slice(slash + 1) } : { modelProvider: defaultProvider, model: ref };
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
      meta: { durationMs: outcome.endedAt - outcome.startedAt, agentMeta: { provider: outcome.provider, model: outcome.model, ...(outcome.usage ? { usage: outcome.usage } : {}) } },
    },
  };
}

/** Connects the agent runtime to the wire: `agent`/`chat` events and the agent, chat and sessions methods. */
export class AgentBridge {
  readonly runtime: AgentRuntime;
  private readonly chat: ChatProjection;
  private readonly now: () => number;
  /** Connections that called `sessions.subscribe`: the only ones `sessions.changed` goes to. */
  private readonly sessionSubscribers = new Set<string>();

  constructor(private readonly options: AgentBridgeOptions) {
    this.now = options.now ?? Date.now;
    this.chat = new ChatProjection((payload) => options.broadcast("chat", payload), this.now);
    this.runtime = new AgentRuntime({
      store: options.store,
      resolveModel: (agentId, sessionKey) => {
        const patched = options.store.session(sessionKey)?.model;
        const resolved = patched === undefined ? options.resolveModel(agentId) : this.resolveModelRef(patched, agentId);
        // The runtime resolves the model as the session's active run starts.
        const runId = this.runtime.activeRunIds(sessionKey)[0];
        return options.prepareTurn && runId !== undefined ? options.prepareTurn({ runId, agentId, sessionKey }, resolved) : resolved;
      },
      onEvent: (event) => this.onEvent(event),
      onOutcome: (outcome) => {
        this.chat.onOutcome(outcome);
        this.sessionsChanged({ sessionKey: outcome.sessionKey, reason: "run-finished", activeRunIds: this.runtime.activeRunIds(outcome.sessionKey), ts: this.now() });
      },
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.systemPrompt ? { systemPrompt: options.systemPrompt } : {}),
      now: this.now,
    });
  }

  private onEvent(event: RunEvent): void {
    const payload = { runId: event.runId, seq: event.seq, stream: event.stream, ts: event.ts, data: event.data, sessionKey: event.sessionKey };
    // Live tool events go only to clients that said they can consume them.
    const filter = event.stream === "tool" ? (connection: Connection) => (connection.admission?.params.caps ?? []).includes("tool-events") : undefined;
    this.options.broadcast("agent", payload, filter);
    this.chat.onEvent(event);
  }

  private sessionsChanged(payload: { sessionKey: string; reason: string; activeRunIds?: string[]; ts: number }): void {
    this.options.broadcast("sessions.changed", payload, (connection) => this.sessionSubscribers.has(connection.id));
  }

  /** A connection went away: it no longer receives `sessions.changed`. */
  forgetConnection(connId: string): void {
    this.sessionSubscribers.delete(connId);
  }

  /**
   * A model ref (`provider/model`, or a bare model of the configured provider) for a session patch or
   * a cron agentTurn; a ref this gateway cannot serve throws ModelUnavailableError saying which.
   */
  resolveModelRef(ref: string, agentId: string): { provider: ModelProvider; model: string } {
    if (this.options.resolveModelRef) {
      try {
        return this.options.resolveModelRef(ref);
      } catch (error) {
        throw new ModelUnavailableError(ref, error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
    const configured = this.options.resolveModel(agentId);
    const { modelProvider, model } = splitModelRef(ref, configured.provider.id);
    if (modelProvider !== configured.provider.id) throw new ModelUnavailableError(ref, `provider "${modelProvider}" is not configured on this gateway (it runs ${configured.provider.id})`);
    return { provider: configured.provider, model };
  }

  /** Run what a killed gateway left queued, and close the turns it left in flight. Call once, as the server starts. */
  start(): void {
    this.runtime.resume();
  }

  /** Sessions, most recently active first (for health). */
  sessions() {
    return this.options.store.listSessions();
  }

  async close(): Promise<void> {
    await this.runtime.close();
    this.chat.close();
  }

  handlers(): MethodHandlers {
    const { store } = this.options;
    const runtime = this.runtime;
    return {
      agent: async (params, context) => {
        const sessionKey = resolveSessionKey(params);
        const submission = runtime.submit({ runId: params.idempotencyKey, sessionKey, agentId: params.agentId ?? DEFAULT_AGENT, message: params.message, resumeAfterRestart: true });
        const { run } = submission;
        const ack = { runId: run.runId, status: "accepted" as const, acceptedAt: this.now(), sessionKey };
        if (submission.duplicate === "in_flight") return ack;
        if (submission.duplicate !== "completed") context.accept(ack);
        // The caller's cancel frame for this request stops the run it started (§1.2).
        const onCancel = () => run.abort("cancelled by the client");
        if (submission.duplicate === "none") context.cancelled?.addEventListener("abort", onCancel, { once: true });
        const outcome = await run.done.finally(() => context.cancelled?.removeEventListener("abort", onCancel));
        if (outcome.status === "ok") return finalPayload(outcome);
        const summary = outcome.status === "aborted" ? "aborted" : (outcome.error ?? "run failed");
        // A run cut short by the gateway's own shutdown is worth retrying once it is back.
        const byShutdown = outcome.status === "aborted" && outcome.error === "gateway stopping";
        throw new MethodError(
          { code: ErrorCodes.UNAVAILABLE, message: byShutdown ? "gateway stopping; retry the run when it is back" : summary, ...(byShutdown ? { retryable: true, retryAfterMs: 1000 } : {}) },
          { payload: { runId: run.runId, status: outcome.status === "aborted" ? "timeout" : "error", summary, sessionKey } },
        );
      },

      "agent.wait": async (params) => {
        // §7.6: a run that finished longer ago than the result cache keeps is not found; an id not
        // seen yet is waited for like any other, since its run may still be submitted.
        if (runtime.forgotten(params.runId)) {
          throw new MethodError({ code: ErrorCodes.AGENT_RESULT_NOT_FOUND, message: `agent.wait: run ${params.runId} ended too long ago to have its result cached; read it with chat.history` });
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

      "chat.send": (params) => {
        if (params.message.trim().length === 0) throw MethodError.invalidRequest("chat.send needs a non-empty message");
        const submission = runtime.submit({
          runId: params.idempotencyKey,
          sessionKey: params.sessionKey,
          agentId: params.agentId ?? DEFAULT_AGENT,
          message: params.message,
          queueMode: params.queueMode ?? "followup",
          resumeAfterRestart: true,
        });
        if (submission.duplicate === "in_flight") return { runId: params.idempotencyKey, status: "in_flight" as const };
        if (submission.duplicate === "completed") return { runId: params.idempotencyKey, status: submission.run.outcome!.status };
        this.sessionsChanged({ sessionKey: params.sessionKey, reason: "run-started", activeRunIds: runtime.activeRunIds(params.sessionKey), ts: this.now() });
        return { runId: params.idempotencyKey, status: "started" as const };
      },

      "chat.abort": (params) => {
        const runIds = runtime.abortSession(params.sessionKey, params.runId);
        return { ok: true as const, aborted: runIds.length > 0, runIds };
      },

      "chat.history": (params) => readChatHistory(store, params),

      "chat.inject": (params) => {
        const now = this.now();
        store.ensureSession(params.sessionKey, params.agentId ?? DEFAULT_AGENT, now);
        const entry = store.append({ sessionKey: params.sessionKey, runId: undefined, role: "assistant", text: params.message, createdAtMs: now });
        const runId = `inject-${entry.id}`;
        this.options.broadcast("chat", { runId, sessionKey: params.sessionKey, seq: 1, state: "final", message: toChatMessage(entry) });
        return { ok: true as const, messageId: String(entry.id) };
      },

      "sessions.list": (params) => {
        const sessions = store
          .listSessions()
          .filter((session) => (params.agentId === undefined || session.agentId === params.agentId) && (params.label === undefined || session.label === params.label))
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
        const model = this.options.resolveModel(DEFAULT_AGENT);
        return { ts: this.now(), path: this.options.storePath ?? "", count: sessions.length, defaults: { modelProvider: model.provider.id, model: model.model, contextTokens: null }, sessions };
      },

      "sessions.preview": (params) => ({
        ts: this.now(),
        previews: params.keys.map((key) => {
          if (!store.session(key)) return { key, status: "missing", items: [] };
          const items = store.page(key, { limit: params.limit ?? 6 }).entries.map((entry) => ({ role: entry.role, text: entry.text.slice(0, params.maxChars ?? 240) }));
          return { key, status: "ok", items };
        }),
      }),

      "sessions.patch": (params) => {
        const unsupported = Object.keys(params).filter((key) => !["key", "label", "model"].includes(key));
        if (unsupported.length > 0) throw MethodError.invalidRequest(`sessions.patch: ${unsupported.join(", ")} not supported by this gateway yet (label and model are)`);
        store.ensureSession(params.key, DEFAULT_AGENT, this.now());
        const entry = store.patchSession(params.key, { ...(params.label !== undefined ? { label: params.label } : {}), ...(params.model !== undefined ? { model: params.model } : {}) }, this.now());
        this.sessionsChanged({ sessionKey: params.key, reason: "patched", ts: this.now() });
        const resolved = typeof params.model === "string" ? splitModelRef(params.model, this.options.resolveModel(DEFAULT_AGENT).provider.id) : undefined;
        return { ok: true as const, key: params.key, entry, ...(resolved ? { resolved } : {}) };
      },

      "sessions.reset": (params) => {
        runtime.abortSession(params.key);
        const entry = store.resetSession(params.key, this.now());
        if (!entry) throw MethodError.invalidRequest(`unknown session: ${params.key}`);
        this.sessionsChanged({ sessionKey: params.key, reason: params.reason ?? "reset", ts: this.now() });
        return { ok: true as const, key: params.key, entry };
      },

      "sessions.delete": (params) => {
        runtime.abortSession(params.key);
        const deleted = store.deleteSession(params.key);
        if (deleted) this.sessionsChanged({ sessionKey: params.key, reason: "deleted", ts: this.now() });
        return { ok: true as const, key: params.key, deleted };
      },

      "sessions.subscribe": (_params, context) => {
        this.sessionSubscribers.add(context.connId);
        return { subscribed: true };
      },

      "sessions.describe": (params) => {
        const session = store.session(params.key);
        const configured = this.options.resolveModel(session?.agentId ?? DEFAULT_AGENT);
        const model = session?.model !== undefined ? splitModelRef(session.model, configured.provider.id) : { modelProvider: configured.provider.id, model: configured.model };
        const activeRunIds = runtime.activeRunIds(params.key);
        return {
          key: params.key,
          ...(session ? { sessionId: session.sessionId } : {}),
          kind: "direct" as const,
          agentId: session?.agentId ?? (/^agent:([^:]+):/.exec(params.key)?.[1] ?? DEFAULT_AGENT),
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
        const { provider, model } = this.options.resolveModel(DEFAULT_AGENT);
        return { defaultId: DEFAULT_AGENT, mainKey: "main", scope: "per-sender", agents: [{ id: DEFAULT_AGENT, name: DEFAULT_AGENT, model: { primary: `${provider.id}/${model}` } }] };
      },

      "agent.identity.get": (params) => ({ agentId: params.agentId ?? DEFAULT_AGENT, name: "OpenClaw" }),

      "models.list": async () => ({ models: await this.options.listModels() }),

      "commands.list": () => ({
        commands: [
          { name: "new", description: "Start a new session", textAliases: ["/new"], category: "session", acceptsArgs: false },
          { name: "reset", description: "Clear this session's transcript", textAliases: ["/reset"], category: "session", acceptsArgs: false },
        ],
      }),

      "question.list": () => ({ questions: [] }),
      "plugin.approval.list": () => [],
      "taskSuggestions.list": () => ({ suggestions: [] }),
    };
  }
}
