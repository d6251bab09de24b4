import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { afterEach } from "vitest";
import { WebSocket } from "ws";
import { base64UrlEncode, buildDeviceAuthPayload, deriveDeviceId, signedCredential, type ConnectParams } from "@openclaw/protocol";
import { DEFAULT_RATE_LIMIT, GatewayServer, type AuthSettings, type GatewayServerOptions } from "../src/index.js";

export const TOKEN = "test-token-0123456789";

/** The failed-auth waits the last gateway started by `startGateway` asked for, in order. */
export const authDelays: number[] = [];

async function recordAuthDelay(ms: number): Promise<void> {
  authDelays.push(ms);
}

export function tokenAuth(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return { mode: "token", token: TOKEN, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT, ...overrides };
}

/**
 * A real gateway on port 0; `close()` stops it. Failed-auth delays are recorded in `authDelays`
 * and not waited out (the throttle tests check the delays themselves), unless a test brings its own.
 */
export async function startGateway(overrides: Partial<GatewayServerOptions> = {}): Promise<GatewayServer> {
  authDelays.length = 0;
  const server = new GatewayServer({ port: 0, auth: tokenAuth(), version: "0.0.0-test", authDelay: recordAuthDelay, ...overrides });
  await server.start();
  return server;
}

export interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  payload?: any;
  error?: any;
  seq?: number;
  stateVersion?: { presence: number; health: number };
}

/** A raw ws client that queues frames and lets a test await them, never sleep. */
export class RawClient {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | undefined;
  private closeWaiters: (() => void)[] = [];
  private counter = 0;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of [...this.waiters.splice(0), ...this.closeWaiters.splice(0)]) wake();
    });
  }

  static async open(url: string, headers?: Record<string, string>): Promise<RawClient> {
    const ws = new WebSocket(url, { headers });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  /** The next frame matching `predicate`, removed from the queue. */
  async next(predicate: (frame: Frame) => boolean = () => true): Promise<Frame> {
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the frame arrived`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  event(name: string): Promise<Frame> {
    return this.next((frame) => frame.type === "event" && frame.event === name);
  }

  response(id: string): Promise<Frame> {
    return this.next((frame) => frame.type === "res" && frame.id === id);
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async call(method: string, params?: unknown): Promise<Frame> {
    const id = `r${++this.counter}`;
    this.send({ type: "req", id, method, ...(params === undefined ? {} : { params }) });
    return this.response(id);
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve) => this.closeWaiters.push(() => resolve(this.closed!)));
  }

  close(): void {
    this.ws.close();
  }
}

export function connectParams(overrides: Partial<ConnectParams> = {}): ConnectParams {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    role: "operator",
    scopes: ["operator.read"],
    auth: { token: TOKEN },
    ...overrides,
  };
}

export interface TestDevice {
  readonly id: string;
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

export function createDevice(): TestDevice {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(12));
  return { id: deriveDeviceId(raw), publicKey: base64UrlEncode(raw), privateKey };
}

/** Sign connect params for a device over `nonce` (v3 unless told otherwise). */
export function signConnect(
  device: TestDevice,
  params: ConnectParams,
  nonce: string,
  options: { version?: "v2" | "v3"; signedAt?: number } = {},
): ConnectParams {
  const signedAt = options.signedAt ?? Date.now();
  const payload = buildDeviceAuthPayload({
    version: options.version ?? "v3",
    deviceId: device.id,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? "operator",
    scopes: params.scopes ?? [],
    signedAtMs: signedAt,
    token: signedCredential(params.auth),
    nonce,
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  });
  const signature = base64UrlEncode(sign(null, Buffer.from(payload), device.privateKey));
  return { ...params, device: { id: device.id, publicKey: device.publicKey, signature, signedAt, nonce } };
}

/** Open, read the challenge, send connect; returns the client and the connect answer. */
export async function connectClient(
  server: GatewayServer,
  build: (nonce: string) => ConnectParams = () => connectParams(),
  headers?: Record<string, string>,
): Promise<{ client: RawClient; hello: Frame; nonce: string }> {
  const client = await RawClient.open(server.url, headers);
  const challenge = await client.event("connect.challenge");
  const nonce = challenge.payload.nonce as string;
  client.send({ type: "req", id: "c1", method: "connect", params: build(nonce) });
  const hello = await client.response("c1");
  return { client, hello, nonce };
}

/** What a test file opened: closed after each test (clients first, then gateways). */
export interface Opened {
  readonly gateways: GatewayServer[];
  readonly clients: RawClient[];
}

/** Register an `afterEach` that closes everything the test pushed into the returned lists. */
export function closeAfterEach(): Opened {
  const opened: Opened = { gateways: [], clients: [] };
  afterEach(async () => {
    for (const client of opened.clients.splice(0)) client.close();
    for (const gateway of opened.gateways.splice(0)) await gateway.stop();
  });
  return opened;
}

/** Connect params of an operator UI app on a Mac (a device that pairs). */
export function uiParams(overrides: Partial<ConnectParams> = {}): ConnectParams {
  return connectParams({
    client: { id: "openclaw-macos", version: "1", platform: "macos", deviceFamily: "Mac", mode: "ui" },
    scopes: ["operator.read"],
    ...overrides,
  });
}

/** The text of a WebSocket upgrade request to 127.0.0.1:`port`, for tests that speak raw TCP. */
export function upgradeRequestText(port: number, version = "13"): string {
  return [
    "GET / HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
    `Sec-WebSocket-Version: ${version}`,
    "",
    "",
  ].join("\r\n");
}
