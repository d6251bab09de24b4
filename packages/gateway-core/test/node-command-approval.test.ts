import { afterEach, describe, expect, it } from "vitest";
import type { ConnectParams } from "@openclaw/protocol";
import type { GatewayServer, GatewayServerOptions } from "../src/index.js";
import { RawClient, connectClient, connectParams, createDevice, signConnect, startGateway, type TestDevice } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

async function start(options: Partial<GatewayServerOptions> = {}) {
  server = await startGateway(options);
  return server;
}

function nodeParams(commands: string[]): ConnectParams {
  return connectParams({
    role: "node",
    scopes: [],
    client: { id: "node-host", version: "1", platform: "linux", mode: "node", displayName: "garden sensor" },
    caps: [],
    commands,
  });
}

async function connectNode(gateway: GatewayServer, device: TestDevice, commands: string[]) {
  const { client, hello } = await connectClient(gateway, (nonce) => signConnect(device, nodeParams(commands), nonce));
  clients.push(client);
  return { client, hello };
}

async function operatorClient(gateway: GatewayServer, scopes = ["operator.admin", "operator.pairing"]) {
  const { client } = await connectClient(gateway, () => connectParams({ scopes }));
  clients.push(client);
  return client;
}

/** Answer every invoke with the command's name. */
function echo(node: RawClient) {
  void (async () => {
    for (;;) {
      const request = await node.event("node.invoke.request").catch(() => undefined);
      if (!request) return;
      node.send({
        type: "req",
        id: `res-${request.payload.id}`,
        method: "node.invoke.result",
        params: { id: request.payload.id, nodeId: request.payload.nodeId, ok: true, payload: { ran: request.payload.command } },
      });
    }
  })();
}

const invoke = (operator: RawClient, nodeId: string, command: string) =>
  operator.call("node.invoke", { nodeId, command, idempotencyKey: `${command}-${Math.random()}` });

describe("approving a node's declared commands", () => {
  it("opens a custom command with one approval and no config, and says which declared commands stay refused", async () => {
    const gateway = await start();
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const requested = operator.event("node.pair.requested");
    const { client: node } = await connectNode(gateway, device, ["garden.moisture", "location.get", "camera.snap"]);
    echo(node);
    const request = (await requested).payload;
    const hint = "add it to gateway.nodes.commands.allow (config.patch applies it without a restart)";
    const review = { approved: ["garden.moisture", "location.get"], withheld: [{ command: "camera.snap", reason: "not-allowlisted", remediationHint: hint }] };
    expect(request.commandReview).toEqual(review);
    expect((await operator.call("node.pair.list", {})).payload.pending[0].commandReview).toEqual(review);

    const approved = await operator.call("node.pair.approve", { requestId: request.requestId });
    expect(approved.payload.commandReview).toEqual(review);
    expect((await invoke(operator, device.id, "garden.moisture")).payload.payload).toEqual({ ran: "garden.moisture" });
    expect((await invoke(operator, device.id, "location.get")).payload.payload).toEqual({ ran: "location.get" });
    expect((await invoke(operator, device.id, "camera.snap")).error).toMatchObject({
      code: "INVALID_REQUEST",
      message: `node command not allowed: camera.snap needs an explicit allow on this gateway (it is not opened by approving node "garden sensor") (reason not-allowlisted); ${hint}`,
    });
  });

  it("an approver without operator.admin cannot approve a surface declaring system.run; an admin approval opens it", async () => {
    const gateway = await start();
    const admin = await operatorClient(gateway);
    const writer = await operatorClient(gateway, ["operator.write", "operator.pairing"]);
    const device = createDevice();
    const requested = admin.event("node.pair.requested");
    const { client: node } = await connectNode(gateway, device, ["system.run", "system.which", "fs.listDir"]);
    echo(node);
    const { requestId } = (await requested).payload;

    const refused = await writer.call("node.pair.approve", { requestId });
    expect(refused.error).toMatchObject({
      code: "FORBIDDEN",
      message: "missing scope: operator.admin",
      details: { code: "MISSING_SCOPE", missingScope: "operator.admin" },
    });
    expect((await invoke(admin, device.id, "system.which")).error.details.reason).toBe("not-approved");

    const approved = await admin.call("node.pair.approve", { requestId });
    expect(approved.payload.commandReview).toMatchObject({
      approved: ["system.run", "system.which"],
      withheld: [{ command: "fs.listDir", reason: "not-allowlisted" }],
    });
    expect((await invoke(admin, device.id, "system.which")).payload.payload).toEqual({ ran: "system.which" });
    expect((await invoke(admin, device.id, "fs.listDir")).error.details.reason).toBe("not-allowlisted");
  });

  it("allow and deny lists replaced while running apply to the next invoke, without reconnecting the node", async () => {
    const gateway = await start({ nodeCommands: { allow: [], deny: [] } });
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const requested = operator.event("node.pair.requested");
    const { client: node } = await connectNode(gateway, device, ["garden.moisture", "camera.snap"]);
    echo(node);
    await operator.call("node.pair.approve", { requestId: (await requested).payload.requestId });
    expect((await invoke(operator, device.id, "camera.snap")).error.details.reason).toBe("not-allowlisted");

    gateway.nodes.setCommandLists({ allow: ["camera.snap"], deny: ["garden.moisture"] });
    expect((await invoke(operator, device.id, "camera.snap")).payload.payload).toEqual({ ran: "camera.snap" });
    const denied = await invoke(operator, device.id, "garden.moisture");
    expect(denied.error.details).toMatchObject({ reason: "denied", remediationHint: expect.stringContaining("remove it from gateway.nodes.commands.deny") });
    expect((await operator.call("node.list", {})).payload.nodes[0].commands).toEqual(["camera.snap"]);
  });

  it("approving a node's device also approves the commands it declared while waiting: one approval, then it works", async () => {
    const gateway = await start({ pairing: { autoApproveLocal: false } });
    const operator = await operatorClient(gateway);
    const device = createDevice();
    const refused = await connectNode(gateway, device, ["garden.moisture"]);
    expect(refused.hello.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "PAIRING_REQUIRED", reason: "not-paired" } });
    // The surface is visible to approvers before the device is paired.
    const pendingNode = (await operator.call("node.pair.list", {})).payload.pending;
    expect(pendingNode).toMatchObject([{ nodeId: device.id, commands: ["garden.moisture"], commandReview: { approved: ["garden.moisture"], withheld: [] } }]);

    const approved = await operator.call("device.pair.approve", { requestId: refused.hello.error.details.requestId });
    expect(approved.payload.nodeCommandReview).toEqual({ approved: ["garden.moisture"], withheld: [] });
    expect((await operator.call("node.pair.list", {})).payload.pending).toEqual([]);

    const { client: node, hello } = await connectNode(gateway, device, ["garden.moisture"]);
    expect(hello.ok).toBe(true);
    echo(node);
    expect((await invoke(operator, device.id, "garden.moisture")).payload.payload).toEqual({ ran: "garden.moisture" });
  });
});
