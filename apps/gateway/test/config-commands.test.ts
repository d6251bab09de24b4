import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REDACTED_SENTINEL } from "@openclaw/gateway-core";
import type { RunningGateway } from "../src/index.js";
import { cliOk, cliRefusal, startGatewayIn } from "./helpers.js";

/** `openclaw config get|set|unset`, on the file alone and through this machine's running gateway. */

let home: string;
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  rmSync(home, { recursive: true, force: true });
});

function freshHome(): string {
  home = mkdtempSync(join(tmpdir(), "openclaw-config-cli-"));
  return home;
}

const cli = (...args: string[]) => cliOk(home, ...args);
const refusal = (...args: string[]) => cliRefusal(home, ...args);

const configFile = () => JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")) as Record<string, unknown>;

describe("openclaw config without a running gateway", () => {
  it("sets JSON5 values and strings, reads them back with secrets redacted, and unsets them", async () => {
    freshHome();
    expect(await cli("config", "set", "gateway.port", "19101")).toBe("set gateway.port: written; no gateway is running, it applies at the next start\n");
    await cli("config", "set", "gateway.auth.token", "s3cret-token-value");
    await cli("config", "set", "agents.defaults.model", "offline/echo");
    await cli("config", "set", "gateway.nodes.commands.allow", '["camera.snap", "garden.moisture"]');
    expect(configFile()).toEqual({
      gateway: { port: 19101, auth: { token: "s3cret-token-value" }, nodes: { commands: { allow: ["camera.snap", "garden.moisture"] } } },
      agents: { defaults: { model: "offline/echo" } },
    });
    expect(await cli("config", "get", "gateway.port")).toBe("19101\n");
    expect(await cli("config", "get", "gateway.auth.token")).toBe(`${REDACTED_SENTINEL}\n`);
    expect(JSON.parse(await cli("config", "get", "gateway"))).toMatchObject({ auth: { token: REDACTED_SENTINEL } });
    await cli("config", "set", "gateway.nodes.commands.allow", '["camera.snap"]');
    expect(JSON.parse(await cli("config", "get", "gateway.nodes.commands.allow"))).toEqual(["camera.snap"]);

    await cli("config", "unset", "gateway.port");
    expect(await refusal("config", "get", "gateway.port")).toMatch(/^gateway\.port is not set in /);
    expect(await cli("config", "unset", "gateway.port")).toBe("gateway.port is not set; nothing to change\n");
  });

  it("refuses what the file would refuse, with the file's error texts, and writes nothing", async () => {
    freshHome();
    await cli("config", "set", "gateway.port", "19101");
    const before = readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8");
    expect(await refusal("config", "set", "gateway.port", "abc")).toBe('config key gateway.port: expected integer 1..65535, got "abc"');
    expect(await refusal("config", "set", "gateway.prot", "1")).toBe("config key gateway.prot: unknown key");
    expect(await refusal("config", "set", "agents.defaults.model", "nowhere/x")).toMatch(/unknown provider "nowhere"/);
    expect(await refusal("config", "set", "gateway..port", "1")).toMatch(/not a config path/);
    expect(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).toBe(before);
  });
});

describe("openclaw config with this machine's gateway running", () => {
  async function started(): Promise<RunningGateway> {
    freshHome();
    gateway = await startGatewayIn(home);
    return gateway;
  }

  it("applies hot keys live through the gateway: the heartbeat and a channel account show at once", async () => {
    const running = await started();
    expect(await cli("config", "set", "agents.defaults.heartbeat.every", "45m")).toBe("set agents.defaults.heartbeat.every: the running gateway applied it\n");
    expect(running.server.heartbeat!.view()).toMatchObject({ every: "45m" });
    await cli("config", "set", "channels.telegram", '{ botToken: "123:abc", enabled: false }');
    const status = JSON.parse(await cli("channels", "status", "--json")) as { channels: Record<string, { accounts: { state: string }[] }> };
    expect(status.channels["telegram"]?.accounts[0]?.state).toBe("disabled");
    expect(running.restarts).toBe(0);
    expect(await refusal("config", "set", "agents.defaults.model", "nowhere/x")).toMatch(/config refused: .*unknown provider "nowhere"/);
  });

  it("lists the models and sets the default live, refusing a reference it cannot serve", async () => {
    const running = await started();
    await cli(
      "config",
      "set",
      "models.providers.local",
      // Nothing listens at port 9: models.list lists the configured models.
      '{ api: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1", models: [{ id: "m1", name: "Model One", contextWindow: 8192 }] }',
    );
    const listed = JSON.parse(await cli("models", "list", "--json")) as { default: string; models: { provider: string; id: string }[] };
    expect(listed.default).toBe("offline/echo");
    expect(listed.models.map((model) => `${model.provider}/${model.id}`)).toEqual(["offline/echo", "local/m1"]);
    const table = await cli("models", "list");
    expect(table).toMatch(/offline\/echo.*\*/);
    expect(table).toMatch(/local\/m1.*Model One.*8192/);

    expect(await cli("models", "set", "local/m1")).toBe("default model local/m1: the running gateway applied it\n");
    expect(running.settings.resolved.agents.defaults.model).toBe("local/m1");
    expect(await refusal("models", "set", "gpt-5")).toMatch(/not a model reference; use provider\/model/);
    expect(await refusal("models", "set", "nowhere/x")).toMatch(/unknown provider "nowhere"/);
  });

  it("says when a change restarts the gateway, as JSON too", async () => {
    await started();
    const outcome = JSON.parse(await cli("config", "set", "gateway.controlUi.basePath", "/ui", "--json")) as Record<string, unknown>;
    expect(outcome).toEqual({ ok: true, path: "gateway.controlUi.basePath", changed: true, applied: "restart", restartRequired: true, restartDelayMs: 500 });
  });
});
