import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { startOpenAiFake, type FakeServer } from "@openclaw/testing";
import { ModelCatalog, type GatewayServer, type GatewayServerOptions } from "../src/index.js";
import { checkedCall } from "./checked-call.js";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";
import { THINKER, ThinkingProvider } from "./thinking-provider.js";

const capture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/openclaw-2026.9.6/captures/${name}`, import.meta.url), "utf8"));

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const fakes: FakeServer[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const fake of fakes.splice(0)) await fake.close();
});

async function reader(agent: GatewayServerOptions["agent"]) {
  server = await startGateway({ agent });
  const { client, hello } = await connectClient(server, () => connectParams({ scopes: ["operator.read"] }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("agents.list", () => {
  it("answers the fields of OpenClaw's answer that this gateway backs: the agent, its model and that model's thinking levels", async () => {
    const client = await reader({ resolveModel: () => ({ provider: new ThinkingProvider(), model: `${THINKER}-1` }), listModels: async () => [] });
    const listed = await checkedCall(client, "agents.list", {});
    const real = capture("agents-list.json");
    expect(listed).toEqual({
      defaultId: real.defaultId,
      mainKey: real.mainKey,
      scope: real.scope,
      agents: [
        {
          id: real.agents[0].id,
          name: "main",
          model: { primary: `test/${THINKER}-1` },
          thinkingLevels: [
            { id: "low", label: "low" },
            { id: "medium", label: "medium" },
            { id: "high", label: "high" },
          ],
          thinkingOptions: ["low", "medium", "high"],
          thinkingDefault: "medium",
        },
      ],
    });
    // The thinking fields have the capture's shapes; nothing else of the capture (runtime, workspace, permissions) is claimed.
    expect(Object.keys(listed.agents[0].thinkingLevels[0])).toEqual(Object.keys(real.agents[0].thinkingLevels[0]));
    expect(typeof listed.agents[0].thinkingDefault).toBe(typeof real.agents[0].thinkingDefault);
  });

  it("a model without thinking levels has none, and says why", async () => {
    const client = await reader({ resolveModel: () => ({ provider: new ThinkingProvider(), model: "plain" }), listModels: async () => [] });
    expect((await checkedCall(client, "agents.list", {})).agents[0]).toMatchObject({
      thinkingLevels: [],
      thinkingOptions: [],
      thinkingUnsupportedReason: "plain has no reasoning control",
    });
  });
});

describe("models.list", () => {
  it("lists the configured models and those the OpenAI-compatible server lists, as the TUI's picker asks for them", async () => {
    const fake = await startOpenAiFake({ script: [], models: ["served-a", { id: "served-b", contextLength: 128_000 }] });
    fakes.push(fake);
    const provider = createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1` });
    const catalog = new ModelCatalog({ providers: [{ name: "local", provider, models: [{ id: "configured", name: "Configured", contextWindow: 8_192 }] }] });
    const client = await reader({ resolveModel: () => ({ provider, model: "configured" }), listModels: () => catalog.list() });
    // The TUI's model picker names its agent.
    const listed = await checkedCall(client, "models.list", { agentId: "main" });
    expect(listed.models).toEqual([
      { id: "configured", name: "Configured", provider: "local", contextWindow: 8_192, reasoning: false },
      { id: "served-a", name: "served-a", provider: "local", reasoning: false },
      { id: "served-b", name: "served-b", provider: "local", contextWindow: 128_000, reasoning: false },
    ]);
  });
});
