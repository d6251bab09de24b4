import type { EventPayload, MethodResult } from "@openclaw/protocol";
import {
  AgentRuntime,
  ModelUnavailableError,
  type LoadMedia,
  type ModelProvider,
  type RunEvent,
  type ToolHost,
  type TranscriptEntry,
  type TranscriptStore,
} from "@openclaw/agent";
import type { Connection } from "../transport/connection.js";
import { toChatMessage } from "./chat-history.js";
import { ChatProjection } from "./chat-projection.js";
import { splitModelRef } from "./model-ref.js";
import { SessionSettings } from "./session-settings.js";

export { DEFAULT_AGENT, splitModelRef } from "./model-ref.js";

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
  readonly broadcast: <E extends "agent" | "chat" | "sessions.changed">(
    event: E,
    payload: EventPayload<E>,
    filter?: (connection: Connection) => boolean,
  ) => void;
  readonly tools?: ToolHost;
  readonly storePath?: string;
  readonly systemPrompt?: string;
  /**
   * Reads a stored attachment by its SHA-256 (the media store), so images of a message reach a model
   * that takes them. Without it, every attachment reaches the model as a text line.
   */
  readonly loadMedia?: LoadMedia;
  /**
   * Called as each turn starts, before its message joins the transcript: may add context
   * to the transcript (queued system events) and swap the model (a cron job's `model`).
   * @default the resolved model, unchanged
   */
  readonly prepareTurn?: (
    turn: { runId: string; agentId: string; sessionKey: string },
    resolved: { provider: ModelProvider; model: string },
  ) => { provider: ModelProvider; model: string };
  readonly now?: () => number;
}

/** How long an event waits behind the answer that caused it (see `afterAnswer`). */
export const AFTER_ANSWER_MS = 100;

/** Connects the agent runtime to the wire: `agent`, `chat` and `sessions.changed` events. The agent, chat and sessions methods are in `methods/agent.ts`. */
export class AgentBridge {
  readonly runtime: AgentRuntime;
  /** Reads and changes sessions' settings, for `sessions.patch` and the chat commands alike. */
  readonly settings: SessionSettings;
  private readonly chat: ChatProjection;
  readonly now: () => number;
  /** Events held back until the answer that caused them has reached its client; cleared on close. */
  private readonly held = new Set<NodeJS.Timeout>();
  /** Connections that called `sessions.subscribe`: the only ones `sessions.changed` goes to. */
  private readonly sessionSubscribers = new Set<string>();

  constructor(private readonly options: AgentBridgeOptions) {
    this.now = options.now ?? Date.now;
    this.settings = new SessionSettings(this);
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
        this.sessionsChanged({
          sessionKey: outcome.sessionKey,
          reason: "run-finished",
          activeRunIds: this.runtime.activeRunIds(outcome.sessionKey),
          ts: this.now(),
        });
      },
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.systemPrompt ? { systemPrompt: options.systemPrompt } : {}),
      ...(options.loadMedia ? { loadMedia: options.loadMedia } : {}),
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

  /** Tells the connections that subscribed to session changes. */
  sessionsChanged(payload: { sessionKey: string; sessionId?: string; reason: string; activeRunIds?: string[]; ts: number }): void {
    this.options.broadcast("sessions.changed", payload, (connection) => this.sessionSubscribers.has(connection.id));
  }

  /** The connection receives `sessions.changed` from now on. */
  subscribeSessions(connId: string): void {
    this.sessionSubscribers.add(connId);
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
    if (modelProvider !== configured.provider.id)
      throw new ModelUnavailableError(ref, `provider "${modelProvider}" is not configured on this gateway (it runs ${configured.provider.id})`);
    return { provider: configured.provider, model };
  }

  /** Run what a killed gateway left queued, and close the turns it left in flight. Call once, as the server starts. */
  start(): void {
    this.runtime.resume();
  }

  /** The transcripts and sessions. */
  get store(): TranscriptStore {
    return this.options.store;
  }

  /** Where the session store lives, as `sessions.list` reports it; empty when in memory. */
  get storePath(): string {
    return this.options.storePath ?? "";
  }

  /** The provider and model configured for an agent (`agents.defaults.model`). */
  configuredModel(agentId: string): { provider: ModelProvider; model: string } {
    return this.options.resolveModel(agentId);
  }

  listModels(): Promise<MethodResult<"models.list">["models"]> {
    return this.options.listModels();
  }

  /** Appends an assistant message to a session's transcript without a run, and shows it to chat clients. */
  inject(params: { sessionKey: string; agentId: string; message: string }): { messageId: string } {
    const now = this.now();
    const { store } = this.options;
    store.ensureSession(params.sessionKey, params.agentId, now);
    const entry = store.append({ sessionKey: params.sessionKey, runId: undefined, role: "assistant", text: params.message, createdAtMs: now });
    this.showReply(`inject-${entry.id}`, entry);
    return { messageId: String(entry.id) };
  }

  /**
   * Run `send` once the answer the caller is about to get has had time to arrive first. A client
   * that reads the answer and an event it caused in one socket read may handle the event first
   * (the OpenClaw TUI then waits forever on a run that already ended), so such events wait
   * `AFTER_ANSWER_MS`. Nothing is lost if the gateway stops meanwhile: what they announce is stored.
   */
  afterAnswer(send: () => void): void {
    const timer = setTimeout(() => {
      this.held.delete(timer);
      send();
    }, AFTER_ANSWER_MS);
    this.held.add(timer);
  }

  /** Shows chat clients an assistant entry written without a model turn (an injected message, a command's answer). */
  showReply(runId: string, entry: TranscriptEntry): void {
    this.options.broadcast("chat", { runId, sessionKey: entry.sessionKey, seq: 1, state: "final", message: toChatMessage(entry) });
  }

  /** Sessions, most recently active first (for health). */
  sessions() {
    return this.options.store.listSessions();
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    await this.runtime.close();
    this.chat.close();
  }
}
