import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError, type GatewayServer } from "../src/index.js";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";

let server: GatewayServer;
const clients: RawClient[] = [];
let releaseSlow: (() => void) | undefined;
let sideEffects = 0;
let cancelledRequests = 0;

beforeEach(async () => {
  sideEffects = 0;
  cancelledRequests = 0;
  server = await startGateway({
    handlers: {
      "models.list": () => ({ models: [] }),
      wake: () => new Promise((resolve) => (releaseSlow = () => resolve({ ok: true as const }))),
      send: async (params) => {
        sideEffects += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { runId: params.idempotencyKey, messageId: `m${sideEffects}`, channel: "test" };
      },
      "channels.status": () => {
        throw new Error("backend exploded");
      },
      "cron.list": () => {
        throw new NotFoundError("no such job");
      },
      "commands.list": () => undefined as never,
      // Holds until the caller cancels it, then answers.
      "agents.list": (_params, context) =>
        new Promise((resolve) => {
          context.cancelled?.addEventListener("abort", () => {
            cancelledRequests += 1;
            resolve({ defaultId: "main", mainKey: "main", scope: "per-sender", agents: [] } as never);
          });
        }),
    },
  });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function operator(scopes: string[]): Promise<RawClient> {
  const { client, hello } = await connectClient(server, () => connectParams({ scopes }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("dispatch", () => {
  it("answers health with or without params", async () => {
    const client = await operator(["operator.read"]);
    expect((await client.call("health")).payload).toMatchObject({ ok: true, eventLoop: expect.any(Object) });
    expect((await client.call("health", {})).ok).toBe(true);
  });

  it("checks scope before looking the method up", async () => {
    const reader = await operator(["operator.read"]);
    expect((await reader.call("no.such.method")).error).toEqual({
      code: "FORBIDDEN",
      message: "missing scope: operator.admin",
      details: { code: "MISSING_SCOPE", missingScope: "operator.admin", requiredScopes: ["operator.admin"] },
    });
    expect((await reader.call("connect", connectParams())).error?.message).toBe("missing scope: operator.admin");
    const admin = await operator(["operator.admin"]);
    expect((await admin.call("no.such.method")).error).toEqual({ code: "INVALID_REQUEST", message: "unknown method: no.such.method" });
    expect((await admin.call("connect", connectParams())).error).toEqual({ code: "INVALID_REQUEST", message: "connect is only valid as the first request" });
  });

  it("validates params with the reference wording", async () => {
    const client = await operator(["operator.admin"]);
    expect((await client.call("system-event", { text: "x", limit: 1 })).error).toEqual({
      code: "INVALID_REQUEST",
      message: "invalid system-event params: at root: unexpected property 'limit'",
    });
    expect((await client.call("set-heartbeats", { enabled: "yes" })).error?.message).toBe("invalid set-heartbeats params: at /enabled: must be boolean");
  });

  it("answers bad frames after the handshake and keeps the connection", async () => {
    const client = await operator(["operator.read"]);
    client.send({ type: "bogus", id: "b1" });
    expect((await client.response("b1")).error).toEqual({
      code: "INVALID_REQUEST",
      message: "invalid request frame: must have required property 'method'; at /type: must be equal to constant",
    });
    client.sendRaw("{ not json");
    client.send({ id: 5 });
    expect((await client.response("invalid")).error?.code).toBe("INVALID_REQUEST");
    expect((await client.call("health")).ok).toBe(true);
  });

  it("answers out of order when a handler is slow", async () => {
    const client = await operator(["operator.write"]);
    client.send({ type: "req", id: "slow", method: "wake", params: { mode: "now", text: "x" } });
    const fast = await client.call("health");
    expect(fast.ok).toBe(true);
    expect(client.frames.some((frame) => frame.id === "slow")).toBe(false);
    releaseSlow!();
    expect((await client.response("slow")).payload).toEqual({ ok: true });
  });

  it("normalizes handler failures to the wire shape", async () => {
    const client = await operator(["operator.admin"]);
    expect((await client.call("channels.status", {})).error).toEqual({ code: "UNAVAILABLE", message: "backend exploded" });
    expect((await client.call("cron.list", {})).error).toEqual({ code: "INVALID_REQUEST", message: "no such job" });
  });

  it("always sends a payload on success, null when the handler returned nothing", async () => {
    const client = await operator(["operator.read"]);
    const res = await client.call("commands.list", {});
    expect(res).toHaveProperty("payload", null);
  });

  it("runs a side effect once per idempotency key, in flight or completed", async () => {
    const client = await operator(["operator.write"]);
    const params = { to: "x", message: "hi", idempotencyKey: "k-1" };
    const [a, b] = await Promise.all([client.call("send", params), client.call("send", params)]);
    const c = await client.call("send", params);
    expect(sideEffects).toBe(1);
    expect(a.payload).toEqual(b.payload);
    expect(c.payload).toEqual(a.payload);
    await client.call("send", { ...params, idempotencyKey: "k-2" });
    expect(sideEffects).toBe(2);
  });

  it("a cancel frame stops that request's handler and is not answered itself", async () => {
    const client = await operator(["operator.read"]);
    client.send({ type: "req", id: "held", method: "agents.list", params: {} });
    // A cancel for another id, or after the fact, changes nothing and gets no answer.
    client.send({ type: "cancel", id: "no-such-request" });
    expect((await client.call("health")).ok).toBe(true);
    expect(cancelledRequests).toBe(0);
    client.send({ type: "cancel", id: "held" });
    expect((await client.response("held")).ok).toBe(true);
    expect(cancelledRequests).toBe(1);
    client.send({ type: "cancel", id: "held" });
    expect((await client.call("health")).ok).toBe(true);
    expect(client.frames.filter((frame) => frame.type === "res" && frame.id === "held")).toEqual([]);
    // A malformed cancel is a bad frame like any other.
    client.send({ type: "cancel", id: "held", extra: 1 });
    expect((await client.response("held")).error).toMatchObject({ code: "INVALID_REQUEST", message: expect.stringContaining("invalid request frame") });
  });

  it("does not advertise registry methods that have no handler here", async () => {
    const { client, hello } = await connectClient(server);
    clients.push(client);
    expect(hello.payload.features.methods).toContain("models.list");
    expect(hello.payload.features.methods).not.toContain("agent");
  });
});
