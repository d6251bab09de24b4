import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openMemoryStore, openStore, type GatewayServer, type Store } from "../src/index.js";
import { checkedCall } from "./checked-call.js";
import { RawClient, connectClient, connectParams, startGateway, type Frame } from "./harness.js";
import { THINKER, ThinkingProvider } from "./thinking-provider.js";

/** What the real OpenClaw 2026.9.6 answered `sessions.patch { thinkingLevel: "high", verboseLevel: "on", reasoningLevel: "on" }`. */
const CAPTURE = JSON.parse(readFileSync(new URL("../../../fixtures/openclaw-2026.9.6/captures/sessions-patch-levels.json", import.meta.url), "utf8")) as Record<
  string,
  Record<string, unknown>
>;

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function start(store: Store = memoryStore()) {
  server = await startGateway({
    store,
    agent: { resolveModel: () => ({ provider: new ThinkingProvider(), model: `${THINKER}-1` }), listModels: async () => [] },
  });
  return server;
}

function memoryStore(): Store {
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  return store;
}

async function operator(gateway: GatewayServer, scopes = ["operator.read", "operator.write", "operator.admin"]) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

const describeSession = async (client: RawClient, key: string) => (await checkedCall(client, "sessions.describe", { key })).session;
const errorOf = (frame: Frame) => frame.error as { code: string; message: string };

describe("sessions.patch with session settings", () => {
  it("answers like OpenClaw: ok, path, key, the entry with its settings, and the resolved model with its thinking levels", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-patch-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = openStore(join(dir, "state.sqlite"));
    cleanups.push(() => store.close());
    const client = await operator(await start(store));

    const patched = await checkedCall(client, "sessions.patch", { key: "agent:main:main", thinkingLevel: "high", verboseLevel: "on", reasoningLevel: "on" });
    for (const field of ["ok", "path", "key", "entry", "resolved"]) expect(patched, field).toHaveProperty(field);
    expect(patched).toMatchObject({ ok: true, path: join(dir, "state.sqlite"), key: "agent:main:main" });
    for (const field of ["sessionId", "updatedAt", "createdAt", "thinkingLevel", "verboseLevel", "reasoningLevel"])
      expect(patched.entry[field], `entry.${field}`).toEqual(field.endsWith("Level") ? CAPTURE["entry"]![field] : expect.anything());
    expect(patched.resolved).toEqual({
      modelProvider: "test",
      model: `${THINKER}-1`,
      thinkingLevel: "high",
      thinkingLevels: [
        { id: "low", label: "low" },
        { id: "medium", label: "medium" },
        { id: "high", label: "high" },
      ],
      thinkingDefault: "medium",
    });
    // The same shape as the capture's levels, whatever levels each model has.
    expect(Object.keys(patched.resolved.thinkingLevels[0])).toEqual(Object.keys((CAPTURE["resolved"]!["thinkingLevels"] as object[])[0]!));
  });

  it("each thinking level and setting shows in sessions.describe, sessions.list and chat.history, and survives a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-patch-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let store = openStore(join(dir, "state.sqlite"));
    let client = await operator(await start(store));
    const key = "agent:main:work";

    for (const level of ["off", "low", "medium", "high"]) {
      const patched = await checkedCall(client, "sessions.patch", { key, thinkingLevel: level });
      expect(patched.entry.thinkingLevel).toBe(level);
      expect(patched.resolved.thinkingLevel).toBe(level);
      expect((await describeSession(client, key)).thinkingLevel).toBe(level);
    }
    const settings = { verboseLevel: "full", reasoningLevel: "stream", fastMode: true, sendPolicy: "deny", groupActivation: "always" };
    await checkedCall(client, "sessions.patch", { key, ...settings, responseUsage: "on" });
    // The wire's `on` is the token footer.
    const expected = { thinkingLevel: "high", ...settings, responseUsage: "tokens" };
    expect(await describeSession(client, key)).toMatchObject({ ...expected, modelProvider: "test", model: `${THINKER}-1`, thinkingDefault: "medium" });
    const listed = await checkedCall(client, "sessions.list", {});
    expect(listed.sessions.find((row: { key: string }) => row.key === key)).toMatchObject(expected);
    expect(listed.defaults).toMatchObject({
      modelProvider: "test",
      model: `${THINKER}-1`,
      thinkingOptions: ["low", "medium", "high"],
      thinkingDefault: "medium",
    });
    expect(await checkedCall(client, "chat.history", { sessionKey: key })).toMatchObject(expected);

    client.close();
    await server!.stop();
    store.close();
    store = openStore(join(dir, "state.sqlite"));
    const reopened = store;
    cleanups.push(() => reopened.close());
    client = await operator(await start(store));
    expect(await describeSession(client, key)).toMatchObject(expected);
  });

  it("null clears a setting back to the default: the entry drops it, and resolved shows the model's default level", async () => {
    const client = await operator(await start());
    const key = "agent:main:work";
    await checkedCall(client, "sessions.patch", { key, thinkingLevel: "low", verboseLevel: "on" });
    const cleared = await checkedCall(client, "sessions.patch", { key, thinkingLevel: null });
    expect(cleared.entry).not.toHaveProperty("thinkingLevel");
    expect(cleared.entry.verboseLevel).toBe("on");
    expect(cleared.resolved.thinkingLevel).toBe("medium");
    const row = await describeSession(client, key);
    expect(row).not.toHaveProperty("thinkingLevel");
    expect(row.verboseLevel).toBe("on");
  });

  it("a level the model does not take is refused naming the ones it takes; a model without levels says why; neither creates the session", async () => {
    const client = await operator(await start());
    const refused = await client.call("sessions.patch", { key: "agent:main:new", thinkingLevel: "ultra" });
    expect(errorOf(refused)).toEqual({
      code: "INVALID_REQUEST",
      message: `thinkingLevel "ultra" is not a level of test/${THINKER}-1; it takes off, low, medium, high`,
    });
    expect(await describeSession(client, "agent:main:new")).toBeNull();

    const plain = await checkedCall(client, "sessions.patch", { key: "agent:main:plain", model: "test/plain" });
    expect(plain.resolved).toEqual({
      modelProvider: "test",
      model: "plain",
      thinkingLevels: [],
      thinkingUnsupportedReason: "plain has no reasoning control",
    });
    const noLevels = await client.call("sessions.patch", { key: "agent:main:plain", thinkingLevel: "high" });
    expect(errorOf(noLevels).message).toBe('thinkingLevel "high": test/plain takes no thinking levels (plain has no reasoning control); only "off" applies');
    expect(await describeSession(client, "agent:main:plain")).toMatchObject({ thinkingLevels: [], thinkingOptions: [] });

    const verbose = await client.call("sessions.patch", { key: "agent:main:plain", verboseLevel: "loud" });
    expect(errorOf(verbose)).toEqual({ code: "INVALID_REQUEST", message: 'verboseLevel must be one of on, off, full, not "loud"' });
  });

  it("a key the schema does not know is still refused", async () => {
    const client = await operator(await start());
    const refused = await client.call("sessions.patch", { key: "agent:main:main", thinkingLevel: "high", thinkingBudget: 2048 });
    expect(errorOf(refused)).toEqual({ code: "INVALID_REQUEST", message: "invalid sessions.patch params: at root: unexpected property 'thinkingBudget'" });
  });

  it("runtime overrides need operator.admin, and an admin is told this gateway does not implement them", async () => {
    const gateway = await start();
    const writer = await operator(gateway, ["operator.write"]);
    // The session's own settings need only write.
    await checkedCall(writer, "sessions.patch", { key: "agent:main:main", thinkingLevel: "high" });
    for (const params of [{ execHost: "node" }, { elevatedLevel: null }, { thinkingLevel: "low", execNode: "mac" }]) {
      const denied = await writer.call("sessions.patch", { key: "agent:main:main", ...params });
      expect(denied.error, JSON.stringify(params)).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.admin" });
    }

    const admin = await operator(gateway);
    const one = await admin.call("sessions.patch", { key: "agent:main:other", execHost: "node" });
    expect(errorOf(one)).toEqual({
      code: "INVALID_REQUEST",
      message: "sessions.patch: execHost is a runtime override this gateway does not implement; leave it out",
    });
    const two = await admin.call("sessions.patch", { key: "agent:main:main", thinkingLevel: "low", execSecurity: "full", execAsk: "off" });
    expect(errorOf(two).message).toBe("sessions.patch: execSecurity, execAsk are runtime overrides this gateway does not implement; leave them out");
    // Nothing of a refused patch is applied.
    expect((await describeSession(admin, "agent:main:main")).thinkingLevel).toBe("high");
    expect(await describeSession(admin, "agent:main:other")).toBeNull();
  });
});
