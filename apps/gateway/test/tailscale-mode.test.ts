import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createFakeTailscale, type FakeTailscale } from "@openclaw/testing";
import { runGateway, type CommandIo, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

let home: string | undefined;
let fake: FakeTailscale | undefined;
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  fake?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  [home, fake, gateway] = [undefined, undefined, undefined];
});

/** A home with `config` as its openclaw.json, and the fake `tailscale` first on the gateway's PATH. */
function setup(config: unknown, path?: string): { io: CommandIo; output: () => string } {
  home = mkdtempSync(join(tmpdir(), "openclaw-tailscale-"));
  mkdirSync(join(home, ".openclaw"));
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config));
  fake = createFakeTailscale({ "100.64.0.5": "alice@example.com" });
  let text = "";
  const write = (chunk: string) => void (text += chunk);
  const io: CommandIo = {
    stdout: { write },
    stderr: { write },
    env: { PATH: path ?? fake.path(), OPENCLAW_SKIP_CANVAS_HOST: "1" },
    homedir: home,
    cwd: home,
  };
  return { io, output: () => text };
}

const exposeCalls = () =>
  fake!
    .calls()
    .filter((call) => call.args[0] === "serve" || call.args[0] === "funnel")
    .map((call) => call.args);

/** A device-less CLI connect carrying the headers tailscaled's Serve proxy adds for alice's laptop. */
function serveConnect(url: string): Promise<{ ok: boolean; payload?: any; error?: any }> {
  return new Promise((resolve, reject) => {
    const headers = {
      "x-forwarded-for": "100.64.0.5",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "gateway.example-tailnet.ts.net",
      "tailscale-user-login": "alice@example.com",
    };
    const ws = new WebSocket(url, { headers });
    ws.once("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.event === "connect.challenge") {
        const client = { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" };
        ws.send(JSON.stringify({ type: "req", id: "c1", method: "connect", params: { minProtocol: 4, maxProtocol: 4, client, role: "operator", scopes: [] } }));
      } else if (frame.id === "c1") {
        ws.close();
        resolve(frame);
      }
    });
  });
}

describe("gateway.tailscale.mode", () => {
  it("serve: routes Tailscale Serve to the gateway at start, accepts Serve identities, and removes the route at stop", async () => {
    const { io, output } = setup({ gateway: { auth: { mode: "token", token: "serve-test-token" }, tailscale: { mode: "serve" } } });
    const port = await freePort();
    gateway = await runGateway({ io, flags: { port }, stdout: "off" });
    expect(exposeCalls()).toEqual([["serve", "--bg", "--yes", "--https=443", `http://127.0.0.1:${port}`]]);
    expect(output()).toContain("Tailscale serve: https://<this machine's tailnet name>/ routes to this gateway (removed when the gateway stops)");

    // allowTailscale defaults to on with Serve, and whois runs the CLI found on the gateway's PATH.
    const hello = await serveConnect(gateway.url);
    expect(hello.ok).toBe(true);
    expect(hello.payload.auth).toMatchObject({ method: "tailscale" });
    expect(fake!.calls().filter((call) => call.args[0] === "whois")).toHaveLength(1);

    await gateway.stop();
    gateway = undefined;
    expect(exposeCalls()).toEqual([
      ["serve", "--bg", "--yes", "--https=443", `http://127.0.0.1:${port}`],
      ["serve", "--https=443", "off"],
    ]);
  });

  it("funnel: runs tailscale funnel with password auth", async () => {
    const { io } = setup({ gateway: { auth: { mode: "password", password: "funnel-password" }, tailscale: { mode: "funnel" } } });
    const port = await freePort();
    gateway = await runGateway({ io, flags: { port }, stdout: "off" });
    await gateway.stop();
    gateway = undefined;
    expect(exposeCalls()).toEqual([
      ["funnel", "--bg", "--yes", "--https=443", `http://127.0.0.1:${port}`],
      ["funnel", "--https=443", "off"],
    ]);
  });

  it("refuses to start without a tailscale CLI on PATH, naming the key", async () => {
    const empty = mkdtempSync(join(tmpdir(), "openclaw-empty-path-"));
    try {
      const { io } = setup({ gateway: { auth: { token: "t" }, tailscale: { mode: "serve" } } }, empty);
      await expect(runGateway({ io, flags: { port: await freePort() }, stdout: "off" })).rejects.toThrow(
        'refusing to start: gateway.tailscale.mode is "serve" but the tailscale CLI is not on PATH; install Tailscale, or set gateway.tailscale.mode to "off"',
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses Funnel without password auth, naming the key", async () => {
    const { io } = setup({ gateway: { auth: { token: "t" }, tailscale: { mode: "funnel" } } });
    await expect(runGateway({ io, flags: { port: await freePort() }, stdout: "off" })).rejects.toThrow(
      'gateway.tailscale.mode: "funnel" needs gateway.auth.mode "password" (got "token")',
    );
    expect(exposeCalls()).toEqual([]);
  });

  it("a failing tailscale serve stops the start and leaves the port and the lock free", async () => {
    const { io } = setup({ gateway: { auth: { token: "t" }, tailscale: { mode: "serve" } } });
    fake!.setBehaviour({ expose: "fail" });
    const port = await freePort();
    await expect(runGateway({ io, flags: { port }, stdout: "off" })).rejects.toThrow(
      `refusing to start: gateway.tailscale.mode is "serve" but tailscale serve --bg --yes --https=443 http://127.0.0.1:${port} exited with code 1: error: serve config denied`,
    );
    fake!.setBehaviour({ expose: "ok" });
    gateway = await runGateway({ io, flags: { port }, stdout: "off" });
    expect(gateway.url).toBe(`ws://127.0.0.1:${port}`);
  });
});
