import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { startOpenAiFake, type FakeServer } from "@openclaw/testing";
import { ModelCatalog, type CatalogProvider } from "./model-catalog.js";

const fakes: FakeServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function server(options: Omit<Parameters<typeof startOpenAiFake>[0], "script">): Promise<FakeServer> {
  const fake = await startOpenAiFake({ script: [], ...options });
  fakes.push(fake);
  return fake;
}

function local(fake: FakeServer, models: CatalogProvider["models"] = []): CatalogProvider {
  return { name: "local", provider: createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1` }), models };
}

const modelRequests = (fake: FakeServer) => fake.requests.filter((request) => request.path === "/v1/models").length;

describe("ModelCatalog", () => {
  it("lists configured models and what the server serves; config wins where both name a model", async () => {
    const fake = await server({ models: ["both", { id: "served", contextLength: 32_000 }] });
    const catalog = new ModelCatalog({
      providers: [
        local(fake, [
          { id: "configured", name: "Configured model", contextWindow: 8_192 },
          { id: "both", contextWindow: 4_096 },
        ]),
      ],
    });
    expect(await catalog.list()).toEqual([
      { id: "configured", name: "Configured model", provider: "local", contextWindow: 8_192, reasoning: false },
      { id: "both", name: "both", provider: "local", contextWindow: 4_096, reasoning: false },
      { id: "served", name: "served", provider: "local", contextWindow: 32_000, reasoning: false },
    ]);
  });

  it("asks a server once per cacheMs, and callers asking at the same time share the question", async () => {
    const fake = await server({ models: ["m"] });
    let clock = 1_000;
    const catalog = new ModelCatalog({ providers: [local(fake)], cacheMs: 60_000, now: () => clock });
    await Promise.all([catalog.list(), catalog.list()]);
    expect(modelRequests(fake)).toBe(1);
    clock += 59_999;
    await catalog.list();
    expect(modelRequests(fake)).toBe(1);
    clock += 1;
    await catalog.list();
    expect(modelRequests(fake)).toBe(2);
  });

  it("a server that fails still leaves its configured models, and the failure is reported", async () => {
    const fake = await server({ modelsFailure: { status: 503 } });
    const failures: [string, string][] = [];
    const catalog = new ModelCatalog({ providers: [local(fake, [{ id: "configured" }])], onListFailed: (name, error) => failures.push([name, error.message]) });
    expect(await catalog.list()).toEqual([{ id: "configured", name: "configured", provider: "local", reasoning: false }]);
    expect(failures).toEqual([["local", expect.stringContaining("503")]]);
  });

  it("a server slower than timeoutMs costs only its discovered models", async () => {
    const fake = await server({ modelsFailure: "hang" });
    const failures: string[] = [];
    const catalog = new ModelCatalog({
      providers: [local(fake, [{ id: "configured" }])],
      timeoutMs: 20,
      onListFailed: (_name, error) => failures.push(error.message),
    });
    expect((await catalog.list()).map((model) => model.id)).toEqual(["configured"]);
    expect(failures).toEqual(["provider local did not list its models within 20 ms"]);
  });

  it("reasoning says whether the provider's model takes thinking levels", async () => {
    const provider: CatalogProvider["provider"] = {
      thinking: (model) => (model === "deep" ? { levels: ["low", "high"] } : { levels: [], reason: "no control" }),
    };
    const catalog = new ModelCatalog({ providers: [{ name: "p", provider, models: [{ id: "deep" }, { id: "shallow" }] }] });
    expect((await catalog.list()).map((model) => [model.id, model.reasoning])).toEqual([
      ["deep", true],
      ["shallow", false],
    ]);
  });
});
