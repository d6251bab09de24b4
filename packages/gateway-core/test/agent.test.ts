import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelProvider, ModelRequest, ModelStreamEvent, ToolHost } from "@openclaw/agent";
import { openStore, type GatewayServer, type Store } from "../src/index.js";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";

/** A provider whose replies a test controls: each reply waits on its gate, then streams its chunks. */
class ScriptedProvider implements ModelProvider {
  readonly id = "scripted";
  readonly label = "scripted (test)";
  readonly requests: ModelRequest[] = [];
  private gates: { open: () => void; promise: Promise<void> }[] = [];
  constructor(
    private readonly reply: (request: ModelRequest, index: number) => (string | Error | ModelStreamEvent)[],
    private readonly gated = false,
  ) {}

  /** Let the oldest waiting reply proceed. */
  release(): void {
    this.gates.shift()?.open();
  }

  get waiting(): number {
    return this.gates.length;
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    const index = this.requests.push(request) - 1;
    if (this.gated) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gates.push({ open, promise });
      await Promise.race([promise, new Promise((_, reject) => request.signal?.addEventListener("abort", () => reject(new Error("aborted"))))]);
    }
    for (const part of this.reply(request, index)) {
      if (request.signal?.aborted) throw new Error("aborted");
      if (part instanceof Error) throw part;
      if (typeof part === "string") yield { type: "text", delta: part };
      else yield part;
      await new Promise((resolve) => setImmediate(resolve));
    }
    yield { type: "done", stopReason: "end" };
  }
}

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function start(provider: ModelProvider, extra: { store?: Store; tools?: ToolHost } = {}) {
  server = await startGateway({
    ...(extra.store ? { store: extra.store } : {}),
    agent: {
      resolveModel: () => ({ provider, model: "test-model" }),
      listModels: async () => [{ id: "test-model", name: "Test", provider: provider.id }],
      ...(extra.tools ? { tools: extra.tools } : {}),
    },
  });
  return server;
}

async function operator(gateway: GatewayServer, caps: string[] = []) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes: ["operator.write", "operator.read"], caps }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("agent runs over the wire", () => {
  it("agent answers accepted, streams events, then answers again with the final result", async () => {
    const gateway = await start(new ScriptedProvider(() => ["Hel", "lo ", "there"]));
    const client = await operator(gateway);
    client.send({ type: "req", id: "a1", method: "agent", params: { message: "hi", idempotencyKey: "run-1" } });
    const ack = await client.response("a1");
    expect(ack.payload).toMatchObject({ runId: "run-1", status: "accepted", acceptedAt: expect.any(Number), sessionKey: "agent:main:main" });
    const final = await client.response("a1");
    expect(final.payload).toMatchObject({
      runId: "run-1",
      status: "ok",
      summary: "completed",
      result: { payloads: [{ text: "Hello there" }], meta: { agentMeta: { provider: "scripted", model: "test-model" } } },
    });

    const agentEvents = client.frames.filter((frame) => frame.event === "agent").map((frame) => frame.payload);
    expect(agentEvents[0]).toMatchObject({ runId: "run-1", seq: 1, stream: "lifecycle", data: { phase: "start" } });
    expect(agentEvents.filter((event) => event.stream === "assistant").map((event) => event.data.delta)).toEqual(["Hel", "lo ", "there"]);
    expect(agentEvents.at(-1)).toMatchObject({ stream: "lifecycle", data: { phase: "end" } });
    expect(agentEvents.map((event) => event.seq)).toEqual(agentEvents.map((_, index) => index + 1));
    const chat = client.frames.filter((frame) => frame.event === "chat").map((frame) => frame.payload);
    expect(chat[0]).toMatchObject({ state: "delta", deltaText: "Hel" });
    expect(chat.at(-1)).toMatchObject({ state: "final", message: { role: "assistant", content: [{ type: "text", text: "Hello there" }] } });
    expect(
      chat
        .filter((event) => event.state === "delta")
        .map((event) => event.deltaText)
        .join(""),
    ).toBe("Hello there");

    // A retry with the same key after the end gets the cached final, without a second run.
    const again = await client.call("agent", { message: "hi", idempotencyKey: "run-1" });
    expect(again.payload).toMatchObject({ runId: "run-1", status: "ok" });
  });

  it("chat.send starts once per key and the transcript pages through chat.history", async () => {
    const provider = new ScriptedProvider((request) => [`You said: ${request.messages.at(-1)!.content}`], true);
    const gateway = await start(provider);
    const client = await operator(gateway);
    const params = { sessionKey: "s-1", message: "first", idempotencyKey: "k1" };
    expect((await client.call("chat.send", params)).payload).toEqual({ runId: "k1", status: "started" });
    expect((await client.call("chat.send", params)).payload).toEqual({ runId: "k1", status: "in_flight" });
    provider.release();
    await client.next((frame) => frame.event === "chat" && frame.payload.state === "final");
    expect((await client.call("chat.send", params)).payload).toEqual({ runId: "k1", status: "ok" });
    expect(provider.requests).toHaveLength(1);

    const history = await client.call("chat.history", { sessionKey: "s-1" });
    expect(history.payload.messages.map((message: { role: string; content: { text: string }[] }) => [message.role, message.content[0]!.text])).toEqual([
      ["user", "first"],
      ["assistant", "You said: first"],
    ]);
    const page = await client.call("chat.history", { sessionKey: "s-1", limit: 1 });
    expect(page.payload).toMatchObject({ hasMore: true, messages: [{ role: "assistant" }] });
    const older = await client.call("chat.history", { sessionKey: "s-1", limit: 1, cursor: page.payload.cursor });
    expect(older.payload).toMatchObject({ hasMore: false, messages: [{ role: "user" }] });
    const described = await client.call("sessions.describe", { key: "s-1" });
    expect(described.payload.session).toMatchObject({
      key: "s-1",
      kind: "direct",
      agentId: "main",
      isMain: false,
      modelProvider: "scripted",
      model: "test-model",
      hasActiveRun: false,
      activeRunIds: [],
    });
  });

  it("runs one turn at a time per session, sessions in parallel", async () => {
    const provider = new ScriptedProvider(() => ["ok"], true);
    const gateway = await start(provider);
    const client = await operator(gateway);
    await client.call("chat.send", { sessionKey: "A", message: "a1", idempotencyKey: "a1" });
    await client.call("chat.send", { sessionKey: "A", message: "a2", idempotencyKey: "a2" });
    await client.call("chat.send", { sessionKey: "B", message: "b1", idempotencyKey: "b1" });
    await expect.poll(() => provider.waiting).toBe(2);
    expect(provider.requests.map((request) => request.messages.at(-1)!.content).sort()).toEqual(["a1", "b1"]);
    const listed = (await client.call("sessions.list", {})).payload.sessions;
    expect(listed.find((session: { key: string }) => session.key === "A")).toMatchObject({ hasActiveRun: true, activeRunIds: ["a1"] });
    provider.release();
    provider.release();
    await expect.poll(() => provider.requests.length).toBe(3);
    expect(provider.requests[2]!.messages.map((message) => message.content)).toEqual(["a1", "ok", "a2"]);
    provider.release();
  });

  it("chat.abort stops the run mid-stream and the transcript records the abort", async () => {
    const provider = new ScriptedProvider(() => ["partial"], true);
    const gateway = await start(provider);
    const client = await operator(gateway);
    await client.call("chat.send", { sessionKey: "s", message: "go", idempotencyKey: "r" });
    await expect.poll(() => provider.waiting).toBe(1);
    expect((await client.call("chat.abort", { sessionKey: "s" })).payload).toEqual({ ok: true, aborted: true, runIds: ["r"] });
    const aborted = await client.next((frame) => frame.event === "chat" && frame.payload.state === "aborted");
    expect(aborted.payload).toMatchObject({ runId: "r", state: "aborted" });
    const end = await client.next((frame) => frame.event === "agent" && frame.payload.data.phase === "end");
    expect(end.payload.data.aborted).toBe(true);
    const history = (await client.call("chat.history", { sessionKey: "s" })).payload.messages;
    expect(history.at(-1)).toMatchObject({ role: "assistant", stopReason: "aborted" });
  });

  it("a provider failure mid-stream keeps the partial reply and fails the run with payload and error", async () => {
    const gateway = await start(new ScriptedProvider(() => ["half a ", new Error("stream cut")]));
    const client = await operator(gateway);
    client.send({ type: "req", id: "x", method: "agent", params: { message: "hi", idempotencyKey: "bad" } });
    await client.response("x");
    const final = await client.response("x");
    expect(final.ok).toBe(false);
    expect(final.error).toEqual({ code: "UNAVAILABLE", message: "stream cut" });
    expect(final.payload).toMatchObject({ runId: "bad", status: "error", summary: "stream cut" });
    expect((await client.next((frame) => frame.event === "chat" && frame.payload.state === "error")).payload.errorMessage).toBe("stream cut");
    const history = (await client.call("chat.history", { sessionKey: "agent:main:main" })).payload.messages;
    expect(history.at(-1)).toMatchObject({ role: "assistant", stopReason: "error", content: [{ text: "half a " }] });
    expect((await client.call("agent.wait", { runId: "bad", timeoutMs: 0 })).payload).toMatchObject({ status: "error", error: "stream cut" });
  });

  it("tool calls stream as agent events only to clients with the tool-events cap", async () => {
    const provider = new ScriptedProvider((request) =>
      request.messages.some((message) => message.role === "tool")
        ? ["The time is noon"]
        : [{ type: "tool_call", call: { id: "c1", name: "clock", arguments: "{}" } }],
    );
    const tools: ToolHost = { tools: () => [{ name: "clock", description: "time", parameters: { type: "object" } }], call: async () => ({ text: "12:00" }) };
    const gateway = await start(provider, { tools });
    const withTools = await operator(gateway, ["tool-events"]);
    const without = await operator(gateway);
    const final = await withTools.call("agent", { message: "time?", idempotencyKey: "t" }).then(() => withTools.response("r1"));
    expect(final.payload.result.payloads[0].text).toBe("The time is noon");
    const toolEvents = withTools.frames.filter((frame) => frame.event === "agent" && frame.payload.stream === "tool").map((frame) => frame.payload.data);
    expect(toolEvents).toEqual([
      { phase: "start", name: "clock", toolCallId: "c1", args: "{}" },
      { phase: "result", name: "clock", toolCallId: "c1", result: "12:00", isError: false },
    ]);
    await without.next((frame) => frame.event === "chat" && frame.payload.state === "final");
    expect(without.frames.some((frame) => frame.event === "agent" && frame.payload.stream === "tool")).toBe(false);
    expect(provider.requests[1]!.messages.at(-1)).toMatchObject({ role: "tool", content: "12:00", toolCallId: "c1" });
  });

  it("transcripts survive a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-agent-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const provider = new ScriptedProvider(() => ["remembered"]);
    let store = openStore(join(dir, "state.sqlite"));
    let gateway = await start(provider, { store });
    let client = await operator(gateway);
    client.send({ type: "req", id: "a", method: "agent", params: { message: "note this", idempotencyKey: "p1", sessionKey: "keep" } });
    await client.response("a");
    await client.response("a");
    client.close();
    await gateway.stop();
    store.close();
    store = openStore(join(dir, "state.sqlite"));
    cleanups.push(() => store.close());
    gateway = await start(provider, { store });
    client = await operator(gateway);
    const history = (await client.call("chat.history", { sessionKey: "keep" })).payload.messages;
    expect(history.map((message: { content: { text: string }[] }) => message.content[0]!.text)).toEqual(["note this", "remembered"]);
    expect((await client.call("sessions.list", {})).payload.sessions[0]).toMatchObject({ key: "keep" });
  });
});
