import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect } from "@openclaw/client";
import { createAnthropicProvider } from "@openclaw/agent";
import { GatewayServer } from "@openclaw/gateway-core";
import { startAnthropicFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const TOKEN = "thinking-test-token";
const SESSION = "agent:main:main";
const closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("session thinking through the gateway and @openclaw/client", () => {
  it("a session with thinking on and reasoning streamed delivers agent events on stream thinking to clients", async () => {
    const fake = await startAnthropicFake({ script: [{ kind: "text", thinking: ["Weighing ", "options."], chunks: ["Pick B."] }] });
    closers.push(() => fake.close());
    const provider = createAnthropicProvider({ baseUrl: fake.url, apiKey: "k" });
    const server = new GatewayServer({
      port: 0,
      version: "test",
      auth: tokenAuth(TOKEN),
      agent: { resolveModel: () => ({ provider, model: "claude-sonnet-4-5" }), listModels: async () => [] },
    });
    await server.start();
    closers.push(() => server.stop());
    // sessions.patch is where users set these; the store is what the run reads.
    server.agent!.store.ensureSession(SESSION, "main", Date.now());
    server.agent!.store.patchSession(SESSION, { options: { thinkingLevel: "high", reasoningLevel: "stream" } }, Date.now());
    const client = await connect({
      url: server.url,
      token: TOKEN,
      WebSocket: WebSocket as never,
      client: { id: "cli", mode: "cli" },
      scopes: ["operator.read", "operator.write"],
      reconnect: false,
    });
    closers.push(() => client.close());

    const run = client.agent({ message: "A or B?", sessionKey: SESSION });
    await run.accepted;
    const thinking: unknown[] = [];
    for await (const event of run) if (event.stream === "thinking") thinking.push(event.data);
    expect((await run.result).result?.payloads[0]?.text).toBe("Pick B.");
    expect(thinking).toEqual([
      { text: "Weighing ", delta: "Weighing " },
      { text: "Weighing options.", delta: "options." },
    ]);
    expect(fake.requests[0]?.body).toMatchObject({ thinking: { type: "enabled", budget_tokens: 16_000 } });
  });
});
