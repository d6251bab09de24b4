import type { ServerResponse } from "node:http";
import { cutConnection, hangUntilClosed, sendJson, startEventStream, startHttpFake, writeFrame, type FakeServer, type RecordedRequest } from "./http-fake.js";

/**
 * Reasoning deltas streamed before the reply, in the field the server uses: `reasoning_content`
 * (DeepSeek, vLLM, llama.cpp; the default) or `reasoning` (OpenRouter, Ollama).
 */
export interface OpenAiFakeReasoning {
  readonly reasoning?: readonly string[];
  /** @default "reasoning_content" */
  readonly reasoningField?: "reasoning_content" | "reasoning";
}

/** What the fake does for one `POST /chat/completions`, in script order. */
export type OpenAiFakeStep =
  /** Streams these text deltas, then finish_reason, a usage chunk and `[DONE]`. */
  | (OpenAiFakeReasoning & {
      readonly kind: "text";
      readonly chunks: readonly string[];
      readonly finishReason?: string;
      readonly usage?: { readonly prompt: number; readonly completion: number };
    })
  /** Streams optional text, then tool calls whose arguments are split across chunks. */
  | (OpenAiFakeReasoning & {
      readonly kind: "tool_calls";
      readonly text?: readonly string[];
      readonly calls: readonly { readonly id: string; readonly name: string; readonly argumentChunks: readonly string[] }[];
    })
  /** Answers 429 with `retry-after` (seconds or an HTTP date) and optionally `retry-after-ms`. */
  | { readonly kind: "rate_limited"; readonly retryAfter?: string; readonly retryAfterMs?: string }
  /** Answers a non-2xx status with an OpenAI error body. */
  | { readonly kind: "error"; readonly status: number; readonly message?: string }
  /** Streams these text deltas, then destroys the socket without `[DONE]` (or, when graceful, ends the body without it). */
  | { readonly kind: "cut"; readonly chunks: readonly string[]; readonly graceful?: boolean }
  /** Streams these text deltas, then keeps the response open until the client goes away. */
  | { readonly kind: "hang"; readonly chunks?: readonly string[] };

export interface OpenAiFakeOptions {
  readonly script: readonly OpenAiFakeStep[];
  /** When set, a request without `Authorization: Bearer <apiKey>` gets 401 and uses no step. */
  readonly apiKey?: string;
  /** Served by `GET /models`: ids, or ids with the `context_length` OpenRouter adds. @default ["fake-model"] */
  readonly models?: readonly (string | { readonly id: string; readonly contextLength?: number })[];
  /**
   * What a request after the last step gets: `"error"` (500, the default) or `"echo"`, which streams
   * `Echo: <the last user message>` for as long as the server runs (a stand-in model for interop runs).
   */
  readonly afterScript?: "error" | "echo";
  /** `GET /models` fails instead: with this status and an OpenAI error body, or by never answering (`"hang"`). */
  readonly modelsFailure?: { readonly status: number } | "hang";
}

/** A fake OpenAI-compatible server: `/chat/completions` streams per the script, `/models` lists models. */
export function startOpenAiFake(options: OpenAiFakeOptions): Promise<FakeServer> {
  const steps = [...options.script];
  return startHttpFake(async (request, res) => {
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, openAiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
    }
    if (request.method === "GET" && request.path.endsWith("/models")) {
      if (options.modelsFailure === "hang") return hangUntilClosed(request);
      if (options.modelsFailure)
        return sendJson(res, options.modelsFailure.status, openAiError("The server had an error while listing models.", "server_error", null));
      return sendJson(res, 200, {
        object: "list",
        data: (options.models ?? ["fake-model"]).map((model) => {
          const { id, contextLength } = typeof model === "string" ? { id: model, contextLength: undefined } : model;
          return { id, object: "model", created: 1_700_000_000, owned_by: "fake", ...(contextLength !== undefined ? { context_length: contextLength } : {}) };
        }),
      });
    }
    if (request.method !== "POST" || !request.path.endsWith("/chat/completions")) {
      return sendJson(res, 404, openAiError(`Unknown path ${request.path}`, "invalid_request_error", "unknown_url"));
    }
    const step = steps.shift() ?? (options.afterScript === "echo" ? echoStep(request) : undefined);
    if (!step) return sendJson(res, 500, openAiError("fake script exhausted", "server_error", null));
    await play(step, request, res);
  });
}

/** `Echo: <the last user message>`, as one text step. */
function echoStep(request: RecordedRequest): OpenAiFakeStep {
  const messages = (request.body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  const last = messages.findLast((message) => message.role === "user")?.content;
  return { kind: "text", chunks: [`Echo: ${typeof last === "string" ? last : JSON.stringify(last ?? "")}`] };
}

async function play(step: OpenAiFakeStep, request: RecordedRequest, res: ServerResponse): Promise<void> {
  switch (step.kind) {
    case "rate_limited":
      return sendJson(res, 429, openAiError("Rate limit reached for requests", "requests", "rate_limit_exceeded"), {
        ...(step.retryAfter === undefined ? {} : { "retry-after": step.retryAfter }),
        ...(step.retryAfterMs === undefined ? {} : { "retry-after-ms": step.retryAfterMs }),
      });
    case "error":
      return sendJson(res, step.status, openAiError(step.message ?? "The server had an error while processing your request.", "server_error", null));
    case "text": {
      const chunk = chunker(request);
      startEventStream(res);
      await writeFrame(res, chunk({ role: "assistant", content: "" }));
      await streamReasoning(res, chunk, step);
      for (const text of step.chunks) await writeFrame(res, chunk({ content: text }));
      await writeFrame(res, chunk({}, step.finishReason ?? "stop"));
      await writeFrame(res, chunk.usage(step.usage?.prompt ?? 12, step.usage?.completion ?? step.chunks.length));
      await writeFrame(res, "data: [DONE]\n\n");
      return void res.end();
    }
    case "tool_calls": {
      const chunk = chunker(request);
      startEventStream(res);
      await writeFrame(res, chunk({ role: "assistant", content: step.text ? "" : null }));
      await streamReasoning(res, chunk, step);
      for (const text of step.text ?? []) await writeFrame(res, chunk({ content: text }));
      for (const [index, call] of step.calls.entries()) {
        // The first fragment carries id and name with empty arguments, as OpenAI sends it.
        await writeFrame(res, chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }));
        for (const part of call.argumentChunks) await writeFrame(res, chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
      }
      await writeFrame(res, chunk({}, "tool_calls"));
      await writeFrame(res, chunk.usage(20, 9));
      await writeFrame(res, "data: [DONE]\n\n");
      return void res.end();
    }
    case "cut": {
      const chunk = chunker(request);
      startEventStream(res);
      await writeFrame(res, chunk({ role: "assistant", content: "" }));
      for (const text of step.chunks) await writeFrame(res, chunk({ content: text }));
      return step.graceful ? void res.end() : cutConnection(res);
    }
    case "hang": {
      const chunk = chunker(request);
      startEventStream(res);
      await writeFrame(res, chunk({ role: "assistant", content: "" }));
      for (const text of step.chunks ?? []) await writeFrame(res, chunk({ content: text }));
      return hangUntilClosed(request);
    }
  }
}

async function streamReasoning(res: ServerResponse, chunk: (delta: Record<string, unknown>) => string, step: OpenAiFakeReasoning): Promise<void> {
  const field = step.reasoningField ?? "reasoning_content";
  // Reasoning chunks carry `content: null`, as DeepSeek sends them.
  for (const text of step.reasoning ?? []) await writeFrame(res, chunk({ content: null, [field]: text }));
}

/** Builds `chat.completion.chunk` frames shaped like OpenAI's, `usage: null` included. */
function chunker(request: RecordedRequest) {
  const model = (request.body as { model?: string } | undefined)?.model ?? "fake-model";
  const base = { id: "chatcmpl-fake1", object: "chat.completion.chunk", created: 1_700_000_000, model, system_fingerprint: "fp_fake" };
  const frame = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null })}\n\n`;
  // With stream_options.include_usage the last chunk has no choices and carries the counts.
  frame.usage = (prompt: number, completion: number) =>
    `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })}\n\n`;
  return frame;
}

function openAiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}
