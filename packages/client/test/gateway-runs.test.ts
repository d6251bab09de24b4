import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer } from "@openclaw/gateway-core";
import type { AgentEvent, ChatEvent } from "@openclaw/protocol";
import { connect, type GatewayClient } from "../src/index.js";
import { TOKEN, startGateway } from "./helpers.js";

/** A model that streams the given chunks; a real provider's shape, no network. */
function scriptedModel(chunks: string[]) {
  return {
    resolveModel: () => ({
      model: "scripted-model",
      provider: {
        id: "scripted",
        label: "scripted (test)",
        async *stream() {
          for (const delta of chunks) yield { type: "text" as const, delta };
          yield { type: "done" as const, stopReason: "end" as const };
        },
      },
    }),
    listModels: async () => [{ id: "scripted-model", name: "Scripted", provider: "scripted" }],
  };
}

let server: GatewayServer | undefined;
let client: GatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
});

describe("runs against the real gateway's agent bridge", () => {
  it("streams an agent run from accepted to the final result", async () => {
    server = await startGateway({ agent: scriptedModel(["Hel", "lo"]) });
    client = await connect({ url: server.url, token: TOKEN, WebSocket });
    const run = client.agent({ message: "hi" });
    const ack = await run.accepted;
    expect(ack).toMatchObject({ runId: run.idempotencyKey, status: "accepted" });
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.stream === "assistant").map((event) => event.data["delta"])).toEqual(["Hel", "lo"]);
    expect(await run.result).toMatchObject({ runId: run.idempotencyKey, status: "ok", result: { payloads: [{ text: "Hello" }] } });
  });

  it("streams chat.send to its final chat event", async () => {
    server = await startGateway({ agent: scriptedModel(["Hi ", "there"]) });
    client = await connect({ url: server.url, token: TOKEN, WebSocket });
    const run = client.chatSend({ sessionKey: "agent:main:main", message: "hello" });
    expect(await run.accepted).toEqual({ runId: run.idempotencyKey, status: "started" });
    const events: ChatEvent[] = [];
    for await (const event of run) events.push(event);
    expect(events.at(-1)?.state).toBe("final");
    expect(
      events
        .filter((event) => event.state === "delta")
        .map((event) => event.deltaText)
        .join(""),
    ).toBe("Hi there");
    expect(await run.result).toBe(events.at(-1));
  });
});
