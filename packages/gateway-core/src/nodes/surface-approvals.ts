import type { Broadcast } from "../events/bus.js";
import { randomUUID } from "node:crypto";
import { WireErrors, scopeSatisfied, type ConnectParams, type MethodResult, type NodeCommandReview } from "@openclaw/protocol";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { approvalScopes, reviewSurface, type NodeCommandLists } from "./command-policy.js";
import type { NodePairRequest, NodeStore } from "./node-store.js";

export interface SurfaceApprovalHooks {
  readonly broadcast: Broadcast;
  /** The allow and deny lists as they are now (they change with the config). */
  readonly commandLists: () => NodeCommandLists;
  readonly now: () => number;
}

/**
 * Node capability approval (`node.pair.*`): what each node declared, what approving it opens under
 * the command policy, and the approval itself. Every approval path (the method, and a device
 * approval of a node) goes through {@link SurfaceApprovals.approve}, so each applies the same
 * scope rule and says which declared commands stay refused.
 */
export class SurfaceApprovals {
  constructor(
    private readonly store: NodeStore,
    private readonly hooks: SurfaceApprovalHooks,
  ) {}

  /**
   * A node declared its commands (on connect, or while it waits for device pairing). A surface
   * inside what was approved needs nothing; a new or wider one waits for an operator.
   */
  declare(nodeId: string, params: ConnectParams, remoteIp: string | undefined): void {
    const declared = [...(params.commands ?? [])].sort();
    const surface = this.store.surface(nodeId);
    if (surface && declared.every((command) => surface.commands.includes(command))) return;
    const previous = this.store.requestForNode(nodeId);
    const same = previous !== undefined && JSON.stringify([...previous.commands].sort()) === JSON.stringify(declared);
    const client = params.client;
    const request: NodePairRequest = {
      requestId: same ? previous.requestId : randomUUID(),
      nodeId,
      ...(client.displayName ? { displayName: client.displayName } : {}),
      platform: client.platform,
      version: client.version,
      ...(client.deviceFamily ? { deviceFamily: client.deviceFamily } : {}),
      ...(client.modelIdentifier ? { modelIdentifier: client.modelIdentifier } : {}),
      caps: params.caps ?? [],
      commands: declared,
      ...(params.permissions ? { permissions: params.permissions } : {}),
      ...(remoteIp ? { remoteIp } : {}),
      silent: false,
      isRepair: surface !== undefined,
      ts: this.hooks.now(),
    };
    this.store.saveRequest(request);
    if (!same) this.hooks.broadcast("node.pair.requested", this.pendingView(request));
  }

  /** What approving a request opens, under the allow and deny lists as they are now. */
  review(request: NodePairRequest): NodeCommandReview {
    const lists = this.hooks.commandLists();
    return reviewSurface(
      { declared: request.commands, caps: request.caps, platform: request.platform, deviceFamily: request.deviceFamily, allow: lists.allow, deny: lists.deny },
      request.nodeId,
    );
  }

  /** Pending surface approvals, each with what approving it would open, and approved nodes. */
  list(): MethodResult<"node.pair.list"> {
    return {
      pending: this.store.requests().map((request) => this.pendingView(request)),
      paired: this.store.surfaces().map((surface) => ({
        nodeId: surface.nodeId,
        displayName: surface.displayName,
        platform: surface.platform,
        caps: [...surface.caps],
        commands: [...surface.commands],
        approvedAtMs: surface.approvedAtMs,
      })),
    };
  }

  /** A waiting surface approval; throws INVALID_REQUEST when there is none with this id. */
  request(requestId: string): NodePairRequest {
    const request = this.store.request(requestId);
    if (!request) throw new NotFoundError("unknown requestId");
    return request;
  }

  /**
   * Approves a node's declared surface for an operator holding `scopes`: a surface with commands
   * needs operator.write, and operator.admin when it declares an admin command (FORBIDDEN otherwise).
   */
  approve(request: NodePairRequest, scopes: readonly string[]): MethodResult<"node.pair.approve"> {
    const needs = approvalScopes(request.commands);
    const missing = needs.find((scope) => !scopeSatisfied(scopes, scope));
    if (missing) throw ForbiddenError.fromWire(WireErrors.missingScope(missing, ["operator.pairing", ...needs]));
    const approvedAtMs = this.hooks.now();
    this.store.approve({
      nodeId: request.nodeId,
      displayName: request.displayName,
      platform: request.platform,
      deviceFamily: request.deviceFamily,
      commands: request.commands,
      caps: request.caps,
      approvedAtMs,
    });
    this.store.removeRequest(request.requestId);
    this.hooks.broadcast("node.pair.resolved", { requestId: request.requestId, nodeId: request.nodeId, decision: "approved", ts: approvedAtMs });
    return {
      requestId: request.requestId,
      node: {
        nodeId: request.nodeId,
        displayName: request.displayName,
        platform: request.platform,
        caps: [...request.caps],
        commands: [...request.commands],
        approvedAtMs,
      },
      commandReview: this.review(request),
    };
  }

  /**
   * A device was approved for the node role: its declared surface is approved in the same step,
   * when it declared one and the approver may approve it. Returns what that opened.
   */
  approveForDevice(nodeId: string, scopes: readonly string[]): NodeCommandReview | undefined {
    const request = this.store.requestForNode(nodeId);
    if (!request || approvalScopes(request.commands).some((scope) => !scopeSatisfied(scopes, scope))) return undefined;
    return this.approve(request, scopes).commandReview;
  }

  /** Rejects a node's command surface and tells operators. */
  reject(request: NodePairRequest): void {
    this.store.removeRequest(request.requestId);
    this.hooks.broadcast("node.pair.resolved", { requestId: request.requestId, nodeId: request.nodeId, decision: "rejected", ts: this.hooks.now() });
  }

  private pendingView(request: NodePairRequest) {
    return {
      ...request,
      caps: [...request.caps],
      commands: [...request.commands],
      ...(request.permissions ? { permissions: { ...request.permissions } } : {}),
      commandReview: this.review(request),
    };
  }
}
