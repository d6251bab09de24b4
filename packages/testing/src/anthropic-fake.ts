import type { ServerResponse } from "node:http";
import { cutConnection, hangUntilClosed, sendJson, startEventStream, startHttpFake, writeFrame, type FakeServer, type RecordedRequest } from "./http-fake.js";

/**
 * What the fake does for one `POST /v1/messages`, in script order. `thinking` chunks stream as a
 * signed thinking block before the reply, only when the request turned thinking on (as the API does).
 */
export type AnthropicFakeStep =
  /** Streams one text block with these deltas, then message_delta (usage) and message_stop. */
  | {
      readonly kind: "text";
      readonly thinking?: readonly string[];
      readonly chunks: readonly string[];
      readonly stopReason?: string;
      readonly usage?: { readonly input: number; readonly output: number };
    }
  /** Streams an optional text block, then tool_use blocks whose input JSON is split across deltas. */
  | {
      readonly kind: "tool_use";
      readonly thinking?: readonly string[];
      readonly text?: readonly string[];
      readonly calls: readonly { readonly id: string; readonly name: string; readonly jsonChunks: readonly string[] }[];
    }
  /** Answers 429 with `retry-after` (seconds or an HTTP date). */
  | { readonly kind: "rate_limited"; readonly retryAfter?: string }
  /** Answers a non-2xx status with an Anthropic error body. */
  | { readonly kind: "error"; readonly status: number; readonly errorType?: string; readonly message?: string }
  /** Starts a 200 stream and sends an `error` event (e.g. overloaded_error) after these text deltas. */
  | { readonly kind: "error_event"; readonly chunks?: readonly string[]; readonly errorType: string; readonly message?: string }
  /** Streams these text deltas, then destroys the socket without message_stop (or, when graceful, ends the body without it). */
  | { readonly kind: "cut"; readonly chunks: readonly string[]; readonly graceful?: boolean }
  /** Streams these text deltas, then keeps the response open until the client goes away. */
  | { readonly kind: "hang"; readonly chunks?: readonly string[] };

export interface AnthropicFakeOptions {
  readonly script: readonly AnthropicFakeStep[];
  /** When set, a request whose `x-api-key` differs gets 401 and uses no step. */
  readonly apiKey?: string;
  /** Served by `GET /v1/models`. @default [{ id: "claude-fake", displayName: "Claude Fake" }] */
  readonly models?: readonly { readonly id: string; readonly displayName: string }[];
}

const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  529: "overloaded_error",
};

/**
 * A fake Anthropic Messages API: `/v1/messages` streams per the script, `/v1/models` lists models.
 * Like the API, it answers 400 (using no step) to a thinking request whose budget or max_tokens is
 * off, whose tool-use continuation does not start with the thinking blocks the fake sent, or that
 * sends back a thinking block with a signature the fake never issued.
 */
export function startAnthropicFake(options: AnthropicFakeOptions): Promise<FakeServer> {
  const steps = [...options.script];
  const signatures = new Set<string>();
  return startHttpFake(async (request, res) => {
    if (options.apiKey !== undefined && request.headers["x-api-key"] !== options.apiKey) {
      return sendJson(res, 401, anthropicError("authentication_error", "invalid x-api-key"));
    }
    if (request.method === "GET" && request.path.startsWith("/v1/models")) {
      const models = options.models ?? [{ id: "claude-fake", displayName: "Claude Fake" }];
      return sendJson(res, 200, {
        data: models.map((model) => ({ type: "model", id: model.id, display_name: model.displayName, created_at: "2025-01-01T00:00:00Z" })),
        has_more: false,
        first_id: models[0]?.id ?? null,
        last_id: models.at(-1)?.id ?? null,
      });
    }
    if (request.method !== "POST" || request.path !== "/v1/messages")
      return sendJson(res, 404, anthropicError("not_found_error", `Unknown path ${request.path}`));
    const invalid = thinkingRequestError(request.body as MessagesBody, signatures);
    if (invalid) return sendJson(res, 400, anthropicError("invalid_request_error", invalid));
    const step = steps.shift();
    if (!step) return sendJson(res, 500, anthropicError("api_error", "fake script exhausted"));
    await play(step, request, res, signatures);
  });
}

interface MessagesBody {
  readonly max_tokens?: number;
  readonly thinking?: { readonly type?: string; readonly budget_tokens?: number };
  readonly messages?: readonly { readonly role?: string; readonly content?: readonly { type?: string; signature?: string }[] | string }[];
}

/** The API's checks on extended thinking, with its wording. */
function thinkingRequestError(body: MessagesBody | undefined, signatures: ReadonlySet<string>): string | undefined {
  const messages = body?.messages ?? [];
  for (const [at, message] of messages.entries()) {
    if (typeof message.content === "string") continue;
    for (const [index, block] of (message.content ?? []).entries()) {
      if (block.type === "thinking" && !signatures.has(block.signature ?? ""))
        return `messages.${at}.content.${index}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  if (body?.thinking?.type !== "enabled") return undefined;
  const budget = body.thinking.budget_tokens ?? 0;
  if (budget < 1024) return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
  if ((body.max_tokens ?? 0) <= budget) return "`max_tokens` must be greater than `thinking.budget_tokens`";
  const last = messages.findLastIndex((message) => message.role === "assistant");
  const content = messages[last]?.content;
  if (typeof content === "string" || !content?.some((block) => block.type === "tool_use")) return undefined;
  const first = content[0]?.type;
  if (first === "thinking" || first === "redacted_thinking") return undefined;
  return `messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block`;
}

async function play(step: AnthropicFakeStep, request: RecordedRequest, res: ServerResponse, signatures: Set<string>): Promise<void> {
  const send = (type: string, data: Record<string, unknown>) => writeFrame(res, `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const start = async (inputTokens = 25) => {
    startEventStream(res);
    const model = (request.body as { model?: string } | undefined)?.model ?? "claude-fake";
    await send("message_start", {
      message: {
        id: "msg_fake1",
        type: "message",
        role: "assistant",
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 1 },
      },
    });
  };
  const textBlock = async (index: number, chunks: readonly string[], close = true) => {
    await send("content_block_start", { index, content_block: { type: "text", text: "" } });
    await send("ping", {});
    for (const text of chunks) await send("content_block_delta", { index, delta: { type: "text_delta", text } });
    if (close) await send("content_block_stop", { index });
  };
  // Streams a thinking block when the request asked for thinking; returns the next block index.
  const thinkingBlock = async (chunks: readonly string[] | undefined): Promise<number> => {
    if (!chunks || (request.body as MessagesBody | undefined)?.thinking?.type !== "enabled") return 0;
    const signature = `sig_fake_${signatures.size + 1}`;
    signatures.add(signature);
    await send("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "", signature: "" } });
    for (const thinking of chunks) await send("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking } });
    await send("content_block_delta", { index: 0, delta: { type: "signature_delta", signature } });
    await send("content_block_stop", { index: 0 });
    return 1;
  };
  const finish = async (stopReason: string, outputTokens: number) => {
    await send("message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
    await send("message_stop", {});
    res.end();
  };

  switch (step.kind) {
    case "rate_limited":
      return sendJson(res, 429, anthropicError("rate_limit_error", "Number of requests has exceeded your rate limit."), {
        ...(step.retryAfter === undefined ? {} : { "retry-after": step.retryAfter }),
      });
    case "error":
      return sendJson(
        res,
        step.status,
        anthropicError(step.errorType ?? ERROR_TYPE_BY_STATUS[step.status] ?? "api_error", step.message ?? "Internal server error"),
      );
    case "text":
      await start(step.usage?.input);
      await textBlock(await thinkingBlock(step.thinking), step.chunks);
      return finish(step.stopReason ?? "end_turn", step.usage?.output ?? step.chunks.length);
    case "tool_use": {
      await start();
      let index = await thinkingBlock(step.thinking);
      if (step.text) await textBlock(index++, step.text);
      for (const call of step.calls) {
        await send("content_block_start", { index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } });
        // The real API opens every tool input with an empty partial_json.
        await send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: "" } });
        for (const part of call.jsonChunks) await send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } });
        await send("content_block_stop", { index: index++ });
      }
      return finish("tool_use", 30);
    }
    case "error_event":
      await start();
      if (step.chunks) await textBlock(0, step.chunks, false);
      await writeFrame(res, `event: error\ndata: ${JSON.stringify(anthropicError(step.errorType, step.message ?? "Overloaded"))}\n\n`);
      return void res.end();
    case "cut":
      await start();
      await textBlock(0, step.chunks, false);
      return step.graceful ? void res.end() : cutConnection(res);
    case "hang":
      await start();
      await textBlock(0, step.chunks ?? [], false);
      return hangUntilClosed(request);
  }
}

function anthropicError(type: string, message: string) {
  return { type: "error", error: { type, message } };
}
