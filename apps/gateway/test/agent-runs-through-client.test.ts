import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createOpenAiCompatibleProvider, type ModelProvider, type ModelRequest } from "@openclaw/agent";
import { connect, type GatewayClient } from "@openclaw/client";
import { createNodeIdentity } from "@openclaw/client/node";
import { GatewayServer } from "@openclaw/gateway-core";
import { createNode } from "@openclaw/node-sdk";
import { startOpenAiFake, type RecordedRequest } from "@openclaw/testing";
import { recordEvents } from "./event-recorder.js";
import { tokenAuth } from "./helpers.js";

/**
 * Agent runs, node tools and cron jobs end to end, where not already covered through @openclaw/client elsewhere
 * (providers-through-gateway.test.ts streams from both provider fakes, retries a 429 after its
 * delay and reports a stream cut with the partial transcript): a real gateway, real clients,
 * and the OpenAI-compatible provider against its HTTP fake wherever the fake can play the part.
 */

const TOKEN = "agent-client-token";
const closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startGateway(provider: ModelProvider): Promise<GatewayServer> {
  const server = new GatewayServer({
    port: 0,
    version: "test",
    auth: tokenAuth(TOKEN),
    agent: { resolveModel: () => ({ provider, model: "test-model" }), listModels: async () => [] },
  });
  await server.start();
  closers.push(() => server.stop());
  return server;
}

async function operator(server: GatewayServer, scopes = ["operator.read", "operator.write"]): Promise<GatewayClient> {
  const client = await connect({
    url: server.url,
    token: TOKEN,
    WebSocket: WebSocket as never,
    client: { id: "cli", mode: "cli" },
    scopes,
    caps: ["tool-events"],
    reconnect: false,
  });
  closers.push(() => client.close());
  return client;
}

async function openAiFake(script: Parameters<typeof startOpenAiFake>[0]["script"]) {
  const fake = await startOpenAiFake({ script });
  closers.push(() => fake.close());
  return { fake, provider: createOpenAiCompatibleProvider({ baseUrl: fake.url, apiKey: "k" }) };
}

type WireMessage = { role: string; content: unknown; tool_call_id?: string };
const lastUserText = (request: RecordedRequest) =>
  ((request.body as { messages: WireMessage[] }).messages.filter((message) => message.role === "user").at(-1)?.content as string | undefined) ?? "";
/** The transcript as role, first text and stop reason (messages are open objects; `stopReason` rides along). */
const historyOf = async (client: GatewayClient, sessionKey: string) =>
  (await client.call("chat.history", { sessionKey })).messages.map((message) => {
    const { stopReason } = message as { stopReason?: string };
    return { role: message.role, text: (message.content as { text?: string }[])[0]?.text, ...(stopReason ? { stopReason } : {}) };
  });

describe("agent runs, node tools and cron through a real gateway and @openclaw/client", () => {
  it("two sessions stream in parallel while a second message to one of them queues; an abort mid-stream stops the provider request", async () => {
    // Both first turns stream a chunk and then hold their response open; the queued turn answers in full.
    const { fake, provider } = await openAiFake([
      { kind: "hang", chunks: ["work"] },
      { kind: "hang", chunks: ["work"] },
      { kind: "text", chunks: ["a2 ", "done"] },
    ]);
    const client = await operator(await startGateway(provider));
    const chat = recordEvents(client, "chat");
    const agent = recordEvents(client, "agent");
    const a1 = client.chatSend({ sessionKey: "agent:main:a", message: "a1" });
    const b1 = client.chatSend({ sessionKey: "agent:main:b", message: "b1" });
    const a2 = client.chatSend({ sessionKey: "agent:main:a", message: "a2" });
    expect((await Promise.all([a1.accepted, b1.accepted, a2.accepted])).map((ack) => ack.status)).toEqual(["started", "started", "started"]);

    // Each first turn has streamed before either ended: they run at the same time.
    await chat.until((event) => event.runId === a1.idempotencyKey && event.state === "delta");
    await chat.until((event) => event.runId === b1.idempotencyKey && event.state === "delta");
    expect(fake.requests.map(lastUserText).sort()).toEqual(["a1", "b1"]);
    const sessions = (await client.call("sessions.list", {})).sessions;
    expect(sessions.find((session) => session.key === "agent:main:a")?.activeRunIds).toEqual([a1.idempotencyKey]);
    expect(sessions.find((session) => session.key === "agent:main:b")?.activeRunIds).toEqual([b1.idempotencyKey]);

    expect(await client.call("chat.abort", { sessionKey: "agent:main:a", runId: a1.idempotencyKey })).toEqual({
      ok: true,
      aborted: true,
      runIds: [a1.idempotencyKey],
    });
    expect(await a1.result).toMatchObject({ state: "aborted", runId: a1.idempotencyKey });
    expect(await fake.requests.find((request) => lastUserText(request) === "a1")!.closed).toEqual({ early: true });
    expect(await agent.until((event) => event.runId === a1.idempotencyKey && event.data["phase"] === "end")).toMatchObject({ data: { aborted: true } });

    // Only now does the queued a2 reach the model, with a1's partial reply as history.
    expect(await a2.result).toMatchObject({ state: "final", message: { content: [{ type: "text", text: "a2 done" }] } });
    expect(fake.requests).toHaveLength(3);
    expect((fake.requests[2]!.body as { messages: WireMessage[] }).messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "a1"],
      ["assistant", "work"],
      ["user", "a2"],
    ]);
    expect(await historyOf(client, "agent:main:a")).toEqual([
      { role: "user", text: "a1" },
      { role: "assistant", text: "work", stopReason: "aborted" },
      { role: "user", text: "a2" },
      { role: "assistant", text: "a2 done" },
    ]);

    // B streamed on, untouched by A's abort and queue, until it is aborted too.
    expect(chat.seen.filter((event) => event.runId === b1.idempotencyKey).map((event) => event.state)).toEqual(["delta"]);
    await client.call("chat.abort", { sessionKey: "agent:main:b" });
    expect(await b1.result).toMatchObject({ state: "aborted" });
  });

  it("a duplicate chat.send with the same key is in_flight while the run goes, then gets the cached final, with one model call", async () => {
    // In-process fake of the model, so the test decides when the reply comes.
    const requests: ModelRequest[] = [];
    let release!: () => void;
    const replied = new Promise<void>((resolve) => (release = resolve));
    const provider: ModelProvider = {
      id: "gated",
      label: "gated (test)",
      async *stream(request) {
        requests.push(request);
        await replied;
        yield { type: "text", delta: "Hello once" };
        yield { type: "done", stopReason: "end" };
      },
    };
    const client = await operator(await startGateway(provider));
    const params = { sessionKey: "agent:main:main", message: "hi", idempotencyKey: "same-key" };
    const run = client.chatSend(params);
    expect(await run.accepted).toEqual({ runId: "same-key", status: "started" });
    expect(await client.call("chat.send", params)).toEqual({ runId: "same-key", status: "in_flight" });
    release();
    expect(await run.result).toMatchObject({ state: "final", runId: "same-key" });
    expect(await client.call("chat.send", params)).toEqual({ runId: "same-key", status: "ok" });
    expect(requests).toHaveLength(1);
    expect(await historyOf(client, "agent:main:main")).toEqual([
      { role: "user", text: "hi" },
      { role: "assistant", text: "Hello once" },
    ]);
  });

  it("a model's tool call runs a command on a node built with @openclaw/node-sdk, and its result goes back to the model", async () => {
    const { fake, provider } = await openAiFake([
      { kind: "tool_calls", calls: [{ id: "call_1", name: "node_system_notify", argumentChunks: ['{"params":{"title":', '"Lunch","body":"at noon"}}'] }] },
      { kind: "text", chunks: ["Done: ", "notified."] },
    ]);
    const server = await startGateway(provider);
    const admin = await operator(server, ["operator.admin"]);
    const identity = createNodeIdentity();
    const surfaceRequest = recordEvents(admin, "node.pair.requested");
    const shown: unknown[] = [];
    const node = await createNode({
      url: server.url,
      token: TOKEN,
      identity,
      displayName: "kitchen tablet",
      platform: "linux",
      caps: [],
      commands: { "system.notify": (params) => (shown.push(params), {}) },
    });
    closers.push(() => node.close());
    await node.opened();
    const request = await surfaceRequest.until((pending) => pending.nodeId === identity.id);
    await admin.call("node.pair.approve", { requestId: request.requestId });

    const run = admin.agent({ message: "remind the kitchen about lunch" });
    const tools: Record<string, unknown>[] = [];
    for await (const event of run) if (event.stream === "tool") tools.push(event.data);
    expect((await run.result).result?.payloads[0]?.text).toBe("Done: notified.");
    expect(shown).toEqual([{ title: "Lunch", body: "at noon" }]);
    expect(tools).toEqual([
      expect.objectContaining({ phase: "start", name: "node_system_notify", toolCallId: "call_1" }),
      expect.objectContaining({ phase: "result", name: "node_system_notify", toolCallId: "call_1", result: "{}", isError: false }),
    ]);
    // The model was offered the node's command, and got the node's answer back as the tool result.
    expect((fake.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map((tool) => tool.function.name)).toContain("node_system_notify");
    expect((fake.requests[1]!.body as { messages: WireMessage[] }).messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1", content: "{}" });
  });

  it("a cron job fires once on its own timer and shows in cron.runs", async () => {
    const { fake, provider } = await openAiFake([{ kind: "text", chunks: ["Good ", "morning"] }]);
    const admin = await operator(await startGateway(provider), ["operator.admin"]);
    const cron = recordEvents(admin, "cron");
    const job = await admin.call("cron.add", {
      name: "morning",
      // Far enough ahead that a slow machine still adds it before it is due.
      schedule: { kind: "at", at: Date.now() + 300 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "say good morning" },
    });
    const finished = await cron.until((event) => event.jobId === job.id && event.action === "finished");
    expect(finished).toMatchObject({ status: "ok", summary: "Good morning" });
    expect(await admin.call("cron.runs", { id: job.id })).toMatchObject({ total: 1, entries: [{ jobId: job.id, status: "ok", runId: finished.runId }] });
    // Done for good: disabled, nothing left to wake for, and the model was called once.
    expect(await admin.call("cron.get", { id: job.id })).toMatchObject({ enabled: false, state: { lastRunStatus: "ok" } });
    expect(await admin.call("cron.status", {})).toMatchObject({ jobs: 1, nextWakeAtMs: null });
    expect(cron.seen.filter((event) => event.jobId === job.id && event.action === "started")).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });
});
