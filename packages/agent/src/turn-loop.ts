import { attachmentsOf, describeAttachment, prepareAttachments, withAttachmentLines, type LoadMedia, type PreparedAttachments } from "./attachments.js";
import { THINKING_OFF, supportedLevel } from "./providers/thinking.js";
import type { ModelMessage, ModelProvider, ThinkingSupport, TokenUsage, ToolCall } from "./providers/types.js";
import { entriesSinceSummary } from "./compaction.js";
import type { Run, RunEvent } from "./run.js";
import type { ToolHost } from "./runtime.js";
import type { NewTranscriptEntry, PendingRun, TranscriptEntry, TranscriptStore } from "./transcript.js";

/** The error a turn that was in flight when the process died is closed with after the restart. */
export const RESTART_INTERRUPTED = "interrupted: gateway restarted";
/** The reason of runs ended because the gateway is stopping. */
export const SHUTDOWN = "gateway stopping";

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const addUsage = (total: TokenUsage | undefined, more: TokenUsage): TokenUsage => ({
  inputTokens: (total?.inputTokens ?? 0) + more.inputTokens,
  outputTokens: (total?.outputTokens ?? 0) + more.outputTokens,
});

/** What a run has produced so far; kept by the caller, so an error still knows it. */
export interface TurnProgress {
  text: string;
  /** The text of the current model turn only (what an interrupted turn keeps). */
  turnText: string;
  usage: TokenUsage | undefined;
}

export interface TurnLoopContext {
  readonly run: Run;
  readonly provider: ModelProvider;
  readonly model: string;
  readonly store: TranscriptStore;
  readonly tools?: ToolHost;
  readonly systemPrompt?: string;
  readonly loadMedia?: LoadMedia;
  readonly maxToolRounds: number;
  readonly historyLimit: number;
  readonly emit: (stream: RunEvent["stream"], data: Record<string, unknown>) => void;
  readonly write: (entry: Omit<NewTranscriptEntry, "sessionKey" | "runId" | "createdAtMs"> & { runId?: string; createdAtMs?: number }) => void;
}

/**
 * The model and tool loop of one run: stream a model turn, run the tools it called, feed their
 * results back, until a turn calls none (or the tool rounds are spent). Throws on a provider
 * error or an abort; `progress` then says how far it got.
 */
export async function runModelTurns(context: TurnLoopContext, progress: TurnProgress): Promise<void> {
  const { run, provider, model, store, emit, write } = context;
  const tools = context.tools ? await context.tools.tools(run.sessionKey) : [];
  // All of the run's thinking so far, as `assistant` events carry all of its text.
  let thinkingText = "";
  // This run's own messages (its own, and steers as they join) may carry images the model sees; older ones never do.
  const sendImages = takesImages(provider, model);
  const ownAttachments = new Map<string, PreparedAttachments>();
  const prepare = async (from: Run) => {
    if (from.attachments.length > 0) ownAttachments.set(from.runId, await prepareAttachments(from.attachments, { sendImages, loadMedia: context.loadMedia }));
  };
  await prepare(run);
  for (let round = 0; ; round++) {
    const history = store.page(run.sessionKey, { limit: context.historyLimit }).entries;
    const calls: ToolCall[] = [];
    let roundUsage: TokenUsage | undefined;
    progress.turnText = "";
    const offered = tools.length > 0 && round < context.maxToolRounds ? { tools } : {};
    const thinking = sessionThinking(context);
    const request = {
      model,
      messages: toModelMessages(history, context.systemPrompt, ownAttachments),
      ...offered,
      ...(thinking.level === undefined ? {} : { thinkingLevel: thinking.level }),
      signal: run.aborter.signal,
    };
    for await (const event of provider.stream(request)) {
      if (event.type === "text") {
        progress.turnText += event.delta;
        progress.text += event.delta;
        emit("assistant", { text: progress.text, delta: event.delta });
      } else if (event.type === "thinking") {
        thinkingText += event.delta;
        if (thinking.show) emit("thinking", { text: thinkingText, delta: event.delta });
      } else if (event.type === "tool_call") calls.push(event.call);
      else if (event.type === "done" && event.usage) {
        roundUsage = addUsage(roundUsage, event.usage);
        progress.usage = addUsage(progress.usage, event.usage);
      }
    }
    write({ role: "assistant", text: progress.turnText, ...(calls.length > 0 ? { toolCalls: calls } : {}), ...(roundUsage ? { usage: roundUsage } : {}) });
    if (calls.length === 0 || !context.tools) return;
    for (const call of calls) {
      emit("tool", { phase: "start", name: call.name, toolCallId: call.id, args: call.arguments });
      let result: { text: string; isError?: boolean };
      try {
        result = await context.tools.call(call, { runId: run.runId, sessionKey: run.sessionKey, signal: run.aborter.signal });
      } catch (error) {
        result = { text: errorText(error), isError: true };
      }
      emit("tool", { phase: "result", name: call.name, toolCallId: call.id, result: result.text, isError: result.isError === true });
      write({ role: "tool", text: result.text, toolCallId: call.id, toolName: call.name });
    }
    // Steering messages join the conversation at the next model turn, and the run from then on.
    for (const steer of run.steering.splice(0)) {
      store.transaction(() => {
        write({ runId: steer.runId, role: "user", text: steer.message, ...attachmentsOf(steer) });
        store.removePendingRun(steer.runId);
      });
      steer.status = "running";
      run.followers.push(steer);
      await prepare(steer);
    }
  }
}

/**
 * The session's thinking settings as a model turn starts, so a change made during a run applies
 * from its next turn. The level is the session's, else the model's default; one this model does
 * not take counts as unset (sessions.patch validates levels, but the session's model may have
 * changed since). The model thinks at that level whether or not its thinking is shown.
 */
function sessionThinking(context: TurnLoopContext): { level: string | undefined; show: boolean } {
  const options = context.store.session(context.run.sessionKey)?.options ?? {};
  let support: ThinkingSupport = { levels: [] };
  try {
    support = context.provider.thinking?.(context.model) ?? support;
  } catch {
    // A provider that cannot say gets no level, rather than failing the run.
  }
  const requested = options.thinkingLevel === THINKING_OFF ? undefined : (supportedLevel(options.thinkingLevel, support) ?? support.default);
  return { level: supportedLevel(requested, support), show: options.reasoningLevel === "on" || options.reasoningLevel === "stream" };
}

/** Whether the provider sends images to `model`; a provider that throws asking gets none. */
function takesImages(provider: ModelProvider, model: string): boolean {
  try {
    return provider.supportsImages?.(model) === true;
  } catch {
    return false;
  }
}

/**
 * The transcript as the model sees it: the system prompt first, then the latest `/compact` summary
 * (if any) and what followed it; system entries, chat commands and resent turns left out. A user
 * entry's attachments become text lines under its text, except for the entries of the runs in
 * `prepared` (the running turn's own messages), which get their prepared images and lines.
 */
export function toModelMessages(
  entries: readonly TranscriptEntry[],
  systemPrompt: string | undefined,
  prepared: ReadonlyMap<string, PreparedAttachments> = new Map(),
): ModelMessage[] {
  const messages: ModelMessage[] = systemPrompt ? [{ role: "system", content: systemPrompt }] : [];
  const sinceSummary = entriesSinceSummary(entries);
  const resent = resentInterruptedTurns(sinceSummary);
  for (const [index, entry] of sinceSummary.entries()) {
    if (entry.role === "system" || entry.command !== undefined || resent.has(index)) continue;
    if (entry.summary) {
      messages.push({ role: "user", content: `Summary of the conversation so far:\n${entry.text}` });
      continue;
    }
    if (entry.role === "tool") messages.push({ role: "tool", content: entry.text, toolCallId: entry.toolCallId ?? "", name: entry.toolName ?? "" });
    else if (entry.role === "assistant") messages.push({ role: "assistant", content: entry.text, ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}) });
    else messages.push(userMessage(entry, prepared));
  }
  return messages;
}

function userMessage(entry: TranscriptEntry, prepared: ReadonlyMap<string, PreparedAttachments>): ModelMessage {
  const attachments = entry.attachments ?? [];
  if (attachments.length === 0) return { role: "user", content: entry.text };
  const own = entry.runId === undefined ? undefined : prepared.get(entry.runId);
  if (!own) return { role: "user", content: withAttachmentLines(entry.text, attachments.map(describeAttachment)) };
  return { role: "user", content: withAttachmentLines(entry.text, own.lines), ...(own.images.length > 0 ? { images: own.images } : {}) };
}

/** Markers of turns the gateway itself cut off (a restart or a shutdown), not the user. */
const GATEWAY_INTERRUPTIONS: ReadonlySet<string> = new Set([RESTART_INTERRUPTED, SHUTDOWN]);

/**
 * Entries of turns the gateway cut off before any output whose message came again as the very next
 * one (a channel replays an inbound message it had not answered): the model sees that message once.
 * The transcript keeps both, as it keeps everything.
 */
function resentInterruptedTurns(entries: readonly TranscriptEntry[]): Set<number> {
  const skipped = new Set<number>();
  for (let index = 0; index + 2 < entries.length; index++) {
    const [user, marker, next] = [entries[index]!, entries[index + 1]!, entries[index + 2]!];
    const cutOff = marker.role === "assistant" && marker.text === "" && marker.stopReason === "aborted" && GATEWAY_INTERRUPTIONS.has(marker.errorMessage ?? "");
    if (user.role === "user" && cutOff && !marker.toolCalls?.length && next.role === "user" && next.text === user.text) {
      skipped.add(index);
      skipped.add(index + 1);
    }
  }
  return skipped;
}

/**
 * After a restart, close a turn the killed process left running: every tool call it left
 * unanswered gets a result (providers require one after each call), then an aborted assistant
 * entry says the gateway restarted. Its reply is gone, and running it again could repeat tool calls.
 */
export function closeInterruptedTurn(store: TranscriptStore, pending: PendingRun, now: number): void {
  store.transaction(() => {
    for (const call of unansweredToolCalls(store, pending.sessionKey)) {
      store.appendIfCurrent(pending.sessionId, {
        sessionKey: pending.sessionKey,
        runId: pending.runId,
        role: "tool",
        text: RESTART_INTERRUPTED,
        toolCallId: call.id,
        toolName: call.name,
        createdAtMs: now,
      });
    }
    store.appendIfCurrent(pending.sessionId, {
      sessionKey: pending.sessionKey,
      runId: pending.runId,
      role: "assistant",
      text: "",
      stopReason: "aborted",
      errorMessage: RESTART_INTERRUPTED,
      createdAtMs: now,
    });
    store.removePendingRun(pending.runId);
  });
}

/** The calls of the session's last assistant entry that no tool entry after it answers. */
function unansweredToolCalls(store: TranscriptStore, sessionKey: string): ToolCall[] {
  const entries = store.page(sessionKey, { limit: 50 }).entries;
  const last = entries.findLastIndex((entry) => entry.role === "assistant");
  const calls = entries[last]?.toolCalls ?? [];
  const answered = new Set(entries.slice(last + 1).flatMap((entry) => (entry.role === "tool" && entry.toolCallId ? [entry.toolCallId] : [])));
  return calls.filter((call) => !answered.has(call.id));
}
