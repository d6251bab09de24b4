import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer, RequestContext } from "@openclaw/gateway-core";
import { GatewayTimeoutError, connect, type GatewayClient } from "../src/index.js";
import { GatedProvider } from "@openclaw/testing";
import { TOKEN, startGateway } from "./helpers.js";

let server: GatewayServer | undefined;
let client: GatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
});

/** A handler that never answers on its own; it records the cancel the gateway hands it. */
function heldUntilCancelled(cancelled: string[]) {
  return (_params: unknown, context: RequestContext) =>
    new Promise<never>((_resolve, reject) => {
      context.cancelled?.addEventListener("abort", () => {
        cancelled.push(context.connId);
        reject(new Error("cancelled by the caller"));
      });
    });
}

describe("a request the client gives up on is cancelled on the gateway", () => {
  it("on abort and on timeout the client sends a cancel frame, and the gateway stops the handler", async () => {
    const cancelled: string[] = [];
    server = await startGateway({ handlers: { "agents.list": heldUntilCancelled(cancelled) as never } });
    client = await connect({ url: server.url, token: TOKEN, WebSocket });

    const controller = new AbortController();
    const aborted = client.call("agents.list", {}, { signal: controller.signal });
    controller.abort(new Error("the user pressed stop"));
    await expect(aborted).rejects.toThrow("the user pressed stop");
    await waitUntil(() => cancelled.length === 1);

    await expect(client.call("agents.list", {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(GatewayTimeoutError);
    await waitUntil(() => cancelled.length === 2);

    // The connection is fine afterwards: the cancels were not errors.
    expect((await client.call("health")).ok).not.toBe(false);
    expect(client.status.state).toBe("open");
  });
});

describe("an agent run the client aborts", () => {
  it("stops on the gateway: the provider request is aborted and the run ends aborted in the transcript", async () => {
    // Never released: only an abort ends this model's answer.
    const provider = new GatedProvider(() => ["never sent"]);
    server = await startGateway({ agent: { resolveModel: () => ({ provider, model: "gated" }), listModels: async () => [] } });
    client = await connect({ url: server.url, token: TOKEN, WebSocket, scopes: ["operator.admin"] });
    const controller = new AbortController();
    const run = client.agent({ message: "a long job", sessionKey: "agent:main:cancel" }, { signal: controller.signal });
    await run.accepted;
    await provider.started(0);
    controller.abort(new Error("stop it"));
    await expect(run.result).rejects.toThrow("stop it");
    // The gateway finished the run itself: agent.wait answers from another call, and the transcript says so.
    expect(await client.call("agent.wait", { runId: run.idempotencyKey, timeoutMs: 5_000 })).toMatchObject({ status: "error", summary: "aborted" });
    expect(provider.requests[0]!.signal?.aborted).toBe(true);
    const history = await client.call("chat.history", { sessionKey: "agent:main:cancel" });
    expect(history.messages.at(-1)).toMatchObject({ role: "assistant", stopReason: "aborted" });
  });
});

/** Waits for a condition that a gateway-side event makes true (no fixed sleep). */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}
