import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { GatewayRequestError, connect, type GatewayClient } from "@openclaw/client";
import { GatewayServer } from "@openclaw/gateway-core";
import { CliError } from "../src/errors.js";
import type { CommandIo } from "../src/io.js";
import { parseLocation, runNodeHost, type RunningNodeHost } from "../src/commands/node-run.js";
import { tokenAuth } from "./helpers.js";

const TOKEN = "node-run-test-token-0123456789";

let home: string;
let server: GatewayServer;
let operator: GatewayClient;
let host: RunningNodeHost;
let out = "";
/** How the test operator answers the next exec approval; "ignore" leaves it to time out. */
let answer: "allow-once" | "deny" | "ignore" = "deny";
const approvals: { commandArgv?: string[]; nodeId?: string; host?: string }[] = [];

function hostIo(env: NodeJS.ProcessEnv): CommandIo {
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (out += text) },
    env,
    homedir: home,
    cwd: home,
    platform: "linux",
  };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "openclaw-node-run-"));
  mkdirSync(join(home, "bin"));
  server = new GatewayServer({
    port: 0,
    auth: tokenAuth(TOKEN),
    version: "0.0.0-test",
    // location.get is not in the Linux defaults; a gateway that wants it allows it.
    nodeCommands: { allow: ["location.get"] },
  });
  await server.start();
  operator = await connect({ url: server.url, token: TOKEN, WebSocket, scopes: ["operator.admin", "operator.pairing", "operator.approvals"] });
  operator.on("exec.approval.requested", (requested) => {
    approvals.push(requested.request as (typeof approvals)[number]);
    if (answer !== "ignore") void operator.call("exec.approval.resolve", { id: requested.id, decision: answer });
  });
  const surface = new Promise<string>((resolve) => operator.on("node.pair.requested", (request) => resolve(request.requestId)));

  const env: NodeJS.ProcessEnv = {
    PATH: [join(home, "bin"), process.env["PATH"] ?? ""].join(delimiter),
    HOME: home,
    LANG: "C.UTF-8",
    OPENCLAW_STATE_DIR: join(home, "state"),
    OPENCLAW_TEST_SECRET: "hunter2",
  };
  host = await runNodeHost({
    io: hostIo(env),
    flags: { host: "127.0.0.1", port: server.port, token: TOKEN, displayName: "ci box", location: "48.8566,2.3522,25" },
    approvalTimeoutMs: 300,
    reconnect: { initialMs: 20, maxMs: 100 },
  });
  await host.node.opened();
  await operator.call("node.pair.approve", { requestId: await surface });
});

afterAll(async () => {
  await host?.stop();
  await operator?.close();
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

function invoke(command: string, params: unknown, timeoutMs = 10_000) {
  return operator.call("node.invoke", { nodeId: host.node.nodeId, command, params: params as never, timeoutMs });
}

async function run(command: string[], extra: Record<string, unknown> = {}) {
  return (await invoke("system.run", { command, ...extra })).payload as {
    exitCode: number | null;
    timedOut: boolean;
    success: boolean;
    stdout: string;
    stderr: string;
    truncated: boolean;
  };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayRequestError);
  return error as GatewayRequestError;
}

describe("openclaw node run", () => {
  it("connects with its own identity files and declares the selected commands", () => {
    expect(existsSync(join(home, "state", "identity", "node-device.json"))).toBe(true);
    expect(existsSync(join(home, "state", "identity", "node-device-auth.json"))).toBe(true);
    expect([...host.commands].sort()).toEqual(["location.get", "system.notify", "system.run", "system.which"]);
    expect(host.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(out).toContain(`as node ${host.node.nodeId}`);
  });

  it("system.which finds node on PATH and leaves out what is missing", async () => {
    const { payload } = await invoke("system.which", { bins: ["node", "surely-not-installed-anywhere"] });
    const bins = (payload as { bins: Record<string, string> }).bins;
    expect(Object.keys(bins)).toEqual(["node"]);
    expect(bins["node"]).toMatch(/[/\\]node$/);
    expect(existsSync(bins["node"]!)).toBe(true);
  });

  it("system.run is denied when an operator answers deny, and nothing runs", async () => {
    answer = "deny";
    const marker = join(home, "ran-anyway");
    const error = await refusal(invoke("system.run", { command: ["node", "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`] }));
    expect(error).toMatchObject({ code: "UNAVAILABLE", details: { nodeError: { code: "SYSTEM_RUN_DENIED", message: "system.run denied by an operator" } } });
    expect(approvals.at(-1)).toMatchObject({ commandArgv: ["node", "-e", expect.stringContaining("writeFileSync")], nodeId: host.node.nodeId, host: "node" });
    expect(existsSync(marker)).toBe(false);
  });

  it("system.run is denied when nobody decides in time (decision null)", async () => {
    answer = "ignore";
    const error = await refusal(invoke("system.run", { command: ["node", "-e", "console.log(1)"] }));
    expect(error.details).toMatchObject({ nodeError: { code: "SYSTEM_RUN_DENIED", message: "system.run denied: no operator approved it in time" } });
  });

  it("system.run runs argv without a shell once allowed", async () => {
    answer = "allow-once";
    expect(await run(["node", "-e", "console.log(42)"])).toEqual({ exitCode: 0, timedOut: false, success: true, stdout: "42\n", stderr: "", truncated: false });
    // A shell would expand this; argv keeps it literal.
    expect((await run(["node", "-e", "console.log(process.argv[1])", "$HOME;*"])).stdout).toBe("$HOME;*\n");
    const failed = await run(["node", "-e", "console.error('nope'); process.exit(3)"]);
    expect(failed).toMatchObject({ exitCode: 3, success: false, stderr: "nope\n" });
  });

  it("caps each output stream at 200 KiB and says it truncated", async () => {
    answer = "allow-once";
    const result = await run(["node", "-e", "process.stdout.write('x'.repeat(300000)); process.stderr.write('short')"]);
    expect(result.stdout).toHaveLength(200 * 1024);
    expect(result.stderr).toBe("short");
    expect(result).toMatchObject({ exitCode: 0, truncated: true });
  });

  it("kills a run that outlives its timeout", async () => {
    answer = "allow-once";
    const result = await run(["node", "-e", "console.log('started'); setTimeout(() => {}, 60000)"], { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, success: false, exitCode: null, stdout: "started\n" });
  });

  it("passes only allowlisted and explicitly requested environment variables", async () => {
    answer = "allow-once";
    const script =
      "console.log(JSON.stringify({ secret: process.env.OPENCLAW_TEST_SECRET ?? null, extra: process.env.EXTRA ?? null, lang: process.env.LANG, state: process.env.OPENCLAW_STATE_DIR ?? null }))";
    const result = await run(["node", "-e", script], { env: { EXTRA: "requested" } });
    expect(JSON.parse(result.stdout)).toEqual({ secret: null, extra: "requested", lang: "C.UTF-8", state: null });
  });

  it("system.notify uses notify-send when it is on PATH, and the log otherwise", async () => {
    const fake = join(home, "bin", "notify-send");
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "$HOME/notified"\n`);
    chmodSync(fake, 0o755);
    expect((await invoke("system.notify", { title: "Build", body: "green", priority: "timeSensitive" })).payload).toEqual({});
    expect(readFileSync(join(home, "notified"), "utf8")).toBe("--app-name=OpenClaw\n--urgency=critical\nBuild\ngreen\n");
    rmSync(fake);
    await invoke("system.notify", { title: "Deploy", body: "done" });
    expect(out).toContain("notification: Deploy — done");
  });

  it("serves the configured fixed location", async () => {
    const { payload } = await invoke("location.get", {});
    expect(payload).toMatchObject({ lat: 48.8566, lon: 2.3522, accuracyMeters: 25, isPrecise: false, source: "unknown" });
  });

  it("refuses bad flags before connecting", async () => {
    const io = hostIo({ OPENCLAW_STATE_DIR: join(home, "unused") });
    await expect(runNodeHost({ io, flags: { commands: "system.run,camera.snap" } })).rejects.toThrow(/unknown command "camera.snap"/);
    await expect(runNodeHost({ io, flags: { commands: "location.get" } })).rejects.toThrow(/needs a fixed location/);
    await expect(runNodeHost({ io, flags: { location: "north" } })).rejects.toBeInstanceOf(CliError);
    expect(() => parseLocation("91,0")).toThrow(/expected "lat,lon"/);
    expect(parseLocation(" 1.5 , -2 ")).toEqual({ lat: 1.5, lon: -2, accuracyMeters: 100, isPrecise: false, source: "unknown" });
    expect(existsSync(join(home, "unused"))).toBe(false);
  });

  it("takes the fixed location from config node.location, validated like every key", async () => {
    const configPath = join(home, "node-config.json");
    writeFileSync(configPath, JSON.stringify({ node: { location: "north" } }));
    const io = hostIo({ OPENCLAW_STATE_DIR: join(home, "unused"), OPENCLAW_CONFIG_PATH: configPath });
    await expect(runNodeHost({ io, flags: { commands: "location.get" } })).rejects.toThrow(/config key node\.location/);
  });
});
