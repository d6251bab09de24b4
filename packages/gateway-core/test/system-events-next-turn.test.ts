import { afterEach, describe, expect, it } from "vitest";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "@openclaw/agent";
import type { GatewayServer, GatewayServerOptions } from "../src/index.js";
import { type Frame, type RawClient, connectClient, connectParams, startGateway } from "./harness.js";

/** Stands for a reply that never comes: the stream waits until the run is aborted. */
const HANG = Symbol("hang");

/** A fake of the remote model: records every request it receives and answers `reply(request)`. */
class RecordingProvider implements ModelProvider {
  readonly id = "recording";
  readonly label = "recording (test)";
  readonly requests: ModelRequest[] = [];
  constructor(private readonly reply: (request: ModelRequest) => string | typeof HANG = () => "NO_REPLY") {}

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    const text = this.reply(request);
    if (text === HANG) {
      await new Promise((_, reject) => request.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
      return;
    }
    yield { type: "text", delta: text };
    yield { type: "done", stopReason: "end" };
  }
}

/** The user-role texts a request carried, in order (system events arrive as user lines). */
const userTexts = (request: ModelRequest) => request.messages.filter((message) => message.role === "user").map((message) => message.content);
const SYSTEM_LINE = /^System: \[\d{4}-\d\d-\d\dT[\d:.]+Z\] /;

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

async function start(provider: ModelProvider, heartbeat: GatewayServerOptions["heartbeat"] = { prompt: "Heartbeat prompt" }) {
  server = await startGateway({ agent: { resolveModel: () => ({ provider, model: "test-model" }), listModels: async () => [] }, heartbeat });
  const { client, hello } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"], caps: ["tool-events"] }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return { gateway: server, client };
}

async function chatTurn(client: RawClient, sessionKey: string, message: string, key: string): Promise<Frame> {
  expect((await client.call("chat.send", { sessionKey, message, idempotencyKey: key })).payload).toMatchObject({ status: "started" });
  return client.next((frame) => frame.event === "chat" && frame.payload.runId === key && frame.payload.state === "final");
}

async function queued(client: RawClient): Promise<string[]> {
  return ((await client.call("status", {})).payload.queuedSystemEvents as { text: string }[]).map((event) => event.text);
}

/** Add a job that is not due for an hour, then run it now; resolves with its `finished` cron event. */
async function runCronJob(client: RawClient, job: Record<string, unknown>): Promise<Frame> {
  const added = await client.call("cron.add", { name: "test job", schedule: { kind: "at", at: Date.now() + 3_600_000 }, ...job });
  expect(added.ok, JSON.stringify(added.error)).toBe(true);
  const id = added.payload.id as string;
  expect((await client.call("cron.run", { id, mode: "force" })).payload).toMatchObject({ ok: true });
  return client.next((frame) => frame.event === "cron" && frame.payload.jobId === id && frame.payload.action === "finished");
}

describe("system events (system-event, wake, cron systemEvent) reach the session's next agent turn", () => {
  it("system-event lines join the main session's next user turn once, oldest first, ahead of its message", async () => {
    const provider = new RecordingProvider(() => "noted");
    const { client } = await start(provider);
    await client.call("system-event", { text: "Backup finished" });
    await client.call("system-event", { text: "Disk 91% full" });
    await client.call("system-event", { text: "for the ops agent", sessionKey: "agent:ops:main" });
    expect(await queued(client)).toEqual(["Backup finished", "Disk 91% full"]);

    await chatTurn(client, "agent:main:main", "what's new?", "u1");
    const [lines, message] = userTexts(provider.requests[0]!);
    expect(lines!.split("\n")).toEqual([expect.stringMatching(SYSTEM_LINE), expect.stringMatching(SYSTEM_LINE)]);
    expect(lines!.split("\n").map((line) => line.replace(SYSTEM_LINE, ""))).toEqual(["Backup finished", "Disk 91% full"]);
    expect(message).toBe("what's new?");
    expect(await queued(client)).toEqual([]);

    // Drained once: the next turn sees them only as history, not as a second delivery.
    await chatTurn(client, "agent:main:main", "and now?", "u2");
    expect(userTexts(provider.requests[1]!).filter((text) => SYSTEM_LINE.test(text))).toHaveLength(1);
    const history = (await client.call("chat.history", { sessionKey: "agent:main:main" })).payload.messages as {
      role: string;
      runId?: string;
      content: { text: string }[];
    }[];
    expect(history[0]).toMatchObject({ role: "user", runId: "u1", content: [{ text: lines }] });

    // Another session's event waited for that session's own turn.
    expect(provider.requests.flatMap(userTexts).some((text) => text.includes("for the ops agent"))).toBe(false);
    await chatTurn(client, "agent:ops:main", "hi ops", "o1");
    expect(userTexts(provider.requests[2]!)[0]).toMatch(/\] for the ops agent$/);
  });

  it("holds at most the newest 20 lines per session", async () => {
    const provider = new RecordingProvider(() => "ok");
    const { client } = await start(provider);
    for (let i = 1; i <= 25; i++) await client.call("system-event", { text: `event ${i}` });
    await chatTurn(client, "agent:main:main", "go", "u1");
    const lines = userTexts(provider.requests[0]!)[0]!
      .split("\n")
      .map((line) => line.replace(SYSTEM_LINE, ""));
    expect(lines).toEqual(Array.from({ length: 20 }, (_, index) => `event ${index + 6}`));
  });

  it("wake next-heartbeat waits for the beat; the beat's turn reads it and its agent events say isHeartbeat", async () => {
    const provider = new RecordingProvider(() => "NO_REPLY");
    const { gateway, client } = await start(provider);
    expect((await client.call("wake", { mode: "next-heartbeat", text: "Reminder: call Bob" })).payload).toEqual({ ok: true });
    // A turn would have drained the queue as it started; it is still there, so none did.
    expect(await queued(client)).toEqual(["Reminder: call Bob"]);

    await gateway.heartbeat!.beat();
    expect((await client.event("heartbeat")).payload).toMatchObject({ status: "ok-empty" });
    expect(userTexts(provider.requests[0]!)).toEqual([expect.stringMatching(/\] Reminder: call Bob$/), "Heartbeat prompt"]);
    const beatEvents = client.frames.filter((frame) => frame.event === "agent").map((frame) => frame.payload);
    expect(beatEvents.length).toBeGreaterThan(0);
    expect(beatEvents.every((event) => event.isHeartbeat === true)).toBe(true);

    // A user's turn is not a heartbeat's.
    client.frames.length = 0;
    await chatTurn(client, "agent:main:main", "hello", "u1");
    const userEvents = client.frames.filter((frame) => frame.event === "agent").map((frame) => frame.payload);
    expect(userEvents.length).toBeGreaterThan(0);
    expect(userEvents.some((event) => "isHeartbeat" in event)).toBe(false);
  });

  it("wake now, and system-event with wake:true, run a turn at once, even with periodic beats disabled", async () => {
    const provider = new RecordingProvider(() => "On it");
    const { client } = await start(provider, { enabled: false, prompt: "Heartbeat prompt" });
    await client.call("wake", { mode: "now", text: "Package delivered" });
    expect((await client.event("heartbeat")).payload).toMatchObject({ status: "ok-token", reason: "wake", preview: "On it" });
    expect(userTexts(provider.requests[0]!)).toEqual([expect.stringMatching(/\] Package delivered$/), "Heartbeat prompt"]);

    await client.call("system-event", { text: "Door opened", wake: true });
    await client.event("heartbeat");
    expect(userTexts(provider.requests[1]!).at(-2)).toMatch(/\] Door opened$/);
    expect(await queued(client)).toEqual([]);
  });

  it("cron systemEvent: next-heartbeat leaves the line queued; now runs the turn that reads both, in order", async () => {
    const provider = new RecordingProvider(() => "NO_REPLY");
    const { client } = await start(provider);
    const later = await runCronJob(client, { sessionTarget: "main", wakeMode: "next-heartbeat", payload: { kind: "systemEvent", text: "Daily report ready" } });
    expect(later.payload).toMatchObject({ status: "ok", summary: "system event queued" });
    expect(await queued(client)).toEqual(["Daily report ready"]);

    await runCronJob(client, { sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "Server restarted" } });
    expect((await client.event("heartbeat")).payload).toMatchObject({ reason: "cron" });
    const [lines, prompt] = userTexts(provider.requests[0]!);
    expect(lines!.split("\n").map((line) => line.replace(SYSTEM_LINE, ""))).toEqual(["Daily report ready", "Server restarted"]);
    expect(prompt).toBe("Heartbeat prompt");
  });

  it("cron agentTurn runs on the payload's model, and fails naming a provider this gateway does not have", async () => {
    const provider = new RecordingProvider(() => "summary");
    const { client } = await start(provider);
    const plain = await runCronJob(client, { sessionTarget: "isolated", wakeMode: "now", payload: { kind: "agentTurn", message: "summarize" } });
    expect(plain.payload).toMatchObject({ status: "ok" });
    const chosen = await runCronJob(client, {
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "summarize", model: "recording/big-model" },
    });
    expect(chosen.payload).toMatchObject({ status: "ok", summary: "summary" });
    expect(provider.requests.map((request) => request.model)).toEqual(["test-model", "big-model"]);

    const unknown = await runCronJob(client, {
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "x", model: "elsewhere/x" },
    });
    expect(unknown.payload).toMatchObject({ status: "error", error: expect.stringContaining('provider "elsewhere" is not configured on this gateway') });
    expect(provider.requests).toHaveLength(2);
  });

  it("cron agentTurn's timeoutSeconds aborts a turn that outlives it", async () => {
    const provider = new RecordingProvider(() => HANG);
    const { client } = await start(provider);
    const finished = await runCronJob(client, {
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "slow", timeoutSeconds: 1 },
    });
    expect(finished.payload).toMatchObject({ status: "aborted", error: "cron agentTurn timed out after 1s" });
    const job = (await client.call("cron.get", { id: finished.payload.jobId })).payload;
    expect(job.state).toMatchObject({ lastRunStatus: "error", lastError: "cron agentTurn timed out after 1s" });
  });
});
