import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type GatewayServer } from "../src/index.js";
import { ExecApprovals } from "../src/internal.js";
import { RawClient, connectClient, connectParams, createDevice, signConnect, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function operator(gateway: GatewayServer, scopes: string[], headers?: Record<string, string>) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes }), headers);
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("exec approvals", () => {
  it("a request waits for an approver; allow-always is remembered for the same program", async () => {
    server = await startGateway();
    const approver = await operator(server, ["operator.approvals"]);
    const requester = await operator(server, ["operator.approvals"]);
    requester.send({ type: "req", id: "ask", method: "exec.approval.request", params: { commandArgv: ["ls", "-la"], nodeId: "n1", timeoutMs: 5000 } });
    const requested = await approver.event("exec.approval.requested");
    expect(requested.payload).toMatchObject({ request: { commandArgv: ["ls", "-la"] }, expiresAtMs: expect.any(Number) });
    expect((await approver.call("exec.approval.list", {})).payload.approvals).toHaveLength(1);
    expect((await approver.call("exec.approval.resolve", { id: requested.payload.id, decision: "allow-always" })).payload).toEqual({ ok: true });
    expect((await requester.response("ask")).payload).toEqual({ id: requested.payload.id, decision: "allow-always" });
    expect((await approver.event("exec.approval.resolved")).payload).toMatchObject({ id: requested.payload.id, decision: "allow-always" });
    const again = await requester.call("exec.approval.request", { commandArgv: ["ls", "/tmp"], nodeId: "n1" });
    expect(again.payload.decision).toBe("allow-always");
    const otherProgram = await requester.call("exec.approval.request", { commandArgv: ["rm", "-rf", "/"], nodeId: "n1", timeoutMs: 30 });
    expect(otherProgram.payload.decision).toBeNull();
    expect((await approver.call("exec.approval.resolve", { id: "nope", decision: "deny" })).error).toEqual({
      code: "APPROVAL_NOT_FOUND",
      message: "unknown approval id: nope",
    });
  });

  it("close() clears every approval timer", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const approvals = new ExecApprovals(() => undefined);
      const waiting = approvals.request({ command: "ls" });
      approvals.resolve(approvals.request({ command: "pwd" }).id, "deny", "test");
      expect(vi.getTimerCount()).toBe(2);
      approvals.close();
      expect(vi.getTimerCount()).toBe(0);
      return expect(waiting.settled).resolves.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("two-phase requests answer at once and wait separately; approvals need the scope", async () => {
    server = await startGateway();
    const approver = await operator(server, ["operator.approvals"]);
    const reader = await operator(server, ["operator.read"]);
    expect((await reader.call("exec.approval.request", { command: "ls" })).error?.code).toBe("FORBIDDEN");
    const accepted = await approver.call("exec.approval.request", { command: "uptime", twoPhase: true });
    expect(accepted.payload).toMatchObject({ status: "accepted" });
    approver.send({ type: "req", id: "wait", method: "exec.approval.waitDecision", params: { id: accepted.payload.id } });
    await approver.call("exec.approval.resolve", { id: accepted.payload.id, decision: "deny" });
    expect((await approver.response("wait")).payload).toEqual({ id: accepted.payload.id, decision: "deny" });
  });
});

describe("canvas host on the gateway port", () => {
  it("serves local peers, refuses others without a token, and gives nodes a capability URL", async () => {
    const root = mkdtempSync(join(tmpdir(), "openclaw-canvas-"));
    dirs.push(root);
    writeFileSync(join(root, "index.html"), "<html><body>hello canvas</body></html>");
    server = await startGateway({ canvas: { root, liveReload: false }, isLocal: (_address, headers) => headers["x-test-lan"] === undefined });
    const base = `http://127.0.0.1:${server.port}`;
    const local = await fetch(`${base}/__openclaw__/canvas/`);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain("hello canvas");
    expect((await fetch(`${base}/__openclaw__/canvas/`, { headers: { "x-test-lan": "1" } })).status).toBe(401);
    expect((await fetch(`${base}/__openclaw__/canvas/`, { headers: { "x-test-lan": "1", authorization: "Bearer test-token-0123456789" } })).status).toBe(200);

    const device = createDevice();
    const node = await connectClient(server, (nonce) =>
      signConnect(device, connectParams({ role: "node", scopes: [], client: { id: "node-host", version: "1", platform: "linux", mode: "node" } }), nonce),
    );
    clients.push(node.client);
    const url = node.hello.payload.pluginSurfaceUrls.canvas as string;
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/__openclaw__/cap/[A-Za-z0-9_-]{24}$`));
    const viaCapability = await fetch(`${url}/__openclaw__/canvas/`, { headers: { "x-test-lan": "1" } });
    expect(viaCapability.status).toBe(200);
    const refreshed = await node.client.call("node.pluginSurface.refresh", { surface: "canvas" });
    expect(refreshed.payload).toMatchObject({ surface: "canvas", url, expiresAtMs: expect.any(Number) });
    node.client.close();
    await node.client.waitClosed();
    await expect.poll(async () => (await fetch(`${url}/__openclaw__/canvas/`, { headers: { "x-test-lan": "1" } })).status).toBe(401);
  });
});
