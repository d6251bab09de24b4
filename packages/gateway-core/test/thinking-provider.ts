import type { ModelProvider, ModelRequest, ModelStreamEvent, ThinkingSupport } from "@openclaw/agent";

/** Models of {@link ThinkingProvider} whose id starts with this take thinking levels; the others take none. */
export const THINKER = "thinker";

/**
 * A provider with thinking levels, as the real ones will declare them: `thinker…` models take
 * low, medium and high (medium by default); any other model takes none and says why. It answers
 * every request at once with `re: <last user message>`.
 */
export class ThinkingProvider implements ModelProvider {
  readonly id = "test";
  readonly label = "test provider";
  readonly requests: ModelRequest[] = [];

  thinking(model: string): ThinkingSupport {
    return model.startsWith(THINKER) ? { levels: ["low", "medium", "high"], default: "medium" } : { levels: [], reason: `${model} has no reasoning control` };
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    const last = [...request.messages].reverse().find((message) => message.role === "user");
    yield { type: "text", delta: `re: ${last?.content ?? ""}` };
    yield { type: "done", stopReason: "end" };
  }
}
