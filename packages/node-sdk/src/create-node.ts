import {
  CLIENT_VERSION,
  DEFAULT_RECONNECT_POLICY,
  GatewayClosedError,
  InMemoryDeviceTokenStore,
  isTerminalFailure,
  reconnectDelay,
  type ClientStatus,
  type DeviceIdentity,
  type DeviceTokenStore,
  type GatewayClient,
  type ReconnectPolicy,
} from "@openclaw/client";
import { FileDeviceTokenStore, connectNode, createNodeIdentity, loadOrCreateIdentity, type NodeConnectOptions } from "@openclaw/client/node";
import type { HelloOk } from "@openclaw/protocol";
import type { CommandHandler, CommandHandlers } from "./commands.js";
import { NodeConfigError } from "./errors.js";
import { InvokeRunner, type InvokeSink } from "./invoke-runner.js";
import { pendingPairing, type NodeStatus } from "./status.js";

/** Options of {@link createNode}. */
export interface CreateNodeOptions<Map> {
  /** Gateway URL, e.g. `ws://127.0.0.1:18789`. */
  readonly url: string;
  /** The gateway's shared token; not needed once a device token was issued and stored. */
  readonly token?: string;
  readonly password?: string;
  /** The device this node is. @default loaded from `identityPath`, else a fresh in-memory one (it must be paired again after a restart) */
  readonly identity?: DeviceIdentity;
  /** Keep the identity in this file (mode 0600), created on first use. */
  readonly identityPath?: string;
  /** Keep issued device tokens in this file. @default in memory */
  readonly tokenStorePath?: string;
  /** Keep issued device tokens here; wins over `tokenStorePath`. */
  readonly tokenStore?: DeviceTokenStore;
  /** The name operators see in `node.list`. */
  readonly displayName: string;
  /** Decides the gateway's default command allowlist (`linux`, `ios`, `android`, `macos`, `windows`). @default process.platform */
  readonly platform?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  /** This node's software version. @default the client SDK version */
  readonly version?: string;
  /** Capability categories (`canvas`, `camera`, `location`, …). @default [] */
  readonly caps?: readonly string[];
  /** e.g. `{ "camera.capture": true }`. @default none */
  readonly permissions?: Readonly<Record<string, boolean>>;
  /** One handler per command; the keys are the declared `commands`. Undefined entries are skipped. */
  readonly commands: CommandHandlers<Map>;
  /** SHA-256 of the gateway's certificate (hex, colons optional). @default no pinning */
  readonly tlsFingerprint?: string;
  /** Backoff for reconnects and pairing retries, or `false` to stop at the first failure. @default the client's (1 s doubling to 30 s, ±20%) */
  readonly reconnect?: Partial<ReconnectPolicy> | false;
  /** Time allowed for each call (results, progress). @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** A running node. Create it with {@link createNode}. */
export interface GatewayNode {
  /** The node id the gateway knows this node by (its device id). */
  readonly nodeId: string;
  readonly identity: DeviceIdentity;
  readonly status: NodeStatus;
  /** The open connection, for `node.event` and friends; undefined while not open. */
  readonly client: GatewayClient | undefined;
  /** The commands this node declares. */
  readonly commands: readonly string[];
  /** Observe status changes; returns the unsubscribe function. */
  onStatus(listener: (status: NodeStatus) => void): () => void;
  /** Resolves with the next (or current) `hello-ok`; rejects when the node closes first. */
  opened(): Promise<HelloOk>;
  /** Stop for good: running handlers are aborted, the socket closed and every timer cleared. */
  close(): Promise<void>;
}

interface Resolved {
  readonly connect: NodeConnectOptions;
  readonly handlers: ReadonlyMap<string, CommandHandler>;
  readonly policy: ReconnectPolicy | false;
}

/**
 * Start a node: connect as `role: "node"` with the commands of `options.commands`, answer
 * `node.invoke.request`s with those handlers, wait through device pairing, and reconnect
 * after drops. Resolves once the identity is loaded, before the first connect finishes;
 * `await node.opened()` to wait for it.
 */
export async function createNode<Map extends Record<string, unknown>>(options: CreateNodeOptions<Map>): Promise<GatewayNode> {
  const handlers = new Map<string, CommandHandler>();
  for (const [name, handler] of Object.entries(options.commands as Record<string, unknown>)) {
    if (handler === undefined) continue;
    if (name.trim() === "" || typeof handler !== "function")
      throw new NodeConfigError(`commands["${name}"]: expected a non-empty command name mapped to a function`);
    handlers.set(name, handler as CommandHandler);
  }
  const identity = options.identity ?? (options.identityPath ? await loadOrCreateIdentity(options.identityPath) : createNodeIdentity());
  // One store for every connection attempt, so a token issued on one is used by the next.
  const identityStore = options.tokenStore ?? (options.tokenStorePath ? new FileDeviceTokenStore(options.tokenStorePath) : new InMemoryDeviceTokenStore());
  const policy = options.reconnect === false ? false : { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect };
  const connect: NodeConnectOptions = {
    url: options.url,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.tlsFingerprint !== undefined ? { tlsFingerprint: options.tlsFingerprint } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    identity,
    identityStore,
    client: {
      id: "node-host",
      mode: "node",
      displayName: options.displayName,
      platform: options.platform ?? process.platform,
      version: options.version ?? CLIENT_VERSION,
      ...(options.deviceFamily !== undefined ? { deviceFamily: options.deviceFamily } : {}),
      ...(options.modelIdentifier !== undefined ? { modelIdentifier: options.modelIdentifier } : {}),
    },
    role: "node",
    scopes: [],
    caps: options.caps ?? [],
    commands: [...handlers.keys()],
    ...(options.permissions !== undefined ? { permissions: options.permissions } : {}),
    reconnect: policy,
  };
  return new NodeRuntime(identity, { connect, handlers, policy });
}

class NodeRuntime implements GatewayNode {
  readonly nodeId: string;
  readonly commands: readonly string[];
  private readonly runner: InvokeRunner;
  private readonly listeners = new Set<(status: NodeStatus) => void>();
  private readonly openWaiters = new Set<{ resolve: (hello: HelloOk) => void; reject: (error: Error) => void }>();
  /** Aborting it cancels a connect in flight and closes the open client. */
  private readonly abort = new AbortController();
  private current: NodeStatus = { state: "connecting" };
  private connection: GatewayClient | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private closing: Promise<void> | undefined;

  constructor(
    readonly identity: DeviceIdentity,
    private readonly config: Resolved,
  ) {
    this.nodeId = identity.id;
    this.commands = [...config.handlers.keys()];
    this.runner = new InvokeRunner(config.handlers);
    this.connecting = this.connect();
  }

  get status(): NodeStatus {
    return this.current;
  }

  get client(): GatewayClient | undefined {
    return this.current.state === "open" ? this.connection : undefined;
  }

  onStatus(listener: (status: NodeStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  opened(): Promise<HelloOk> {
    const status = this.current;
    if (status.state === "open") return Promise.resolve(status.hello);
    if (status.state === "closed") return Promise.reject(status.reason);
    return new Promise((resolve, reject) => this.openWaiters.add({ resolve, reject }));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const reason = new GatewayClosedError(1000, "node closed", { retryable: false });
      const client = this.connection;
      this.connection = undefined;
      // Closed first, so the client's own close below is not mistaken for a drop to recover from.
      this.finish(reason);
      this.runner.abandonAll(reason);
      this.abort.abort(reason);
      // Wait for the sockets, so nothing of this node outlives close().
      await Promise.allSettled([client?.close(), this.connecting]);
    })();
    return this.closing;
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    let client: GatewayClient;
    try {
      client = await connectNode({ ...this.config.connect, signal: this.abort.signal });
    } catch (error) {
      if (!this.abort.signal.aborted) this.retryOrClose(error instanceof Error ? error : new Error(String(error)), true);
      return;
    }
    if (this.abort.signal.aborted) return void (await client.close());
    this.adopt(client);
  }

  private adopt(client: GatewayClient): void {
    this.connection = client;
    this.attempt = 0;
    // Answers go back on the connection the request came in on; a later one knows nothing of it.
    const sink: InvokeSink = {
      result: (result) => client.call("node.invoke.result", result),
      progress: (progress) => client.call("node.invoke.progress", progress),
    };
    client.on("node.invoke.request", (request) => void this.runner.run(request, sink));
    client.on("node.invoke.cancel", (cancel) => this.runner.cancel(cancel.invokeId));
    client.onStatus((status) => this.onClientStatus(client, status));
    if (client.hello) this.becameOpen(client.hello);
  }

  private onClientStatus(client: GatewayClient, status: ClientStatus): void {
    if (client !== this.connection || this.current.state === "closed") return;
    switch (status.state) {
      case "open":
        this.becameOpen(status.hello);
        return;
      case "reconnecting":
        // The gateway failed every pending invoke of this node when the socket dropped.
        this.runner.abandonAll(status.lastError);
        this.setStatus({ state: "reconnecting", attempt: status.attempt, delayMs: status.delayMs, lastError: status.lastError });
        return;
      case "closed":
        this.connection = undefined;
        this.runner.abandonAll(status.reason);
        this.retryOrClose(status.reason, false);
        return;
      default:
        return;
    }
  }

  private becameOpen(hello: HelloOk): void {
    this.setStatus({ state: "open", nodeId: this.nodeId, hello });
    for (const waiter of [...this.openWaiters]) waiter.resolve(hello);
    this.openWaiters.clear();
  }

  /**
   * A first connect failed, or the client gave up. Pairing is waited out with backoff; other
   * failures are retried only before the first open (the client retries by itself after that).
   */
  private retryOrClose(error: Error, beforeOpen: boolean): void {
    const pairing = pendingPairing(error);
    const policy = this.config.policy;
    const retry = pairing !== undefined || (beforeOpen && !isTerminalFailure(error));
    if (policy === false || !retry || this.attempt >= policy.maxAttempts) return this.finish(error);
    this.attempt += 1;
    const delayMs = reconnectDelay(this.attempt, policy, error);
    if (pairing !== undefined) this.setStatus({ state: "awaiting-pairing", ...pairing, attempt: this.attempt, delayMs });
    else this.setStatus({ state: "reconnecting", attempt: this.attempt, delayMs, lastError: error });
    this.retryTimer = setTimeout(() => (this.connecting = this.connect()), delayMs);
  }

  /** Enter `closed`: nothing may be left running after this. */
  private finish(reason: Error): void {
    if (this.current.state === "closed") return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.setStatus({ state: "closed", reason });
    for (const waiter of [...this.openWaiters]) waiter.reject(reason);
    this.openWaiters.clear();
    this.listeners.clear();
  }

  private setStatus(status: NodeStatus): void {
    this.current = status;
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch (error) {
        // One throwing listener must not stop the others or the reconnect loop; the error still surfaces.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
