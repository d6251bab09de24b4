// Node role checks (§9): run with `--as node`. The kit connects its own test node (a throwaway
// device), so each check needs --allow-mutations, and removes the node and its device at the end.
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { fail, outcomeOf, skip, type Check, type CheckContext, type CheckOutcome } from "../check.js";
import { call, connectOperator, noAnswer, show } from "../session.js";
import type { WireConnection } from "../wire.js";
import { admitTestNode, approveNodeSurface, TEST_NODE_COMMANDS } from "./node-host.js";
import { missingFlags, StepFailed, withThrowawayDevice, type Scene } from "./pairing-scene.js";

const PAIRS = "it pairs a throwaway test node device, then removes it";
const APPROVES = "it pairs a throwaway test node and approves its declared commands (§9.1: they stay filtered until approved), then removes it";

function nodeCheck(
  fields: Pick<Check, "id" | "section" | "title">,
  needsAdmin: boolean,
  body: (context: CheckContext, scene: Scene, node: WireConnection, hello: any) => Promise<CheckOutcome>,
): Check {
  return {
    ...fields,
    level: "MUST",
    role: "node",
    run: (context) => {
      const missing = missingFlags(context, { adminToken: needsAdmin, mutations: true }, needsAdmin ? APPROVES : PAIRS);
      if (missing) return Promise.resolve(missing);
      return withThrowawayDevice(context, { node: true }, async (scene) => {
        const admitted = await admitTestNode(context, scene);
        if ("skip" in admitted) return skip(admitted.skip);
        return body(context, scene, admitted.connection, admitted.hello);
      });
    },
  };
}

/** An operator connection for the node's counterpart; closed by the caller. */
async function operatorFor(context: CheckContext, scopes: readonly string[]): Promise<WireConnection> {
  try {
    return (await connectOperator(context, scopes)).connection;
  } catch (error) {
    throw new StepFailed((error as Error).message);
  }
}

const nodeConnect = nodeCheck(
  {
    id: "node.connect",
    section: "9.1",
    title: "a role node connect with a signed device proof and declared caps and commands gets hello-ok for role node",
  },
  false,
  async (_context, _scene, _node, hello) => {
    const problems: string[] = [];
    if (hello?.type !== "hello-ok") problems.push(`payload.type: expected "hello-ok", got ${show(hello?.type)}`);
    if (hello?.auth?.role !== undefined && hello.auth.role !== "node") problems.push(`payload.auth.role: expected "node", got ${show(hello.auth.role)}`);
    return outcomeOf(problems);
  },
);

const nodeListed = nodeCheck(
  {
    id: "node.listed",
    section: "9.5",
    title: "once its surface is approved, node.list shows the connected node with every command it declared",
  },
  true,
  async (context, scene) => {
    await approveNodeSurface(context, scene);
    const reader = await operatorFor(context, ["operator.read"]);
    try {
      const res = await call(reader, context, "node.list", {});
      if (!res) return fail(`node.list: ${noAnswer(reader, context.answerTimeoutMs)}`);
      if (res.ok !== true) return fail(`node.list answered ${show(res.error)}; expected ok`);
      const nodes: unknown = res.payload?.nodes;
      if (!Array.isArray(nodes)) return fail(`node.list payload.nodes is ${show(nodes)}; expected an array`);
      const entry = nodes.find((node: any) => node?.nodeId === scene.identity.id);
      if (!entry) return fail(`node.list has no node ${show(scene.identity.id)} (got ids ${show(nodes.map((node: any) => node?.nodeId))})`);
      const problems: string[] = [];
      if (entry.connected !== true) problems.push(`connected: expected true, got ${show(entry.connected)}`);
      const commands: unknown[] = Array.isArray(entry.commands) ? entry.commands : [];
      const missing = TEST_NODE_COMMANDS.filter((command) => !commands.includes(command));
      if (missing.length > 0) problems.push(`commands ${show(entry.commands)} lack the declared ${missing.join(", ")}`);
      return outcomeOf(problems.map((problem) => `node ${scene.identity.id}: ${problem}`));
    } finally {
      await reader.end();
    }
  },
);

const invokeRoundTrip = nodeCheck(
  {
    id: "node.invoke-round-trip",
    section: "9.2",
    title: "node.invoke reaches the node as node.invoke.request, and the node's node.invoke.result payload comes back to the operator unchanged",
  },
  true,
  async (context, scene, node) => {
    await approveNodeSurface(context, scene);
    const operator = await operatorFor(context, ["operator.write"]);
    try {
      const command = TEST_NODE_COMMANDS[0];
      const params = { probe: randomUUID() };
      const answer = { deviceName: "openclaw-conformance", probe: params.probe, nested: { list: [1, "two", null], flag: true } };
      const invokeId = `req-${randomUUID()}`;
      operator.send({
        type: "req",
        id: invokeId,
        method: "node.invoke",
        params: { nodeId: scene.identity.id, command, params, timeoutMs: context.answerTimeoutMs, idempotencyKey: randomUUID() },
      });
      const request = await node.next((frame) => frame.type === "event" && frame.event === "node.invoke.request", context.answerTimeoutMs);
      if (!request) {
        const early = await operator.response(invokeId, 0);
        return fail(`the node got no node.invoke.request (${noAnswer(node, context.answerTimeoutMs)}); the operator got ${show(early ?? "no answer yet")}`);
      }
      const problems: string[] = [];
      const event = request.payload;
      if (typeof event?.id !== "string" || event.id === "") problems.push(`node.invoke.request id: expected a string, got ${show(event?.id)}`);
      if (event?.nodeId !== scene.identity.id) problems.push(`node.invoke.request nodeId: expected ${show(scene.identity.id)}, got ${show(event?.nodeId)}`);
      if (event?.command !== command) problems.push(`node.invoke.request command: expected ${show(command)}, got ${show(event?.command)}`);
      if (typeof event?.paramsJSON !== "string" || !isDeepStrictEqual(safeParse(event.paramsJSON), params))
        problems.push(`node.invoke.request paramsJSON: expected ${show(JSON.stringify(params))}, got ${show(event?.paramsJSON)}`);
      const ack = await call(node, context, "node.invoke.result", { id: event?.id, nodeId: scene.identity.id, ok: true, payload: answer });
      if (ack?.ok !== true)
        problems.push(`node.invoke.result from the node answered ${show(ack?.error ?? noAnswer(node, context.answerTimeoutMs))}; expected ok`);
      const res = await operator.response(invokeId, context.answerTimeoutMs);
      if (!res) problems.push(`node.invoke: ${noAnswer(operator, context.answerTimeoutMs)}`);
      else if (res.ok !== true) problems.push(`node.invoke answered ${show(res.error)}; expected ok`);
      else {
        if (res.payload?.nodeId !== scene.identity.id)
          problems.push(`node.invoke payload.nodeId: expected ${show(scene.identity.id)}, got ${show(res.payload?.nodeId)}`);
        if (res.payload?.command !== command) problems.push(`node.invoke payload.command: expected ${show(command)}, got ${show(res.payload?.command)}`);
        if (!isDeepStrictEqual(res.payload?.payload, answer))
          problems.push(`node.invoke payload.payload: expected the node's ${show(answer)} unchanged, got ${show(res.payload?.payload)}`);
      }
      return outcomeOf(problems);
    } finally {
      await operator.end();
    }
  },
);

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every node check, in run order; they run with `--as node` only. */
export function nodeChecks(): Check[] {
  return [nodeConnect, nodeListed, invokeRoundTrip];
}
