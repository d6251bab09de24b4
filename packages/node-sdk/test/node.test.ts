import { afterEach, describe, expect, it } from "vitest";
import { GatewayRequestError } from "@openclaw/client";
import { createNodeIdentity } from "@openclaw/client/node";
import {
  NodeCommandError,
  NodeDisconnectedError,
  NodeInvokeCancelledError,
  createNode,
  type CommandHandlers,
  type CreateNodeOptions,
  type GatewayNode,
} from "../src/index.js";
import {
  Cleanups,
  FAST_RECONNECT,
  TOKEN,
  approveSurfaceOf,
  connectOperator,
  deferred,
  nextSurfaceRequest,
  startGateway,
  waitForNodeStatus,
} from "./helpers.js";

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

type Extra<Map> = Partial<Omit<CreateNodeOptions<Map>, "commands">> & { url: string };

async function startNode<Map extends Record<string, unknown>>(commands: CommandHandlers<Map>, extra: Extra<Map>): Promise<GatewayNode> {
  const node = await createNode<Map>({ token: TOKEN, displayName: "test node", platform: "ios", reconnect: FAST_RECONNECT, commands, ...extra });
  return cleanups.add(node, (started) => started.close());
}

function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  return promise.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => {
      expect(error).toBeInstanceOf(GatewayRequestError);
      return error as GatewayRequestError;
    },
  );
}

/** A node whose `my.slow` never answers; `aborted` settles with the abort reason its handler sees. */
async function startSlowNode(url: string, operator: Parameters<typeof approveSurfaceOf>[0]) {
  const identity = createNodeIdentity();
  const surface = approveSurfaceOf(operator, identity.id);
  const started = deferred();
  const aborted = deferred<unknown>();
  const node = await startNode(
    {
      "my.slow": (_params, context) => {
        context.signal.addEventListener("abort", () => aborted.resolve(context.signal.reason));
        started.resolve();
        return new Promise(() => undefined);
      },
    },
    { url, identity },
  );
  await surface;
  return { node, started, aborted };
}

describe("createNode against a real gateway", () => {
  it("waits out device pairing, then serves location.get and a custom command with progress", async () => {
    const server = await startGateway(cleanups, { pairing: { autoApproveLocal: false }, nodeCommands: { allow: ["my.echo"] } });
    const operator = await connectOperator(cleanups, server.url);
    const identity = createNodeIdentity();
    const surface = approveSurfaceOf(operator, identity.id);
    const node = await startNode(
      {
        "location.get": (params) => ({
          lat: 48.85,
          lon: 2.35,
          accuracyMeters: params.desiredAccuracy === "precise" ? 5 : 1000,
          timestamp: "2026-11-24T00:00:00.000Z",
          isPrecise: true,
          source: "gps",
        }),
        "my.echo": (params, context) => {
          context.progress("half");
          context.progress("done");
          return { echoed: params, command: context.command };
        },
      },
      { url: server.url, identity, caps: ["location"], permissions: { "location.get": true } },
    );

    const waiting = await waitForNodeStatus(node, "awaiting-pairing");
    expect(waiting).toMatchObject({ reason: "not-paired", error: { code: "NOT_PAIRED", detailCode: "PAIRING_REQUIRED" } });
    await operator.call("device.pair.approve", { requestId: waiting.requestId! });
    await node.opened();
    expect(node.status).toMatchObject({ state: "open", nodeId: identity.id });
    expect(await surface).toEqual(["location.get", "my.echo"]);

    const location = await operator.call("node.invoke", { nodeId: node.nodeId, command: "location.get", params: { desiredAccuracy: "precise" } });
    expect(location.payload).toMatchObject({ lat: 48.85, lon: 2.35, accuracyMeters: 5, source: "gps" });

    const chunks: string[] = [];
    operator.on("node.invoke.progress", (progress) => chunks.push(progress.chunk));
    const echo = await operator.call("node.invoke", { nodeId: node.nodeId, command: "my.echo", params: { hello: "world" } });
    expect(echo.payload).toEqual({ echoed: { hello: "world" }, command: "my.echo" });
    // The node waits for its progress to be taken before answering, so it arrived first.
    expect(chunks).toEqual(["half", "done"]);
  });

  it("is filtered until its surface is approved, and the deny list always wins", async () => {
    const server = await startGateway(cleanups, { nodeCommands: { allow: ["my.echo"], deny: ["location.get"] } });
    const operator = await connectOperator(cleanups, server.url);
    const identity = createNodeIdentity();
    const request = nextSurfaceRequest(operator, identity.id);
    const location = () => ({ lat: 0, lon: 0, accuracyMeters: 1, timestamp: new Date().toISOString(), isPrecise: false, source: "unknown" as const });
    const node = await startNode({ "location.get": location, "my.echo": (params) => params }, { url: server.url, identity });
    await node.opened();

    const early = await rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "my.echo" }));
    expect(early).toMatchObject({ code: "INVALID_REQUEST", details: { reason: "not-approved", command: "my.echo" } });
    await operator.call("node.pair.approve", { requestId: await request });
    expect((await operator.call("node.invoke", { nodeId: node.nodeId, command: "my.echo", params: [1, 2] })).payload).toEqual([1, 2]);
    const denied = await rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "location.get" }));
    expect(denied).toMatchObject({ code: "INVALID_REQUEST", details: { reason: "denied", command: "location.get" } });
  });

  it("answers handler exceptions with ok:false and the error's code, else COMMAND_FAILED", async () => {
    const server = await startGateway(cleanups);
    const operator = await connectOperator(cleanups, server.url);
    const identity = createNodeIdentity();
    const surface = approveSurfaceOf(operator, identity.id);
    const node = await startNode(
      {
        "location.get": () => {
          throw new NodeCommandError("LOCATION_PERMISSION_REQUIRED", "location permission required");
        },
        "camera.list": async () => {
          throw new Error("no camera stack");
        },
      },
      { url: server.url, identity },
    );
    await surface;
    const coded = await rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "location.get" }));
    expect(coded).toMatchObject({
      code: "UNAVAILABLE",
      details: { nodeError: { code: "LOCATION_PERMISSION_REQUIRED", message: "location permission required" } },
    });
    const plain = await rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "camera.list" }));
    expect(plain).toMatchObject({ code: "UNAVAILABLE", details: { nodeError: { code: "COMMAND_FAILED", message: "no camera stack" } } });
  });

  it("bounds a handler that never returns by the invoke's timeout, then keeps serving", async () => {
    const server = await startGateway(cleanups, { nodeCommands: { allow: ["my.stuck", "my.echo"] } });
    const operator = await connectOperator(cleanups, server.url);
    const identity = createNodeIdentity();
    const surface = approveSurfaceOf(operator, identity.id);
    const aborted = deferred<unknown>();
    const node = await startNode(
      {
        "my.stuck": (_params, context) => {
          context.signal.addEventListener("abort", () => aborted.resolve(context.signal.reason));
          return new Promise(() => undefined);
        },
        "my.echo": (params) => params,
      },
      { url: server.url, identity },
    );
    await surface;
    const timedOut = await rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "my.stuck", timeoutMs: 100 }));
    expect(timedOut).toMatchObject({ code: "UNAVAILABLE", details: { nodeError: { code: "TIMEOUT" } } });
    // The node's own timer and the gateway's cancel race; either way the handler was told to stop.
    expect(["TIMEOUT", "CANCELLED"]).toContain(((await aborted.promise) as { code: string }).code);
    expect((await operator.call("node.invoke", { nodeId: node.nodeId, command: "my.echo", params: "still here" })).payload).toBe("still here");
  });

  it("aborts the handler with CANCELLED when the operator goes away", async () => {
    const server = await startGateway(cleanups, { nodeCommands: { allow: ["my.slow"] } });
    const operator = await connectOperator(cleanups, server.url);
    const { node, started, aborted } = await startSlowNode(server.url, operator);
    const quitter = await connectOperator(cleanups, server.url);
    const pending = quitter.call("node.invoke", { nodeId: node.nodeId, command: "my.slow", timeoutMs: 60_000 }).catch(() => undefined);
    await started.promise;
    await quitter.close();
    await pending;
    expect(await aborted.promise).toBeInstanceOf(NodeInvokeCancelledError);
  });

  it("a node closed mid-invoke fails the operator's call with UNAVAILABLE and aborts the handler", async () => {
    const server = await startGateway(cleanups, { nodeCommands: { allow: ["my.slow"] } });
    const operator = await connectOperator(cleanups, server.url);
    const { node, started, aborted } = await startSlowNode(server.url, operator);
    const pending = rejection(operator.call("node.invoke", { nodeId: node.nodeId, command: "my.slow", timeoutMs: 60_000 }));
    await started.promise;
    await node.close();
    expect(await pending).toMatchObject({ code: "UNAVAILABLE", message: "node.invoke failed: node disconnected (my.slow)" });
    expect(await aborted.promise).toBeInstanceOf(NodeDisconnectedError);
    expect(node.status.state).toBe("closed");
  });

  it("reconnects when the gateway restarts on the same port", async () => {
    const first = await startGateway(cleanups);
    const node = await startNode({ "system.notify": () => ({}) }, { url: first.url });
    await node.opened();
    const port = first.port;
    const reconnecting = waitForNodeStatus(node, "reconnecting");
    await first.stop();
    await reconnecting;
    const second = await startGateway(cleanups, { port });
    await waitForNodeStatus(node, "open");
    const operator = await connectOperator(cleanups, second.url);
    expect((await operator.call("node.list", {})).nodes.map((listed) => listed.nodeId)).toEqual([node.nodeId]);
  });

  it("refuses a handler map entry that is not a function", async () => {
    await expect(createNode({ url: "ws://127.0.0.1:1", displayName: "x", commands: { "my.bad": 42 as never } })).rejects.toThrow('commands["my.bad"]');
  });
});
