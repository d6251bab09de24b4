import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { CHANNEL_LOADERS, loadChannelConfigSchemas } from "../src/channel-catalog.js";
import { CliError, runGateway, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

const TOKEN = "channel-config-token";
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const RECORD_IMPORTS = fileURLToPath(new URL("./fixtures/record-imports.mjs", import.meta.url));
/** The libraries the adapters wrap (the lint config's list): none may load for a gateway without channels. */
/** The terminal chat's UI library: only `openclaw tui` loads it. */
const TUI_LIBRARY = /\/node_modules\/(ink|react|react-reconciler|yoga-layout|wrap-ansi)\//;
const PROVIDER_LIBRARY = /\/node_modules\/(grammy|@grammyjs\/[^/]+|@slack\/[^/]+|discord\.js|@discordjs\/[^/]+|@whiskeysockets\/baileys|baileys)\//;

let home: string | undefined;
let gateway: RunningGateway | undefined;
let client: GatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await gateway?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  client = gateway = home = undefined;
});

/** A home whose config file is `config` with token auth; returns the state dir. */
function homeWith(config: Record<string, unknown>): string {
  home = mkdtempSync(join(tmpdir(), "openclaw-channel-config-"));
  const stateDir = join(home, "state");
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN } }, ...config }));
  return stateDir;
}

async function start(config: Record<string, unknown>): Promise<RunningGateway> {
  const stateDir = homeWith(config);
  const sink = { write: () => true };
  gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: stateDir }, homedir: home!, cwd: home! },
    flags: { port: await freePort() },
    stdout: "off",
  });
  return gateway;
}

async function refusal(config: Record<string, unknown>): Promise<string> {
  const error = await start(config).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(CliError);
  return (error as CliError).message;
}

describe("channels in the config file, checked against the installed channels' schemas", () => {
  it("refuses a misspelled key under a channel account before anything starts, naming its path", async () => {
    const message = await refusal({ channels: { telegram: { accounts: { work: { botTokn: "123:abc" } } } } });
    expect(message).toContain("config key channels.telegram.accounts.work.botTokn: unknown key");
  });

  it("refuses a wrong value under a channel section, saying what was expected", async () => {
    const message = await refusal({ channels: { slack: { botToken: "xoxb-1", pingTimeoutMs: "soon" } } });
    expect(message).toContain('config key channels.slack.pingTimeoutMs: expected number > 0, got "soon"');
  });

  it("refuses a channel this build cannot run, naming the ones it can", async () => {
    const message = await refusal({ channels: { matrix: { token: "x" } } });
    expect(message).toContain("config key channels.matrix: unknown channel; this gateway can run: telegram, slack, discord, whatsapp, signal, imessage");
  });

  it("starts with valid channel settings and serves every installed channel's settings in config.schema", async () => {
    const running = await start({ channels: { telegram: { botToken: "123:abc", apiRoot: `http://127.0.0.1:${await freePort()}`, enabled: false } } });
    client = await connect({
      url: running.url,
      token: TOKEN,
      WebSocket: WebSocket as never,
      client: { id: "cli", mode: "cli" },
      scopes: ["operator.admin"],
      reconnect: false,
    });
    const { schema } = (await client.call("config.schema", {})) as { schema: any };
    const channels = schema.properties.channels.properties;
    expect(Object.keys(channels)).toEqual(Object.keys(CHANNEL_LOADERS));
    expect(channels.telegram.properties.botToken).toMatchObject({ type: "string", writeOnly: true });
    expect(channels.telegram.properties.accounts.patternProperties).toBeDefined();
    expect(channels.signal.properties.transport.properties).toHaveProperty("cliPath");
  });

  // Loads every adapter with its provider library: slow on a busy machine.
  it("takes each channel's schema from the entry its adapter validates with", { timeout: 60_000 }, async () => {
    const schemas = await loadChannelConfigSchemas();
    expect(Object.keys(schemas)).toEqual(Object.keys(CHANNEL_LOADERS));
    for (const [id, load] of Object.entries(CHANNEL_LOADERS)) expect((await load()).configSchema, id).toBe(schemas[id]);
  });
});

describe("gateway start-up without channels", () => {
  it("loads every channel's settings schema, no provider library and no terminal UI library", { timeout: 30_000 }, async () => {
    const stateDir = homeWith({});
    const log = join(home!, "imports.log");
    writeFileSync(log, "");
    const child = spawn(process.execPath, ["--import", RECORD_IMPORTS, CLI, "gateway", "run", "--port", String(await freePort()), "--log-format", "off"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: home, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_TEST_IMPORT_LOG: log },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      for (let i = 0; i < 400 && !output.includes("listening on"); i++) {
        if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(output).toContain("listening on");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    const imported = readFileSync(log, "utf8").split("\n");
    for (const id of Object.keys(CHANNEL_LOADERS))
      expect(
        imported.some((url) => url.endsWith(`/channel-${id}/dist/config.js`)),
        id,
      ).toBe(true);
    expect(imported.filter((url) => PROVIDER_LIBRARY.test(url))).toEqual([]);
    expect(imported.filter((url) => TUI_LIBRARY.test(url))).toEqual([]);
  });
});
