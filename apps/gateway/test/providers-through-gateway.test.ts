import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, GatewayRequestError, type GatewayClient } from "@openclaw/client";
import { createAnthropicProvider, createOpenAiCompatibleProvider, withRetry, type ModelProvider } from "@openclaw/agent";
import { GatewayServer } from "@openclaw/gateway-core";
import { startAnthropicFake, startOpenAiFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const TOKEN = "providers-test-token";
const closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real gateway whose agent talks to `provider`, and an SDK client on it. */
async function gatewayWith(provider: ModelProvider): Promise<GatewayClient> {
  const server = new GatewayServer({
    port: 0,
    version: "test",
    auth: tokenAuth(TOKEN),
    agent: { resolveModel: () => ({ provider, model: "test-model" }), listModels: async () => [] },
  });
  await server.start();
  closers.push(() => server.stop());
  const client = await connect({
    url: server.url,
    token: TOKEN,
    WebSocket: WebSocket as never,
    client: { id: "cli", mode: "cli" },
    scopes: ["operator.read", "operator.write"],
    reconnect: false,
  });
  closers.push(() => client.close());
  return client;
}

async function streamedText(client: GatewayClient, message: string): Promise<{ deltas: string[]; final: string }> {
  const run = client.agent({ message });
  await run.accepted;
  const deltas: string[] = [];
  for await (const event of run) if (event.stream === "assistant") deltas.push(String(event.data["delta"]));
  const result = await run.result;
  return { deltas, final: result.result?.payloads[0]?.text ?? "" };
}

describe("model providers through the gateway and @openclaw/client", () => {
  it("streams a run from the OpenAI-compatible fake, retrying a 429 after its delay", async () => {
    const fake = await startOpenAiFake({
      script: [
        { kind: "rate_limited", retryAfterMs: "30" },
        { kind: "text", chunks: ["Bon", "jour"] },
      ],
    });
    closers.push(() => fake.close());
    const delays: number[] = [];
    const provider = withRetry(createOpenAiCompatibleProvider({ baseUrl: fake.url, apiKey: "k" }), { onRetry: ({ delayMs }) => void delays.push(delayMs) });
    const client = await gatewayWith(provider);
    expect(await streamedText(client, "hello")).toEqual({ deltas: ["Bon", "jour"], final: "Bonjour" });
    expect(delays).toEqual([30]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body).toMatchObject({ model: "test-model", stream: true, messages: [{ role: "user", content: "hello" }] });
  });

  it("streams a run from the Anthropic fake", async () => {
    const fake = await startAnthropicFake({ script: [{ kind: "text", chunks: ["Hi ", "from ", "Claude-fake"] }] });
    closers.push(() => fake.close());
    const client = await gatewayWith(createAnthropicProvider({ baseUrl: fake.url, apiKey: "k" }));
    expect(await streamedText(client, "hey")).toEqual({ deltas: ["Hi ", "from ", "Claude-fake"], final: "Hi from Claude-fake" });
  });

  it("a stream cut mid-way fails the run and keeps the partial reply in the transcript", async () => {
    const fake = await startOpenAiFake({ script: [{ kind: "cut", chunks: ["partial ", "answ"] }] });
    closers.push(() => fake.close());
    const client = await gatewayWith(withRetry(createOpenAiCompatibleProvider({ baseUrl: fake.url })));
    const run = client.agent({ message: "go" });
    await run.accepted;
    await expect(run.result).rejects.toBeInstanceOf(GatewayRequestError);
    const history = await client.call("chat.history", { sessionKey: "agent:main:main" });
    const last = history.messages.at(-1) as { role: string; content: { text: string }[]; stopReason?: string };
    expect(last).toMatchObject({ role: "assistant", stopReason: "error" });
    expect(last.content[0]!.text).toBe("partial answ");
  });
});
