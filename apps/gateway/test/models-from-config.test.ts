import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { findMethod, serverValueProblems } from "@openclaw/protocol";
import { startOpenAiFake, type FakeServer } from "@openclaw/testing";
import { runGateway, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

const TOKEN = "models-from-config-token";

let gateway: RunningGateway | undefined;
let client: GatewayClient | undefined;
let home: string | undefined;
const fakes: FakeServer[] = [];
afterEach(async () => {
  await client?.close();
  await gateway?.stop();
  for (const fake of fakes.splice(0)) await fake.close();
  if (home) rmSync(home, { recursive: true, force: true });
  client = gateway = home = undefined;
});

async function fake(options: Omit<Parameters<typeof startOpenAiFake>[0], "script"> & { script?: Parameters<typeof startOpenAiFake>[0]["script"] }) {
  const started = await startOpenAiFake({ script: [], ...options });
  fakes.push(started);
  return started;
}

/** `runGateway` (the binary's wiring) on a config file, and a client on it. */
async function gatewayWithConfig(config: Record<string, unknown>): Promise<GatewayClient> {
  home = mkdtempSync(join(tmpdir(), "openclaw-models-"));
  mkdirSync(join(home, ".openclaw"));
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config));
  const sink = { write: () => true };
  gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: join(home, ".openclaw") }, homedir: home, cwd: home },
    flags: { port: await freePort(), token: TOKEN },
    stdout: "off",
  });
  client = await connect({ url: gateway.url, token: TOKEN, WebSocket: WebSocket as never, scopes: ["operator.read", "operator.write"], reconnect: false });
  return client;
}

describe("models.list through runGateway", () => {
  it("lists the models config names and those each OpenAI-compatible server lists; a server that fails keeps its configured ones and is logged", async () => {
    const local = await fake({ models: ["configured", { id: "served", contextLength: 128_000 }], script: [{ kind: "text", chunks: ["from served"] }] });
    const down = await fake({ modelsFailure: { status: 500 } });
    const gatewayClient = await gatewayWithConfig({
      agents: { defaults: { model: "local/configured", heartbeat: { enabled: false } } },
      models: {
        providers: {
          local: { api: "openai-compatible", baseUrl: `${local.url}/v1`, models: [{ id: "configured", name: "Configured", contextWindow: 8_192 }] },
          down: { api: "openai-compatible", baseUrl: `${down.url}/v1`, models: [{ id: "fallback" }] },
        },
      },
    });

    const listed = await gatewayClient.call("models.list", { agentId: "main" });
    expect(serverValueProblems(findMethod("models.list")!.result, listed)).toEqual([]);
    expect(listed.models).toEqual([
      { id: "configured", name: "Configured", provider: "local", contextWindow: 8_192, reasoning: false },
      { id: "served", name: "served", provider: "local", contextWindow: 128_000, reasoning: false },
      { id: "fallback", name: "fallback", provider: "down", reasoning: false },
    ]);
    const logged = (await gatewayClient.call("logs.tail", { limit: 50 })).lines.map((line) => JSON.parse(line) as { message?: string; provider?: string });
    expect(logged).toContainEqual(expect.objectContaining({ provider: "down", message: expect.stringContaining("did not list its models") }));

    // The agent and its sessions name the provider as config does, so a listed `provider/id` is a ref sessions.patch takes.
    expect((await gatewayClient.call("agents.list", {})).agents[0]!.model).toEqual({ primary: "local/configured" });
    const patched = await gatewayClient.call("sessions.patch", { key: "agent:main:main", model: "local/served" });
    expect(patched.resolved).toMatchObject({ modelProvider: "local", model: "served" });
    const run = gatewayClient.chatSend({ sessionKey: "agent:main:main", message: "which model?" });
    expect((await run.result).state).toBe("final");
    expect(local.requests.filter((request) => request.method === "POST").map((request) => (request.body as { model: string }).model)).toEqual(["served"]);
  });
});
