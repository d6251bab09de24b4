import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayServer, type GatewayServer as Gateway } from "@openclaw/gateway-core";
import { allChecks, type CheckContext } from "../src/index.js";
import { contextFor, startGateway, tokenAuth, TOKEN } from "./helpers.js";
import { pairingState, runOne, startTamperingProxy, type Tampering } from "./tamper-proxy.js";

const NODE_IDS = ["node.connect", "node.listed", "node.invoke-round-trip"];

const allowed = (url: string): CheckContext => ({ ...contextFor(url), adminToken: TOKEN, allowMutations: true });

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

it("the node checks are exactly the ones with role node", () => {
  expect(
    allChecks()
      .filter((check) => check.role === "node")
      .map((check) => check.id),
  ).toEqual(NODE_IDS);
});

describe("node checks against our GatewayServer", () => {
  let server: Gateway;
  beforeAll(async () => {
    server = await startGateway();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(NODE_IDS)("%s passes and removes the test node and its device", async (id) => {
    expect(await runOne(id, allowed(server.url))).toMatchObject({ id, level: "MUST", status: "pass" });
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });

  it("node.connect needs only --allow-mutations; listing and invoking also need --admin-token to approve the surface", async () => {
    const mutations = { ...contextFor(server.url), allowMutations: true };
    expect(await runOne("node.connect", mutations)).toMatchObject({ status: "pass" });
    expect(await runOne("node.listed", mutations)).toMatchObject({ status: "skip", reason: expect.stringContaining("needs --admin-token: ") });
    expect(await runOne("node.connect", contextFor(server.url))).toMatchObject({
      status: "skip",
      reason: expect.stringContaining("needs --allow-mutations: "),
    });
    expect(await pairingState(contextFor(server.url))).toEqual({ devices: [], nodes: [] });
  });
});

describe("node.connect when the gateway does not pair local devices silently", () => {
  let strict: Gateway;
  beforeAll(async () => {
    strict = new GatewayServer({ port: 0, auth: tokenAuth(), version: "0.0.0-test", authDelay: async () => undefined, pairing: { autoApproveLocal: false } });
    await strict.start();
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it("approves the node's device with --admin-token and passes", async () => {
    expect(await runOne("node.connect", allowed(strict.url))).toMatchObject({ status: "pass" });
    expect(await pairingState(contextFor(strict.url))).toEqual({ devices: [], nodes: [] });
  });

  it("skips without --admin-token, naming the waiting request", async () => {
    const result = await runOne("node.connect", { ...contextFor(strict.url), allowMutations: true });
    expect(result).toMatchObject({ status: "skip", reason: expect.stringMatching(/waiting for approval \(requestId [0-9a-f-]{36}\) and no --admin-token/) });
    expect(await pairingState(contextFor(strict.url))).toEqual({ devices: [], nodes: [] });
  });
});

describe("node checks against gateways that get it wrong", () => {
  async function behindProxy(tampering: Tampering): Promise<{ proxy: string; upstream: string }> {
    const server = await startGateway();
    stops.push(() => server.stop());
    const proxy = await startTamperingProxy(server.url, tampering);
    stops.push(proxy.close);
    return { proxy: proxy.url, upstream: server.url };
  }

  it("node.connect fails when hello-ok grants the node another role", async () => {
    const { proxy } = await behindProxy({
      toClient: (frame, method) =>
        method === "connect" && frame.payload?.auth?.role === "node"
          ? { ...frame, payload: { ...frame.payload, auth: { ...frame.payload.auth, role: "operator" } } }
          : frame,
    });
    expect(await runOne("node.connect", allowed(proxy))).toMatchObject({ status: "fail", detail: 'payload.auth.role: expected "node", got "operator"' });
  });

  it("node.listed fails when node.list drops the declared commands, and still removes the node", async () => {
    const { proxy, upstream } = await behindProxy({
      toClient: (frame, method) => {
        if (method === "node.list" && frame.ok) for (const node of frame.payload.nodes) node.commands = [];
        return frame;
      },
    });
    const result = await runOne("node.listed", allowed(proxy));
    expect(result).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^node [0-9a-f]{64}: commands \[\] lack the declared device\.info, device\.status$/),
    });
    expect(await pairingState(contextFor(upstream))).toEqual({ devices: [], nodes: [] });
  });

  it("node.invoke-round-trip fails when the node's payload reaches the operator changed", async () => {
    const { proxy } = await behindProxy({
      toClient: (frame, method) => {
        if (method === "node.invoke" && frame.ok) delete frame.payload.payload.nested;
        return frame;
      },
    });
    const result = await runOne("node.invoke-round-trip", allowed(proxy));
    expect(result).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^node\.invoke payload\.payload: expected the node's .*"nested".* unchanged, got /),
    });
  });

  it("node.invoke-round-trip fails when the request never reaches the node", async () => {
    const { proxy } = await behindProxy({
      toClient: (frame) => (frame.type === "event" && frame.event === "node.invoke.request" ? { type: "event", event: "tick", payload: { ts: 1 } } : frame),
    });
    const result = await runOne("node.invoke-round-trip", { ...allowed(proxy), answerTimeoutMs: 500 });
    expect(result).toMatchObject({ status: "fail", detail: expect.stringContaining("the node got no node.invoke.request (no answer within 500 ms)") });
  });
});
