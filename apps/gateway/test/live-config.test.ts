import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { runGateway, type RunningGateway } from "../src/index.js";
import { recordEvents } from "./event-recorder.js";
import { freePort } from "./free-port.js";

/** A running gateway (runGateway, as the binary runs it) taking config changes from its file and from config.* writes. */

const TOKEN = "live-config-token";
let home: string | undefined;
let gateway: RunningGateway | undefined;
const clients: GatewayClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await gateway?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  gateway = home = undefined;
});

interface Started {
  readonly gateway: RunningGateway;
  readonly client: GatewayClient;
  readonly configPath: string;
  readonly logFile: string;
}

async function start(config: Record<string, unknown>, onRestartFailed?: (error: Error) => void): Promise<Started> {
  home = mkdtempSync(join(tmpdir(), "openclaw-live-config-"));
  const stateDir = join(home, "state");
  mkdirSync(stateDir, { recursive: true });
  const configPath = join(stateDir, "openclaw.json");
  writeFileSync(configPath, JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { debounceMs: 20 } }, ...config }));
  const sink = { write: () => true };
  gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_SKIP_CANVAS_HOST: "1" }, homedir: home, cwd: home },
    // A --port flag would outrank gateway.port; a test of moving ports puts it in the file instead.
    flags: onRestartFailed ? {} : { port: await freePort() },
    stdout: "off",
    ...(onRestartFailed ? { onRestartFailed } : {}),
  });
  return { gateway, client: await connectClient(gateway.url, TOKEN), configPath, logFile: join(stateDir, "logs", "gateway.log") };
}

async function connectClient(url: string, token: string): Promise<GatewayClient> {
  const connected = await connect({
    url,
    token,
    WebSocket: WebSocket as never,
    client: { id: "cli", mode: "cli" },
    scopes: ["operator.admin"],
    reconnect: false,
  });
  clients.push(connected);
  return connected;
}

/** The file replaced as an editor saving it would (write aside, rename over). */
function edit(configPath: string, text: string): void {
  writeFileSync(`${configPath}.edit`, text);
  renameSync(`${configPath}.edit`, configPath);
}

async function patch(client: GatewayClient, raw: unknown, extra: Record<string, unknown> = {}) {
  const { hash } = await client.call("config.get", {});
  return client.call("config.patch", { raw: JSON.stringify(raw), baseHash: hash, ...extra });
}

async function heartbeatEvery(client: GatewayClient): Promise<unknown> {
  const status = (await client.call("status", {})) as { heartbeat: { agents: { every: unknown }[] } };
  return status.heartbeat.agents[0]?.every;
}

const logLines = (file: string) => readFileSync(file, "utf8");

describe("live configuration (gateway.reload.mode hybrid, the default)", () => {
  it("applies a config.patch of hot keys in place: status, models and channels show it at once, nothing restarts", async () => {
    const { gateway, client } = await start({});
    const server = gateway.server;
    const changed = recordEvents(client, "config.changed");
    const answer = await patch(client, {
      agents: { defaults: { heartbeat: { every: "45m" }, model: "local/m1" } },
      // Nothing listens at port 9: models.list lists the configured model.
      models: { providers: { local: { api: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1", models: [{ id: "m1" }] } } },
      logging: { level: "debug" },
      channels: { telegram: { botToken: "123:abc", enabled: false } },
    });
    expect(answer).toMatchObject({ ok: true, restartRequired: false });
    expect(answer).not.toHaveProperty("restart");
    expect(await heartbeatEvery(client)).toBe("45m");
    expect(((await client.call("status", {})) as { sessions: { defaults: { model: unknown } } }).sessions.defaults.model).toBe("local/m1");
    expect((await client.call("models.list", {})).models.map((model) => `${model.provider}/${model.id}`)).toContain("local/m1");
    expect(gateway.logger.level).toBe("debug");
    const channels = (await client.call("channels.status", {})) as { channels: Record<string, { accounts: unknown[] }>; channelOrder: string[] };
    expect(channels.channelOrder).toEqual(["telegram"]);
    expect(channels.channels["telegram"]?.accounts[0]).toMatchObject({ accountId: "default", enabled: false, state: "disabled" });
    expect(await changed.until((event) => event.hash === answer.hash)).toMatchObject({ path: answer.path });
    expect(gateway.server).toBe(server);
    expect(gateway.restarts).toBe(0);
  });

  it("takes keys the gateway itself never reads without applying or restarting anything", async () => {
    const { gateway, client } = await start({});
    const answer = await patch(client, { node: { location: "52.5,13.4" }, gateway: { remote: { url: "wss://elsewhere.example:443" } } });
    expect(answer).toMatchObject({ ok: true, restartRequired: false });
    expect(answer).not.toHaveProperty("restart");
    expect(gateway.restarts).toBe(0);
  });

  it("applies an edit of the file through the watcher, and keeps the running config when the file is broken", async () => {
    const { gateway, client, configPath, logFile } = await start({});
    const base = { gateway: { auth: { mode: "token", token: TOKEN }, reload: { debounceMs: 20 } } };
    edit(configPath, JSON.stringify({ ...base, agents: { defaults: { heartbeat: { every: "2h" } } } }));
    await vi.waitFor(async () => expect(await heartbeatEvery(client)).toBe("2h"), { timeout: 10_000, interval: 25 });

    edit(configPath, "{ agents: { defaults: { heartbeat: { every: ");
    await vi.waitFor(() => expect(logLines(logFile)).toContain("was not applied; the running config stays"), { timeout: 10_000, interval: 25 });
    edit(configPath, JSON.stringify({ ...base, agents: { defaults: { heartbeat: { every: "ten minutes" } } } }));
    await vi.waitFor(
      () => expect(logLines(logFile)).toMatch(/agents\.defaults\.heartbeat\.every.*not applied|not applied.*agents\.defaults\.heartbeat\.every/),
      {
        timeout: 10_000,
        interval: 25,
      },
    );
    expect(await heartbeatEvery(client)).toBe("2h");

    edit(configPath, JSON.stringify({ ...base, agents: { defaults: { heartbeat: { every: "3h" } } } }));
    await vi.waitFor(async () => expect(await heartbeatEvery(client)).toBe("3h"), { timeout: 10_000, interval: 25 });
    expect(gateway.restarts).toBe(0);
  });

  it("refuses a write naming a model it cannot serve, and leaves the file as it was", async () => {
    const { client, configPath } = await start({});
    const before = readFileSync(configPath, "utf8");
    await expect(patch(client, { agents: { defaults: { model: "nowhere/model-x" } } })).rejects.toThrow(/config refused: .*unknown provider "nowhere"/);
    expect(readFileSync(configPath, "utf8")).toBe(before);
  });

  it("restarts in this process for a restart key: same port, clients told, the new token in force", async () => {
    const { gateway, client } = await start({});
    const url = gateway.url;
    const shutdown = recordEvents(client, "shutdown");
    const answer = await patch(client, { gateway: { auth: { token: "rotated-token" } } }, { restartDelayMs: 0 });
    expect(answer).toMatchObject({ restartRequired: true, restart: { delayMs: 0 } });
    expect(await shutdown.until(() => true)).toMatchObject({ reason: expect.stringContaining("gateway.auth.token"), restartExpectedMs: expect.any(Number) });
    await vi.waitFor(() => expect(gateway.restarts).toBe(1), { timeout: 10_000, interval: 25 });
    expect(gateway.url).toBe(url);
    const again = await connectClient(url, "rotated-token");
    expect(await again.call("health", {})).toMatchObject({ ok: true });
    await expect(connectClient(url, TOKEN)).rejects.toThrow(/token/i);
  });

  it("moves to a new port by restarting, and stops, saying why, when the new port cannot be had", async () => {
    const failures: Error[] = [];
    const { gateway, client } = await start(
      { gateway: { auth: { mode: "token", token: TOKEN }, port: await freePort(), reload: { debounceMs: 20 } } },
      (error) => failures.push(error),
    );
    const moved = await freePort();
    await patch(client, { gateway: { port: moved } }, { restartDelayMs: 0 });
    await vi.waitFor(() => expect(gateway.restarts).toBe(1), { timeout: 10_000, interval: 25 });
    expect(gateway.url).toBe(`ws://127.0.0.1:${moved}`);

    const squatter = createServer();
    const taken = await new Promise<number>((resolve) => squatter.listen(0, "127.0.0.1", () => resolve((squatter.address() as { port: number }).port)));
    try {
      const onNewPort = await connectClient(gateway.url, TOKEN);
      await patch(onNewPort, { gateway: { port: taken } }, { restartDelayMs: 0 });
      await gateway.stopped;
      expect(failures.map((error) => error.message)).toEqual([`port ${taken} is already in use by another process; stop it or pass --port`]);
    } finally {
      squatter.close();
    }
  });

  it("restarts for config.apply after restartDelayMs even when every key is hot", async () => {
    const { gateway, client } = await start({});
    const { hash, raw } = await client.call("config.get", {});
    const answer = await client.call("config.apply", { raw: raw ?? "{}", baseHash: hash, restartDelayMs: 0 });
    expect(answer).toMatchObject({ restartRequired: true, restart: { delayMs: 0 } });
    await vi.waitFor(() => expect(gateway.restarts).toBe(1), { timeout: 10_000, interval: 25 });
  });
});

describe("gateway.reload.mode", () => {
  it('"hot" applies hot keys and reports restart keys as waiting, without restarting', async () => {
    const { gateway, client, logFile } = await start({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { mode: "hot", debounceMs: 20 } } });
    const waiting = await patch(client, { gateway: { controlUi: { basePath: "/ui" } } });
    expect(waiting).toMatchObject({ restartRequired: true });
    expect(waiting).not.toHaveProperty("restart");
    expect(logLines(logFile)).toContain("config keys wait for a restart");
    // Still waiting while the listener runs with the old base path, even after a hot change.
    const hot = await patch(client, { agents: { defaults: { heartbeat: { every: "4h" } } } });
    expect(hot).toMatchObject({ restartRequired: true });
    expect(await heartbeatEvery(client)).toBe("4h");
    expect(gateway.restarts).toBe(0);
  });

  it('"restart" restarts for any change, hot keys included', async () => {
    const { gateway, client } = await start({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { mode: "restart", debounceMs: 20 } } });
    const answer = await patch(client, { logging: { level: "warn" } }, { restartDelayMs: 0 });
    expect(answer).toMatchObject({ restartRequired: true, restart: { delayMs: 0 } });
    await vi.waitFor(() => expect(gateway.restarts).toBe(1), { timeout: 10_000, interval: 25 });
    expect(gateway.logger.level).toBe("warn");
  });

  it('"off" applies nothing until the next start, and says so', async () => {
    const { gateway, client } = await start({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { mode: "off" } } });
    const answer = await patch(client, { agents: { defaults: { heartbeat: { every: "5h" } } } });
    expect(answer).toMatchObject({ restartRequired: true });
    expect(answer).not.toHaveProperty("restart");
    expect(await heartbeatEvery(client)).toBe("30m");
    expect(gateway.restarts).toBe(0);
  });
});
