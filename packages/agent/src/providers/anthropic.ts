import { ProviderError } from "../errors.js";
import { errorForStatus, getJson, parseJson, postForEvents, type FetchFunction, type ProviderHttpRequest } from "./http.js";
import { ANTHROPIC_THINKING_BUDGETS, ThinkingReplay, anthropicThinking, type ThinkingBlock } from "./anthropic-thinking.js";
import { claudeTakesImages, takesImages, type ModelInputs } from "./image-input.js";
import { supportedLevel } from "./thinking.js";
import type { ModelImage, ModelMessage, ModelProvider, ModelRequest, ModelStreamEvent } from "./types.js";

type StopReason = Extract<ModelStreamEvent, { type: "done" }>["stopReason"];

const PROVIDER_ID = "anthropic";

export interface AnthropicOptions {
  /** @default "https://api.anthropic.com" */
  readonly baseUrl?: string;
  /** Sent as `x-api-key`. */
  readonly apiKey: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** @default "2023-06-01" */
  readonly anthropicVersion?: string;
  /**
   * Reply tokens (`max_tokens`) when the request sets none; the Messages API requires one. With
   * extended thinking on, the thinking budget is added on top.
   * @default 4096
   */
  readonly defaultMaxTokens?: number;
  /**
   * The models that take thinking levels, replacing the built-in rule (claude-3-7-sonnet and
   * Claude 4 and later): exact ids, `prefix*`, or `["*"]` for all; `[]` means none.
   * @default the built-in rule
   */
  readonly reasoningModels?: readonly string[];
  /**
   * What models take as input, by model id (`{ "claude-x": ["text"] }`); a model named here takes
   * images exactly when its list has `image`. Others follow the built-in rule: every Claude model
   * from Claude 3 on (not claude-2 or claude-instant).
   * @default the built-in rule for every model
   */
  readonly modelInput?: ModelInputs;
}

/**
 * The Anthropic Messages API, streaming, with tool use and extended thinking. Thinking levels
 * (`minimal` … `xhigh`, see ANTHROPIC_THINKING_BUDGETS) become `thinking.budget_tokens`; the
 * thinking streams as `thinking` events.
 */
export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  const baseUrl = (options.baseUrl ?? "https://api.anthropic.com").trim().replace(/\/+$/, "");
  if (!URL.canParse(baseUrl))
    throw new TypeError(`${PROVIDER_ID}: baseUrl must be an absolute URL such as https://api.anthropic.com, got "${options.baseUrl}"`);
  const http = (path: string, signal?: AbortSignal): ProviderHttpRequest => ({
    providerId: PROVIDER_ID,
    fetch: options.fetch ?? globalThis.fetch,
    url: `${baseUrl}${path}`,
    headers: new Headers({ "x-api-key": options.apiKey, "anthropic-version": options.anthropicVersion ?? "2023-06-01" }),
    signal,
  });
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  const thinking = (model: string) => anthropicThinking(model, options.reasoningModels);
  const replay = new ThinkingReplay();
  return {
    id: PROVIDER_ID,
    label: "Anthropic",
    stream(request) {
      const level = supportedLevel(request.thinkingLevel, thinking(request.model));
      const budgetTokens = level === undefined ? undefined : ANTHROPIC_THINKING_BUDGETS[level];
      const body = toMessagesBody(request, { defaultMaxTokens, ...(budgetTokens === undefined ? {} : { budgetTokens, replay }) });
      return streamMessages(http("/v1/messages", request.signal), body, replay);
    },
    thinking,
    supportsImages: (model) => takesImages(model, options.modelInput, claudeTakesImages),
    async listModels() {
      const body = (await getJson(http("/v1/models?limit=1000"))) as ModelList;
      if (!Array.isArray(body.data)) throw new ProviderError("bad_response", `${PROVIDER_ID}: ${baseUrl}/v1/models did not return a "data" array`);
      return body.data
        .filter((model) => typeof model.id === "string")
        .map((model) => ({ id: model.id, name: typeof model.display_name === "string" ? model.display_name : model.id }));
    },
  };
}

type ContentBlock =
  | ThinkingBlock
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "base64"; media_type: string; data: string } }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string };

type Turn = { role: "user" | "assistant"; content: ContentBlock[] };

export interface MessagesBodyOptions {
  /** @default 4096 */
  readonly defaultMaxTokens?: number;
  /** Turns extended thinking on with this `budget_tokens`. */
  readonly budgetTokens?: number;
  /** Where the thinking blocks of earlier tool-calling replies are kept, to send them back. */
  readonly replay?: ThinkingReplay;
}

/**
 * The request body of `POST /v1/messages`. With a thinking budget, `max_tokens` is the budget plus
 * the reply tokens (the API wants it larger than the budget), and assistant turns that called tools
 * start with their reply's thinking blocks. When the last such turn's blocks are unknown, this
 * request goes without thinking: the API refuses a tool-use continuation that switches it on.
 */
export function toMessagesBody(request: ModelRequest, options: MessagesBodyOptions = {}): Record<string, unknown> {
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const replyTokens = request.maxTokens ?? options.defaultMaxTokens ?? 4096;
  let budgetTokens = options.budgetTokens;
  let messages = toAnthropicMessages(request.messages, budgetTokens === undefined ? undefined : options.replay);
  if (budgetTokens !== undefined && continuesToolUseWithoutThinking(messages)) {
    budgetTokens = undefined;
    messages = toAnthropicMessages(request.messages, undefined);
  }
  return {
    model: request.model,
    max_tokens: budgetTokens === undefined ? replyTokens : budgetTokens + replyTokens,
    stream: true,
    ...(budgetTokens === undefined ? {} : { thinking: { type: "enabled", budget_tokens: budgetTokens } }),
    ...(system ? { system } : {}),
    messages,
    ...(request.tools && request.tools.length > 0
      ? { tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters })) }
      : {}),
  };
}

/**
 * Roles alternate strictly in the Messages API and every tool result must sit in the user turn
 * right after its tool_use, so same-role neighbours are merged into one turn. Empty text blocks
 * are rejected by the API, so they are left out.
 */
function toAnthropicMessages(messages: readonly ModelMessage[], replay: ThinkingReplay | undefined): Turn[] {
  const turns: Turn[] = [];
  const append = (role: "user" | "assistant", blocks: ContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  const text = (content: string): ContentBlock[] => (content.length > 0 ? [{ type: "text", text: content }] : []);
  for (const message of messages) {
    if (message.role === "system") continue;
    if (message.role === "tool") append("user", [{ type: "tool_result", tool_use_id: message.toolCallId ?? "", content: message.content }]);
    else if (message.role === "user") append("user", [...(message.images ?? []).map(imageBlock), ...text(message.content)]);
    else {
      const calls = (message.toolCalls ?? []).map((call): ContentBlock => ({
        type: "tool_use",
        id: call.id,
        name: call.name,
        input: toolInput(call.arguments),
      }));
      const thinking = replay && message.toolCalls ? replay.blocksFor(message.toolCalls.map((call) => call.id)) : [];
      append("assistant", [...thinking, ...text(message.content), ...calls]);
    }
  }
  return turns;
}

/** Images go before the text they come with, as Anthropic recommends. */
function imageBlock(image: ModelImage): ContentBlock {
  return { type: "image", source: { type: "base64", media_type: image.mime, data: Buffer.from(image.data).toString("base64") } };
}

/** The last assistant turn called tools but does not start with its thinking blocks. */
function continuesToolUseWithoutThinking(turns: readonly Turn[]): boolean {
  const last = turns.findLast((turn) => turn.role === "assistant");
  if (!last?.content.some((block) => block.type === "tool_use")) return false;
  const first = last.content[0]?.type;
  return first !== "thinking" && first !== "redacted_thinking";
}

/** `input` must be an object; a model that produced broken JSON gets an empty one back. */
function toolInput(argumentsJson: string): unknown {
  try {
    const value: unknown = JSON.parse(argumentsJson);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

// The stream events, with only the fields we read.
interface StreamEvent {
  readonly type?: string;
  readonly index?: number;
  readonly message?: { readonly usage?: Usage };
  readonly content_block?: {
    readonly type?: string;
    readonly id?: string;
    readonly name?: string;
    readonly input?: unknown;
    readonly thinking?: string;
    readonly signature?: string;
    readonly data?: string;
  };
  readonly delta?: {
    readonly type?: string;
    readonly text?: string;
    readonly partial_json?: string;
    readonly thinking?: string;
    readonly signature?: string;
    readonly stop_reason?: string | null;
  };
  readonly usage?: Usage;
  readonly error?: { readonly type?: string; readonly message?: string };
}
interface Usage {
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
}
interface ModelList {
  readonly data?: readonly { readonly id: string; readonly display_name?: unknown }[];
}

async function* streamMessages(http: ProviderHttpRequest, body: Record<string, unknown>, replay: ThinkingReplay): AsyncGenerator<ModelStreamEvent> {
  const toolBlocks = new Map<number, { id: string; name: string; json: string; input: unknown }>();
  // Kept whole, signature included, so a tool-use continuation can send them back.
  const thinkingBlocks = new Map<number, ThinkingBlock>();
  const toolUseIds: string[] = [];
  let inputTokens: number | undefined;
  let outputTokens = 0;
  let stopReason: StopReason = "other";

  for await (const message of postForEvents(http, body)) {
    const event = parseJson(PROVIDER_ID, message.data, `the "${message.event ?? "message"}" event`) as StreamEvent;
    switch (event.type ?? message.event) {
      case "message_start":
        if (event.message?.usage) inputTokens = totalInput(event.message.usage);
        outputTokens = event.message?.usage?.output_tokens ?? 0;
        break;
      case "content_block_start":
        if (event.index === undefined) break;
        if (event.content_block?.type === "tool_use") {
          const { id = "", name = "", input } = event.content_block;
          toolBlocks.set(event.index, { id, name, json: "", input });
        } else if (event.content_block?.type === "thinking") {
          const { thinking = "", signature = "" } = event.content_block;
          thinkingBlocks.set(event.index, { type: "thinking", thinking, signature });
        } else if (event.content_block?.type === "redacted_thinking") {
          thinkingBlocks.set(event.index, { type: "redacted_thinking", data: event.content_block.data ?? "" });
        }
        break;
      case "content_block_delta": {
        const thinking = event.index === undefined ? undefined : thinkingBlocks.get(event.index);
        if (event.delta?.type === "text_delta" && event.delta.text) yield { type: "text", delta: event.delta.text };
        else if (event.delta?.type === "thinking_delta" && event.delta.thinking) {
          if (thinking?.type === "thinking") thinking.thinking += event.delta.thinking;
          yield { type: "thinking", delta: event.delta.thinking };
        } else if (event.delta?.type === "signature_delta") {
          if (thinking?.type === "thinking") thinking.signature += event.delta.signature ?? "";
        } else if (event.delta?.type === "input_json_delta" && event.index !== undefined) {
          const block = toolBlocks.get(event.index);
          if (block) block.json += event.delta.partial_json ?? "";
        }
        break;
      }
      case "content_block_stop": {
        const block = event.index === undefined ? undefined : toolBlocks.get(event.index);
        if (block && event.index !== undefined) {
          toolBlocks.delete(event.index);
          toolUseIds.push(block.id);
          yield { type: "tool_call", call: { id: block.id, name: block.name, arguments: toolArguments(block) } };
        }
        break;
      }
      case "message_delta":
        if (event.delta?.stop_reason) stopReason = toStopReason(event.delta.stop_reason);
        // Counts here are cumulative, not increments.
        if (event.usage?.output_tokens !== undefined) outputTokens = event.usage.output_tokens;
        if (event.usage?.input_tokens !== undefined) inputTokens = totalInput(event.usage);
        break;
      case "message_stop":
        replay.remember(
          toolUseIds,
          [...thinkingBlocks].sort(([a], [b]) => a - b).map(([, block]) => block),
        );
        yield { type: "done", stopReason, ...(inputTokens === undefined ? {} : { usage: { inputTokens, outputTokens } }) };
        return;
      case "error":
        throw streamError(event.error);
      default:
        // `ping` and event types added later are ignored, as Anthropic's versioning asks.
        break;
    }
  }
  throw new ProviderError("stream_cut", `${PROVIDER_ID}: the stream ended before message_stop; the reply is incomplete, retry the request`);
}

function toolArguments(block: { json: string; input: unknown }): string {
  if (block.json.trim() !== "") return block.json;
  // A tool without parameters streams no deltas; the start block then holds the whole input.
  return block.input !== undefined && block.input !== null ? JSON.stringify(block.input) : "{}";
}

/** Cached prompt tokens are still input the model read. */
function totalInput(usage: Usage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

function toStopReason(reason: string): StopReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "end";
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "refusal":
      return "refusal";
    default:
      return "other";
  }
}

/** An `error` event arrives inside a 200 stream; its type maps to the status the API would have used. */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

function streamError(error: StreamEvent["error"]): ProviderError {
  const type = error?.type ?? "unknown_error";
  const status = STATUS_BY_ERROR_TYPE[type];
  const what = `error event in the stream: ${type}: ${error?.message ?? "no message"}`;
  return status === undefined ? new ProviderError("http", `${PROVIDER_ID}: ${what}`) : errorForStatus(PROVIDER_ID, status, what);
}
