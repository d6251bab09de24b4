import { ProviderError } from "../errors.js";
import { errorForStatus, getJson, parseJson, postForEvents, type FetchFunction, type ProviderHttpRequest } from "./http.js";
import { openAiTakesImages, takesImages, type ModelInputs } from "./image-input.js";
import { bareModelName, listedAsReasoning, notListedReason, supportedLevel } from "./thinking.js";
import type { ModelMessage, ModelProvider, ModelRequest, ModelStreamEvent, ThinkingSupport, TokenUsage, ToolCall } from "./types.js";

type StopReason = Extract<ModelStreamEvent, { type: "done" }>["stopReason"];

const PROVIDER_ID = "openai-compatible";

export interface OpenAiCompatibleOptions {
  /**
   * The API root that holds `/chat/completions` and `/models`, e.g. `https://api.openai.com/v1`,
   * `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM),
   * `http://localhost:1234/v1` (LM Studio) or `https://openrouter.ai/api/v1`.
   */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; local servers usually need none. */
  readonly apiKey?: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** Extra headers on every request (OpenRouter's `HTTP-Referer`, `X-Title`); they win over ours. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The models that take `reasoning_effort`, replacing the built-in rule (OpenAI's o1, o3, o4-mini
   * and gpt-5 families): exact ids, `prefix*`, or `["*"]` for all; `[]` means none. Listed models
   * the rule does not know take `low`, `medium`, `high`.
   * @default the built-in rule
   */
  readonly reasoningModels?: readonly string[];
  /**
   * What models take as input, by model id (`{ "llava:13b": ["text", "image"] }`); a model named here
   * takes images exactly when its list has `image`. Others follow the built-in rule: OpenAI's gpt-4o,
   * gpt-4.1 and gpt-5 families (not their audio, realtime, transcription or speech models), with or
   * without a router's vendor prefix.
   * @default the built-in rule for every model
   */
  readonly modelInput?: ModelInputs;
}

/**
 * Streaming chat completions over SSE, with tool calls: one provider for every OpenAI-style server.
 * Thinking levels are sent as `reasoning_effort`; servers that stream their reasoning
 * (`delta.reasoning_content` or `delta.reasoning`) have it streamed as `thinking` events.
 */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): ModelProvider {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const http = (path: string, signal?: AbortSignal): ProviderHttpRequest => {
    const headers = new Headers();
    if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    return { providerId: PROVIDER_ID, fetch: options.fetch ?? globalThis.fetch, url: `${baseUrl}${path}`, headers, signal };
  };
  return {
    id: PROVIDER_ID,
    label: `OpenAI-compatible (${new URL(baseUrl).host})`,
    stream: (request) => streamChat(http("/chat/completions", request.signal), request, options.reasoningModels),
    thinking: (model) => reasoningEffortSupport(model, options.reasoningModels),
    supportsImages: (model) => takesImages(model, options.modelInput, openAiTakesImages),
    async listModels() {
      const body = (await getJson(http("/models"))) as ModelList;
      if (!Array.isArray(body.data)) throw new ProviderError("bad_response", `${PROVIDER_ID}: ${baseUrl}/models did not return a "data" array`);
      return body.data
        .filter((model) => typeof model.id === "string")
        .map((model) => ({
          id: model.id,
          name: typeof model.name === "string" ? model.name : model.id,
          ...(typeof model.context_length === "number" ? { contextWindow: model.context_length } : {}),
        }));
    },
  };
}

const EFFORTS = ["low", "medium", "high"] as const;
/** gpt-5, gpt-5-mini and gpt-5-nano also take `minimal`; later gpt-5 versions do not all do. */
const GPT5_EFFORTS = ["minimal", ...EFFORTS] as const;

/**
 * Which models take `reasoning_effort`. Built in: gpt-5, gpt-5-mini and gpt-5-nano take minimal,
 * low, medium, high; other gpt-5 models (not the `-chat` ones) and the o-series (o1, o3, o4-mini,
 * …; not o1-mini or o1-preview) take low, medium, high. A vendor prefix (OpenRouter's `openai/o3`)
 * is ignored.
 */
export function reasoningEffortSupport(model: string, reasoningModels?: readonly string[]): ThinkingSupport {
  const name = bareModelName(model);
  const builtIn = /^gpt-5(?:-mini|-nano)?(?:-\d{4}-\d{2}-\d{2})?$/.test(name)
    ? GPT5_EFFORTS
    : (/^gpt-5/.test(name) && !name.includes("-chat")) || (/^o\d/.test(name) && !/^o1-(?:mini|preview)/.test(name))
      ? EFFORTS
      : undefined;
  const listed = listedAsReasoning(reasoningModels, model);
  if (listed === false) return { levels: [], reason: notListedReason(model) };
  if (listed || builtIn) return { levels: builtIn ?? EFFORTS };
  return {
    levels: [],
    reason: `model ${model} does not take reasoning_effort; OpenAI's o1, o3, o4-mini and gpt-5 models do (list others in the provider's reasoningModels)`,
  };
}

/**
 * The request body of `POST /chat/completions`. `thinkingLevel` becomes `reasoning_effort` only
 * for models that take it; without one the server's default applies.
 */
export function toChatCompletionsBody(request: ModelRequest, reasoningModels?: readonly string[]): Record<string, unknown> {
  const effort = supportedLevel(request.thinkingLevel, reasoningEffortSupport(request.model, reasoningModels));
  return {
    model: request.model,
    messages: request.messages.map(toChatMessage),
    stream: true,
    // Without this, streamed responses carry no token counts.
    stream_options: { include_usage: true },
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.parameters } })),
        }
      : {}),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(effort === undefined ? {} : { reasoning_effort: effort }),
  };
}

function toChatMessage(message: ModelMessage): Record<string, unknown> {
  if (message.role === "tool") return { role: "tool", tool_call_id: message.toolCallId ?? "", content: message.content };
  if (message.role === "assistant" && message.toolCalls && message.toolCalls.length > 0) {
    return {
      role: "assistant",
      // The API wants null, not "", next to tool calls.
      content: message.content.length > 0 ? message.content : null,
      tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } })),
    };
  }
  if (message.role === "user" && message.images && message.images.length > 0) {
    return {
      role: "user",
      content: [
        { type: "text", text: message.content },
        ...message.images.map((image) => ({
          type: "image_url",
          image_url: { url: `data:${image.mime};base64,${Buffer.from(image.data).toString("base64")}` },
        })),
      ],
    };
  }
  return { role: message.role, content: message.content };
}

// The wire shapes, with only the fields we read.
interface ChatChunk {
  readonly choices?: readonly {
    readonly index?: number;
    readonly delta?: {
      readonly content?: string | null;
      /** DeepSeek, vLLM and llama.cpp stream reasoning here… */
      readonly reasoning_content?: string | null;
      /** …OpenRouter and Ollama here. */
      readonly reasoning?: string | null;
      readonly tool_calls?: readonly ToolCallDelta[] | null;
    } | null;
    readonly finish_reason?: string | null;
  }[];
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number } | null;
  /** OpenRouter and some proxies report failures inside a 200 stream. */
  readonly error?: { readonly message?: string; readonly code?: number | string } | string;
}
interface ToolCallDelta {
  readonly index?: number;
  readonly id?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null } | null;
}
interface ModelList {
  readonly data?: readonly { readonly id: string; readonly name?: unknown; readonly context_length?: unknown }[];
}

async function* streamChat(http: ProviderHttpRequest, request: ModelRequest, reasoningModels: readonly string[] | undefined): AsyncGenerator<ModelStreamEvent> {
  // Tool calls arrive as fragments keyed by index: id and name first, then the arguments piece by piece.
  const pending = new Map<number, { id: string; name: string; arguments: string }>();
  let emittedCalls = 0;
  let finishReason: string | undefined;
  let usage: TokenUsage | undefined;

  function* completeCalls(): Generator<ModelStreamEvent> {
    for (const [index, call] of [...pending].sort(([a], [b]) => a - b)) {
      emittedCalls++;
      const complete: ToolCall = {
        // Some local servers omit ids; the runtime still needs one to pair the result.
        id: call.id || `call_${index}_${crypto.randomUUID().slice(0, 8)}`,
        name: call.name,
        // A tool without parameters may stream no arguments at all.
        arguments: call.arguments.trim() === "" ? "{}" : call.arguments,
      };
      yield { type: "tool_call", call: complete };
    }
    pending.clear();
  }

  for await (const message of postForEvents(http, toChatCompletionsBody(request, reasoningModels))) {
    if (message.data.trim() === "[DONE]") {
      yield* completeCalls();
      yield { type: "done", stopReason: toStopReason(finishReason, emittedCalls > 0), ...(usage ? { usage } : {}) };
      return;
    }
    const chunk = parseJson(PROVIDER_ID, message.data, "the chat stream") as ChatChunk;
    if (chunk.error) throw streamError(chunk.error);
    if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    for (const choice of chunk.choices ?? []) {
      // We never ask for n > 1; ignore anything but the first choice.
      if ((choice.index ?? 0) !== 0) continue;
      // Some servers fill both reasoning fields with the same text; one of them is read.
      const reasoning = choice.delta?.reasoning_content || choice.delta?.reasoning;
      if (typeof reasoning === "string" && reasoning.length > 0) yield { type: "thinking", delta: reasoning };
      const content = choice.delta?.content;
      if (typeof content === "string" && content.length > 0) yield { type: "text", delta: content };
      for (const [position, part] of (choice.delta?.tool_calls ?? []).entries()) {
        const index = part.index ?? position;
        const call = pending.get(index) ?? { id: "", name: "", arguments: "" };
        pending.set(index, call);
        // Some servers repeat id and name on every fragment, so they are set, not appended.
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name = part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
      }
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        yield* completeCalls();
      }
    }
  }
  throw new ProviderError("stream_cut", `${PROVIDER_ID}: the stream ended before [DONE]; the reply is incomplete, retry the request`);
}

function toStopReason(finishReason: string | undefined, calledTools: boolean): StopReason {
  switch (finishReason) {
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "length":
      return "max_tokens";
    case "content_filter":
      return "refusal";
    case "stop":
      // Older Ollama versions say "stop" even when the turn ended in tool calls.
      return calledTools ? "tool_calls" : "end";
    default:
      return calledTools ? "tool_calls" : "other";
  }
}

function streamError(error: NonNullable<ChatChunk["error"]>): ProviderError {
  const message = typeof error === "string" ? error : (error.message ?? "unknown error");
  const status = typeof error === "object" ? Number(error.code) : Number.NaN;
  if (Number.isInteger(status) && status >= 400) return errorForStatus(PROVIDER_ID, status, `error in the stream: ${message}`);
  return new ProviderError("http", `${PROVIDER_ID}: error in the stream: ${message}`);
}

function normalizeBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  if (!URL.canParse(trimmed) || !/^https?:$/.test(new URL(trimmed).protocol)) {
    throw new TypeError(`${PROVIDER_ID}: baseUrl must be an absolute http(s) URL such as http://localhost:11434/v1, got "${baseUrl}"`);
  }
  return trimmed;
}
