import { fileURLToPath } from "node:url";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, GatewayRequestError, type GatewayClient } from "@openclaw/client";
import { createNodeIdentity } from "@openclaw/client/node";
import { findMethod, serverValueProblems, type MethodName } from "@openclaw/protocol";
import { runGateway, type RunningGateway } from "../src/index.js";
import { recordEvents } from "./event-recorder.js";
import { freePort } from "./free-port.js";

/**
 * The agent, sessions and start-up methods, each through @openclaw/client against
 * `runGateway` (the binary's wiring, offline echo model), checked against the protocol's
 * result schemas and against what the real OpenClaw 2026.9.6 answered its own TUI.
 */

const TOKEN = "session-methods-token";
const TUI_CAPTURE = fileURLToPath(new URL("../../../fixtures/openclaw-2026.9.6/frames/tui.jsonl", import.meta.url));

let home: string;
let gateway: RunningGateway;
const clients: GatewayClient[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "openclaw-session-methods-"));
  const sink = { write: () => true };
  gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: join(home, "state") }, homedir: home, cwd: home },
    flags: { port: await freePort(), token: TOKEN },
    stdout: "off",
  });
});
afterAll(async () => {
  for (const client of clients.splice(0)) await client.close();
  await gateway.stop();
  rmSync(home, { recursive: true, force: true });
});

/** A client like the real TUI (same id, mode, caps and scopes, a device of its own; paired silently on loopback) unless told otherwise. */
async function operator(scopes: string[] = ["operator.admin", "operator.read", "operator.write", "operator.approvals"]): Promise<GatewayClient> {
  const client = await connect({
    url: gateway.url,
    token: TOKEN,
    WebSocket: WebSocket as never,
    identity: createNodeIdentity(),
    client: { id: "openclaw-tui", mode: "ui" },
    scopes,
    caps: ["tool-events"],
    reconnect: false,
  });
  clients.push(client);
  return client;
}

/** Calls `method` and checks the answer against its result schema in the protocol registry. */
async function checked<M extends MethodName>(client: GatewayClient, method: M, params: unknown): Promise<any> {
  const result = await (client.call as (method: string, params: unknown) => Promise<unknown>)(method, params);
  expect(serverValueProblems(findMethod(method)!.result, result), `${method} result`).toEqual([]);
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayRequestError);
  return error as GatewayRequestError;
}

/** The requests the real TUI sent after connect, each with the answer it got (whole, or the head of a truncated one). */
function tuiStartup(): { method: string; params: unknown; payload?: unknown; head?: string }[] {
  const frames = readFileSync(TUI_CAPTURE, "utf8")
    .trim()
    .split("\n")
    .map(
      (line) =>
        JSON.parse(line) as {
          dir: string;
          frame?: { type?: string; id?: string; method?: string; params?: unknown; payload?: unknown; truncated?: boolean; head?: string };
        },
    );
  const answers = new Map(frames.filter((entry) => entry.dir === "s2c" && entry.frame?.id !== undefined).map((entry) => [entry.frame!.id!, entry.frame!]));
  return frames
    .filter((entry) => entry.dir === "c2s" && entry.frame?.type === "req" && entry.frame.method !== "connect")
    .map((entry) => {
      const answer = answers.get(entry.frame!.id!)!;
      return { method: entry.frame!.method!, params: entry.frame!.params, ...(answer.truncated ? { head: answer.head! } : { payload: answer.payload }) };
    });
}

describe("agent, sessions and start-up methods through @openclaw/client", () => {
  it("answers the real TUI's start-up calls, with its params, the way OpenClaw 2026.9.6 did", async () => {
    const client = await operator();
    const startup = tuiStartup();
    expect(startup.map((call) => call.method)).toEqual([
      "sessions.subscribe",
      "agents.list",
      "question.list",
      "plugin.approval.list",
      "taskSuggestions.list",
      "chat.history",
      "commands.list",
    ]);
    const real = Object.fromEntries(startup.map((call) => [call.method, call]));
    const ours: Record<string, any> = {};
    for (const call of startup) ours[call.method] = await checked(client, call.method as MethodName, call.params);

    // Empty-until-the-feature-exists answers are the real ones exactly.
    for (const method of ["sessions.subscribe", "question.list", "plugin.approval.list", "taskSuggestions.list"])
      expect(ours[method], method).toEqual(real[method]!.payload);

    const agents = real["agents.list"]!.payload as { defaultId: string; mainKey: string; scope: string; agents: { id: string }[] };
    expect(ours["agents.list"]).toMatchObject({
      defaultId: agents.defaultId,
      mainKey: agents.mainKey,
      scope: agents.scope,
      agents: [{ id: agents.agents[0]!.id, model: { primary: "offline/echo" } }],
    });
    const history = real["chat.history"]!.payload as { sessionKey: string; messages: unknown[]; hasMore: boolean };
    expect(ours["chat.history"]).toMatchObject({ sessionKey: history.sessionKey, messages: history.messages, hasMore: history.hasMore });

    // commands.list was truncated in the capture; its first entry shows the fields the TUI reads.
    const first = JSON.parse(/\{"name":[^{}]*\}/.exec(real["commands.list"]!.head!)![0]) as Record<string, unknown>;
    for (const command of ours["commands.list"].commands as Record<string, unknown>[]) {
      for (const key of ["name", "textAliases", "description", "category", "acceptsArgs"])
        expect(typeof command[key], `${String(command["name"])}.${key}`).toBe(typeof first[key]);
      expect(command["textAliases"]).toContain(`/${String(command["name"])}`);
    }
  });

  it("agent.identity.get, agents.list and models.list agree on the agent and its model", async () => {
    const client = await operator(["operator.read"]);
    expect(await checked(client, "agent.identity.get", {})).toEqual({ agentId: "main", name: expect.any(String) });
    expect(await checked(client, "agent.identity.get", { agentId: "main", sessionKey: "agent:main:main" })).toMatchObject({ agentId: "main" });
    const agents = await checked(client, "agents.list", {});
    expect(agents).toMatchObject({ defaultId: "main", agents: [{ id: "main" }] });
    const models = await checked(client, "models.list", {});
    // The TUI's model picker offers models.list as `provider/id`; the agent's current model must be one of them.
    expect(models.models).toContainEqual({ id: "echo", provider: "offline", name: expect.stringContaining("no model"), reasoning: false });
    expect(models.models.map((model: { provider: string; id: string }) => `${model.provider}/${model.id}`)).toContain(agents.agents[0].model.primary);
    // The TUI's slash menu: the session commands it sends as text are among them.
    expect((await checked(client, "commands.list", {})).commands.map((command: { name: string }) => command.name)).toEqual(
      expect.arrayContaining(["status", "new", "reset", "think", "model"]),
    );
  });

  it("sessions.preview, sessions.patch, sessions.reset and sessions.delete on an idle session", async () => {
    const client = await operator();
    const key = "agent:main:work";
    const run = client.chatSend({ sessionKey: key, message: "a first message well over twenty characters" });
    expect((await run.result).state).toBe("final");

    const preview = await checked(client, "sessions.preview", { keys: [key, "agent:main:nobody"], limit: 2, maxChars: 20 });
    expect(preview.previews).toEqual([
      {
        key,
        status: "ok",
        items: [
          { role: "user", text: "a first message well" },
          { role: "assistant", text: "Echo: a first messag" },
        ],
      },
      { key: "agent:main:nobody", status: "missing", items: [] },
    ]);

    const patched = await checked(client, "sessions.patch", { key, label: "Work" });
    expect(patched).toMatchObject({ ok: true, key, entry: { label: "Work" }, resolved: { modelProvider: "offline", model: "echo", thinkingLevels: [] } });
    expect((await checked(client, "sessions.list", { label: "Work" })).sessions.map((session: { key: string }) => session.key)).toEqual([key]);
    expect((await checked(client, "sessions.patch", { key, label: null })).entry.label).toBeUndefined();
    // The offline model takes no thinking levels, and says so.
    const unsupported = await rejection(client.call("sessions.patch", { key, thinkingLevel: "high" }));
    expect(unsupported).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining('thinkingLevel "high": offline/echo takes no thinking levels'),
    });

    const before = (await client.call("sessions.describe", { key })).session!.sessionId;
    const reset = await checked(client, "sessions.reset", { key, reason: "new" });
    expect(reset).toMatchObject({ ok: true, key, entry: { sessionId: expect.any(String) } });
    expect(reset.entry.sessionId).not.toBe(before);
    expect((await client.call("chat.history", { sessionKey: key })).messages).toEqual([]);
    expect(await rejection(client.call("sessions.reset", { key: "agent:main:nobody" }))).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining("unknown session: agent:main:nobody"),
    });

    expect(await checked(client, "sessions.delete", { key })).toEqual({ ok: true, key, deleted: true });
    expect(await checked(client, "sessions.delete", { key })).toEqual({ ok: true, key, deleted: false });
    expect((await client.call("sessions.list", {})).sessions.some((session) => session.key === key)).toBe(false);
    expect((await client.call("sessions.preview", { keys: [key] })).previews[0]!.status).toBe("missing");
  });

  it("the TUI's /new and its session refresh: sessions.create with the TUI's params, then sessions.describe and sessions.list read as the TUI reads them", async () => {
    const client = await operator();
    const parent = "agent:main:main";
    await client.chatSend({ sessionKey: parent, message: "before /new" }).result;
    // The TUI's session refresh: the row under `session`, the defaults from a one-row list.
    const [description, listing] = await Promise.all([
      checked(client, "sessions.describe", { key: parent }),
      checked(client, "sessions.list", { agentId: "main", limit: 1 }),
    ]);
    expect(description.session).toMatchObject({ key: parent, sessionId: expect.any(String), modelProvider: "offline", model: "echo", thinkingLevels: [] });
    expect(listing.defaults).toMatchObject({ modelProvider: "offline", model: "echo", thinkingLevels: [], thinkingOptions: [] });

    // /new from a session that has an id: the TUI's createSession adds emitCommandHooks when it names a parent.
    const tuiKey = "tui-0b8c6a52-46a4-4c49-8b0e-0e8f3d2b9c11";
    const created = await checked(client, "sessions.create", {
      key: tuiKey,
      agentId: "main",
      parentSessionKey: parent,
      succeedsParent: true,
      emitCommandHooks: true,
    });
    expect(created).toMatchObject({ ok: true, key: `agent:main:${tuiKey}`, runStarted: false, resolved: { modelProvider: "offline", model: "echo" } });
    expect((await checked(client, "sessions.describe", { key: created.key })).session).toMatchObject({ key: created.key, sessionId: created.sessionId });
    expect((await client.call("chat.history", { sessionKey: created.key })).messages).toEqual([]);
  });

  it("sessions.changed goes only to read-scoped connections that called sessions.subscribe", async () => {
    const admin = await operator();
    const subscriber = await operator(["operator.read"]);
    const bystander = await operator(["operator.read"]);
    const toSubscriber = recordEvents(subscriber, "sessions.changed");
    const toBystander = recordEvents(bystander, "sessions.changed");
    const bystanderChat = recordEvents(bystander, "chat");
    expect(await checked(subscriber, "sessions.subscribe", {})).toEqual({ subscribed: true });
    const key = "agent:main:watched";

    const run = admin.chatSend({ sessionKey: key, message: "hi" });
    await run.result;
    await toSubscriber.until((event) => event.sessionKey === key && event.reason === "run-finished");
    expect(toSubscriber.seen.find((event) => event.reason === "run-started")).toMatchObject({ sessionKey: key, activeRunIds: [run.idempotencyKey] });
    await admin.call("sessions.patch", { key, label: "Watched" });
    await toSubscriber.until((event) => event.sessionKey === key && event.reason === "patched");

    // chat.inject's chat event reaches every reader after the sessions.changed of the patch
    // (one socket, in order), so once the bystander has it, it would have had the other.
    const injected = await admin.call("chat.inject", { sessionKey: key, message: "a note" });
    await bystanderChat.until((event) => event.runId === `inject-${injected.messageId}`);
    expect(toBystander.seen).toEqual([]);
  });

  it("wake queues its text for the session's next turn; mode now runs that turn at once", async () => {
    const client = await operator();
    const heartbeats = recordEvents(client, "heartbeat");
    const sessionKey = "agent:main:wakeful";
    expect(await checked(client, "wake", { mode: "next-heartbeat", text: "Parcel at the door", sessionKey })).toEqual({ ok: true });
    expect(heartbeats.seen).toEqual([]);
    expect(await checked(client, "wake", { mode: "now", text: "Doorbell rang", sessionKey })).toEqual({ ok: true });
    await heartbeats.until((event) => event.reason === "wake");
    const texts = (await client.call("chat.history", { sessionKey })).messages.map((message) => (message.content as { text: string }[])[0]!.text);
    expect(texts[0]!.split("\n")).toEqual([
      expect.stringMatching(/^System: \[.+\] Parcel at the door$/),
      expect.stringMatching(/^System: \[.+\] Doorbell rang$/),
    ]);
    // Then the heartbeat's own prompt, echoed by the offline model.
    expect(texts.slice(1)).toEqual([expect.stringMatching(/^Heartbeat: /), expect.stringMatching(/^Echo: Heartbeat: /)]);
  });
});
