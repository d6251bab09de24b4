import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer } from "@openclaw/gateway-core";
// Not a dependency of the client: the types come from the built package, as in readme-example.test.ts.
import type { ModelProvider, ToolHost } from "../../agent/dist/index.js";
import type { ChatEvent } from "@openclaw/protocol";
import { connect, type GatewayClient } from "../src/index.js";
import { GatedProvider, lastUser } from "@openclaw/testing";
import { TOKEN, startGateway } from "./helpers.js";

const clockTool: ToolHost = { tools: () => [{ name: "clock", description: "time", parameters: { type: "object" } }], call: async () => ({ text: "12:00" }) };
const finalText = (event: ChatEvent) => (event.message?.content as { text?: string }[] | undefined)?.[0]?.text;

let server: GatewayServer | undefined;
let client: GatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
  client = undefined;
  server = undefined;
});

async function start(provider: ModelProvider, tools?: ToolHost) {
  server = await startGateway({ agent: { resolveModel: () => ({ provider, model: "gated-model" }), listModels: async () => [], ...(tools ? { tools } : {}) } });
  client = await connect({ url: server.url, token: TOKEN, WebSocket });
  return client;
}

describe("queue modes through a real gateway and @openclaw/client", () => {
  it("steer: a message sent during a tool round joins the run, and its chatSend ends with that run's final", async () => {
    const provider = new GatedProvider((request, index) =>
      index === 0 ? [{ type: "tool_call", call: { id: "c1", name: "clock", arguments: "{}" } }] : [`saw: ${lastUser(request)}`],
    );
    const gateway = await start(provider, clockTool);
    const host = gateway.chatSend({ sessionKey: "s", message: "what time is it?" });
    await provider.started(0);
    const steer = gateway.chatSend({ sessionKey: "s", message: "and the date", queueMode: "steer" });
    expect(await steer.accepted).toEqual({ runId: steer.idempotencyKey, status: "started" });
    provider.release(0);
    provider.release(1);
    const [hostFinal, steerFinal] = await Promise.all([host.result, steer.result]);
    expect(hostFinal).toMatchObject({ runId: host.idempotencyKey, state: "final" });
    expect(steerFinal).toMatchObject({ runId: steer.idempotencyKey, state: "final" });
    expect(finalText(steerFinal)).toBe("saw: and the date");
    expect(finalText(hostFinal)).toBe("saw: and the date");
    expect(provider.requests).toHaveLength(2);
    expect(await gateway.call("agent.wait", { runId: steer.idempotencyKey, timeoutMs: 0 })).toMatchObject({ status: "ok", outputText: "saw: and the date" });
  });

  it("steer: a message the active run had no further model turn for runs next under its own runId", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const gateway = await start(provider);
    const host = gateway.chatSend({ sessionKey: "s", message: "first" });
    await provider.started(0);
    const steer = gateway.chatSend({ sessionKey: "s", message: "second", queueMode: "steer" });
    await steer.accepted;
    provider.release(0);
    expect(finalText(await host.result)).toBe("re: first");
    provider.release(1);
    const events: ChatEvent[] = [];
    for await (const event of steer) events.push(event);
    expect(
      events
        .filter((event) => event.state === "delta")
        .map((event) => event.deltaText)
        .join(""),
    ).toBe("re: second");
    expect(events.at(-1)).toMatchObject({ runId: steer.idempotencyKey, state: "final" });
  });

  it("collect: a message joins the queued follow-up, and both chatSends end with its answer", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const gateway = await start(provider);
    const first = gateway.chatSend({ sessionKey: "s", message: "a" });
    await provider.started(0);
    const queued = gateway.chatSend({ sessionKey: "s", message: "b" });
    await queued.accepted;
    const collected = gateway.chatSend({ sessionKey: "s", message: "c", queueMode: "collect" });
    expect(await collected.accepted).toEqual({ runId: collected.idempotencyKey, status: "started" });
    provider.release(0);
    provider.release(1);
    await first.result;
    const [queuedFinal, collectedFinal] = await Promise.all([queued.result, collected.result]);
    expect(finalText(queuedFinal)).toBe("re: b\n\nc");
    expect(collectedFinal).toMatchObject({ runId: collected.idempotencyKey, state: "final" });
    expect(finalText(collectedFinal)).toBe("re: b\n\nc");
    expect(provider.requests).toHaveLength(2);
  });

  it("interrupt: the active run ends aborted and the interrupting message is answered next", async () => {
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`]);
    const gateway = await start(provider);
    const slow = gateway.chatSend({ sessionKey: "s", message: "long job" });
    const queued = gateway.chatSend({ sessionKey: "s", message: "later" });
    await provider.started(0);
    await queued.accepted;
    const urgent = gateway.chatSend({ sessionKey: "s", message: "do this instead", queueMode: "interrupt" });
    expect(await slow.result).toMatchObject({ state: "aborted" });
    await provider.started(1);
    expect(lastUser(provider.requests[1]!)).toBe("do this instead");
    provider.release(1);
    expect(finalText(await urgent.result)).toBe("re: do this instead");
    provider.release(2);
    expect(finalText(await queued.result)).toBe("re: later");
  });

  it("server.stop() finishes while a steer is left over and a follow-up is queued behind a model that only stops when aborted", async () => {
    const provider = new GatedProvider(() => ["never sent"]);
    const gateway = await start(provider);
    const active = gateway.chatSend({ sessionKey: "s", message: "a" });
    await provider.started(0);
    const steer = gateway.chatSend({ sessionKey: "s", message: "s", queueMode: "steer" });
    const followup = gateway.chatSend({ sessionKey: "s", message: "f" });
    await Promise.all([steer.accepted, followup.accepted]);
    const ended = [active.result, steer.result, followup.result].map((result) => result.then((event) => event.state));
    await server!.stop();
    server = undefined;
    // Each run ends aborted; its chat event goes out before the gateway closes the socket.
    expect(await Promise.all(ended)).toEqual(["aborted", "aborted", "aborted"]);
    expect(provider.requests).toHaveLength(1);
  });
});
