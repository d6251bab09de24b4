import { afterEach, describe, expect, it } from "vitest";
import { allChecks, runChecks, selectChecks, type CheckOutcome } from "../src/index.js";
import { contextFor, startBrokenGateway, type BrokenBehaviour } from "./helpers.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** Run one check against a broken gateway; short waits, since the broken server never answers some things. */
async function runAgainst(behaviour: BrokenBehaviour, id: string): Promise<CheckOutcome> {
  const server = await startBrokenGateway(behaviour);
  stop = server.close;
  const [result] = await runChecks(
    selectChecks(allChecks(), [id]).filter((check) => check.id === id),
    contextFor(server.url, 400),
  );
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

describe("checks against deliberately broken gateways", () => {
  it("handshake.challenge-first fails when the server waits for connect instead of challenging", async () => {
    const outcome = await runAgainst({ challenge: false }, "handshake.challenge-first");
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("expected connect.challenge first") });
  });

  it("handshake.challenge-first fails when another event comes before the challenge", async () => {
    const outcome = await runAgainst({ beforeChallenge: { type: "event", event: "tick", payload: { ts: 1 }, seq: 1 } }, "handshake.challenge-first");
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringMatching(/first frame is .*"tick".*expected the connect.challenge event/) });
  });

  it("events.seq-increasing fails when a seq repeats, naming both", async () => {
    const outcome = await runAgainst(
      {
        afterHello: (socket) => {
          for (const seq of [1, 2, 2, 3]) socket.send(JSON.stringify({ type: "event", event: "presence", payload: { presence: [] }, seq }));
        },
      },
      "events.seq-increasing",
    );
    expect(outcome).toMatchObject({ status: "fail", detail: 'event "presence" has seq 2 after seq 2; expected it to increase' });
  });

  it("events.tick-interval fails when the advertised tick never comes", async () => {
    const outcome = await runAgainst({ tickIntervalMs: 50 }, "events.tick-interval");
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("no tick within") });
  });

  it("dispatch.scope-before-lookup fails when the method is looked up before the scope", async () => {
    const outcome = await runAgainst(
      { answer: (frame) => ({ ok: false, error: { code: "INVALID_REQUEST", message: `unknown method: ${frame.method}` } }) },
      "dispatch.scope-before-lookup",
    );
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("looked up before the scope was checked") });
  });

  it("a MUST check whose handshake is refused fails with the refusal, it does not throw", async () => {
    const outcome = await runAgainst({ hello: false }, "dispatch.unknown-method");
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("handshake with scopes operator.admin failed") });
  });
});
