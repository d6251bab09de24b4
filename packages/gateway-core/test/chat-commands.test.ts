import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelProvider, ModelRequest, ModelStreamEvent, ThinkingSupport } from "@openclaw/agent";
import type { GatewayServer } from "../src/index.js";
import { closeAfterEach, connectClient, connectParams, createDevice, signConnect, startGateway, uiParams, type RawClient } from "./harness.js";

/** A provider that records what it is asked and, while `hold` is set, waits until released or aborted. */
class RecordingProvider implements ModelProvider {
  readonly id = "rec";
  readonly label = "recording (test)";
  readonly requests: ModelRequest[] = [];
  hold = false;
  private releases: (() => void)[] = [];
  private arrivals: (() => void)[] = [];
  constructor(private readonly answer: (request: ModelRequest) => string = (request) => `Echo: ${request.messages.at(-1)?.content ?? ""}`) {}

  thinking(model: string): ThinkingSupport {
    return model === "plain" ? { levels: [], reason: "plain takes no thinking" } : { levels: ["low", "medium", "high"], default: "low" };
  }

  arrived(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push(() => this.requests.length >= count && resolve()));
  }

  release(): void {
    for (const release of this.releases.splice(0)) release();
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    for (const wake of this.arrivals) wake();
    if (this.hold) {
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        request.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      });
    }
    yield { type: "text", delta: this.answer(request) };
    yield { type: "done", stopReason: "end", usage: { inputTokens: 7, outputTokens: 3 } };
  }
}

const opened = closeAfterEach();
const extra: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of extra.splice(0)) cleanup();
});

async function start(provider: RecordingProvider, overrides: Parameters<typeof startGateway>[0] = {}): Promise<GatewayServer> {
  const gateway = await startGateway({
    agent: {
      resolveModel: () => ({ provider, model: "test-model" }),
      resolveModelRef: (ref) => {
        const model = ref.startsWith("rec/") ? ref.slice(4) : ref;
        if (!["test-model", "plain", "other"].includes(model)) throw new Error(`no model ${ref}`);
        return { provider, model };
      },
      listModels: async () => [
        { id: "test-model", name: "Test", provider: "rec" },
        { id: "other", name: "Other", provider: "rec" },
      ],
    },
    ...overrides,
  });
  opened.gateways.push(gateway);
  return gateway;
}

async function client(gateway: GatewayServer, scopes: string[]): Promise<RawClient> {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes }));
  expect(hello.ok, JSON.stringify(hello.error)).toBe(true);
  opened.clients.push(client);
  return client;
}

const owner = (gateway: GatewayServer) => client(gateway, ["operator.admin"]);
const SESSION = "agent:main:main";
let keys = 0;

/** `chat.send` a text; for a command, the answer arrives at once as a chat final with the same run id. */
async function say(operator: RawClient, message: string, sessionKey = SESSION): Promise<string> {
  const idempotencyKey = `k${++keys}`;
  const reply = operator.next(
    (frame) => frame.type === "event" && frame.event === "chat" && frame.payload.runId === idempotencyKey && frame.payload.state === "final",
  );
  const res = await operator.call("chat.send", { sessionKey, message, idempotencyKey });
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  expect(res.payload.status).toBe("started");
  return (await reply).payload.message.content[0].text as string;
}

describe("chat commands through chat.send", () => {
  it("/status answers with the model, session, tokens, queue, uptime and channel, and the model sees nothing", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    const text = await say(operator, "/status");
    expect(text).toContain("Model: rec/test-model");
    expect(text).toContain(`Session: ${SESSION}`);
    expect(text).toMatch(/Tokens: 0 in · 0 out/);
    expect(text).toContain("Queue: followup · 0 runs active");
    expect(text).toMatch(/Uptime: \d+s/);
    expect(text).toContain("Channel: cli");
    expect(provider.requests).toHaveLength(0);
    const history = await operator.call("chat.history", { sessionKey: SESSION });
    expect(history.payload.messages.map((message: { content: { text: string }[] }) => message.content[0]!.text)).toEqual(["/status", text]);
  });

  it("a later model turn sees neither the command nor its answer", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    await say(operator, "/status");
    const done = operator.next((frame) => frame.type === "event" && frame.event === "chat" && frame.payload.state === "final");
    await operator.call("chat.send", { sessionKey: SESSION, message: "hello model", idempotencyKey: "plain-1" });
    await done;
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]!.messages.map((message) => message.content)).toEqual(["hello model"]);
  });

  it("/think high is stored on the session; an unknown level names the valid ones; /think shows it", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    expect(await say(operator, "/think high")).toBe("Thinking set to high.");
    expect(await say(operator, "/t")).toBe("Thinking: high. rec/test-model takes off, low, medium, high.");
    expect(await say(operator, "/thinking extreme")).toBe(
      '/thinking: thinkingLevel "extreme" is not a level of rec/test-model; it takes off, low, medium, high',
    );
    expect(await say(operator, "/think default")).toBe("Thinking back to the model's default.");
    expect(await say(operator, "/think")).toBe("Thinking: low (default). rec/test-model takes off, low, medium, high.");
  });

  it("/new starts a new session id and /reset clears the transcript", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    const done = operator.next((frame) => frame.type === "event" && frame.event === "chat" && frame.payload.state === "final");
    await operator.call("chat.send", { sessionKey: SESSION, message: "remember me", idempotencyKey: "m1" });
    await done;
    const before = (await operator.call("chat.history", { sessionKey: SESSION })).payload;
    const answer = await say(operator, "/new rec/other");
    expect(answer).toMatch(/^New session started \(id [0-9a-f]{8}\) on rec\/other\.$/);
    const after = (await operator.call("chat.history", { sessionKey: SESSION })).payload;
    expect(after.sessionId).not.toBe(before.sessionId);
    expect(after.messages.map((message: { content: { text: string }[] }) => message.content[0]!.text)).toEqual(["/new rec/other", answer]);
    expect(await say(operator, "/reset")).toMatch(/^Session reset: the history is cleared/);
    const reset = (await operator.call("chat.history", { sessionKey: SESSION })).payload;
    expect(reset.messages).toHaveLength(2);
    expect(await say(operator, "/model")).toContain("Model: rec/other.");
  });

  it("a chat.send retried with the same idempotency key does not run its command again", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    const reply = operator.next(
      (frame) => frame.type === "event" && frame.event === "chat" && frame.payload.runId === "reset-once" && frame.payload.state === "final",
    );
    const first = await operator.call("chat.send", { sessionKey: SESSION, message: "/new rec/other", idempotencyKey: "reset-once" });
    expect(first.payload).toEqual({ runId: "reset-once", status: "started" });
    await reply;
    const sessionId = (await operator.call("chat.history", { sessionKey: SESSION })).payload.sessionId;

    const retried = await operator.call("chat.send", { sessionKey: SESSION, message: "/new rec/other", idempotencyKey: "reset-once" });
    expect(retried.payload).toEqual({ runId: "reset-once", status: "ok" });
    const after = (await operator.call("chat.history", { sessionKey: SESSION })).payload;
    expect(after.sessionId).toBe(sessionId);
    expect(after.messages).toHaveLength(2);

    const reused = await operator.call("chat.send", { sessionKey: SESSION, message: "/reset", idempotencyKey: "reset-once" });
    expect(reused.ok).toBe(false);
    expect(reused.error).toMatchObject({ code: "INVALID_REQUEST", details: { reason: "idempotency-key-reused", method: "chat.send" } });
  });

  it("/stop aborts a held run", async () => {
    const provider = new RecordingProvider();
    provider.hold = true;
    const operator = await owner(await start(provider));
    const ended = operator.next(
      (frame) => frame.type === "event" && frame.event === "chat" && frame.payload.runId === "held" && frame.payload.state !== "delta",
    );
    await operator.call("chat.send", { sessionKey: SESSION, message: "take your time", idempotencyKey: "held" });
    await provider.arrived(1);
    expect(await say(operator, "/stop")).toBe("Stopped the current run.");
    expect((await ended).payload.state).toBe("aborted");
    expect(await say(operator, "/stop")).toBe("Nothing to stop: no run is in progress.");
  });

  it("/steer reaches the running turn; without a run it says so", async () => {
    const provider = new RecordingProvider((request) => `saw ${request.messages.filter((message) => message.role === "user").length} user messages`);
    const operator = await owner(await start(provider));
    expect(await say(operator, "/steer be brief")).toBe("No run is in progress to steer; send your message as usual.");
    provider.hold = true;
    await operator.call("chat.send", { sessionKey: SESSION, message: "write an essay", idempotencyKey: "essay" });
    await provider.arrived(1);
    expect(await say(operator, "/tell be brief")).toBe("Guidance sent: the current run reads it at its next step.");
    provider.release();
    // The guidance joins the conversation as a user message the model reads on its next turn.
    await provider.arrived(2);
    expect(provider.requests[1]!.messages.at(-1)).toMatchObject({ role: "user", content: "be brief" });
    provider.release();
    const done = await operator.call("agent.wait", { runId: "essay", timeoutMs: 30_000 });
    expect(done.payload.status).toBe("ok");
  });

  it("/compact replaces the model's context with the session model's summary", async () => {
    const provider = new RecordingProvider((request) =>
      request.messages[0]?.role === "system" && request.messages[0].content.startsWith("Summarise") ? "SUMMARY: the user is Ada" : "ok",
    );
    const operator = await owner(await start(provider));
    for (const [index, message] of ["my name is Ada", "I like tea"].entries()) {
      const done = operator.next((frame) => frame.type === "event" && frame.event === "chat" && frame.payload.state === "final");
      await operator.call("chat.send", { sessionKey: SESSION, message, idempotencyKey: `c${index}` });
      await done;
    }
    expect(await say(operator, "/compact keep names")).toMatch(/^Compacted 4 entries into a summary/);
    // Two turns and the summary, 7 in and 3 out each.
    expect(await say(operator, "/status")).toContain("Tokens: 21 in · 9 out (30 total)");
    const compaction = provider.requests[2]!;
    expect(compaction.messages[0]!.content).toContain("Also: keep names");
    expect(compaction.messages[1]!.content).toContain("User: my name is Ada");
    const done = operator.next((frame) => frame.type === "event" && frame.event === "chat" && frame.payload.state === "final");
    await operator.call("chat.send", { sessionKey: SESSION, message: "who am I?", idempotencyKey: "after" });
    await done;
    expect(provider.requests[3]!.messages.map((message) => message.content)).toEqual([
      "Summary of the conversation so far:\nSUMMARY: the user is Ada",
      "who am I?",
    ]);
  });

  it("the option commands set the session's settings and /status shows them", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    expect(await say(operator, "/verbose full")).toBe("Verbose set to full.");
    expect(await say(operator, "/reason stream")).toBe("Reasoning set to stream.");
    expect(await say(operator, "/usage tokens")).toBe("Usage footer set to tokens.");
    expect(await say(operator, "/queue collect")).toBe("Queue mode set to collect.");
    expect(await say(operator, "/send off")).toBe("Send policy set to off.");
    expect(await say(operator, "/activation always")).toBe("Group activation set to always.");
    expect(await say(operator, "/name Trip planning")).toBe('Session named "Trip planning".');
    expect(await say(operator, "/v loud")).toBe('/v: /verbose takes on, off, full (or default), not "loud"');
    const status = await say(operator, "/status");
    expect(status).toContain("Options: verbose full · reasoning stream · usage tokens · send deny");
    expect(status).toContain("Queue: collect");
    expect(status).toContain('"Trip planning"');
  });

  it("/model and /models show and switch the session's model; an unknown model is refused and nothing changes", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    expect(await say(operator, "/models")).toBe(
      "Models (* = this session; change with /model <provider/model>):\n* rec/test-model (Test)\n  rec/other (Other)",
    );
    expect(await say(operator, "/model rec/other")).toBe("Model set to rec/other.");
    expect(await say(operator, "/model rec/nope")).toMatch(/^\/model: model: model "rec\/nope" is not available/);
    expect(await say(operator, "/model")).toContain("Model: rec/other.");
    expect(await say(operator, "/model default")).toBe("Model back to the default: rec/test-model.");
  });

  it("a caller without operator.admin may read but not change: /status works, /think is refused", async () => {
    const provider = new RecordingProvider();
    const gateway = await start(provider);
    const writer = await client(gateway, ["operator.write", "operator.read"]);
    expect(await say(writer, "/think high")).toBe("Only the owner can use /think here.");
    expect(await say(writer, "/whoami")).toContain("Owner: no");
    expect(await say(writer, "/status")).toContain("Model: rec/test-model · thinking: low");
    expect(provider.requests).toHaveLength(0);
  });

  it("an unknown /word, and a command that takes no arguments given some, go to the model as text", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    for (const [index, message] of ["/frobnicate now", "/reset everything please"].entries()) {
      const done = operator.next((frame) => frame.type === "event" && frame.event === "chat" && frame.payload.state === "final");
      const res = await operator.call("chat.send", { sessionKey: SESSION, message, idempotencyKey: `u${index}` });
      expect(res.payload.status).toBe("started");
      await done;
    }
    expect(provider.requests.map((request) => request.messages.at(-1)!.content)).toEqual(["/frobnicate now", "/reset everything please"]);
  });
});

describe("answer before events", () => {
  it("chat.send's answer reaches the client before the first event of the run it started", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    const order: string[] = [];
    operator.ws.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; id?: string; event?: string; payload?: { runId?: string } };
      if (frame.type === "res" && frame.payload?.runId === "ordered") order.push("answer");
      else if (frame.type === "event" && frame.payload?.runId === "ordered")
        order.push(`${frame.event!}:${JSON.stringify((frame.payload as any).data ?? (frame.payload as any).state)}`);
    });
    const done = operator.next(
      (frame) => frame.type === "event" && frame.event === "chat" && frame.payload.runId === "ordered" && frame.payload.state === "final",
    );
    await operator.call("chat.send", { sessionKey: SESSION, message: "in order, please", idempotencyKey: "ordered" });
    await done;
    expect(order[0], order.join(" ")).toBe("answer");
    expect(order.slice(1).some((entry) => entry.startsWith('agent:{"phase":"start"'))).toBe(true);
  });
});

describe("chat commands through agent", () => {
  it("answers the command as the run's result without a model turn", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    operator.send({ type: "req", id: "a1", method: "agent", params: { message: "/status", idempotencyKey: "agent-status" } });
    const accepted = await operator.response("a1");
    expect(accepted.payload.status).toBe("accepted");
    const final = await operator.response("a1");
    expect(final.payload).toMatchObject({ runId: "agent-status", status: "ok", sessionKey: SESSION });
    expect(final.payload.result.payloads[0].text).toContain("Model: rec/test-model");
    expect(provider.requests).toHaveLength(0);
  });

  it("every advertised command is answered through agent without a model turn", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    const listed = (await operator.call("commands.list", {})).payload.commands as { name: string; textAliases: string[] }[];
    for (const [index, command] of listed.entries()) {
      const id = `agent-${index}`;
      operator.send({ type: "req", id, method: "agent", params: { message: command.textAliases[0], idempotencyKey: `agent-all-${index}` } });
      expect((await operator.response(id)).payload.status, command.name).toBe("accepted");
      const final = await operator.response(id);
      expect(final.payload.result.meta.command, command.name).toBe(command.name);
      expect(final.payload.result.payloads[0].text, command.name).not.toMatch(/^Echo:/);
    }
    expect(provider.requests).toHaveLength(0);
  });

  it("an agent call retried with the same idempotency key answers the first result without running the command again", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    operator.send({ type: "req", id: "new-1", method: "agent", params: { message: "/new rec/other", idempotencyKey: "agent-new-once" } });
    expect((await operator.response("new-1")).payload.status).toBe("accepted");
    const text = (await operator.response("new-1")).payload.result.payloads[0].text as string;
    expect(text).toMatch(/^New session started/);
    const sessionId = (await operator.call("chat.history", { sessionKey: SESSION })).payload.sessionId;
    // The retry is answered once, with the first run's result (no second "accepted").
    const retried = await operator.call("agent", { message: "/new rec/other", idempotencyKey: "agent-new-once" });
    expect(retried.payload).toMatchObject({ runId: "agent-new-once", status: "ok", result: { payloads: [{ text }] } });
    expect((await operator.call("chat.history", { sessionKey: SESSION })).payload.sessionId).toBe(sessionId);
  });

  it("/new and /reset through agent need operator.admin", async () => {
    const gateway = await start(new RecordingProvider());
    const writer = await client(gateway, ["operator.write"]);
    const refused = await writer.call("agent", { message: "/reset", idempotencyKey: "agent-reset" });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.admin", details: { missingScope: "operator.admin" } });
  });
});

describe("owner commands over the gateway's own queues", () => {
  it("/approve lists a waiting exec request and decides it", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    const requested = await operator.call("exec.approval.request", { command: "rm -rf /tmp/x", host: "gateway", twoPhase: true });
    const id = requested.payload.id as string;
    expect(await say(operator, "/approve")).toContain(`${id}: rm -rf /tmp/x on gateway`);
    expect(await say(operator, `/approve ${id} deny`)).toBe(`Exec request ${id}: deny.`);
    expect((await operator.call("exec.approval.get", { id })).payload.decision).toBe("deny");
    expect(await say(operator, `/approve ${id} maybe`)).toBe(`/approve: /approve ${id} takes once, always or deny, not "maybe"`);
  });

  it("/pair lists a device waiting to pair and approves it, after which it connects", async () => {
    const gateway = await start(new RecordingProvider(), { pairing: { autoApproveLocal: false } });
    const operator = await owner(gateway);
    const device = createDevice();
    const first = await connectClient(gateway, (nonce) => signConnect(device, uiParams(), nonce));
    opened.clients.push(first.client);
    expect(first.hello.ok).toBe(false);
    const listing = await say(operator, "/pair");
    const requestId = /^(\S+): /m.exec(listing.split("\n")[1] ?? "")?.[1];
    expect(requestId, listing).toBeDefined();
    expect(await say(operator, `/pair approve ${requestId}`)).toBe(`Device ${device.id.slice(0, 12)} paired; it can connect now.`);
    const second = await connectClient(gateway, (nonce) => signConnect(device, uiParams(), nonce));
    opened.clients.push(second.client);
    expect(second.hello.ok, JSON.stringify(second.hello.error)).toBe(true);
    expect(await say(operator, "/pair")).toBe("No devices are waiting to pair.");
  });
});

describe("commands.list", () => {
  const capture = JSON.parse(readFileSync(new URL("../../../fixtures/openclaw-2026.9.6/captures/commands-list-text.json", import.meta.url), "utf8")) as {
    commands: { name: string; textAliases: string[] }[];
  };

  it("advertises each implemented command with the reference gateway's name and aliases, and arguments only when asked", async () => {
    const operator = await owner(await start(new RecordingProvider()));
    const plain = (await operator.call("commands.list", { agentId: "main", scope: "text", includeArgs: false })).payload.commands as {
      name: string;
      textAliases: string[];
      args?: unknown;
    }[];
    expect(plain.map((command) => command.name).sort()).toEqual(
      [
        "activation",
        "allowlist",
        "approve",
        "commands",
        "compact",
        "help",
        "model",
        "models",
        "name",
        "new",
        "pair",
        "queue",
        "reasoning",
        "reset",
        "send",
        "status",
        "steer",
        "stop",
        "think",
        "usage",
        "verbose",
        "whoami",
      ].sort(),
    );
    for (const command of plain) {
      expect(command.args).toBeUndefined();
      expect(command.textAliases, command.name).toEqual(capture.commands.find((reference) => reference.name === command.name)?.textAliases);
    }
    const full = (await operator.call("commands.list", { includeArgs: true })).payload.commands as {
      name: string;
      args?: { name: string; dynamic?: boolean }[];
    }[];
    expect(full.find((command) => command.name === "think")?.args).toEqual([{ name: "level", description: "Thinking level", type: "string", dynamic: true }]);
  });

  it("every advertised alias runs its command", async () => {
    const provider = new RecordingProvider();
    const operator = await owner(await start(provider));
    const listed = (await operator.call("commands.list", {})).payload.commands as { name: string; textAliases: string[] }[];
    for (const command of listed.filter((entry) => !["new", "reset", "stop", "compact", "steer"].includes(entry.name))) {
      for (const alias of command.textAliases) await say(operator, alias);
    }
    expect(provider.requests).toHaveLength(0);
  });
});
