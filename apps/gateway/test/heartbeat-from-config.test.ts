import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { CliError, runGateway, type RunningGateway } from "../src/index.js";
import { recordEvents } from "./event-recorder.js";
import { freePort } from "./free-port.js";

/** `agents.defaults.heartbeat` from the config file to the running gateway (runGateway, as the binary runs it). */

const TOKEN = "heartbeat-config-token";
let home: string | undefined;
let gateway: RunningGateway | undefined;
let client: GatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await gateway?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  client = gateway = home = undefined;
});

async function start(config: Record<string, unknown>): Promise<{ gateway: RunningGateway; client: GatewayClient }> {
  home = mkdtempSync(join(tmpdir(), "openclaw-heartbeat-"));
  const stateDir = join(home, "state");
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN } }, ...config }));
  const sink = { write: () => true };
  gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: stateDir }, homedir: home, cwd: home },
    flags: { port: await freePort() },
    stdout: "off",
  });
  client = await connect({
    url: gateway.url,
    token: TOKEN,
    WebSocket: WebSocket as never,
    client: { id: "cli", mode: "cli" },
    scopes: ["operator.admin"],
    reconnect: false,
  });
  return { gateway, client };
}

async function heartbeatStatus(client: GatewayClient) {
  const status = (await client.call("status", {})) as { heartbeat: { agents: unknown[] } };
  return status.heartbeat.agents[0];
}

describe("agents.defaults.heartbeat in a running gateway", () => {
  it("enabled: false, every and prompt are honoured; set-heartbeats turns it on and off again", async () => {
    const { gateway, client } = await start({ agents: { defaults: { heartbeat: { enabled: false, every: "45m", prompt: "Check the inbox" } } } });
    expect(await heartbeatStatus(client)).toEqual({ agentId: "main", enabled: false, every: "disabled", everyMs: null });
    expect((await client.call("health", {})).agents?.[0]?.heartbeat).toMatchObject({ enabled: false });
    expect(await client.call("last-heartbeat", {})).toBeNull();
    expect(gateway.server.heartbeat!.armed).toBe(false);

    const healthEvents = recordEvents(client, "health");
    expect(await client.call("set-heartbeats", { enabled: true })).toEqual({ ok: true, enabled: true });
    expect(await heartbeatStatus(client)).toEqual({ agentId: "main", enabled: true, every: "45m", everyMs: 2_700_000 });
    // The change is broadcast at once, and the cached snapshot already has it.
    expect((await healthEvents.until(() => true)).agents?.[0]?.heartbeat).toMatchObject({ enabled: true });
    const health = await client.call("health", {});
    expect(health.agents?.[0]?.heartbeat).toMatchObject({ enabled: true, every: "45m", everyMs: 2_700_000, prompt: "Check the inbox" });
    expect(health.heartbeatSeconds).toBe(2700);
    expect(gateway.server.heartbeat!.armed).toBe(true);

    // One beat, as the timer runs it (the timer itself is tested on a fake clock): the configured prompt goes to the offline echo model.
    const beats = recordEvents(client, "heartbeat");
    const agentEvents = recordEvents(client, "agent");
    void gateway.server.heartbeat!.beat();
    const beat = await beats.until(() => true);
    expect(beat).toMatchObject({ status: "ok-token", preview: "Echo: Check the inbox", indicatorType: "alert" });
    expect(await client.call("last-heartbeat", {})).toEqual(beat);
    expect(agentEvents.seen.length).toBeGreaterThan(0);
    expect(agentEvents.seen.every((event) => event.isHeartbeat === true)).toBe(true);

    expect(await client.call("set-heartbeats", { enabled: false })).toEqual({ ok: true, enabled: false });
    expect(await heartbeatStatus(client)).toEqual({ agentId: "main", enabled: false, every: "disabled", everyMs: null });
    expect(gateway.server.heartbeat!.armed).toBe(false);
  });

  it('with no heartbeat config it beats every 30 minutes; every: "0m" means off even when set-heartbeats says on', async () => {
    const first = await start({});
    expect(await heartbeatStatus(first.client)).toEqual({ agentId: "main", enabled: true, every: "30m", everyMs: 1_800_000 });
    expect(first.gateway.server.heartbeat!.armed).toBe(true);
    await client?.close();
    await gateway?.stop();
    rmSync(home!, { recursive: true, force: true });

    const off = await start({ agents: { defaults: { heartbeat: { every: "0m" } } } });
    expect(await heartbeatStatus(off.client)).toMatchObject({ enabled: false });
    await off.client.call("set-heartbeats", { enabled: true });
    expect(await heartbeatStatus(off.client)).toMatchObject({ enabled: false, everyMs: null });
    expect(off.gateway.server.heartbeat!.armed).toBe(false);
  });

  it("refuses a misspelt heartbeat key, naming it", async () => {
    const failure = await start({ agents: { defaults: { heartbeat: { promt: "typo" } } } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as Error).message).toMatch(/agents\.defaults\.heartbeat.*promt/s);
  });
});
