import type { AddressInfo } from "node:net";
import type { Server as HttpsServer } from "node:https";
import { WebSocketServer, type WebSocket } from "ws";
import type { ConnectParams, ErrorShape, HelloOk } from "@openclaw/protocol";
import { DEFAULT_RATE_LIMIT, GatewayServer, type AuthSettings, type GatewayServerOptions } from "@openclaw/gateway-core";
import type { ClientStatus, GatewayClient } from "../src/index.js";

export const TOKEN = "client-test-token-0123456789";

export function tokenAuth(token = TOKEN): AuthSettings {
  return { mode: "token", token, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT };
}

/** A real gateway on port 0 (or the given port) with token auth. */
export async function startGateway(overrides: Partial<GatewayServerOptions> = {}): Promise<GatewayServer> {
  const server = new GatewayServer({ port: 0, auth: tokenAuth(), version: "0.0.0-test", ...overrides });
  await server.start();
  return server;
}

/** Resolves with the first status (current or later) that matches. */
export function waitForStatus<S extends ClientStatus["state"]>(client: GatewayClient, state: S): Promise<Extract<ClientStatus, { state: S }>> {
  return new Promise((resolve) => {
    const matches = (status: ClientStatus) => status.state === state;
    if (matches(client.status)) return resolve(client.status as Extract<ClientStatus, { state: S }>);
    const off = client.onStatus((status) => {
      if (!matches(status)) return;
      off();
      resolve(status as Extract<ClientStatus, { state: S }>);
    });
  });
}

/** Records every status a client goes through. */
export function recordStatuses(client: GatewayClient): ClientStatus["state"][] {
  const seen: ClientStatus["state"][] = [client.status.state];
  client.onStatus((status) => seen.push(status.state));
  return seen;
}

/** A FIFO that a test awaits instead of sleeping. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: (() => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async next(predicate: (item: T) => boolean = () => true): Promise<T> {
    for (;;) {
      const index = this.items.findIndex(predicate);
      if (index >= 0) return this.items.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

export interface RequestFrameSeen {
  readonly id: string;
  readonly method: string;
  readonly params?: any;
}

/** One socket on the fake gateway, after (or during) its handshake. */
export class FakeConnection {
  readonly requests = new Inbox<RequestFrameSeen>();
  readonly closed: Promise<{ code: number; reason: string }>;
  connect: ConnectParams | undefined;
  private seq = 0;

  constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** A broadcast event with this connection's next `seq` (or an explicit one). */
  event(event: string, payload: unknown, extra: { seq?: number; stateVersion?: { presence: number; health: number } } = {}): void {
    this.seq = extra.seq ?? this.seq + 1;
    this.send({ type: "event", event, payload, seq: this.seq, ...(extra.stateVersion ? { stateVersion: extra.stateVersion } : {}) });
  }

  respond(id: string, payload: unknown): void {
    this.send({ type: "res", id, ok: true, payload });
  }

  fail(id: string, error: ErrorShape, payload?: unknown): void {
    this.send({ type: "res", id, ok: false, error, ...(payload === undefined ? {} : { payload }) });
  }
}

export interface FakeGatewayOptions {
  /** Advertised `policy.tickIntervalMs`. @default 30000 */
  readonly tickIntervalMs?: number;
  /** Answer `connect` differently (e.g. refuse it); default: hello-ok. */
  readonly onConnect?: (connection: FakeConnection, id: string, params: ConnectParams) => void;
  /** Serve wss on this HTTPS server instead of plain ws. */
  readonly httpsServer?: HttpsServer;
}

export function helloOk(params: ConnectParams, tickIntervalMs = 30_000): HelloOk {
  return {
    type: "hello-ok",
    protocol: 4,
    server: { version: "fake", connId: "conn-1" },
    features: { methods: ["agent", "chat.send", "health"], events: ["agent", "chat", "tick"] },
    snapshot: { presence: [], health: {}, stateVersion: { presence: 0, health: 0 }, uptimeMs: 0 },
    auth: { role: params.role ?? "operator", scopes: params.scopes ?? [] },
    policy: { maxPayload: 1_000_000, maxBufferedBytes: 1_000_000, tickIntervalMs },
  };
}

/** A scriptable gateway on port 0: it speaks the handshake, then the test drives every frame. */
export class FakeGateway {
  readonly connections = new Inbox<FakeConnection>();
  readonly url: string;

  private constructor(
    private readonly wss: WebSocketServer,
    port: number,
    secure: boolean,
    options: FakeGatewayOptions,
  ) {
    this.url = `${secure ? "wss" : "ws"}://127.0.0.1:${port}`;
    wss.on("connection", (socket) => {
      const connection = new FakeConnection(socket);
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as RequestFrameSeen;
        if (connection.connect === undefined && frame.method === "connect") {
          connection.connect = frame.params as ConnectParams;
          if (options.onConnect) options.onConnect(connection, frame.id, connection.connect);
          else connection.respond(frame.id, helloOk(connection.connect, options.tickIntervalMs));
          this.connections.push(connection);
          return;
        }
        connection.requests.push(frame);
      });
      connection.send({ type: "event", event: "connect.challenge", payload: { nonce: `nonce-${Math.random()}`, ts: Date.now() } });
    });
  }

  static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = options.httpsServer;
    const wss = server ? new WebSocketServer({ server }) : new WebSocketServer({ host: "127.0.0.1", port: 0 });
    const listening = server ?? wss;
    await new Promise<void>((resolve) => (server ? server.listen(0, "127.0.0.1", resolve) : listening.once("listening", resolve)));
    const port = ((server ?? wss).address() as AddressInfo).port;
    return new FakeGateway(wss, port, server !== undefined, options);
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
