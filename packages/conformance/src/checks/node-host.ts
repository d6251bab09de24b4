// The kit's built-in test node: a throwaway device connecting with role `node` and a small declared
// surface (§9.1), paired and approved through the admin connection when the gateway asks for it.
import type { CheckContext } from "../check.js";
import { show } from "../session.js";
import type { WireConnection } from "../wire.js";
import { answerText, connectDevice, expectOk, StepFailed, type DeviceAttempt, type Scene } from "./pairing-scene.js";

/**
 * Harmless commands in the Windows platform defaults (§9.3), so an approved surface opens them
 * without any `gateway.nodes.commands.allow`; the test node answers them itself.
 */
export const TEST_NODE_COMMANDS = ["device.info", "device.status"] as const;
const TEST_NODE_CAPS = ["device"] as const;
const TEST_NODE_NAME = "openclaw-conformance-node";

const nodeClient = { id: "node-host", mode: "node", platform: "windows", deviceFamily: "Windows", displayName: TEST_NODE_NAME };

function connectNode(context: CheckContext, scene: Scene): Promise<DeviceAttempt> {
  return connectDevice(context, scene.identity, {
    role: "node",
    scopes: [],
    client: nodeClient,
    extra: { caps: [...TEST_NODE_CAPS], commands: [...TEST_NODE_COMMANDS] },
  });
}

const pairingRequestId = (attempt: DeviceAttempt): string | undefined => {
  const details = attempt.res?.ok === true ? undefined : attempt.res?.error?.details;
  return details?.code === "PAIRING_REQUIRED" && typeof details.requestId === "string" ? details.requestId : undefined;
};

/** How the test node got in: its connection, and a reason to skip when only an admin could let it in. */
export type NodeAdmission = { readonly connection: WireConnection; readonly hello: any } | { readonly skip: string };

/**
 * Connect the test node. From loopback with the shared credential a gateway may pair it silently
 * (§4.4); when it answers PAIRING_REQUIRED instead, the admin approves the request and the node
 * connects again, or, without `--admin-token`, the caller is told to skip.
 */
export async function admitTestNode(context: CheckContext, scene: Scene): Promise<NodeAdmission> {
  const first = scene.keep(await connectNode(context, scene));
  if (first.res?.ok === true) return { connection: first.connection, hello: first.res.payload };
  const requestId = pairingRequestId(first);
  if (requestId === undefined)
    throw new StepFailed(`a node connect (role node, signed device, caps and commands) got ${answerText(first, context)}; expected hello-ok`);
  if (context.adminToken === undefined)
    return { skip: `the gateway keeps a new node device waiting for approval (requestId ${requestId}) and no --admin-token was given to approve it` };
  await expectOk(await scene.admin(), context, "device.pair.approve", { requestId });
  const again = scene.keep(await connectNode(context, scene));
  if (again.res?.ok !== true) throw new StepFailed(`after device.pair.approve, the node's connect got ${answerText(again, context)}; expected hello-ok`);
  return { connection: again.connection, hello: again.res.payload };
}

/**
 * Approve the node's declared command surface (§4.6): until then a gateway filters its commands
 * out (§9.1). A gateway that created no pending request for it is left as it is.
 */
export async function approveNodeSurface(context: CheckContext, scene: Scene): Promise<void> {
  const admin = await scene.admin();
  const list = await expectOk(admin, context, "node.pair.list", {});
  const pending: any[] = Array.isArray(list?.pending) ? list.pending : [];
  const request = pending.find((item) => item?.nodeId === scene.identity.id);
  if (request === undefined) return;
  if (typeof request.requestId !== "string") throw new StepFailed(`node.pair.list pending entry for the test node has requestId ${show(request.requestId)}`);
  await expectOk(admin, context, "node.pair.approve", { requestId: request.requestId });
}
