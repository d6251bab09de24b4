import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-e2e-"));
  dirs.push(dir);
  return dir;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], home: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env["PATH"] ?? "", HOME: home, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, text: string): Promise<void> {
  await printed(run.child, run.output, text);
}

/** Connect as the CLI does and call one method. */
async function call(port: number, token: string, method: string): Promise<{ frames: any[]; result: any; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const frames: any[] = [];
  const result = await new Promise<any>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      frames.push(frame);
      if (frame.event === "connect.challenge") {
        ws.send(
          JSON.stringify({
            type: "req",
            id: "c",
            method: "connect",
            params: {
              minProtocol: 4,
              maxProtocol: 4,
              client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
              scopes: ["operator.read"],
              auth: { token },
            },
          }),
        );
      } else if (frame.id === "c") {
        if (!frame.ok) reject(new Error(JSON.stringify(frame.error)));
        else ws.send(JSON.stringify({ type: "req", id: "m", method }));
      } else if (frame.id === "m") resolve(frame);
    });
  });
  return { frames, result, ws };
}

// Every test starts the real binary, some twice; on a busy machine one start alone can take seconds.
describe("openclaw gateway run (the real binary)", { timeout: 60_000 }, () => {
  it("first start: generates a token into a 0600 config, serves it, and stops cleanly on SIGTERM", async () => {
    const home = tempHome();
    const port = await freePort();
    const gateway = run(["gateway", "run", "--port", String(port), "--log-format", "off"], home);
    await waitFor(gateway, "listening on ws://127.0.0.1:");
    expect(gateway.output()).toContain("Generated a gateway token");
    const configPath = join(home, ".openclaw", "openclaw.json");
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    const token = JSON.parse(readFileSync(configPath, "utf8")).gateway.auth.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(gateway.output()).toContain(token);

    const { result, ws } = await call(port, token, "health");
    expect(result.payload.ok).toBe(true);
    const shutdown = new Promise<any>((resolve) =>
      ws.on("message", (data) => JSON.parse(data.toString()).event === "shutdown" && resolve(JSON.parse(data.toString()))),
    );
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    gateway.child.kill("SIGTERM");
    expect((await shutdown).payload.reason).toBe("gateway stopping");
    expect(await closed).toBe(1012);
    expect(await gateway.exited).toBe(0);

    // The second start reuses the stored token and says nothing about generating one.
    const again = run(["gateway", "--port", String(port), "--log-format", "off"], home);
    await waitFor(again, "listening on");
    expect(again.output()).not.toContain("Generated a gateway token");
    expect((await call(port, token, "status")).result.payload.runtimeVersion).toEqual(expect.any(String));
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
  });

  it("a second gateway on the same state dir exits non-zero naming the running pid and port", async () => {
    const home = tempHome();
    const port = await freePort();
    const first = run(["gateway", "run", "--port", String(port), "--token", "t0k3n-for-tests", "--log-format", "off"], home);
    await waitFor(first, "listening on");
    const second = run(["gateway", "run", "--port", String(await freePort()), "--token", "t0k3n-for-tests"], home);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`pid ${first.child.pid}, port ${port}`);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });

  it("refuses an invalid config, naming the key", async () => {
    const home = tempHome();
    const configPath = join(home, "custom.json");
    writeFileSync(configPath, '{ gateway: { port: "abc", colour: 1 } }');
    const gateway = run(["gateway", "run"], home, { OPENCLAW_CONFIG_PATH: configPath });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain("gateway.port");
    expect(gateway.output()).toContain("gateway.colour: unknown key");
  });

  it("env beats config for the port, and flags beat env", async () => {
    const home = tempHome();
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const gateway = run(["gateway", "run", "--token", "t0k3n-for-tests", "--log-format", "off"], home, { OPENCLAW_GATEWAY_PORT: String(envPort) });
    await waitFor(gateway, `127.0.0.1:${envPort}`);
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
    const flagged = run(["gateway", "run", "--port", String(flagPort), "--token", "t0k3n-for-tests", "--log-format", "off"], home, {
      OPENCLAW_GATEWAY_PORT: String(envPort),
    });
    await waitFor(flagged, `127.0.0.1:${flagPort}`);
    flagged.child.kill("SIGTERM");
    expect(await flagged.exited).toBe(0);
  });

  it("refuses password mode without a password instead of starting a gateway that refuses every connect", async () => {
    const home = tempHome();
    const gateway = run(["gateway", "run", "--bind", "lan", "--auth", "password", "--token", "t0k3n-for-tests", "--port", String(await freePort())], home);
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('gateway.auth.mode is "password" but no password is set');
    expect(gateway.output()).toContain("password mode ignores it");
  });

  it("refuses auth none beyond loopback", async () => {
    const home = tempHome();
    const gateway = run(["gateway", "run", "--auth", "none", "--bind", "lan", "--port", String(await freePort())], home);
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(/none.*loopback/);
  });
});
