import type { InboundMedia } from "@openclaw/protocol";
import type { TokenUsage, ToolCall } from "./providers/types.js";

/** One stored transcript entry. `id` orders entries and pages `chat.history`. */
export interface TranscriptEntry {
  readonly id: number;
  readonly sessionKey: string;
  readonly runId: string | undefined;
  readonly role: "user" | "assistant" | "tool" | "system";
  readonly text: string;
  /** On user entries: the message's attachments, as the channel described them. */
  readonly attachments?: readonly InboundMedia[];
  readonly toolCalls?: readonly ToolCall[];
  readonly toolCallId?: string;
  readonly toolName?: string;
  /** Set when the run ended early: `aborted` or `error`. */
  readonly stopReason?: string;
  /** Why it ended early: the provider's error, `gateway stopping`, `interrupted: gateway restarted`, … */
  readonly errorMessage?: string;
  /** On assistant entries: the tokens the model call behind it used, when the provider reported them. */
  readonly usage?: TokenUsage;
  /**
   * Set on a chat command (`/status`, `/think high`, …) and on the gateway's answer to it, to the
   * command's name. The transcript keeps them; the model never sees them.
   */
  readonly command?: string;
  /** A summary written by `/compact`: the model's context starts from the latest one. */
  readonly summary?: boolean;
  readonly createdAtMs: number;
}

export type NewTranscriptEntry = Omit<TranscriptEntry, "id">;

/**
 * Per-session settings a client, a chat command or `sessions.patch` sets. A missing field means
 * the default (the agent's or the gateway's config).
 */
export interface SessionOptions {
  /** A level id such as `low`, `medium`, `high`; which ones apply depends on the session's model. */
  readonly thinkingLevel?: string;
  readonly fastMode?: boolean;
  /** `on` shows tool calls in replies, `full` also their results. */
  readonly verboseLevel?: "on" | "off" | "full";
  /** `on` shows the model's thinking with the reply, `stream` streams it while it runs. */
  readonly reasoningLevel?: "on" | "off" | "stream";
  /** A usage footer under replies. */
  readonly responseUsage?: "off" | "tokens" | "full";
  /** `deny` keeps the session's replies from being delivered to its channel. */
  readonly sendPolicy?: "allow" | "deny";
  /** In groups: answer only when mentioned, or every message. */
  readonly groupActivation?: "mention" | "always";
  /** How a message that arrives during a run is handled; see the runtime's queue modes. */
  readonly queueMode?: "steer" | "followup" | "collect" | "interrupt";
}

/** A change to a session's options: a value sets the field, `null` clears it back to the default. */
export type SessionOptionsPatch = { readonly [K in keyof SessionOptions]?: SessionOptions[K] | null };

/** A change to a session: a value sets the field, `null` clears it. */
export interface SessionPatch {
  readonly label?: string | null;
  readonly model?: string | null;
  readonly options?: SessionOptionsPatch;
}

/** Apply `patch` to `options`: values replace, `null` removes. */
export function mergeSessionOptions(options: SessionOptions, patch: SessionOptionsPatch | undefined): SessionOptions {
  const merged: Record<string, unknown> = { ...options };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as SessionOptions;
}

/** A session as listed by `sessions.list`. */
export interface SessionRecord {
  readonly key: string;
  readonly sessionId: string;
  readonly agentId: string;
  readonly label?: string | undefined;
  /** A `provider/model` ref (or a bare model id) set by `sessions.patch`; runs of this session use it. */
  readonly model?: string | undefined;
  /** Thinking level, verbosity and the other per-session settings; `{}` when all are default. */
  readonly options: SessionOptions;
  /** Tokens used by the runs of the current session id; a reset starts again from zero. */
  readonly usage: TokenUsage;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** The tokens one run used, kept per run so sessions can be totalled. */
export interface UsageRecord extends TokenUsage {
  readonly runId: string;
  readonly sessionKey: string;
  readonly sessionId: string;
  readonly provider: string;
  readonly model: string;
  readonly createdAtMs: number;
}

/**
 * A run that was accepted and has not finished. It is written when the run is accepted, so a
 * crash cannot lose the message, and removed when the run ends.
 */
export interface PendingRun {
  readonly runId: string;
  readonly sessionKey: string;
  /** The session id it was accepted into; a delete or reset since then voids it. */
  readonly sessionId: string;
  readonly agentId: string;
  readonly message: string;
  /** `running` once its turn started, which is when its message joined the transcript. */
  readonly state: "queued" | "running";
  /** Run it after a restart if it had not started. Off for callers that replay their own input (channels). */
  readonly resume: boolean;
  /** Runs folded into this one (queueMode `collect`); they end with it. */
  readonly foldedRunIds: readonly string[];
  readonly acceptedAtMs: number;
}

/** A window of a transcript, oldest first. */
export interface TranscriptPage {
  readonly entries: TranscriptEntry[];
  /** Older entries exist before the first one. */
  readonly hasMore: boolean;
}

/**
 * Where sessions and transcripts live. The gateway backs it with SQLite so they
 * survive restarts; tests and embedders may use the in-memory one.
 */
export interface TranscriptStore {
  ensureSession(key: string, agentId: string, now: number): SessionRecord;
  session(key: string): SessionRecord | undefined;
  listSessions(): SessionRecord[];
  patchSession(key: string, patch: SessionPatch, now: number): SessionRecord | undefined;
  /** Drop the session, its transcript, usage and pending runs. */
  deleteSession(key: string): boolean;
  /** Drop the transcript and start a new session id under the same key. */
  resetSession(key: string, now: number): SessionRecord | undefined;
  append(entry: NewTranscriptEntry): TranscriptEntry;
  /**
   * Append only while the key still carries `sessionId`. A run whose session was deleted or
   * reset while it wound down must write neither into nothing nor into the new session.
   */
  appendIfCurrent(sessionId: string, entry: NewTranscriptEntry): TranscriptEntry | undefined;
  /**
   * Entries before `beforeId`, skipping the `offset` newest of those, oldest first in the result.
   * @param options.offset @default 0
   */
  page(key: string, options: { limit: number; beforeId?: number; offset?: number }): TranscriptPage;
  /** Up to `limit` entries centred on entry `id`; undefined when the session has no such entry. */
  around(key: string, id: number, limit: number): (TranscriptPage & { readonly hasNewer: boolean }) | undefined;
  count(key: string): number;
  /** Record a run's tokens, unless its session id is gone. */
  recordUsage(record: UsageRecord): void;
  addPendingRun(run: PendingRun): void;
  updatePendingRun(runId: string, patch: Partial<Pick<PendingRun, "state" | "message" | "foldedRunIds">>): void;
  removePendingRun(runId: string): void;
  /** Every pending run, in the order they were accepted. */
  pendingRuns(): PendingRun[];
  /** Run `fn` so that its writes land together or not at all. */
  transaction<T>(fn: () => T): T;
}
