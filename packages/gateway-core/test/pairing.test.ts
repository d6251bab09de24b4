import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import { openStore, type GatewayServer, type Store } from "../src/index.js";
import { RawClient, TOKEN, connectClient, connectParams, createDevice, signConnect, startGateway, type TestDevice } from "./harness.js";

const LAN = { "x-test-lan": "1" };
let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Loopback sockets carrying the test header count as LAN peers. */
async function start(options: { store?: Store; pairing?: { autoApproveLocal: boolean } } = {}) {
  server = await startGateway({ isLocal: (_address, headers) => headers["x-test-lan"] === undefined, ...options });
  return server;
}

function uiParams(overrides: Partial<ConnectParams> = {}): ConnectParams {
  return connectParams({
    client: { id: "openclaw-macos", version: "1", platform: "macos", deviceFamily: "Mac", mode: "ui" },
    scopes: ["operator.read"],
    ...overrides,
  });
}

/** The macOS app's connect params, reporting `platform` and `deviceFamily`. */
function appParams(platform: string, deviceFamily = "Mac", overrides: Partial<ConnectParams> = {}): ConnectParams {
  return uiParams({ client: { id: "openclaw-macos", version: "1", platform, deviceFamily, mode: "ui" }, ...overrides });
}

async function deviceConnect(gateway: GatewayServer, device: TestDevice, params: ConnectParams, headers?: Record<string, string>) {
  const result = await connectClient(gateway, (nonce) => signConnect(device, params, nonce), headers);
  if (result.hello.ok) clients.push(result.client);
  return result;
}

async function operator(gateway: GatewayServer, scopes: string[]) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("device pairing", () => {
  it("pairs a fresh loopback device silently and issues a device token that works on its own", async () => {
    const gateway = await start();
    const device = createDevice();
    const first = await deviceConnect(gateway, device, uiParams());
    expect(first.hello.ok).toBe(true);
    const token = first.hello.payload.auth.deviceToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.hello.payload.auth.issuedAtMs).toEqual(expect.any(Number));

    const again = await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: token } }));
    expect(again.hello.ok).toBe(true);
    expect(again.hello.payload.auth).toMatchObject({ method: "device-token", scopes: ["operator.read"] });
    expect(again.hello.payload.auth.deviceToken).toBeUndefined();
    // A token in the shared-token slot is tried as a device token too.
    expect((await deviceConnect(gateway, device, uiParams({ auth: { token } }))).hello.ok).toBe(true);
  });

  it("makes a LAN device wait for an operator holding operator.pairing", async () => {
    const gateway = await start();
    const pairer = await operator(gateway, ["operator.pairing", "operator.read"]);
    const reader = await operator(gateway, ["operator.read", "operator.write"]);
    const device = createDevice();

    const waiting = await deviceConnect(gateway, device, uiParams(), LAN);
    expect(waiting.hello.error).toMatchObject({
      code: "NOT_PAIRED",
      message: "pairing required: device is not approved yet",
      details: {
        code: "PAIRING_REQUIRED",
        reason: "not-paired",
        deviceId: device.id,
        requestedRole: "operator",
        requestedScopes: ["operator.read"],
        pauseReconnect: true,
      },
    });
    const requestId = waiting.hello.error.details.requestId as string;
    expect(await waiting.client.waitClosed()).toEqual({ code: 1008, reason: `pairing required: device is not approved yet (requestId: ${requestId})` });

    const requested = await pairer.event("device.pair.requested");
    expect(requested.payload).toMatchObject({
      requestId,
      deviceId: device.id,
      publicKey: device.publicKey,
      platform: "macos",
      role: "operator",
      isRepair: false,
    });
    expect((await reader.call("device.pair.approve", { requestId })).error).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.pairing" });
    expect(reader.frames.some((frame) => frame.event === "device.pair.requested")).toBe(false);

    // Retrying with the same ask reuses the request.
    const retry = await deviceConnect(gateway, device, uiParams(), LAN);
    expect(retry.hello.error.details.requestId).toBe(requestId);

    const listed = await pairer.call("device.pair.list", {});
    expect(listed.payload.pending).toHaveLength(1);
    const approved = await pairer.call("device.pair.approve", { requestId });
    expect(approved.payload).toMatchObject({
      requestId,
      device: { deviceId: device.id, roles: ["operator"], scopes: ["operator.read"], approvedVia: "operator" },
    });
    expect((await pairer.event("device.pair.resolved")).payload).toMatchObject({ requestId, deviceId: device.id, decision: "approved" });

    const admitted = await deviceConnect(gateway, device, uiParams(), LAN);
    expect(admitted.hello.ok).toBe(true);
    expect(admitted.hello.payload.auth.deviceToken).toEqual(expect.any(String));
    const paired = (await pairer.call("device.pair.list", {})).payload.paired;
    expect(paired).toHaveLength(1);
    expect(paired[0]).toMatchObject({ deviceId: device.id, connected: true, tokens: [{ role: "operator", scopes: ["operator.read"] }] });
    expect(JSON.stringify(paired)).not.toContain(admitted.hello.payload.auth.deviceToken);
  });

  it("refuses an approval that grants more than the approver holds", async () => {
    const gateway = await start();
    const pairer = await operator(gateway, ["operator.pairing"]);
    const device = createDevice();
    const waiting = await deviceConnect(gateway, device, uiParams({ scopes: ["operator.admin"] }), LAN);
    const answer = await pairer.call("device.pair.approve", { requestId: waiting.hello.error.details.requestId });
    expect(answer.error).toMatchObject({ code: "FORBIDDEN", message: "device pairing approval denied", details: { missingScope: "operator.admin" } });
    expect((await pairer.call("device.pair.approve", { requestId: "nope" })).error).toEqual({ code: "INVALID_REQUEST", message: "unknown requestId" });
  });

  it("supersedes a pending request when the ask changes, and rejects on demand", async () => {
    const gateway = await start();
    const pairer = await operator(gateway, ["operator.pairing"]);
    const device = createDevice();
    const first = (await deviceConnect(gateway, device, uiParams(), LAN)).hello.error.details.requestId;
    await pairer.event("device.pair.requested");
    const second = (await deviceConnect(gateway, device, uiParams({ scopes: ["operator.read", "operator.write"] }), LAN)).hello.error.details.requestId;
    expect(second).not.toBe(first);
    expect((await pairer.event("device.pair.resolved")).payload).toMatchObject({ requestId: first, decision: "rejected" });
    expect((await pairer.call("device.pair.reject", { requestId: second })).payload).toEqual({ requestId: second, deviceId: device.id });
    expect((await pairer.call("device.pair.list", {})).payload.pending).toEqual([]);
  });

  it("lets a local reconnect whose platform changed (an OS update) in, and the record follows, even with autoApproveLocal off", async () => {
    const gateway = await start({ pairing: { autoApproveLocal: false } });
    const pairer = await operator(gateway, ["operator.pairing", "operator.read"]);
    const device = createDevice();
    const macos14 = appParams("macOS 14.5");
    const requestId = (await deviceConnect(gateway, device, macos14)).hello.error.details.requestId;
    expect((await pairer.call("device.pair.approve", { requestId })).ok).toBe(true);
    const token = (await deviceConnect(gateway, device, macos14)).hello.payload.auth.deviceToken;

    // Seen first from the LAN, the change waits; the same device back on loopback settles it.
    const fromLan = await deviceConnect(gateway, device, appParams("macOS 15.0", "Mac", { auth: { deviceToken: token } }), LAN);
    expect(fromLan.hello.error.details).toMatchObject({ reason: "metadata-upgrade" });
    const updated = await deviceConnect(gateway, device, appParams("macOS 15.0", "Mac", { auth: { deviceToken: token } }));
    expect(updated.hello.ok).toBe(true);
    expect(updated.hello.payload.auth).toMatchObject({ method: "device-token", scopes: ["operator.read"] });
    // With the shared secret too, and a family change alike.
    expect((await deviceConnect(gateway, device, appParams("iPadOS 18", "iPad"))).hello.ok).toBe(true);

    const listed = (await pairer.call("device.pair.list", {})).payload;
    expect(listed.pending).toEqual([]);
    expect(listed.paired).toEqual([
      expect.objectContaining({
        deviceId: device.id,
        platform: "ipados 18",
        deviceFamily: "ipad",
        roles: ["operator"],
        scopes: ["operator.read"],
        approvedVia: "operator",
      }),
    ]);
    // The first pairing and the LAN attempt asked an operator; the loopback reconnects did not.
    expect(pairer.frames.filter((frame) => frame.event === "device.pair.requested")).toHaveLength(2);
  });

  it("makes a platform change from another host wait for an operator, as a repair request", async () => {
    const gateway = await start();
    const pairer = await operator(gateway, ["operator.pairing", "operator.read"]);
    const device = createDevice();
    const first = await deviceConnect(gateway, device, uiParams(), LAN);
    expect((await pairer.call("device.pair.approve", { requestId: first.hello.error.details.requestId })).ok).toBe(true);
    const token = (await deviceConnect(gateway, device, uiParams(), LAN)).hello.payload.auth.deviceToken;

    for (const auth of [{ deviceToken: token }, { token: TOKEN }]) {
      const changed = await deviceConnect(gateway, device, appParams("windows", "Mac", { auth }), LAN);
      expect(changed.hello.error.details).toMatchObject({ code: "PAIRING_REQUIRED", reason: "metadata-upgrade" });
      expect(changed.hello.error.message).toBe("pairing required: device metadata change pending approval");
    }
    const listed = (await pairer.call("device.pair.list", {})).payload;
    expect(listed.pending).toEqual([expect.objectContaining({ deviceId: device.id, isRepair: true, platform: "windows" })]);
    expect(listed.paired[0]).toMatchObject({ platform: "macos" });
    // Whitespace and case are normalized before the comparison.
    expect((await deviceConnect(gateway, device, appParams("  MacOS ", "mac"), LAN)).hello.ok).toBe(true);

    expect((await pairer.call("device.pair.approve", { requestId: listed.pending[0].requestId })).ok).toBe(true);
    expect((await deviceConnect(gateway, device, appParams("windows"), LAN)).hello.ok).toBe(true);
  });

  it("makes a platform change from a local browser page wait for an operator", async () => {
    const gateway = await start();
    const device = createDevice();
    const origin = { origin: gateway.url.replace(/^ws/, "http") };
    const page = (platform: string) => uiParams({ client: { id: "openclaw-control-ui", version: "1", platform, mode: "webchat" } });
    expect((await deviceConnect(gateway, device, page("MacIntel"), origin)).hello.ok).toBe(true);
    const changed = await deviceConnect(gateway, device, page("Linux x86_64"), origin);
    expect(changed.hello.error.details).toMatchObject({ code: "PAIRING_REQUIRED", reason: "metadata-upgrade" });
  });

  it("does not let a device widen its own scopes with its device token", async () => {
    const gateway = await start();
    const device = createDevice();
    const token = (await deviceConnect(gateway, device, uiParams())).hello.payload.auth.deviceToken;
    const wider = await deviceConnect(gateway, device, uiParams({ scopes: ["operator.admin"], auth: { deviceToken: token } }));
    expect(wider.hello.error.details).toMatchObject({ code: "AUTH_SCOPE_MISMATCH" });
    const viaSlot = await deviceConnect(gateway, device, uiParams({ scopes: ["operator.admin"], auth: { token } }));
    expect(viaSlot.hello.error.details).toMatchObject({ code: "AUTH_TOKEN_MISMATCH", canRetryWithDeviceToken: true });
  });

  it("revoking a token refuses it and closes the connection that used it", async () => {
    const gateway = await start();
    const device = createDevice();
    const token = (await deviceConnect(gateway, device, uiParams())).hello.payload.auth.deviceToken;
    const user = await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: token } }));
    const admin = await operator(gateway, ["operator.pairing"]);
    const revoked = await admin.call("device.token.revoke", { deviceId: device.id, role: "operator" });
    expect(revoked.payload).toMatchObject({ deviceId: device.id, role: "operator", revokedAtMs: expect.any(Number) });
    expect(await user.client.waitClosed()).toEqual({ code: 4001, reason: "client invalidated: device token revoked" });
    const refused = await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: token } }));
    expect(refused.hello.error.details.code).toBe("AUTH_DEVICE_TOKEN_MISMATCH");
  });

  it("rotating issues a new token, withheld from other devices, and retires the old one", async () => {
    const gateway = await start();
    const device = createDevice();
    const old = (await deviceConnect(gateway, device, uiParams())).hello.payload.auth.deviceToken;
    const user = await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: old } }));
    const admin = await operator(gateway, ["operator.pairing", "operator.read"]);
    const rotated = await admin.call("device.token.rotate", { deviceId: device.id, role: "operator" });
    expect(rotated.payload).toMatchObject({ tokenDelivery: "withheld-cross-device", scopes: ["operator.read"] });
    expect(rotated.payload.token).toBeUndefined();
    expect((await user.client.waitClosed()).code).toBe(4001);
    expect((await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: old } }))).hello.error.details.code).toBe("AUTH_DEVICE_TOKEN_MISMATCH");

    // The device rotating its own token gets it in-band, and keeps its connection.
    const self = await deviceConnect(gateway, device, uiParams({ scopes: ["operator.read", "operator.pairing"] }));
    const own = await self.client.call("device.token.rotate", { deviceId: device.id, role: "operator", scopes: ["operator.read"] });
    expect(own.payload).toMatchObject({ tokenDelivery: "in-band", token: expect.any(String) });
    expect((await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: own.payload.token } }))).hello.ok).toBe(true);
    expect((await self.client.call("health")).ok).toBe(true);
  });

  it("removing a device deletes it and closes its connections", async () => {
    const gateway = await start();
    const device = createDevice();
    const connected = await deviceConnect(gateway, device, uiParams());
    const admin = await operator(gateway, ["operator.pairing"]);
    expect((await admin.call("device.pair.remove", { deviceId: device.id })).payload).toEqual({ deviceId: device.id });
    expect(await connected.client.waitClosed()).toEqual({ code: 4001, reason: "client invalidated: device removed" });
    expect((await admin.call("device.pair.list", {})).payload.paired).toEqual([]);
    expect((await admin.call("device.pair.rename", { deviceId: device.id, label: "x" })).error?.code).toBe("INVALID_REQUEST");
  });

  it("keeps pairings and tokens across a restart (SQLite store)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-pairing-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let store = openStore(join(dir, "state.sqlite"));
    let gateway = await start({ store });
    const device = createDevice();
    const token = (await deviceConnect(gateway, device, uiParams())).hello.payload.auth.deviceToken;
    for (const client of clients.splice(0)) client.close();
    await gateway.stop();
    store.close();

    store = openStore(join(dir, "state.sqlite"));
    cleanups.push(() => store.close());
    gateway = await start({ store });
    const back = await deviceConnect(gateway, device, uiParams({ auth: { deviceToken: token } }), LAN);
    expect(back.hello.ok).toBe(true);
    expect(back.hello.payload.auth.method).toBe("device-token");
  });

  it("a shared-secret connect without a device still works beside pairing", async () => {
    const gateway = await start();
    const { hello } = await connectClient(gateway, () => connectParams({ auth: { token: TOKEN } }));
    expect(hello.ok).toBe(true);
  });
});
