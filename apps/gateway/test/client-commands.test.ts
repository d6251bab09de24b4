import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram, runGateway, CliError, type CommandIo, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";
import { createNode } from "@openclaw/node-sdk";
import { readFileSync } from "node:fs";

let gateway: RunningGateway;
let home: string;
let port: number;

function capture() {
  let out = "";
  let err = "";
  return { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text) }, out: () => out, err: () => err };
}

/** Run `openclaw <args>` in-process against the test gateway's config. */
async function openclaw(...args: string[]): Promise<{ out: string; err: string; error?: CliError }> {
  const streams = capture();
  const io: CommandIo = {
    stdout: streams.stdout,
    stderr: streams.stderr,
    env: { OPENCLAW_STATE_DIR: join(home, "state"), OPENCLAW_GATEWAY_PORT: String(port) },
    homedir: home,
    cwd: home,
  };
  const program = buildProgram(io, { onGatewayStarted: () => undefined });
  try {
    await program.parseAsync(["node", "openclaw", ...args]);
    return { out: streams.out(), err: streams.err() };
  } catch (error) {
    if (error instanceof CliError) return { out: streams.out(), err: streams.err(), error };
    throw error;
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "openclaw-cli-"));
  port = await freePort();
  gateway = await runGateway({
    io: { stdout: capture().stdout, stderr: capture().stderr, env: { OPENCLAW_STATE_DIR: join(home, "state") }, homedir: home, cwd: home },
    flags: { port },
    stdout: "off",
  });
});
afterAll(async () => {
  await gateway.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("client commands on the SDK, against the local gateway's config", () => {
  it("health and status, human and JSON", async () => {
    expect((await openclaw("health")).out).toMatch(/^Gateway Health\nOK \(\d+ms\)\n/);
    const status = JSON.parse((await openclaw("status", "--json")).out);
    expect(status).toMatchObject({ runtimeVersion: expect.any(String), auth: { mode: "token" }, tls: { enabled: false } });
    expect((await openclaw("status")).out).toContain("Auth                   token");
  });

  it("agent streams the reply; gateway call prints any method", async () => {
    expect((await openclaw("agent", "-m", "hello cli")).out).toBe("Echo: hello cli\n");
    const json = JSON.parse((await openclaw("agent", "-m", "again", "--json")).out);
    expect(json).toMatchObject({ status: "ok", result: { payloads: [{ text: "Echo: again" }] } });
    const called = await openclaw("gateway", "call", "sessions.list", "--json");
    expect(JSON.parse(called.out).sessions[0]).toMatchObject({ key: "agent:main:main" });
    const bad = await openclaw("gateway", "call", "health", "--params", "{nope");
    expect(bad.error?.message).toMatch(/^--params is not valid JSON/);
  });

  it("devices list shows this CLI as a paired device; nodes list is empty", async () => {
    const devices = JSON.parse((await openclaw("devices", "list", "--json")).out);
    expect(devices.paired.some((device: { clientId?: string; connected?: boolean }) => device.clientId === "cli")).toBe(true);
    expect((await openclaw("devices", "approve")).error?.message).toBe("openclaw devices approve needs a requestId");
    expect((await openclaw("devices", "approve", "no-such-request")).error?.message).toBe(
      'no pending device pairing request matches "no-such-request"; see openclaw devices list',
    );
    expect((await openclaw("nodes", "list")).out).toBe("(none)\n");
    expect((await openclaw("nodes", "invoke", "n1", "system.run")).error?.message).toMatch(/only runs through the agent/);
  });

  it("channels status, pairing and outbox answer on a gateway without channels, and bad input is named", async () => {
    const statusRun = await openclaw("channels", "status");
    expect(statusRun.error?.message).toBeUndefined();
    expect(statusRun.out).toBe('No channels configured. Add one under "channels" in the gateway config (for example channels.telegram.botToken).\n');
    expect((await openclaw("channels", "pairing", "list")).out).toBe("No pending pairing requests.\n");
    expect((await openclaw("channels", "outbox", "list")).out).toBe("The outbox is empty.\n");
    expect(JSON.parse((await openclaw("channels", "outbox", "list", "--json")).out)).toEqual({ entries: [] });
    expect((await openclaw("channels", "pairing", "approve", "ABCD2345")).error?.message).toBe(
      "no pending pairing request with code ABCD2345; list them with: openclaw channels pairing list",
    );
    expect((await openclaw("channels", "outbox", "retry", "x")).error?.message).toMatch(
      /^openclaw channels outbox retry needs the numeric id of a dead letter/,
    );
    expect((await openclaw("channels", "outbox", "prune", "--older-than", "soon")).error?.message).toBe(
      '--older-than expects a duration like 30m, 12h or 7d, got "soon"',
    );
    expect((await openclaw("channels", "stop", "telegram")).error?.message).toMatch(
      /channel "telegram" is not configured; add it under channels in the config/,
    );
    expect((await openclaw("send", "--to", "123", "--message", "hi")).error?.message).toMatch(/no channels are configured/);
  });

  it("logs prints the gateway's own log lines", async () => {
    const logs = await openclaw("logs", "--limit", "3");
    const lines = logs.out.trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ subsystem: "gateway" });
    expect(logs.err).toContain("Log file: ");
  });

  it("errors are one line with the cause, where the URL came from, and what to do", async () => {
    const unreachable = await openclaw("health", "--url", "ws://127.0.0.1:1", "--token", "x");
    expect(unreachable.error?.message).toBe("gateway not reachable at ws://127.0.0.1:1 (--url): check the address, and that a gateway is running there");
    // The local config's token goes to a loopback URL only.
    const noCreds = await openclaw("health", "--url", "ws://192.0.2.1:18789");
    expect(noCreds.error?.message).toMatch(/^no gateway credentials for ws:\/\/192\.0\.2\.1:18789 \(--url\): .*only sent to a loopback URL/);
    expect(noCreds.error?.code).toBe("NO_CREDENTIALS");
  });

  it("nodes invoke reaches a node built with the SDK once its surface is approved", async () => {
    const token = JSON.parse(readFileSync(join(home, "state", "openclaw.json"), "utf8")).gateway.auth.token as string;
    const shown: string[] = [];
    const node = await createNode({
      url: `ws://127.0.0.1:${port}`,
      token,
      identityPath: join(home, "node-identity.json"),
      tokenStorePath: join(home, "node-auth.json"),
      displayName: "test box",
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
      const before = await openclaw("nodes", "invoke", node.nodeId, "system.notify", "--params", '{"title":"hi","body":"there"}');
      expect(before.error?.message).toContain("node command not allowed");
      const pending = JSON.parse((await openclaw("nodes", "pending", "--json")).out).pending as { requestId: string; nodeId: string }[];
      const request = pending.find((entry) => entry.nodeId === node.nodeId)!;
      expect((await openclaw("nodes", "pending")).out).toContain(request.requestId);
      expect((await openclaw("nodes", "approve", request.requestId)).error).toBeUndefined();
      const invoked = await openclaw("nodes", "invoke", node.nodeId, "system.notify", "--params", '{"title":"hi","body":"there"}');
      expect(JSON.parse(invoked.out)).toEqual({});
      expect(shown).toEqual(["hi"]);
      expect((await openclaw("nodes", "list")).out).toContain("test box");
    } finally {
      await node.close();
    }
  });

  it("nodes approve takes the node id, says what it approved and what not, and needs --admin for admin commands", async () => {
    const token = JSON.parse(readFileSync(join(home, "state", "openclaw.json"), "utf8")).gateway.auth.token as string;
    const node = await createNode({
      url: `ws://127.0.0.1:${port}`,
      token,
      identityPath: join(home, "host-identity.json"),
      displayName: "build host",
      platform: "linux",
      commands: {
        "system.which": () => ({ bins: {} }),
        "garden.moisture": () => ({ percent: 42 }),
        "camera.snap": () => ({ format: "jpg", base64: "", width: 0, height: 0 }),
      },
    });
    try {
      await node.opened();
      expect((await openclaw("nodes", "pending")).out).toMatch(/camera\.snap \(not-allowlisted\)/);
      const refused = await openclaw("nodes", "approve", node.nodeId);
      expect(refused.error?.message).toBe(
        `approving node build host needs operator.admin: one of the commands it declares (camera.snap, garden.moisture, system.which) is admin-only; ` +
          `rerun with: openclaw nodes approve ${node.nodeId} --admin`,
      );
      const approved = await openclaw("nodes", "approve", node.nodeId.slice(0, 12), "--admin");
      expect(approved.out).toBe(
        `Approved node "build host" ${node.nodeId}\n` +
          "Commands approved: garden.moisture, system.which\n" +
          "Commands not approved:\n" +
          "  camera.snap (reason not-allowlisted): add it to gateway.nodes.commands.allow (config.patch applies it without a restart)\n",
      );
      expect(JSON.parse((await openclaw("nodes", "invoke", node.nodeId, "garden.moisture")).out)).toEqual({ percent: 42 });
      expect((await openclaw("nodes", "approve", node.nodeId)).error?.message).toMatch(/has nothing waiting for approval/);
    } finally {
      await node.close();
    }
  });
});
