/** An image the model sees: the file's bytes and their content type (`image/jpeg`, `image/png`, …). */
export interface ModelImage {
  readonly mime: string;
  readonly data: Uint8Array;
}

/** One message of a conversation as a model provider sees it. */
export interface ModelMessage {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
  /** On user messages: images sent with the text, to a model whose provider says it takes them (`supportsImages`). */
  readonly images?: readonly ModelImage[];
  /** On assistant messages: the tool calls the model made. */
  readonly toolCalls?: readonly ToolCall[];
  /** On tool messages: which call this answers. */
  readonly toolCallId?: string;
  /** On tool messages: the tool's name. */
  readonly name?: string;
}

/** A tool the model may call; `parameters` is a JSON Schema object. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A complete tool call; `arguments` is the JSON text the model produced. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What a provider streams back, in order; `done` is always last on success. */
export type ModelStreamEvent =
  | { readonly type: "text"; readonly delta: string }
  /** The model's thinking, when the request asked for it and the provider streams it. */
  | { readonly type: "thinking"; readonly delta: string }
  | { readonly type: "tool_call"; readonly call: ToolCall }
  | { readonly type: "done"; readonly stopReason: "end" | "tool_calls" | "max_tokens" | "refusal" | "other"; readonly usage?: TokenUsage };

export interface ModelRequest {
  readonly model: string;
  readonly messages: readonly ModelMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly maxTokens?: number;
  /** A level id from `thinking(model).levels`; absent means the provider's default (no extended thinking). */
  readonly thinkingLevel?: string;
  /** Aborting stops the HTTP request and ends the stream with an `aborted` ProviderError. */
  readonly signal?: AbortSignal;
}

/** A model backend behind one small interface; chosen by `agents.defaults.model: "provider/model"`. */
export interface ModelProvider {
  /** `openai-compatible`, `anthropic`, `offline`, … */
  readonly id: string;
  /** Shown in transcripts and `models.list`; the offline provider says so. */
  readonly label: string;
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
  /** The thinking levels `model` takes; absent means none (`reason` then says so). */
  thinking?(model: string): ThinkingSupport;
  /** Whether `model` takes images in user messages; absent means it does not. */
  supportsImages?(model: string): boolean;
  /** Models this provider offers, for `models.list`. */
  listModels?(): Promise<readonly { id: string; name: string; contextWindow?: number }[]>;
}

/** Which thinking levels a model takes, in increasing order, or why it takes none. */
export interface ThinkingSupport {
  /** Level ids; empty when the model has no thinking control. */
  readonly levels: readonly string[];
  /** The level runs use when the session sets none. */
  readonly default?: string;
  /** Why `levels` is empty, in words a user can act on. */
  readonly reason?: string;
}
