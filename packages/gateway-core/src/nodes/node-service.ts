import type { Broadcast, SendTo } from "../events/bus.js";
import { randomUUID } from "node:crypto";
import { NODE_INVOKE_TIMEOUT_MS, WireErrors, type MethodParams, type MethodResult, type NodeSummary } from "@openclaw/protocol";
import { NodeCommandError, NodeCommandNotAllowedError, NotFoundError } from "../errors.js";
import type { Connection } from "../transport/connection.js";
import { decideCommand, invocableCommands, refusalExplanation, remediationHint, type CommandPolicyInput, type NodeCommandLists } from "./command-policy.js";
import type { NodeStore } from "./node-store.js";
import { SurfaceApprovals } from "./surface-approvals.js";

export interface NodeServiceHooks {
  readonly sendTo: SendTo<Connection>;
  readonly broadcast: Broadcast;
  /** Close a connection another node connection replaced, or whose node was removed. */
  readonly close: (connection: Connection, code: number, reason: string) => void;
  /** `gateway.nodes.commands` at start; {@link NodeService.setCommandLists} replaces it while running. */
  readonly commandLists?: NodeCommandLists;
  /** An agent turn asked for by a node (`voice.transcript`, `agent.request`). */
  readonly agentRequest?: (message: string, sessionKey: string | undefined) => void;
  readonly now?: () => number;
}

interface LiveNode {
  readonly connection: Connection;
  readonly connectedAtMs: number;
  readonly chatSubscriptions: Set<string>;
}

interface PendingInvoke {
  readonly nodeId: string;
  readonly command: string;
  readonly operator: Connection | undefined;
  readonly resolve: (value: { payload: unknown; payloadJSON: string | null }) => void;
  readonly reject: (error: NodeCommandError) => void;
  readonly timer: NodeJS.Timeout;
}

const nodeError = (code: string, message: string) => new NodeCommandError(message, { details: { nodeError: { code, message } } });

/** Connected nodes, their command policy and approvals, and `node.invoke` routing. */
export class NodeService {
  private readonly live = new Map<string, LiveNode>();
  private readonly invokes = new Map<string, PendingInvoke>();
  private lists: NodeCommandLists;
  readonly now: () => number;
  /** What each node declared and its approval (`node.pair.*`). */
  readonly surfaces: SurfaceApprovals;

  constructor(
    private readonly store: NodeStore,
    private readonly hooks: NodeServiceHooks,
  ) {
    this.now = hooks.now ?? Date.now;
    this.lists = { allow: [...(hooks.commandLists?.allow ?? [])], deny: [...(hooks.commandLists?.deny ?? [])] };
    this.surfaces = new SurfaceApprovals(store, { broadcast: hooks.broadcast, commandLists: () => this.commandLists(), now: this.now });
  }

  /** The allow and deny lists every policy decision reads. */
  commandLists(): NodeCommandLists {
    return this.lists;
  }

  /**
   * Replaces `gateway.nodes.commands` for every later decision, without a restart. The config
   * methods call this through the gateway's live-config hook after a write.
   */
  setCommandLists(lists: NodeCommandLists): void {
    this.lists = { allow: [...lists.allow], deny: [...lists.deny] };
  }

  /** A node finished its handshake: it replaces any older connection of the same node. */
  attach(connection: Connection): void {
    const nodeId = this.nodeIdOf(connection);
    const previous = this.live.get(nodeId);
    this.live.set(nodeId, { connection, connectedAtMs: this.now(), chatSubscriptions: new Set() });
    if (previous && previous.connection !== connection) this.hooks.close(previous.connection, 1008, "node replaced by a newer connection");
    this.store.seen(nodeId, this.now(), "connect");
    this.surfaces.declare(nodeId, connection.admission!.params, connection.remoteAddress);
  }

  /** A node's socket closed: every invoke waiting on it fails now. */
  detach(connection: Connection): void {
    const nodeId = this.nodeIdOf(connection);
    if (this.live.get(nodeId)?.connection !== connection) return;
    this.live.delete(nodeId);
    this.store.seen(nodeId, this.now(), "disconnect");
    for (const [id, invoke] of this.invokes) {
      if (invoke.nodeId !== nodeId) continue;
      clearTimeout(invoke.timer);
      this.invokes.delete(id);
      invoke.reject(
        new NodeCommandError(`node disconnected (${invoke.command})`, { details: { nodeError: { code: "DISCONNECTED", message: "node disconnected" } } }),
      );
    }
  }

  /** Nodes subscribed to a session's chat events. */
  chatSubscribers(sessionKey: string): Connection[] {
    return [...this.live.values()].filter((node) => node.chatSubscriptions.has(sessionKey)).map((node) => node.connection);
  }

  /** Reject every pending invoke and clear its timer (shutdown). */
  close(): void {
    for (const invoke of this.invokes.values()) {
      clearTimeout(invoke.timer);
      invoke.reject(nodeError("UNAVAILABLE", "gateway stopping"));
    }
    this.invokes.clear();
  }

  isLive(nodeId: string): boolean {
    return this.live.has(nodeId);
  }

  nodeIdOf(connection: Connection): string {
    const admission = connection.admission!;
    return admission.deviceId ?? admission.params.client.id;
  }

  private policyInput(connection: Connection): CommandPolicyInput {
    const params = connection.admission!.params;
    const surface = this.store.surface(this.nodeIdOf(connection));
    const lists = this.lists;
    return {
      declared: params.commands ?? [],
      caps: params.caps ?? [],
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
      approved: surface?.commands,
      allow: lists.allow,
      deny: lists.deny,
    };
  }

  private summary(nodeId: string): NodeSummary {
    const node = this.live.get(nodeId);
    const surface = this.store.surface(nodeId);
    const params = node?.connection.admission!.params;
    return {
      nodeId,
      ...((params?.client.displayName ?? surface?.displayName) ? { displayName: surface?.displayName ?? params?.client.displayName } : {}),
      ...((params?.client.platform ?? surface?.platform) ? { platform: params?.client.platform ?? surface?.platform } : {}),
      ...(params?.client.version ? { version: params.client.version } : {}),
      ...((params?.client.deviceFamily ?? surface?.deviceFamily) ? { deviceFamily: params?.client.deviceFamily ?? surface?.deviceFamily } : {}),
      ...(params?.client.modelIdentifier ? { modelIdentifier: params.client.modelIdentifier } : {}),
      ...(node ? { remoteIp: node.connection.remoteAddress, connectedAtMs: node.connectedAtMs } : {}),
      caps: params?.caps ?? [...(surface?.caps ?? [])],
      commands: node ? invocableCommands(this.policyInput(node.connection)) : [...(surface?.commands ?? [])],
      ...(params?.pathEnv ? { pathEnv: params.pathEnv } : {}),
      ...(params?.permissions ? { permissions: params.permissions } : {}),
      paired: surface !== undefined,
      connected: node !== undefined,
      ...(surface?.lastSeenAtMs !== undefined ? { lastSeenAtMs: surface.lastSeenAtMs, lastSeenReason: surface.lastSeenReason } : {}),
    };
  }

  /** Sends a command to a connected node under its command policy; settles with its answer, a timeout, cancel or disconnect. */
  invoke(
    operator: Connection | undefined,
    params: { nodeId: string; command: string; params?: unknown; timeoutMs?: number; idempotencyKey: string },
    signal: AbortSignal,
  ) {
    const node = this.live.get(params.nodeId);
    if (!node) return Promise.reject(nodeError("NOT_CONNECTED", `node not connected: ${params.nodeId}`));
    const policy = this.policyInput(node.connection);
    const decision = decideCommand(policy, params.command);
    if (!decision.allowed) {
      const name = node.connection.admission!.params.client.displayName;
      // The hint carries the node id; the explanation names the node as operators see it.
      const label = name ? `"${name}"` : params.nodeId;
      const refusal = WireErrors.nodeCommandNotAllowed({
        command: params.command,
        nodeId: params.nodeId,
        reason: decision.reason,
        explanation: refusalExplanation(decision.reason, params.command, label),
        remediationHint: remediationHint(decision.reason, params.command, params.nodeId, policy.approved !== undefined),
      });
      return Promise.reject(NodeCommandNotAllowedError.fromWire(refusal));
    }
    const id = randomUUID();
    const timeoutMs = params.timeoutMs ?? NODE_INVOKE_TIMEOUT_MS;
    return new Promise<{ payload: unknown; payloadJSON: string | null }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.invokes.delete(id);
        this.hooks.sendTo(node.connection, "node.invoke.cancel", { invokeId: id, nodeId: params.nodeId });
        reject(nodeError("TIMEOUT", "node invoke timed out"));
      }, timeoutMs);
      this.invokes.set(id, { nodeId: params.nodeId, command: params.command, operator, resolve, reject, timer });
      signal.addEventListener(
        "abort",
        () => {
          if (!this.invokes.delete(id)) return;
          clearTimeout(timer);
          this.hooks.sendTo(node.connection, "node.invoke.cancel", { invokeId: id, nodeId: params.nodeId });
          reject(nodeError("CANCELLED", "node invoke cancelled"));
        },
        { once: true },
      );
      this.hooks.sendTo(node.connection, "node.invoke.request", {
        id,
        nodeId: params.nodeId,
        command: params.command,
        paramsJSON: params.params === undefined ? null : JSON.stringify(params.params),
        timeoutMs,
        idempotencyKey: params.idempotencyKey,
      });
    });
  }

  /** Run a node command for an agent tool call (same policy as `node.invoke`). */
  invokeForAgent(nodeId: string, command: string, params: unknown, signal: AbortSignal) {
    return this.invoke(undefined, { nodeId, command, params, idempotencyKey: randomUUID() }, signal);
  }

  /** Connected nodes and what each may run, for offering tools to the model. */
  connectedCommands(): { nodeId: string; displayName: string | undefined; commands: string[] }[] {
    return [...this.live.entries()].map(([nodeId, node]) => ({
      nodeId,
      displayName: node.connection.admission!.params.client.displayName,
      commands: invocableCommands(this.policyInput(node.connection)),
    }));
  }

  /** Every node that is connected or approved: connected first, then by name. */
  list(): NodeSummary[] {
    const ids = new Set([...this.live.keys(), ...this.store.surfaces().map((surface) => surface.nodeId)]);
    const nodes = [...ids].map((id) => this.summary(id));
    nodes.sort((a, b) => Number(b.connected) - Number(a.connected) || (a.displayName ?? a.nodeId).localeCompare(b.displayName ?? b.nodeId));
    return nodes;
  }

  /** One node, connected or approved; throws INVALID_REQUEST for a node never seen. */
  describe(nodeId: string): NodeSummary {
    if (!this.live.has(nodeId) && !this.store.surface(nodeId)) throw new NotFoundError(`unknown node: ${nodeId}`);
    return this.summary(nodeId);
  }

  /** A node answered an invoke: the waiting call resolves or fails; an answer nobody waits for is ignored. */
  completeInvoke(params: MethodParams<"node.invoke.result">): { ok: true; ignored?: true } {
    const pending = this.invokes.get(params.id);
    if (!pending || pending.nodeId !== params.nodeId) return { ok: true as const, ignored: true };
    this.invokes.delete(params.id);
    clearTimeout(pending.timer);
    if (!params.ok) {
      const error = params.error ?? {};
      pending.reject(new NodeCommandError(error.message ?? `node command failed: ${pending.command}`, { details: { nodeError: error } }));
    } else if (params.payloadJSON !== undefined && params.payloadJSON !== null) {
      let payload: unknown;
      try {
        payload = JSON.parse(params.payloadJSON);
      } catch {
        pending.reject(nodeError("BAD_RESULT", "node sent payloadJSON that is not JSON"));
        return { ok: true as const };
      }
      pending.resolve({ payload, payloadJSON: params.payloadJSON });
    } else {
      pending.resolve({ payload: params.payload ?? null, payloadJSON: params.payload === undefined ? null : JSON.stringify(params.payload) });
    }
    return { ok: true as const };
  }

  /** Passes an invoke's progress on to the operator that asked, if it is still waiting. */
  forwardProgress(params: MethodParams<"node.invoke.progress">): { ok: true; ignored?: true } {
    const pending = this.invokes.get(params.invokeId);
    if (!pending) return { ok: true as const, ignored: true };
    if (pending.operator) this.hooks.sendTo(pending.operator, "node.invoke.progress", params);
    return { ok: true as const };
  }

  /** An event a node sent (`node.event`): chat subscriptions, presence, and agent requests. */
  handleEvent(nodeId: string, params: MethodParams<"node.event">): MethodResult<"node.event"> {
    let payload: Record<string, unknown>;
    try {
      payload = (params.payloadJSON ? JSON.parse(params.payloadJSON) : (params.payload ?? {})) as Record<string, unknown>;
    } catch {
      return { ok: false, event: params.event, handled: false, reason: "payloadJSON is not JSON" };
    }
    const node = this.live.get(nodeId);
    const sessionKey = typeof payload["sessionKey"] === "string" ? payload["sessionKey"] : undefined;
    switch (params.event) {
      case "chat.subscribe":
      case "chat.unsubscribe":
        if (!node || !sessionKey) return { ok: false, event: params.event, handled: false, reason: "sessionKey required" };
        if (params.event === "chat.subscribe") node.chatSubscriptions.add(sessionKey);
        else node.chatSubscriptions.delete(sessionKey);
        return { ok: true, event: params.event, handled: true };
      case "node.presence.alive":
        this.store.seen(nodeId, this.now(), String(payload["trigger"] ?? "alive"));
        this.hooks.broadcast("node.presence", { nodeId, lastSeenAtMs: this.now(), reason: String(payload["trigger"] ?? "alive") });
        return { ok: true, event: params.event, handled: true };
      case "voice.transcript":
      case "agent.request": {
        const message = String(payload["text"] ?? payload["message"] ?? "");
        if (!message || !this.hooks.agentRequest) return { ok: false, event: params.event, handled: false, reason: "no agent available or empty message" };
        this.hooks.agentRequest(message, sessionKey);
        return { ok: true, event: params.event, handled: true };
      }
      default:
        return { ok: true, event: params.event, handled: false, reason: "unknown event" };
    }
  }

  /** Queues work for a node to pick up with `node.pending.drain`. */
  enqueuePending(params: MethodParams<"node.pending.enqueue">) {
    return this.store.enqueue(params.nodeId, {
      type: params.type,
      priority: params.priority ?? "normal",
      createdAtMs: this.now(),
      ...(params.expiresInMs !== undefined ? { expiresAtMs: this.now() + params.expiresInMs } : {}),
    });
  }

  drainPending(nodeId: string, maxItems: number) {
    return this.store.drain(nodeId, maxItems, this.now());
  }

  /** Forgets a node's approval and closes its connection; throws INVALID_REQUEST for an unknown node. */
  remove(nodeId: string): void {
    const removed = this.store.removeSurface(nodeId);
    const live = this.live.get(nodeId);
    if (!removed && !live) throw new NotFoundError(`unknown node: ${nodeId}`);
    if (live) this.hooks.close(live.connection, 4001, "client invalidated: node removed");
  }

  /** Renames an approved node; throws INVALID_REQUEST for a node not approved. */
  rename(nodeId: string, displayName: string): void {
    if (!this.store.rename(nodeId, displayName)) throw new NotFoundError(`unknown node: ${nodeId} (approve it first)`);
  }
}
