import type { MethodResult } from "@openclaw/protocol";
import type { SessionOptions, SessionOptionsPatch, SessionPatch, SessionRecord, ThinkingSupport } from "@openclaw/agent";
import { ModelUnavailableError, THINKING_OFF } from "@openclaw/agent";
import { InvalidInputError } from "../errors.js";
import type { AgentBridge } from "./agent-bridge.js";
import { DEFAULT_AGENT, splitModelRef } from "./model-ref.js";

/** The values each enumerated session option takes, as `sessions.patch` and the chat commands accept them. */
export const OPTION_VALUES = {
  verboseLevel: ["on", "off", "full"],
  reasoningLevel: ["on", "off", "stream"],
  responseUsage: ["off", "tokens", "full"],
  sendPolicy: ["allow", "deny"],
  groupActivation: ["mention", "always"],
  queueMode: ["steer", "followup", "collect", "interrupt"],
} as const satisfies { [K in keyof SessionOptions]?: readonly string[] };

/** `off` is always a valid thinking level: it asks for no extended thinking. */
export { THINKING_OFF };

type WireResolved = MethodResult<"sessions.patch">["resolved"];

/** A session's model and thinking, resolved against the providers this gateway runs: the wire's `resolved`, always with its levels. */
export type ResolvedSession = WireResolved & Required<Pick<WireResolved, "thinkingLevels">>;

/** What a session change can name: the record's own fields and its options. */
export type SettingsPatch = Omit<SessionPatch, "options"> & SessionOptionsPatch;

/** Every option a session keeps: the enumerated ones, plus the thinking level and fast mode. */
const OPTION_KEYS: readonly (keyof SessionOptions)[] = ["thinkingLevel", "fastMode", ...(Object.keys(OPTION_VALUES) as (keyof typeof OPTION_VALUES)[])];

/**
 * Reads and changes a session's settings: the one place `sessions.patch` and the chat commands
 * (`/think`, `/model`, `/verbose`, …) go through, so both validate the same way.
 */
export class SessionSettings {
  constructor(private readonly bridge: AgentBridge) {}

  /** The session's model (its own or the agent's) and the thinking levels it takes. */
  resolve(key: string, agentId: string = DEFAULT_AGENT): ResolvedSession {
    const session = this.bridge.store.session(key);
    return session ? this.resolveSession(session) : this.resolveFor(undefined, {}, agentId);
  }

  /** `resolve` for a session already read from the store. */
  resolveSession(session: SessionRecord): ResolvedSession {
    return this.resolveFor(session.model, session.options, session.agentId);
  }

  /**
   * Validate `patch` against the session's model and apply it; creates the session when it does not
   * exist yet. Throws InvalidInputError naming the field and the values it takes, and then changes
   * (or creates) nothing. Subscribers hear of the change with `reason`.
   * @param reason @default "patched"
   */
  patch(key: string, patch: SettingsPatch, agentId: string = DEFAULT_AGENT, reason = "patched"): { session: SessionRecord; resolved: ResolvedSession } {
    const { label, model, ...given } = patch;
    const options = normalizeOptions(given);
    const { store } = this.bridge;
    const current = store.session(key);
    const sessionAgent = current?.agentId ?? agentId;
    const nextModel = model === undefined ? current?.model : (model ?? undefined);
    if (typeof model === "string") this.checkModel(model, sessionAgent);
    const resolved = this.resolveFor(nextModel, current?.options ?? {}, sessionAgent);
    for (const [field, value] of Object.entries(options) as [keyof SessionOptions, unknown][]) {
      if (value === null || value === undefined) continue;
      checkOption(field, value, resolved);
    }
    const now = this.bridge.now();
    const session = store.transaction(() => {
      store.ensureSession(key, sessionAgent, now);
      return store.patchSession(key, { ...(label !== undefined ? { label } : {}), ...(model !== undefined ? { model } : {}), options }, now)!;
    });
    this.bridge.sessionsChanged({ sessionKey: key, reason, ts: now });
    return { session, resolved: this.resolveSession(session) };
  }

  /** The session as `sessions.patch` and `sessions.create` answer it in `entry`. */
  entry(session: SessionRecord): MethodResult<"sessions.patch">["entry"] {
    return {
      sessionId: session.sessionId,
      createdAt: session.createdAtMs,
      updatedAt: session.updatedAtMs,
      ...(session.label !== undefined ? { label: session.label } : {}),
      ...(session.model !== undefined ? { model: session.model } : {}),
      ...session.options,
    };
  }

  /** The thinking levels a model ref takes; the configured model when `ref` is undefined. */
  thinking(ref: string | undefined, agentId: string = DEFAULT_AGENT): ThinkingSupport & { provider: string; model: string } {
    const { provider, model } = ref === undefined ? this.bridge.configuredModel(agentId) : this.bridge.resolveModelRef(ref, agentId);
    const support = provider.thinking?.(model) ?? { levels: [], reason: `provider ${provider.id} has no thinking levels` };
    return { ...support, provider: provider.id, model };
  }

  private resolveFor(modelRef: string | undefined, options: SessionOptions, agentId: string): ResolvedSession {
    const configured = this.bridge.configuredModel(agentId);
    const { modelProvider, model } =
      modelRef === undefined ? { modelProvider: configured.provider.id, model: configured.model } : splitModelRef(modelRef, configured.provider.id);
    let support: ThinkingSupport;
    try {
      support = this.thinking(modelRef, agentId);
    } catch (error) {
      // A session patched to a model that is no longer served: say so instead of failing the read.
      support = { levels: [], reason: error instanceof Error ? error.message : String(error) };
    }
    const level = options.thinkingLevel ?? support.default;
    return {
      modelProvider,
      model,
      ...(level !== undefined ? { thinkingLevel: level } : {}),
      thinkingLevels: support.levels.map((id) => ({ id, label: id })),
      ...(support.default !== undefined ? { thinkingDefault: support.default } : {}),
      ...(support.levels.length === 0 ? { thinkingUnsupportedReason: support.reason ?? `${modelProvider}/${model} has no thinking levels` } : {}),
    };
  }

  private checkModel(ref: string, agentId: string): void {
    try {
      this.bridge.resolveModelRef(ref, agentId);
    } catch (error) {
      if (error instanceof ModelUnavailableError) throw new InvalidInputError(`model: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

function checkOption(field: keyof SessionOptions, value: unknown, resolved: ResolvedSession): void {
  if (!OPTION_KEYS.includes(field)) throw new InvalidInputError(`${field} is not a session setting this gateway keeps`);
  if (field === "fastMode") {
    if (typeof value !== "boolean") throw new InvalidInputError(`fastMode must be true or false, not ${JSON.stringify(value)}`);
    return;
  }
  if (field === "thinkingLevel") {
    const ids = resolved.thinkingLevels.map((level) => level.id);
    if (value === THINKING_OFF || ids.includes(value as string)) return;
    const where = `${resolved.modelProvider}/${resolved.model}`;
    throw new InvalidInputError(
      ids.length === 0
        ? `thinkingLevel "${String(value)}": ${where} takes no thinking levels (${resolved.thinkingUnsupportedReason}); only "off" applies`
        : `thinkingLevel "${String(value)}" is not a level of ${where}; it takes ${[THINKING_OFF, ...ids].join(", ")}`,
    );
  }
  const allowed = OPTION_VALUES[field as keyof typeof OPTION_VALUES] as readonly string[];
  if (!allowed.includes(value as string)) throw new InvalidInputError(`${field} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
}

/** The wire's `responseUsage: "on"` means the token footer. */
function normalizeOptions(options: Record<string, unknown>): SessionOptionsPatch {
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key, key === "responseUsage" && value === "on" ? "tokens" : value]));
}
