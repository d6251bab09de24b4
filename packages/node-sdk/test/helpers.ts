import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { DEFAULT_RATE_LIMIT, GatewayServer, type GatewayServerOptions } from "@openclaw/gateway-core";
import type { GatewayNode, NodeStatus } from "../src/index.js";

export const TOKEN = "node-sdk-test-token-0123456789";

/** Test-speed backoff: retries within tens of milliseconds. */
export const FAST_RECONNECT = { initialMs: 10, maxMs: 50, jitter: 0 };

/** Runs cleanups last-in first-out; call `run()` from afterEach. */
export class Cleanups {
  private readonly steps: (() => Promise<unknown> | unknown)[] = [];

  add<T>(value: T, step: (value: T) => Promise<unknown> | unknown): T {
    this.steps.push(() => step(value));
    return value;
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}

/** A real gateway on port 0 with token auth. */
export async function startGateway(cleanups: Cleanups, overrides: Partial<GatewayServerOptions> = {}): Promise<GatewayServer> {
  const server = new GatewayServer({
    port: 0,
    auth: { mode: "token", token: TOKEN, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT },
    version: "0.0.0-test",
    ...overrides,
  });
  await server.start();
  return cleanups.add(server, (started) => started.stop());
}

/** An operator on loopback with the shared token: it may pair devices, approve node surfaces and exec approvals. */
export async function connectOperator(cleanups: Cleanups, url: string): Promise<GatewayClient> {
  const client = await connect({ url, token: TOKEN, WebSocket, scopes: ["operator.admin", "operator.pairing", "operator.approvals"] });
  return cleanups.add(client, (open) => open.close());
}

/** Resolves with the first status (current or later) in `state`. */
export function waitForNodeStatus<S extends NodeStatus["state"]>(node: GatewayNode, state: S): Promise<Extract<NodeStatus, { state: S }>> {
  return new Promise((resolve) => {
    if (node.status.state === state) return resolve(node.status as Extract<NodeStatus, { state: S }>);
    const off = node.onStatus((status) => {
      if (status.state !== state) return;
      off();
      resolve(status as Extract<NodeStatus, { state: S }>);
    });
  });
}

/** The requestId of the next node surface request of `nodeId` (call it before the node connects). */
export function nextSurfaceRequest(operator: GatewayClient, nodeId: string): Promise<string> {
  return new Promise((resolve) => {
    const off = operator.on("node.pair.requested", (request) => {
      if (request.nodeId !== nodeId) return;
      off();
      resolve(request.requestId);
    });
  });
}

/** Approve the next node surface request of `nodeId`; resolves with the approved commands. */
export async function approveSurfaceOf(operator: GatewayClient, nodeId: string): Promise<string[]> {
  const requestId = await nextSurfaceRequest(operator, nodeId);
  const approved = await operator.call("node.pair.approve", { requestId });
  return [...(approved.node.commands ?? [])];
}

/** A promise plus the functions that settle it: lets a test wait for a handler to start. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
