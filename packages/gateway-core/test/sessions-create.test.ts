import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openMemoryStore, type GatewayServer } from "../src/index.js";
import { checkedCall } from "./checked-call.js";
import { RawClient, connectClient, connectParams, startGateway, type Frame } from "./harness.js";
import { THINKER, ThinkingProvider } from "./thinking-provider.js";

/** What the real OpenClaw 2026.9.6 answered a `sessions.create` from its Control UI. */
const CAPTURE = JSON.parse(readFileSync(new URL("../../../fixtures/openclaw-2026.9.6/captures/sessions-create.json", import.meta.url), "utf8")) as Record<
  string,
  unknown
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

async function start() {
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  server = await startGateway({
    store,
    agent: { resolveModel: () => ({ provider: new ThinkingProvider(), model: `${THINKER}-1` }), listModels: async () => [] },
  });
  return server;
}

async function operator(gateway: GatewayServer, scopes = ["operator.read", "operator.write", "operator.admin"]) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

const describeSession = async (client: RawClient, key: string) => (await checkedCall(client, "sessions.describe", { key })).session;
const sessionKeys = async (client: RawClient) => ((await checkedCall(client, "sessions.list", {})).sessions as { key: string }[]).map((row) => row.key).sort();
const errorOf = (frame: Frame) => frame.error as { code: string; message: string };

describe("sessions.create", () => {
  it("the TUI's /new: its key lands under the agent, the successor takes the parent's model and settings, and subscribers hear `created`", async () => {
    const client = await operator(await start());
    await checkedCall(client, "sessions.subscribe", {});
    await checkedCall(client, "sessions.patch", { key: "agent:main:main", model: `test/${THINKER}-2`, thinkingLevel: "high", verboseLevel: "on" });
    const tuiKey = `tui-${randomUUID()}`;

    // Exactly what the 2026.9.6 TUI sends for /new from a session that exists.
    const created = await checkedCall(client, "sessions.create", {
      key: tuiKey,
      agentId: "main",
      parentSessionKey: "agent:main:main",
      succeedsParent: true,
      emitCommandHooks: true,
    });
    const key = `agent:main:${tuiKey}`;
    for (const field of Object.keys(CAPTURE)) expect(created, field).toHaveProperty(field);
    expect(created).toMatchObject({
      ok: true,
      key,
      runStarted: false,
      entry: { sessionId: created.sessionId, model: `test/${THINKER}-2`, thinkingLevel: "high", verboseLevel: "on" },
      resolved: { modelProvider: "test", model: `${THINKER}-2`, thinkingLevel: "high" },
    });
    const changed = await client.next((frame) => frame.event === "sessions.changed" && frame.payload.sessionKey === key);
    expect(changed.payload.reason).toBe("created");
    expect(await describeSession(client, key)).toMatchObject({
      key,
      sessionId: created.sessionId,
      thinkingLevel: "high",
      verboseLevel: "on",
      model: `${THINKER}-2`,
    });
    // The parent keeps what it had.
    expect(await describeSession(client, "agent:main:main")).toMatchObject({ thinkingLevel: "high", model: `${THINKER}-2` });
  });

  it("a parallel child starts from the defaults; with no key the session gets a dashboard key", async () => {
    const client = await operator(await start());
    await checkedCall(client, "sessions.patch", { key: "agent:main:main", thinkingLevel: "high" });
    const child = await checkedCall(client, "sessions.create", { key: "Side-Task", parentSessionKey: "agent:main:main" });
    expect(child.key).toBe("agent:main:side-task");
    expect(child.entry).not.toHaveProperty("thinkingLevel");
    expect(child.resolved).toMatchObject({ model: `${THINKER}-1`, thinkingLevel: "medium" });

    const fresh = await checkedCall(client, "sessions.create", { label: "Scratch" });
    expect(fresh.key).toMatch(/^agent:main:dashboard:[0-9a-f-]{36}$/);
    expect(fresh.entry.label).toBe("Scratch");
    expect(await sessionKeys(client)).toEqual(["agent:main:main", "agent:main:side-task", fresh.key].sort());
  });

  it("a message starts the session's first run", async () => {
    const client = await operator(await start());
    const created = await checkedCall(client, "sessions.create", { key: "agent:main:asked", message: "hello there" });
    expect(created).toMatchObject({ runStarted: true, runId: expect.any(String) });
    const final = await client.next((frame) => frame.event === "chat" && frame.payload.runId === created.runId && frame.payload.state === "final");
    expect(final.payload.message.content[0].text).toBe("re: hello there");
    const history = await checkedCall(client, "chat.history", { sessionKey: "agent:main:asked" });
    expect(history.messages.map((message: { role: string }) => message.role)).toEqual(["user", "assistant"]);

    const blank = await checkedCall(client, "sessions.create", { key: "agent:main:blank", message: "  " });
    expect(blank).toMatchObject({ runStarted: false });
    expect(blank).not.toHaveProperty("runId");
  });

  it("refuses an existing key, an unknown parent, succeedsParent without a parent, another agent's key and a model it cannot serve, creating nothing", async () => {
    const client = await operator(await start());
    await checkedCall(client, "sessions.create", { key: "taken" });
    const refusals: [Record<string, unknown>, unknown][] = [
      [{ key: "taken" }, "sessions.create: session agent:main:taken already exists; open it, or change it with sessions.patch or sessions.reset"],
      [{ key: "agent:main:taken" }, "sessions.create: session agent:main:taken already exists; open it, or change it with sessions.patch or sessions.reset"],
      [{ key: "child", parentSessionKey: "agent:main:nobody" }, "sessions.create: unknown parent session: agent:main:nobody"],
      [{ key: "child", succeedsParent: true }, "sessions.create: succeedsParent needs parentSessionKey (the session the new one succeeds)"],
      [{ key: "agent:ops:child", agentId: "main" }, "sessions.create: key agent:ops:child belongs to agent ops, not to agentId main"],
      [
        { key: "child", model: "elsewhere/big" },
        expect.stringMatching(/^model: model "elsewhere\/big" is not available: provider "elsewhere" is not configured/),
      ],
    ];
    for (const [params, message] of refusals) {
      const refused = await client.call("sessions.create", params);
      expect(errorOf(refused), JSON.stringify(params)).toEqual({ code: "INVALID_REQUEST", message });
    }
    expect(await sessionKeys(client)).toEqual(["agent:main:taken"]);
    const unknownField = await client.call("sessions.create", { key: "child", thinkingLevel: "high" });
    expect(errorOf(unknownField).message).toBe("invalid sessions.create params: at root: unexpected property 'thinkingLevel'");
  });

  it("needs operator.write", async () => {
    const gateway = await start();
    const reader = await operator(gateway, ["operator.read"]);
    expect((await reader.call("sessions.create", { key: "mine" })).error).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.write" });
    const writer = await operator(gateway, ["operator.write"]);
    expect((await checkedCall(writer, "sessions.create", { key: "mine" })).key).toBe("agent:main:mine");
  });
});
