import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import type { AgentEvent, ChatEvent } from "@openclaw/protocol";
import { GatewayClient, GatewayClosedError, GatewayProtocolError, GatewayRequestError, connect, type ConnectOptions, type SeqGap } from "../src/index.js";
import { FakeGateway, helloOk, recordStatuses, waitForStatus } from "./helpers.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fake(options: Parameters<typeof FakeGateway.start>[0] = {}): Promise<FakeGateway> {
  const server = await FakeGateway.start(options);
  cleanups.push(() => server.stop());
  return server;
}

async function client(url: string, options: Partial<ConnectOptions> = {}): Promise<GatewayClient> {
  const connected = await connect({ url, token: "t", WebSocket, reconnect: { initialMs: 10, maxMs: 50 }, ...options });
  cleanups.push(() => connected.close());
  return connected;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function agentEvent(runId: string, seq: number, stream: string, data: Record<string, unknown>): AgentEvent {
  return { runId, seq, stream, ts: Date.now(), data };
}

describe("agent and chat runs", () => {
  it("streams an agent run: accepted, its events in order, then the final result", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const connection = await server.connections.next();

    const run = gatewayClient.agent({ message: "hello" });
    const request = await connection.requests.next((frame) => frame.method === "agent");
    const runId = request.params.idempotencyKey as string;
    expect(runId).toMatch(UUID);
    expect(run.idempotencyKey).toBe(runId);

    connection.respond(request.id, { runId, status: "accepted", acceptedAt: 1 });
    expect(await run.accepted).toMatchObject({ runId, status: "accepted" });
    connection.event("agent", agentEvent(runId, 1, "lifecycle", { phase: "start" }));
    connection.event("agent", agentEvent("another-run", 1, "assistant", { text: "not mine" }));
    connection.event("agent", agentEvent(runId, 2, "assistant", { text: "Hi", delta: "Hi" }));
    connection.event("agent", agentEvent(runId, 3, "lifecycle", { phase: "end" }));
    connection.respond(request.id, { runId, status: "ok", summary: "completed", result: { payloads: [{ text: "Hi" }], meta: { durationMs: 5 } } });

    const seen: AgentEvent[] = [];
    for await (const event of run) seen.push(event);
    expect(seen.map((event) => [event.seq, event.stream])).toEqual([
      [1, "lifecycle"],
      [2, "assistant"],
      [3, "lifecycle"],
    ]);
    expect(await run.result).toMatchObject({ runId, status: "ok", summary: "completed" });
  });

  it("rejects a failed agent run with the error and its payload, after the events", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const connection = await server.connections.next();
    const run = gatewayClient.agent({ message: "fail please", idempotencyKey: "k-1" });
    const request = await connection.requests.next();
    expect(request.params.idempotencyKey).toBe("k-1");
    connection.respond(request.id, { runId: "k-1", status: "accepted" });
    connection.event("agent", agentEvent("k-1", 1, "error", { message: "boom" }));
    connection.fail(request.id, { code: "UNAVAILABLE", message: "boom" }, { runId: "k-1", status: "error", summary: "boom" });

    const seen: AgentEvent[] = [];
    const iteration = (async () => {
      for await (const event of run) seen.push(event);
    })();
    await expect(iteration).rejects.toBeInstanceOf(GatewayRequestError);
    expect(seen).toHaveLength(1);
    const error = (await run.result.catch((caught: unknown) => caught)) as GatewayRequestError;
    expect(error).toMatchObject({ code: "UNAVAILABLE", method: "agent", payload: { status: "error" } });
  });

  it("call(..., { expectFinal }) skips the accepted answer", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const connection = await server.connections.next();
    const accepted: unknown[] = [];
    const final = gatewayClient.call("agent", { message: "hi" }, { expectFinal: true, onAccepted: (ack) => accepted.push(ack.status) });
    const request = await connection.requests.next();
    connection.respond(request.id, { runId: "r", status: "accepted" });
    connection.respond(request.id, { runId: "r", status: "ok" });
    expect(await final).toMatchObject({ status: "ok" });
    expect(accepted).toEqual(["accepted"]);
  });

  it("streams chat.send until the final chat event", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const connection = await server.connections.next();
    const run = gatewayClient.chatSend({ sessionKey: "agent:main:main", message: "hi" });
    const request = await connection.requests.next((frame) => frame.method === "chat.send");
    const runId = request.params.idempotencyKey as string;
    expect(runId).toMatch(UUID);
    connection.respond(request.id, { runId, status: "started" });
    const chat = (seq: number, state: ChatEvent["state"], deltaText?: string): ChatEvent => ({
      runId,
      sessionKey: "agent:main:main",
      seq,
      state,
      ...(deltaText ? { deltaText } : {}),
    });
    connection.event("chat", chat(1, "delta", "He"));
    connection.event("chat", { ...chat(1, "delta", "other"), runId: "other-run" });
    connection.event("chat", chat(2, "delta", "llo"));
    connection.event("chat", chat(3, "final"));

    expect(await run.accepted).toEqual({ runId, status: "started" });
    const states: string[] = [];
    for await (const event of run) states.push(`${event.state}:${event.deltaText ?? ""}`);
    expect(states).toEqual(["delta:He", "delta:llo", "final:"]);
    expect(await run.result).toMatchObject({ runId, state: "final", seq: 3 });
  });
});

describe("frames", () => {
  it("raises gap when seq jumps, and restarts counting on a new connection", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const gaps: SeqGap[] = [];
    gatewayClient.on("gap", (gap) => gaps.push(gap));
    const ticks = gatewayClient.events("tick");
    const connection = await server.connections.next();
    connection.event("tick", { ts: 1 }, { seq: 1 });
    connection.event("tick", { ts: 2 }, { seq: 2 });
    connection.event("tick", { ts: 5 }, { seq: 5 });
    for (let i = 0; i < 3; i++) await ticks.next();
    expect(gaps).toEqual([{ expected: 3, received: 5 }]);

    connection.socket.close(1012, "service restart");
    const next = await server.connections.next();
    await waitForStatus(gatewayClient, "open");
    next.event("tick", { ts: 6 }, { seq: 1 });
    next.event("tick", { ts: 7 }, { seq: 2 });
    expect((await ticks.next()).value?.seq).toBe(1);
    expect((await ticks.next()).value?.seq).toBe(2);
    expect(gaps).toHaveLength(1);
  });

  it("drops presence updates older than one already seen", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const versions: number[] = [];
    gatewayClient.on("presence", (_payload, message) => versions.push(message.stateVersion!.presence));
    const ticks = gatewayClient.events("tick");
    const connection = await server.connections.next();
    connection.event("presence", { presence: [] }, { stateVersion: { presence: 3, health: 0 } });
    connection.event("presence", { presence: [] }, { stateVersion: { presence: 2, health: 0 } });
    connection.event("presence", { presence: [] }, { stateVersion: { presence: 4, health: 0 } });
    connection.event("tick", { ts: 1 });
    await ticks.next();
    expect(versions).toEqual([3, 4]);
  });

  it("survives garbage frames: drops them, and fails only the call whose answer was unreadable", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url);
    const problems: GatewayProtocolError[] = [];
    gatewayClient.on("protocolError", (error) => problems.push(error));
    const connection = await server.connections.next();
    const call = gatewayClient.call("health");
    const request = await connection.requests.next();
    connection.send("this is not json");
    connection.send({ type: "bogus" });
    connection.send({ type: "res", id: request.id, payload: {} });
    await expect(call).rejects.toBeInstanceOf(GatewayProtocolError);
    expect(problems).toHaveLength(2);
    expect(problems[0]?.message).toContain("not JSON");

    const second = gatewayClient.call("health");
    const again = await connection.requests.next();
    connection.respond(again.id, { ok: true });
    expect(await second).toEqual({ ok: true });
    expect(gatewayClient.status.state).toBe("open");
  });

  it("refuses an invalid hello-ok with GatewayProtocolError", async () => {
    const server = await fake({ onConnect: (connection, id) => connection.respond(id, { type: "hello-ok", protocol: 4 }) });
    const error = await connect({ url: server.url, WebSocket }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toContain("invalid hello-ok");
  });
});

describe("calls", () => {
  it("times out with GatewayTimeoutError, and aborts with the signal's reason", async () => {
    const server = await fake();
    const gatewayClient = await client(server.url, { requestTimeoutMs: 20 });
    await expect(gatewayClient.call("health")).rejects.toMatchObject({ code: "GATEWAY_TIMEOUT", method: "health", timeoutMs: 20 });
    const controller = new AbortController();
    const aborted = gatewayClient.call("health", {}, { signal: controller.signal, timeoutMs: Infinity });
    controller.abort(new Error("stop waiting"));
    await expect(aborted).rejects.toThrow("stop waiting");
    await expect(gatewayClient.call("health", {}, { signal: controller.signal })).rejects.toThrow("stop waiting");
    expect(gatewayClient.status.state).toBe("open");
  });

  it("closes the client when its signal aborts", async () => {
    const server = await fake();
    const controller = new AbortController();
    const gatewayClient = await client(server.url, { signal: controller.signal });
    const connection = await server.connections.next();
    controller.abort(new Error("shutting down"));
    expect(await connection.closed).toMatchObject({ code: 1000 });
    expect(gatewayClient.status).toMatchObject({ state: "closed", reason: { message: "shutting down" } });
  });
});

describe("lifecycle", () => {
  it("closes with 4000 after two silent tick intervals and reconnects", async () => {
    const server = await fake({ tickIntervalMs: 25 });
    const gatewayClient = await client(server.url);
    const statuses = recordStatuses(gatewayClient);
    const first = await server.connections.next();
    expect(await first.closed).toEqual({ code: 4000, reason: "tick timeout" });
    const reconnecting = await waitForStatus(gatewayClient, "reconnecting");
    expect(reconnecting.lastError).toMatchObject({ code: "GATEWAY_CLOSED", closeCode: 4000 });
    await server.connections.next();
    await waitForStatus(gatewayClient, "open");
    expect(statuses.slice(0, 3)).toEqual(["open", "reconnecting", "open"]);
  });

  it("honours retryAfterMs of a starting gateway, even on the first attempt", async () => {
    let refusals = 0;
    const server = await fake({
      onConnect: (connection, id, params) => {
        if (refusals++ > 0) return connection.respond(id, helloOk(params));
        connection.fail(id, { code: "UNAVAILABLE", message: "gateway starting; retry shortly", retryable: true, retryAfterMs: 5000 });
        connection.socket.close(1013, "gateway starting");
      },
    });
    const gatewayClient = new GatewayClient({ url: server.url, WebSocket });
    cleanups.push(() => gatewayClient.close());
    const reconnecting = await waitForStatus(gatewayClient, "reconnecting");
    expect(reconnecting.delayMs).toBe(2000);
    expect(reconnecting.lastError).toMatchObject({ code: "UNAVAILABLE" });
  });

  it("stays closed on pairing required (pauseReconnect)", async () => {
    const server = await fake({
      onConnect: (connection, id) =>
        connection.fail(id, {
          code: "NOT_PAIRED",
          message: "pairing required: device is not approved yet",
          details: { code: "PAIRING_REQUIRED", pauseReconnect: true, requestId: "p1" },
        }),
    });
    const gatewayClient = new GatewayClient({ url: server.url, WebSocket });
    cleanups.push(() => gatewayClient.close());
    const error = await gatewayClient.opened().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "NOT_PAIRED", detailCode: "PAIRING_REQUIRED" });
    expect(gatewayClient.status.state).toBe("closed");
  });

  it("rejects pending calls, ends iterators and clears every timer on close()", async () => {
    const server = await fake({ tickIntervalMs: 10_000 });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const gatewayClient = await client(server.url, { requestTimeoutMs: 60_000 });
    const connection = await server.connections.next();
    const pending = gatewayClient.call("health").catch((caught: unknown) => caught);
    const run = gatewayClient.chatSend({ sessionKey: "s", message: "hi" }, { timeoutMs: 60_000 });
    await connection.requests.next();
    const ticks = gatewayClient.events("tick");
    expect(vi.getTimerCount()).toBeGreaterThanOrEqual(3);

    await Promise.all([gatewayClient.close(), connection.closed]);
    expect(vi.getTimerCount()).toBe(0);
    expect(await pending).toMatchObject({ code: "GATEWAY_CLOSED", retryable: false });
    await expect(run.result).rejects.toBeInstanceOf(GatewayClosedError);
    expect((await ticks.next()).done).toBe(true);
    expect(gatewayClient.status).toMatchObject({ state: "closed" });
  });

  it("clears the reconnect timer when closed while reconnecting", async () => {
    const server = await fake();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const gatewayClient = await client(server.url, { reconnect: { initialMs: 60_000 } });
    const connection = await server.connections.next();
    connection.socket.close(1012, "service restart");
    // The server's own ws close timer is gone once its socket has closed; what is left is ours.
    await Promise.all([waitForStatus(gatewayClient, "reconnecting"), connection.closed]);
    expect(vi.getTimerCount()).toBe(1);
    await gatewayClient.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
