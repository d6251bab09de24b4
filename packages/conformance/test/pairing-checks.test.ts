import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayServer, type GatewayServer as Gateway } from "@openclaw/gateway-core";
import type { CheckContext } from "../src/index.js";
import { contextFor, startBrokenGateway, startGateway, tokenAuth, TOKEN } from "./helpers.js";
import { pairingState, runOne, startTamperingProxy } from "./tamper-proxy.js";

const PAIRING_IDS = ["pairing.new-device-waits", "pairing.approval-issues-token", "pairing.revocation-closes-4001"];

const allowed = (url: string, answerTimeoutMs = 5000): CheckContext => ({ ...contextFor(url, answerTimeoutMs), adminToken: TOKEN, allowMutations: true });

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

describe("pairing checks against our GatewayServer", () => {
  let server: Gateway;
  beforeAll(async () => {
    server = await startGateway();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(PAIRING_IDS)("%s passes and leaves no device behind", async (id) => {
    const result = await runOne(id, allowed(server.url));
    expect(result).toMatchObject({ id, level: "MUST", status: "pass" });
    expect(result.notes).toBeUndefined();
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });

  it.each([
    [{ allowMutations: true }, "needs --admin-token: "],
    [{ adminToken: TOKEN }, "needs --allow-mutations: "],
    [{}, "needs --admin-token and --allow-mutations: "],
  ])("skips without the flags, naming the missing ones (%o)", async (flags, reason) => {
    for (const id of PAIRING_IDS) {
      const result = await runOne(id, { ...contextFor(server.url), ...flags });
      expect(result).toMatchObject({ status: "skip", reason: expect.stringContaining(reason) });
    }
  });
});

it("pairing checks skip over a pinned connection, which cannot carry a page's Origin", async () => {
  for (const id of PAIRING_IDS) {
    const result = await runOne(id, { ...allowed("wss://127.0.0.1:1"), tlsFingerprint: "AB".repeat(32) });
    expect(result).toMatchObject({ status: "skip", reason: expect.stringContaining("--tls-fingerprint") });
  }
});

describe("pairing checks when even the first browser connect waits", () => {
  it("uses that request, and all pass", async () => {
    const strict = new GatewayServer({
      port: 0,
      auth: tokenAuth(),
      version: "0.0.0-test",
      authDelay: async () => undefined,
      pairing: { autoApproveLocal: false },
    });
    await strict.start();
    stops.push(() => strict.stop());
    for (const id of PAIRING_IDS) expect(await runOne(id, allowed(strict.url))).toMatchObject({ status: "pass" });
    expect(await pairingState(contextFor(strict.url))).toEqual({ devices: [], nodes: [] });
  });
});

describe("pairing checks against gateways that get it wrong", () => {
  it("pairing.new-device-waits fails when the gateway lets the device in silently", async () => {
    const broken = await startBrokenGateway({ answer: () => ({ ok: true, payload: { pending: [], paired: [] } }) });
    stops.push(broken.close);
    const result = await runOne("pairing.new-device-waits", allowed(broken.url, 400));
    expect(result).toMatchObject({ status: "fail", detail: expect.stringMatching(/got hello-ok; expected NOT_PAIRED .* \(it was approved silently\)/) });
  });

  it("pairing.approval-issues-token fails when hello-ok after approval carries no device token, and still removes the device", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const proxy = await startTamperingProxy(server.url, {
      toClient: (frame, method) => {
        if (method === "connect" && frame.payload?.auth?.deviceToken) delete frame.payload.auth.deviceToken;
        return frame;
      },
    });
    stops.push(proxy.close);
    const result = await runOne("pairing.approval-issues-token", allowed(proxy.url));
    expect(result).toMatchObject({ status: "fail", detail: "after approval, hello-ok auth.deviceToken is undefined; expected the issued device token (§4.7)" });
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });

  it("pairing.revocation-closes-4001 fails when the revoked connection stays open, and still removes the device", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const proxy = await startTamperingProxy(server.url, { swallowClose: (code) => code === 4001 });
    stops.push(proxy.close);
    const result = await runOne("pairing.revocation-closes-4001", allowed(proxy.url, 1000));
    expect(result).toMatchObject({ status: "fail", detail: "the device's connection stayed open 1000 ms after device.token.revoke; expected close 4001" });
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });

  it("pairing.revocation-closes-4001 passes a 4001 close worded otherwise (as OpenClaw 2026.9.6 words it) with a note, and fails another code", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const reworded = await startTamperingProxy(server.url, { rewriteClose: (code, reason) => ({ code, reason: code === 4001 ? "device removed" : reason }) });
    stops.push(reworded.close);
    expect(await runOne("pairing.revocation-closes-4001", allowed(reworded.url))).toMatchObject({
      status: "pass",
      notes: ['close reason "device removed"; §1.6 words it "client invalidated: <reason>" (the code 4001 is right)'],
    });
    const recoded = await startTamperingProxy(server.url, { rewriteClose: (code, reason) => ({ code: code === 4001 ? 4000 : code, reason }) });
    stops.push(recoded.close);
    const result = await runOne("pairing.revocation-closes-4001", allowed(recoded.url));
    expect(result.status).toBe("fail");
    expect(result.status === "fail" && result.detail).toMatch(
      /^the device's connection closed 4000 "client invalidated: .+"; expected 4001 "client invalidated: <reason>"$/,
    );
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });

  it("a device the cleanup could not remove is named in the result's notes", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const proxy = await startTamperingProxy(server.url, {
      toGateway: (frame) => (frame.method === "device.pair.remove" ? { ...frame, params: { deviceId: "not-the-device" } } : frame),
    });
    stops.push(proxy.close);
    const result = await runOne("pairing.approval-issues-token", allowed(proxy.url));
    expect(result.status).toBe("pass");
    const [left] = (await pairingState(contextFor(server.url))).devices;
    expect(left).toMatch(/^[0-9a-f]{64}$/);
    expect(result.notes).toEqual([`cleanup: ${left} is still listed by device.pair.list after removal`]);
  });

  it("pairing.new-device-waits fails naming each field of a refusal that is not the spec's", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const proxy = await startTamperingProxy(server.url, {
      toClient: (frame, method) => (method === "connect" && frame.ok === false ? { ...frame, error: { code: "INVALID_REQUEST", message: "nope" } } : frame),
    });
    stops.push(proxy.close);
    const result = await runOne("pairing.new-device-waits", allowed(proxy.url));
    expect(result.status).toBe("fail");
    const detail = result.status === "fail" ? result.detail : "";
    expect(detail).toContain('error.code: expected "NOT_PAIRED", got "INVALID_REQUEST"');
    expect(detail).toContain('error.details.code: expected "PAIRING_REQUIRED", got undefined');
    expect(detail).toContain("error.details.requestId: expected a request id, got undefined");
  });
});
