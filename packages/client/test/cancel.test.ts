import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer, RequestContext } from "@openclaw/gateway-core";
import { GatewayTimeoutError, connect, type GatewayClient } from "../src/index.js";
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

/** Waits for a condition that a gateway-side event makes true (no fixed sleep). */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}
