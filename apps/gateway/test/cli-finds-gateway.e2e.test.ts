import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNode } from "@openclaw/node-sdk";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

// The CLI as a new user meets it: the real binary, a gateway on a port of its own, and client
// commands run with no flags from the same home.

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TOKEN = "finds-gateway-token-0123456789abcdef";
const children: ChildProcess[] = [];
const homes: string[] = [];

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function run(args: string[], home: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: home, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `openclaw <args>` to completion. */
async function openclaw(home: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = run(args, home, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Like `openclaw`, failing the test with the command's output when it does not exit 0. */
async function ok(home: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await openclaw(home, args, env);
  if (result.code !== 0) throw new Error(`openclaw ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function homeWith(config: unknown): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-finds-"));
  homes.push(home);
  if (config !== undefined) {
    mkdirSync(join(home, ".openclaw"), { recursive: true });
    writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  }
  return home;
}

async function startGateway(home: string, port: number): Promise<Run> {
  const gateway = run(["gateway", "run", "--port", String(port), "--log-format", "off"], home);
  await printed(gateway.child, () => gateway.stdout() + gateway.stderr(), "listening on ws://127.0.0.1:");
  return gateway;
}

let home: string;
let port: number;
let deadPort: number;
let gateway: Run;

beforeAll(async () => {
  [port, deadPort] = [await freePort(), await freePort()];
  // gateway.port names a port nobody listens on: the running gateway's port must come from its lock file.
  home = homeWith({ gateway: { port: deadPort, auth: { mode: "token", token: TOKEN } } });
  gateway = await startGateway(home, port);
}, 30_000);

afterAll(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  // Leave the shared gateway running; anything else a test started is done with.
  for (const child of children) if (child !== gateway.child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

describe("the CLI finds its gateway", { timeout: 60_000 }, () => {
  it("reaches a gateway started with --port from the same home with no flags, and says how it found it", async () => {
    expect(await ok(home, ["health"])).toMatch(/^Gateway Health\nOK \(\d+ms\)\n/);
    const status = await ok(home, ["status"]);
    expect(status).toContain(
      `gateway ws://127.0.0.1:${port} (running local gateway (pid ${gateway.child.pid}), port from the lock file); token from config (gateway.auth.token)\n`,
    );
    const verbose = await openclaw(home, ["health", "--verbose"]);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain(`openclaw: gateway ws://127.0.0.1:${port} (running local gateway`);
    expect(await ok(home, ["gateway", "status"])).toContain(`running (pid ${gateway.child.pid}, port ${port})`);
  });

  it("--url with a loopback address alone uses the config's token", async () => {
    expect(await ok(home, ["health", "--url", `ws://127.0.0.1:${port}`])).toMatch(/^Gateway Health\nOK/);
    expect(await ok(home, ["status", "--url", `ws://127.0.0.1:${port}`])).toContain(
      `gateway ws://127.0.0.1:${port} (--url); token from config (gateway.auth.token)`,
    );
  });

  it("uses gateway.remote.url and gateway.remote.token in remote mode", async () => {
    const remote = homeWith({ gateway: { mode: "remote", remote: { url: `ws://127.0.0.1:${port}`, token: TOKEN } } });
    expect(await ok(remote, ["health"])).toMatch(/^Gateway Health\nOK/);
    expect(await ok(remote, ["status"])).toContain(`gateway ws://127.0.0.1:${port} (remote mode, gateway.remote.url in `);
    expect(await ok(remote, ["status"])).toContain("; token from gateway.remote.token\n");
  });

  it("the environment beats the config, for the URL and for the token", async () => {
    const remote = homeWith({ gateway: { mode: "remote", remote: { url: `ws://127.0.0.1:${deadPort}`, token: "not-the-token" } } });
    const env = { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: TOKEN };
    const status = await ok(remote, ["status"], env);
    expect(status).toContain(`gateway ws://127.0.0.1:${port} (OPENCLAW_GATEWAY_URL); token from OPENCLAW_GATEWAY_TOKEN\n`);
    // Without the environment the config's remote URL is used, and the error names it and where it came from.
    const unreachable = await openclaw(remote, ["health"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`openclaw: gateway not reachable at ws://127.0.0.1:${deadPort} (remote mode, gateway.remote.url in `);
  });

  it("an unreachable gateway is named with the source of its URL, as JSON with --json", async () => {
    const idle = homeWith({ gateway: { port: deadPort, auth: { token: TOKEN } } });
    const human = await openclaw(idle, ["health"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(
      new RegExp(`^openclaw: gateway not reachable at ws://127\\.0\\.0\\.1:${deadPort} \\(gateway\\.port in .*; no running gateway found in `),
    );
    const json = await openclaw(idle, ["health", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: "GATEWAY_UNREACHABLE", message: expect.stringContaining(`ws://127.0.0.1:${deadPort}`), details: { urlSource: "config-port" } },
    });
  });

  it("takes ids by the 12-character prefix tables show; --json errors carry the gateway's details", async () => {
    const shown: string[] = [];
    const node = await createNode({
      url: `ws://127.0.0.1:${port}`,
      token: TOKEN,
      identityPath: join(home, "node-identity.json"),
      tokenStorePath: join(home, "node-auth.json"),
      displayName: "prefix box",
      platform: "linux",
      caps: [],
      commands: {
        "system.notify": (params) => {
          shown.push(params.title);
          return {};
        },
      },
    });
    try {
      await node.opened();
      const short = node.nodeId.slice(0, 12);
      expect(await ok(home, ["nodes", "pending"])).toContain(short);

      // Before approval the gateway refuses the command; the reason is in the JSON details and in the human line.
      const refusedJson = await openclaw(home, ["nodes", "invoke", short, "system.notify", "--params", '{"title":"early","body":"x"}', "--json"]);
      expect(refusedJson.code).toBe(1);
      expect(JSON.parse(refusedJson.stdout)).toMatchObject({
        ok: false,
        error: {
          code: "INVALID_REQUEST",
          message: expect.stringContaining("node command not allowed"),
          details: { reason: "not-approved", command: "system.notify", nodeId: node.nodeId },
        },
      });
      const refused = await openclaw(home, ["nodes", "invoke", short, "system.notify", "--params", '{"title":"early","body":"x"}']);
      expect(refused.stderr).toContain(`(reason not-approved); approve it with: openclaw nodes approve ${node.nodeId}`);
      expect(refused.stderr).not.toContain(" — approve the node's commands first");

      expect(await ok(home, ["nodes", "approve", short])).toContain(node.nodeId);
      expect(JSON.parse(await ok(home, ["nodes", "invoke", short, "system.notify", "--params", '{"title":"hi","body":"there"}']))).toEqual({});
      expect(shown).toEqual(["hi"]);
      expect(JSON.parse(await ok(home, ["nodes", "describe", short, "--json"]))).toMatchObject({ nodeId: node.nodeId });

      const cliDevice = (JSON.parse(await ok(home, ["devices", "list", "--json"])).paired as { deviceId: string; clientId?: string }[]).find(
        (device) => device.clientId === "cli",
      )!;
      expect(await ok(home, ["devices", "list"])).toContain(cliDevice.deviceId.slice(0, 12));
      expect(JSON.parse(await ok(home, ["devices", "rotate", cliDevice.deviceId.slice(0, 12), "--json"]))).toMatchObject({ deviceId: cliDevice.deviceId });

      const unknown = await openclaw(home, ["devices", "remove", "ffffffffffff", "--json"]);
      expect(unknown.code).toBe(1);
      expect(JSON.parse(unknown.stdout)).toEqual({
        ok: false,
        error: {
          code: "ID_NOT_FOUND",
          message: 'no paired device matches "ffffffffffff"; see openclaw devices list',
          details: { kind: "paired device", input: "ffffffffffff" },
        },
      });
    } finally {
      await node.close();
    }
  });
});

describe("a token generated by a first start that failed", { timeout: 60_000 }, () => {
  it("is shown by the first start that succeeds, and only then", async () => {
    const fresh = homeWith(undefined);
    const busyPort = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(busyPort, "127.0.0.1", resolve));
    const failed = run(["gateway", "run", "--port", String(busyPort), "--log-format", "off"], fresh);
    const code = await failed.exited;
    await new Promise((resolve) => blocker.close(resolve));
    expect(code).toBe(1);
    expect(failed.stderr()).toContain(`port ${busyPort} is already in use`);
    const token = JSON.parse(readFileSync(join(fresh, ".openclaw", "openclaw.json"), "utf8")).gateway.auth.token as string;
    expect(failed.stdout() + failed.stderr()).not.toContain(token);
    expect(failed.stderr()).toContain("it is shown when the gateway first starts");

    const started = await startGateway(fresh, busyPort);
    expect(started.stdout()).toContain("Generated a gateway token (during an earlier start that did not finish)");
    expect(started.stdout()).toContain(`--token ${token}`);
    // The user's next step works with no flags; by then the gateway also handles SIGTERM.
    expect(await ok(fresh, ["health"])).toMatch(/^Gateway Health\nOK/);
    started.child.kill("SIGTERM");
    expect(await started.exited).toBe(0);

    const again = await startGateway(fresh, busyPort);
    expect(again.stdout()).not.toContain("Generated a gateway token");
    expect(again.stdout()).not.toContain(token);
    // A SIGTERM as soon as "listening" shows stops the gateway cleanly.
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  });
});
