import { abortedError } from "./http.js";
import { delay } from "./retry.js";
import type { ModelMessage, ModelProvider, ModelRequest, ModelStreamEvent } from "./types.js";

const PROVIDER_ID = "offline";

export interface OfflineProviderOptions {
  /**
   * `echo` repeats the last user message, `script` plays `script` back, `tool` calls `tool`
   * and then summarizes its result.
   * @default "echo"
   */
  readonly mode?: "echo" | "script" | "tool";
  /**
   * Replies for `script` mode. Turn n of a conversation (counted by the assistant turns already
   * in the request) gets `script[n % script.length]`, so replies depend only on the request.
   */
  readonly script?: readonly string[];
  /** The tool `tool` mode calls; it is only called when the request offers it. */
  readonly tool?: { readonly name: string; readonly arguments: Record<string, unknown> };
  /** Characters per streamed text event. @default 8 */
  readonly chunkSize?: number;
  /** Pause between text events, to make streaming visible or leave room for an abort. @default 0 */
  readonly chunkDelayMs?: number;
}

/**
 * A deterministic provider that needs no network and no model: the embedded default when no
 * provider is configured. Its label says so wherever it is shown.
 */
export function createOfflineProvider(options: OfflineProviderOptions = {}): ModelProvider {
  const mode = options.mode ?? "echo";
  const chunkSize = options.chunkSize ?? 8;
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`${PROVIDER_ID}: chunkSize must be a positive integer, got ${chunkSize}`);
  if (mode === "script" && (options.script ?? []).length === 0) {
    throw new TypeError(`${PROVIDER_ID}: mode "script" needs a non-empty script, e.g. { mode: "script", script: ["Hello"] }`);
  }
  if (mode === "tool" && !options.tool) {
    throw new TypeError(`${PROVIDER_ID}: mode "tool" needs a tool, e.g. { mode: "tool", tool: { name: "send", arguments: {} } }`);
  }

  async function* streamText(text: string, signal: AbortSignal | undefined): AsyncGenerator<ModelStreamEvent> {
    for (let at = 0; at < text.length; at += chunkSize) {
      // Always wait a tick (or chunkDelayMs), so an abort issued while streaming lands mid-reply.
      await delay(chunkDelayMs, signal, PROVIDER_ID);
      yield { type: "text", delta: text.slice(at, at + chunkSize) };
    }
    if (signal?.aborted) throw abortedError(PROVIDER_ID, signal);
    yield { type: "done", stopReason: "end" };
  }

  async function* stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    if (request.signal?.aborted) throw abortedError(PROVIDER_ID, request.signal);
    const turn = request.messages.filter((message) => message.role === "assistant").length;
    if (mode === "echo") return yield* streamText(`Echo: ${lastUserText(request.messages)}`, request.signal);
    if (mode === "script") {
      const script = options.script ?? [];
      return yield* streamText(script[turn % script.length] ?? "", request.signal);
    }
    const tool = options.tool;
    if (!tool) throw new TypeError(`${PROVIDER_ID}: mode "tool" needs a tool`);
    const results = toolResultsSinceLastTurn(request.messages);
    if (results.length > 0) {
      // `||`: a transcript without the tool's name hands us "".
      const summary = results.map((result) => `Tool ${result.name || tool.name} returned: ${result.content}`).join("\n");
      return yield* streamText(summary, request.signal);
    }
    if (!request.tools?.some((offered) => offered.name === tool.name)) {
      return yield* streamText(`Offline provider: the tool "${tool.name}" is not available to this agent, so it was not called.`, request.signal);
    }
    await delay(chunkDelayMs, request.signal, PROVIDER_ID);
    yield { type: "tool_call", call: { id: `offline_call_${turn}`, name: tool.name, arguments: JSON.stringify(tool.arguments) } };
    yield { type: "done", stopReason: "tool_calls" };
  }

  return {
    id: PROVIDER_ID,
    label: "offline (no model: deterministic replies)",
    stream,
    thinking: () => ({ levels: [], reason: "the offline provider has no thinking control" }),
    // It reads no images: attachments reach it as text lines, which echo mode repeats.
    supportsImages: () => false,
    listModels: () => Promise.resolve([{ id: mode, name: `offline ${mode} (no model)` }]),
  };
}

function lastUserText(messages: readonly ModelMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === "user") return message.content;
  }
  return "";
}

/** The tool results after the latest assistant turn; a steering message may follow them. */
function toolResultsSinceLastTurn(messages: readonly ModelMessage[]): ModelMessage[] {
  const lastTurn = messages.findLastIndex((message) => message.role === "assistant");
  if (lastTurn === -1) return [];
  return messages.slice(lastTurn + 1).filter((message) => message.role === "tool");
}
