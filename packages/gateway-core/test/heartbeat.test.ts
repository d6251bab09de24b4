import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import type { GatewayServer } from "../src/index.js";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

describe("heartbeat", () => {
  it("runs a periodic agent turn, emits heartbeat events, and set-heartbeats turns it off", async () => {
    const provider = createOfflineProvider({ mode: "script", script: ["NO_REPLY", "Your 3pm meeting moved"] });
    server = await startGateway({
      agent: { resolveModel: () => ({ provider, model: "script" }), listModels: async () => [] },
      heartbeat: { everyMs: 60_000, prompt: "beat" },
    });
    const { client } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"] }));
    clients.push(client);
    expect((await client.call("last-heartbeat")).payload).toBeNull();
    expect((await client.call("health")).payload.agents[0].heartbeat).toMatchObject({ enabled: true, every: "1m", everyMs: 60_000, prompt: "beat" });

    await server.heartbeat!.beat();
    expect((await client.event("heartbeat")).payload).toMatchObject({ status: "ok-empty", indicatorType: "ok" });
    await server.heartbeat!.beat();
    const second = await client.event("heartbeat");
    expect(second.payload).toMatchObject({ status: "ok-token", preview: "Your 3pm meeting moved" });
    expect((await client.call("last-heartbeat")).payload).toEqual(second.payload);

    expect((await client.call("set-heartbeats", { enabled: false })).payload).toEqual({ ok: true, enabled: false });
    expect((await server.heartbeat!.beat()).status).toBe("skipped");
    expect((await client.call("health", { probe: true })).payload.agents[0].heartbeat).toMatchObject({ enabled: false });
  });

  it("takes a changed interval, prompt and enabled flag while running, keeping set-heartbeats' choice otherwise", async () => {
    const provider = createOfflineProvider({ mode: "echo" });
    server = await startGateway({
      agent: { resolveModel: () => ({ provider, model: "echo" }), listModels: async () => [] },
      heartbeat: { everyMs: 60_000, prompt: "beat" },
    });
    const { client } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"] }));
    clients.push(client);
    await server.reconfigure({ heartbeat: { everyMs: 300_000, enabled: true, prompt: "check the garden" } });
    expect((await client.call("health", { probe: true })).payload.agents[0].heartbeat).toMatchObject({
      enabled: true,
      every: "5m",
      everyMs: 300_000,
      prompt: "check the garden",
    });
    expect(server.heartbeat!.armed).toBe(true);

    await client.call("set-heartbeats", { enabled: false });
    await server.reconfigure({ heartbeat: { everyMs: 120_000, enabled: true } });
    expect(server.heartbeat!.armed).toBe(false);
    expect(server.heartbeat!.view()).toMatchObject({
      enabled: false,
      prompt: "Heartbeat: check whether anything needs attention. If nothing does, reply NO_REPLY.",
    });
    await server.reconfigure({ heartbeat: { everyMs: 120_000, enabled: false } });
    await server.reconfigure({ heartbeat: { everyMs: 120_000, enabled: true } });
    expect(server.heartbeat!.armed).toBe(true);
    expect(server.heartbeat!.view()).toMatchObject({ enabled: true, every: "2m" });
  });
});
