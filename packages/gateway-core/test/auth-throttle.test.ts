import { describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import type { GatewayServer, GatewayServerOptions } from "../src/index.js";
import {
  RawClient,
  TOKEN,
  authDelays,
  closeAfterEach,
  connectClient,
  connectParams,
  createDevice,
  signConnect,
  startGateway,
  tokenAuth,
  uiParams,
  type TestDevice,
} from "./harness.js";

const LAN = { "x-test-lan": "1" };
const opened = closeAfterEach();
const clients = opened.clients;
let server: GatewayServer | undefined;

async function start(options: Partial<GatewayServerOptions> = {}): Promise<GatewayServer> {
  server = await startGateway(options);
  opened.gateways.push(server);
  return server;
}

async function deviceConnect(gateway: GatewayServer, device: TestDevice, params: ConnectParams, headers?: Record<string, string>) {
  const result = await connectClient(gateway, (nonce) => signConnect(device, params, nonce), headers);
  clients.push(result.client);
  return result;
}

async function wrongToken(gateway: GatewayServer, attempt: number, headers?: Record<string, string>) {
  const result = await connectClient(gateway, () => connectParams({ auth: { token: `wrong-${attempt}` } }), headers);
  clients.push(result.client);
  return result.hello;
}

describe("failed-auth throttling on loopback", () => {
  it("waits 250 ms, 0.5 s, 1 s … up to 5 s before each attempt after a failure, and never locks loopback out", async () => {
    // A still clock: each wait is exactly the delay its failure set.
    const frozen = Date.now();
    server = await start({ now: () => frozen });
    for (let attempt = 0; attempt < 12; attempt += 1) expect((await wrongToken(server, attempt)).error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    expect(authDelays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000]);

    // The right token still gets in (after its wait), and a success starts the address over.
    const { client, hello } = await connectClient(server);
    clients.push(client);
    expect(hello.ok).toBe(true);
    expect(authDelays.at(-1)).toBe(5000);
    authDelays.length = 0;
    await wrongToken(server, 99);
    await wrongToken(server, 100);
    expect(authDelays).toEqual([250]);
  });

  it("refuses a parallel guess while an attempt of the same address waits, instead of checking both", async () => {
    const waits: (() => void)[] = [];
    server = await start({ authDelay: () => new Promise<void>((resolve) => waits.push(resolve)) });
    expect((await wrongToken(server, 0)).error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    const waiting = connectClient(server, () => connectParams({ auth: { token: "wrong-1" } }));
    for (let turn = 0; waits.length === 0 && turn < 1000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(waits).toHaveLength(1);

    const parallel = await connectClient(server, () => connectParams({ auth: { token: TOKEN } }));
    clients.push(parallel.client);
    expect(parallel.hello.error).toMatchObject({ retryable: true, retryAfterMs: 250, details: { code: "AUTH_RATE_LIMITED" } });

    waits[0]!();
    const first = await waiting;
    clients.push(first.client);
    expect(first.hello.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
  });

  it("stops waiting when the throttled socket closes, and keeps no timer for it", async () => {
    server = await start({
      authDelay: undefined,
      auth: { ...tokenAuth(), rateLimit: { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true, delayBaseMs: 60_000 } },
    });
    expect((await wrongToken(server, 0)).error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
    const timersBefore = timers();
    const client = await RawClient.open(server.url);
    await client.event("connect.challenge");
    // The socket's handshake timeout is running now; the throttled attempt adds its wait on top.
    const timersOpen = timers();
    client.send({ type: "req", id: "c1", method: "connect", params: connectParams({ auth: { token: "wrong-1" } }) });
    for (let turn = 0; timers() <= timersOpen && turn < 1000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    // The attempt really sits in its 60 s wait; closing the socket must end it.
    expect(timers()).toBeGreaterThan(timersOpen);
    client.close();
    await client.waitClosed();
    for (let turn = 0; timers() > timersBefore && turn < 1000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(process.getActiveResourcesInfo().filter((name) => name === "Timeout").length).toBeLessThanOrEqual(timersBefore);
  });
});

describe("credential classes keep separate buckets, checked before the credential", () => {
  it("a correct device token is refused while that address's device-token class is locked out", async () => {
    server = await start({ isLocal: (_address, headers) => headers["x-test-lan"] === undefined });
    const device = createDevice();
    const paired = await deviceConnect(server, device, uiParams());
    const token = paired.hello.payload.auth.deviceToken as string;
    expect(token).toEqual(expect.any(String));

    const other = createDevice();
    await deviceConnect(server, other, uiParams());
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const wrong = await deviceConnect(server, other, uiParams({ auth: { deviceToken: `not-the-token-${attempt}` } }), LAN);
      expect(wrong.hello.error?.details?.code).toBe("AUTH_DEVICE_TOKEN_MISMATCH");
    }
    const refused = await deviceConnect(server, device, uiParams({ auth: { deviceToken: token } }), LAN);
    expect(refused.hello.error).toMatchObject({ retryable: true, details: { code: "AUTH_RATE_LIMITED" } });
    expect(refused.hello.error.retryAfterMs).toBeGreaterThan(290_000);
  });

  it("ten bad shared tokens from an address do not lock out that address's valid device token", async () => {
    server = await start({ isLocal: (_address, headers) => headers["x-test-lan"] === undefined });
    const device = createDevice();
    const token = (await deviceConnect(server, device, uiParams())).hello.payload.auth.deviceToken as string;
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await wrongToken(server, attempt, LAN)).error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    expect((await wrongToken(server, 10, LAN)).error?.details?.code).toBe("AUTH_RATE_LIMITED");

    const admitted = await deviceConnect(server, device, uiParams({ auth: { deviceToken: token } }), LAN);
    expect(admitted.hello.ok).toBe(true);
    expect(admitted.hello.payload.auth.method).toBe("device-token");
    // The locked-out shared secret itself stays refused, even when it is right.
    const shared = await connectClient(server, () => connectParams({ auth: { token: TOKEN } }), LAN);
    clients.push(shared.client);
    expect(shared.hello.error?.details?.code).toBe("AUTH_RATE_LIMITED");
  });
});
