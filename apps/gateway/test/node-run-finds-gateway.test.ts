import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CliError, runGateway, runNodeHost, type CommandIo, type RunningGateway, type RunningNodeHost } from "../src/index.js";
import { freePort } from "./free-port.js";

// `openclaw node run` with no --url, --host or --port finds its gateway the way every client command does.

const TOKEN = "node-run-finds-gateway-token-0123456789";
const homes: string[] = [];
const hosts: RunningNodeHost[] = [];
let gateway: RunningGateway;
let gatewayHome: string;
let port: number;

function homeWith(config: unknown): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-node-finds-"));
  homes.push(home);
  mkdirSync(join(home, ".openclaw"));
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  return home;
}

function io(home: string, output: { text: string }, env: NodeJS.ProcessEnv = {}): CommandIo {
  const write = (text: string) => void (output.text += text);
  return { stdout: { write }, stderr: { write }, env: { HOME: home, ...env }, homedir: home, cwd: home, platform: "linux" };
}

/** `openclaw node run --display-name <name>` from `home`, connected (paired silently, as a local holder of the token). */
async function nodeRun(home: string, flags: Record<string, string | number> = {}, env: NodeJS.ProcessEnv = {}) {
  const output = { text: "" };
  const host = await runNodeHost({ io: io(home, output, env), flags: { displayName: "finder", ...flags }, reconnect: { initialMs: 20, maxMs: 100 } });
  hosts.push(host);
  return { host, output };
}

beforeAll(async () => {
  port = await freePort();
  // gateway.port names a port nobody listens on: the node must take the running gateway's port from its lock file.
  gatewayHome = homeWith({ gateway: { port: await freePort(), auth: { mode: "token", token: TOKEN } } });
  gateway = await runGateway({ io: io(gatewayHome, { text: "" }), flags: { port }, stdout: "off" });
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

afterAll(async () => {
  await gateway?.stop();
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe("openclaw node run finds its gateway", { timeout: 30_000 }, () => {
  it("on the gateway's host with no flags: the running gateway's port from the lock file and the config's token", async () => {
    const { host, output } = await nodeRun(gatewayHome);
    expect(host.url).toBe(`ws://127.0.0.1:${port}`);
    await host.node.opened();
    expect(output.text).toContain(
      `connecting to gateway ws://127.0.0.1:${port} (running local gateway (pid ${process.pid}), port from the lock file); token from config (gateway.auth.token) as finder`,
    );
    expect(output.text).toContain(`connected to ws://127.0.0.1:${port} as node ${host.node.nodeId}`);
  });

  it("in remote mode: gateway.remote.url with gateway.remote.token", async () => {
    const remote = homeWith({ gateway: { mode: "remote", remote: { url: `ws://127.0.0.1:${port}`, token: TOKEN } } });
    const { host, output } = await nodeRun(remote);
    expect(host.url).toBe(`ws://127.0.0.1:${port}`);
    await host.node.opened();
    expect(output.text).toContain(
      `(remote mode, gateway.remote.url in ${join(remote, ".openclaw", "openclaw.json")}); token from gateway.remote.token as finder`,
    );
  });

  it("OPENCLAW_GATEWAY_URL and OPENCLAW_GATEWAY_TOKEN beat the config", async () => {
    const elsewhere = homeWith({ gateway: { mode: "remote", remote: { url: `ws://127.0.0.1:${await freePort()}`, token: "not-the-token" } } });
    const { host, output } = await nodeRun(elsewhere, {}, { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: TOKEN });
    expect(host.url).toBe(`ws://127.0.0.1:${port}`);
    await host.node.opened();
    expect(output.text).toContain(`connecting to gateway ws://127.0.0.1:${port} (OPENCLAW_GATEWAY_URL); token from OPENCLAW_GATEWAY_TOKEN`);
  });

  it("--host/--port still name the gateway, and take the config's token for a loopback address", async () => {
    const { host, output } = await nodeRun(gatewayHome, { host: "127.0.0.1", port });
    await host.node.opened();
    expect(output.text).toContain(`connecting to gateway ws://127.0.0.1:${port} (--host/--port); token from config (gateway.auth.token)`);
  });

  it("refuses --url together with --host or --port", async () => {
    const refused = await nodeRun(gatewayHome, { url: `ws://127.0.0.1:${port}`, port }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CliError);
    expect((refused as CliError).message).toBe("--url already names the gateway; pass either --url or --host/--port");
  });
});
