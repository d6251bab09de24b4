import { afterEach, describe, expect, it } from "vitest";
import { GatewayServer } from "@openclaw/gateway-core";
import { allChecks, runChecks, type CheckContext, type CheckOutcome } from "../src/index.js";
import { contextFor, startBrokenGateway, tokenAuth, type BrokenBehaviour } from "./helpers.js";

type AgentOptions = NonNullable<ConstructorParameters<typeof GatewayServer>[0]["agent"]>;
type Provider = ReturnType<AgentOptions["resolveModel"]>["provider"];

/** A model that answers "ok" at once and counts how often it was asked. */
class CountingProvider {
  readonly id = "counting";
  readonly label = "counting (test)";
  calls = 0;
  async *stream() {
    this.calls += 1;
    yield { type: "text" as const, delta: "ok" };
    yield { type: "done" as const, stopReason: "end" as const };
  }
}

async function runOne(id: string, context: CheckContext): Promise<CheckOutcome> {
  const [result] = await runChecks(
    allChecks().filter((check) => check.id === id),
    context,
  );
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("dispatch.idempotent-replay", () => {
  it("passes against our GatewayServer with an agent: one model run, and the session is gone afterwards", async () => {
    const provider = new CountingProvider();
    const server = new GatewayServer({
      port: 0,
      auth: tokenAuth(),
      version: "0.0.0-test",
      authDelay: async () => undefined,
      agent: { resolveModel: () => ({ provider: provider as unknown as Provider, model: "test-model" }), listModels: async () => [] },
    });
    await server.start();
    stop = () => server.stop();
    const outcome = await runOne("dispatch.idempotent-replay", { ...contextFor(server.url), allowMutations: true });
    expect(outcome).toMatchObject({ status: "pass" });
    expect(provider.calls).toBe(1);
    expect(server.agent!.sessions().filter((session) => session.key.startsWith("conformance-"))).toEqual([]);
  });

  it("skips without --allow-mutations, naming the flag", async () => {
    const outcome = await runOne("dispatch.idempotent-replay", contextFor("ws://127.0.0.1:9"));
    expect(outcome).toMatchObject({ status: "skip", reason: expect.stringContaining("--allow-mutations") });
  });

  const advertised = { features: { methods: ["chat.send", "chat.history", "chat.abort", "sessions.delete"], events: ["chat"] } };

  async function against(behaviour: BrokenBehaviour): Promise<CheckOutcome> {
    const server = await startBrokenGateway(behaviour);
    stop = server.close;
    return runOne("dispatch.idempotent-replay", { ...contextFor(server.url, 400), allowMutations: true });
  }

  /** A gateway that runs every chat.send it gets, replay or not: each message lands in the transcript; the replay answers `replayStatus`. */
  function runsEveryReplay(replayStatus: string): BrokenBehaviour {
    const sent: unknown[] = [];
    return {
      helloExtra: advertised,
      onFrame: (socket, frame) => {
        if (frame.method === "chat.send") {
          sent.push({ role: "user", content: [{ type: "text", text: frame.params.message }] });
          socket.send(
            JSON.stringify({
              type: "res",
              id: frame.id,
              ok: true,
              payload: { runId: frame.params.idempotencyKey, status: sent.length > 1 ? replayStatus : "started" },
            }),
          );
          socket.send(JSON.stringify({ type: "event", event: "chat", payload: { runId: frame.params.idempotencyKey, state: "final" } }));
          return true;
        }
        if (frame.method === "chat.history") {
          socket.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { messages: sent } }));
          return true;
        }
        return false;
      },
      answer: () => ({ ok: true, payload: { ok: true } }),
    };
  }

  it("fails against a gateway that answers the replay with a second start", async () => {
    const outcome = await against(runsEveryReplay("started"));
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining('replayed chat.send answered status "started" (a second run)') });
  });

  it("fails against a gateway that answers the replay as in flight but still sends the message twice", async () => {
    const outcome = await against(runsEveryReplay("in_flight"));
    expect(outcome).toMatchObject({ status: "fail", detail: "chat.history holds the message 2 times; expected it once" });
  });

  it("fails when the session it made cannot be deleted, saying so", async () => {
    const outcome = await against({
      helloExtra: advertised,
      answer: (frame) =>
        frame.method === "sessions.delete"
          ? { ok: false, error: { code: "UNAVAILABLE", message: "store locked" } }
          : { ok: true, payload: { runId: "x", status: "in_flight", messages: [] } },
    });
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("cleanup: sessions.delete conformance-idempotency-") });
  });
});
