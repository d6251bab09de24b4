import { InvalidInputError } from "../errors.js";
import type { NodeService } from "../nodes/node-service.js";
import type { Connection } from "../transport/connection.js";
import type { MethodHandlers, RequestContext } from "./types.js";

/** The node a node-role caller is: its device id, or its client id without a device. */
const callerNodeId = (context: RequestContext) => context.deviceId ?? context.client.id;

/** `node.*`: listing, invoking and the node-side answers, pending work, and surface approvals. */
export function createNodeHandlers(nodes: NodeService, findConnection: (connId: string) => Connection | undefined): MethodHandlers {
  return {
    "node.list": () => ({ ts: nodes.now(), nodes: nodes.list() }),
    "node.describe": (params) => ({ ...nodes.describe(params.nodeId), ts: nodes.now() }),
    "node.invoke": async (params, context) => {
      const result = await nodes.invoke(findConnection(context.connId), params, context.signal);
      return { ok: true as const, nodeId: params.nodeId, command: params.command, payload: result.payload, payloadJSON: result.payloadJSON };
    },
    "node.invoke.result": (params, context) => {
      if (params.nodeId !== callerNodeId(context)) throw new InvalidInputError("nodeId mismatch");
      return nodes.completeInvoke(params);
    },
    "node.invoke.progress": (params, context) => {
      if (params.nodeId !== callerNodeId(context)) throw new InvalidInputError("nodeId mismatch");
      return nodes.forwardProgress(params);
    },
    "node.event": (params, context) => nodes.handleEvent(callerNodeId(context), params),
    "node.pending.enqueue": (params) => ({ ok: true as const, item: nodes.enqueuePending(params) }),
    "node.pending.drain": (params, context) => {
      const nodeId = callerNodeId(context);
      const { items, hasMore } = nodes.drainPending(nodeId, params.maxItems ?? 10);
      return { nodeId, revision: nodes.now(), items, hasMore };
    },
    "node.pair.list": () => nodes.surfaces.list(),
    "node.pair.approve": (params, context) => nodes.surfaces.approve(nodes.surfaces.request(params.requestId), context.scopes),
    "node.pair.reject": (params) => {
      const request = nodes.surfaces.request(params.requestId);
      nodes.surfaces.reject(request);
      return { requestId: request.requestId, nodeId: request.nodeId };
    },
    "node.pair.remove": (params) => {
      nodes.remove(params.nodeId);
      return { nodeId: params.nodeId };
    },
    "node.rename": (params) => {
      nodes.rename(params.nodeId, params.displayName);
      return { nodeId: params.nodeId, displayName: params.displayName };
    },
  };
}
