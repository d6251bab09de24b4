import { afterEach, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { allChecks, runChecks, type CheckContext, type CheckOutcome } from "../src/index.js";
import { stateEventChecks } from "../src/checks/events-state.js";
import { contextFor, startBrokenGateway, startGateway, type BrokenBehaviour } from "./helpers.js";

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

async function ours(): Promise<GatewayServer> {
  const server = await startGateway();
  stop = () => server.stop();
  return server;
}

async function against(behaviour: BrokenBehaviour, id: string, extra: Partial<CheckContext> = {}): Promise<CheckOutcome> {
  const server = await startBrokenGateway(behaviour);
  stop = server.close;
  return runOne(id, { ...contextFor(server.url, 400), ...extra });
}

const snapshot = (presence: number, health: number) => ({ snapshot: { presence: [], health: {}, stateVersion: { presence, health }, uptimeMs: 1 } });
const stateEvent = (event: string, presence: number, health: number) =>
  JSON.stringify({ type: "event", event, payload: {}, stateVersion: { presence, health } });

describe("events.state-version-order", () => {
  it("passes against our GatewayServer", async () => {
    const server = await ours();
    expect(await runOne("events.state-version-order", contextFor(server.url))).toMatchObject({ status: "pass" });
  });

  it("fails when a health event carries an older presence version than the snapshot, naming both", async () => {
    const outcome = await against(
      {
        helloExtra: snapshot(5, 2),
        afterHello: (socket) => {
          socket.send(stateEvent("presence", 6, 2));
          socket.send(stateEvent("health", 4, 3));
        },
      },
      "events.state-version-order",
    );
    expect(outcome).toMatchObject({ status: "fail", detail: "health event #2: stateVersion.presence went back from 6 to 4" });
  });

  it("fails when a presence event has no stateVersion", async () => {
    const outcome = await against(
      { helloExtra: snapshot(1, 1), afterHello: (socket) => socket.send(JSON.stringify({ type: "event", event: "presence", payload: {} })) },
      "events.state-version-order",
    );
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("presence event #1: stateVersion.presence is undefined") });
  });

  it("skips when no presence or health event arrives", async () => {
    const outcome = await against({ helloExtra: snapshot(1, 1) }, "events.state-version-order");
    expect(outcome).toMatchObject({ status: "skip", reason: expect.stringContaining("no presence or health event arrived") });
  });
});

describe("events.shutdown-on-stop", () => {
  it("passes when our GatewayServer is stopped while the check waits", async () => {
    const server = await ours();
    const running = runOne("events.shutdown-on-stop", { ...contextFor(server.url), allowDisruptive: true });
    // The check's own connection is the only one; once it is in, stop the gateway under it.
    await expect.poll(() => server.connectionCount, { timeout: 5000 }).toBe(1);
    await server.stop();
    expect(await running).toMatchObject({ status: "pass" });
  });

  it("skips, saying so, when nobody stops the gateway within its wait", async () => {
    const server = await startBrokenGateway({});
    stop = server.close;
    const check = stateEventChecks(300).find((c) => c.id === "events.shutdown-on-stop")!;
    const [result] = await runChecks([check], { ...contextFor(server.url, 400), allowDisruptive: true });
    expect(result).toMatchObject({ status: "skip", reason: expect.stringContaining("the gateway was not stopped within 0.3 s") });
  });

  it("skips without --allow-disruptive, naming the flag", async () => {
    const outcome = await runOne("events.shutdown-on-stop", contextFor("ws://127.0.0.1:9"));
    expect(outcome).toMatchObject({ status: "skip", reason: expect.stringContaining("--allow-disruptive") });
  });

  it("fails when the gateway announces the shutdown but closes 1000", async () => {
    const outcome = await against(
      {
        afterHello: (socket) => {
          socket.send(JSON.stringify({ type: "event", event: "shutdown", payload: { reason: "gateway stopping" } }));
          socket.close(1000, "bye");
        },
      },
      "events.shutdown-on-stop",
      { allowDisruptive: true },
    );
    expect(outcome).toMatchObject({ status: "fail", detail: 'expected close 1012 "service restart" after the shutdown event, got closed 1000 "bye"' });
  });

  it("fails when the gateway closes without a shutdown event", async () => {
    const outcome = await against({ afterHello: (socket) => socket.close(1012, "service restart") }, "events.shutdown-on-stop", { allowDisruptive: true });
    expect(outcome).toMatchObject({ status: "fail", detail: 'the socket closed 1012 "service restart" with no shutdown event before it' });
  });
});
