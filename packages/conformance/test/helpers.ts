import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { DEFAULT_RATE_LIMIT, GatewayServer, createLogsTailHandler, type AuthSettings } from "@openclaw/gateway-core";
import type { CheckContext } from "../src/index.js";

export const TOKEN = "conformance-test-token-0123456789";

export function tokenAuth(token = TOKEN): AuthSettings {
  return { mode: "token", token, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT };
}

/**
 * Our real gateway on port 0 with token auth and `logs.tail` served (as the app does, from a file in a
 * temp dir); failed-auth waits are not waited out, ticks are frequent.
 */
export async function startGateway(): Promise<GatewayServer> {
  const server = new GatewayServer({
    port: 0,
    auth: tokenAuth(),
    version: "0.0.0-test",
    authDelay: async () => undefined,
    policy: { tickIntervalMs: 100 },
    handlers: { "logs.tail": createLogsTailHandler({ file: join(mkdtempSync(join(tmpdir(), "conformance-")), "gateway.log") }) },
  });
  await server.start();
  return server;
}

export function contextFor(url: string, answerTimeoutMs = 5000): CheckContext {
  return { url, credential: { token: TOKEN }, answerTimeoutMs };
}

/** How a deliberately broken gateway behaves; each hook gets the socket and what it received. */
export interface BrokenBehaviour {
  /** Send connect.challenge on open. @default true */
  readonly challenge?: boolean;
  /** A frame sent before the challenge. */
  readonly beforeChallenge?: object;
  /** Answer a connect with hello-ok; then run `afterHello`. @default true */
  readonly hello?: boolean;
  readonly tickIntervalMs?: number;
  readonly afterHello?: (socket: WebSocket) => void;
  /** Answer to any request but connect. */
  readonly answer?: (frame: { id: string; method: string }) => object;
  /** Extra fields of the hello-ok payload, e.g. `features`. */
  readonly helloExtra?: Record<string, unknown>;
  /** Sees every parsed frame first; return true when it handled the frame itself. */
  readonly onFrame?: (socket: WebSocket, frame: any) => boolean;
}

/** A raw ws server on port 0 that speaks just enough protocol to be wrong in one chosen way. */
export async function startBrokenGateway(behaviour: BrokenBehaviour): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (socket) => {
    if (behaviour.beforeChallenge) socket.send(JSON.stringify(behaviour.beforeChallenge));
    if (behaviour.challenge ?? true) socket.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: "n-1", ts: 1 } }));
    socket.on("message", (data) => {
      let frame: { type?: string; id: string; method: string };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (behaviour.onFrame?.(socket, frame)) return;
      if (frame.method === "connect" && (behaviour.hello ?? true)) {
        const policy = { maxPayload: 26214400, maxBufferedBytes: 52428800, tickIntervalMs: behaviour.tickIntervalMs ?? 30000 };
        socket.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { type: "hello-ok", protocol: 4, policy, ...behaviour.helloExtra } }));
        behaviour.afterHello?.(socket);
      } else if (frame.method !== "connect" && behaviour.answer) {
        socket.send(JSON.stringify({ type: "res", id: frame.id, ...behaviour.answer(frame) }));
      }
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
