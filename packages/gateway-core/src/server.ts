import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { hostname, networkInterfaces, platform, release } from "node:os";
import { pino, type Logger } from "pino";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import {
  DEFAULT_POLICY,
  HANDSHAKE_TIMEOUT_MS,
  MAX_PREAUTH_PAYLOAD_BYTES,
  WireErrors,
  WireMessages,
  advertisedEvents,
  advertisedMethods,
  type ConnectParams,
  type ErrorShape,
  type HealthSnapshot,
  type HelloOk,
  type Policy,
  type PresenceEntry,
  type ShutdownEvent,
  type EventPayload,
} from "@openclaw/protocol";
import { FailedAuthLimiter } from "./auth/rate-limit.js";
import type { AuthSettings, TailscaleWhois } from "./auth/shared-auth.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { ValidatorSet } from "./dispatch/validators.js";
import { nestsDeeperThan } from "./dispatch/frame-depth.js";
import { EventBus } from "./events/bus.js";
import { isHandshakeFailure, runHandshake } from "./handshake/connect.js";
import { createDeviceHandlers } from "./methods/devices.js";
import { DeviceRegistry } from "./pairing/device-registry.js";
import { DevicePairing, type LiveConnection, type PairingPolicy } from "./pairing/device-pairing.js";
import { openMemoryStore, SqliteTranscriptStore, type Store } from "./store/index.js";
import { AgentBridge, type AgentBridgeOptions } from "./agent/agent-bridge.js";
import { DEFAULT_HEARTBEAT_PROMPT, Heartbeat, type HeartbeatOptions } from "./agent/heartbeat.js";
import { SystemEventQueue, formatSystemEvents } from "./agent/system-events.js";
import type { ModelProvider, TranscriptStore } from "@openclaw/agent";
import { NodeService } from "./nodes/node-service.js";
import { ExecApprovals } from "./approvals/exec-approvals.js";
import { CanvasCapabilities, canvasCapabilityUrl, createCanvasHost, type CanvasHost } from "./canvas/index.js";
import { evaluateSharedAuth } from "./auth/shared-auth.js";
import { CronScheduler } from "./cron/index.js";
import { ChannelService, type ChannelServiceOptions } from "./channels/channel-service.js";
import { channelSendToolHost, combineToolHosts } from "./channels/send-tool.js";
import { createCronHandlers } from "./methods/cron.js";
import { createAgentHandlers } from "./methods/agent.js";
import { createApprovalHandlers } from "./methods/approvals.js";
import { createCanvasHandlers } from "./methods/canvas.js";
import { createChannelHandlers } from "./methods/channels.js";
import { createNodeHandlers } from "./methods/nodes.js";
import { NodeStore } from "./nodes/node-store.js";
import { nodeToolHost } from "./nodes/node-tools.js";
import { handleHttp, probeRoutes, type HttpRoute } from "./http/routes.js";
import { createHostCheck, hostGuardRoute, hostNameOf } from "./http/host-check.js";
import { createSystemHandlers } from "./methods/system.js";
import type { MethodHandlers } from "./methods/types.js";
import { HealthMonitor, type HealthSources } from "./state/health.js";
import { PresenceTable } from "./state/presence.js";
import { Connection } from "./transport/connection.js";
import { GatewaySocket } from "./transport/gateway-socket.js";
import { DEFAULT_PENDING_HANDSHAKES, PendingHandshakes, type PendingHandshakeLimits } from "./transport/pending-handshakes.js";
import { addressMatcher, directLocality, hasForwardingHeaders, isLoopbackAddress, normalizeAddress, type LocalityPredicate } from "./transport/locality.js";

export interface GatewayServerOptions {
  /** Addresses to listen on; the first one decides the port when `port` is 0. @default ["127.0.0.1"] */
  readonly hosts?: readonly string[];
  /** @default 18789 */
  readonly port?: number;
  readonly auth: AuthSettings;
  /** Reported as `server.version` and `runtimeVersion`. */
  readonly version: string;
  readonly stateDir?: string;
  readonly configPath?: string;
  readonly policy?: Partial<Policy>;
  /** @default 15000 */
  readonly handshakeTimeoutMs?: number;
  /** Extra method handlers (config, logs, pairing, …) merged over the built-in ones. */
  readonly handlers?: MethodHandlers;
  readonly httpRoutes?: readonly HttpRoute[];
  readonly logger?: Logger;
  readonly isLocal?: LocalityPredicate;
  readonly whois?: TailscaleWhois;
  /** Where paired devices and tokens live. @default an in-memory store (lost on exit) */
  readonly store?: Store;
  readonly pairing?: Partial<PairingPolicy>;
  /**
   * The agent runtime's model and tools; without it the agent, chat and sessions methods are absent.
   * `resolveModelRef` serves both a patched session's model and a cron `agentTurn`'s.
   */
  readonly agent?: Pick<AgentBridgeOptions, "resolveModel" | "resolveModelRef" | "listModels" | "tools" | "systemPrompt">;
  /** The periodic agent turn (`agents.defaults.heartbeat`); only with `agent`. @default every 30 min, enabled */
  readonly heartbeat?: Partial<HeartbeatOptions>;
  /** The canvas host on this port; `undefined` leaves it off. */
  readonly canvas?: { readonly root: string; readonly liveReload?: boolean; readonly a2uiRoot?: string };
  /** `gateway.nodes.commands`: extra allowed commands, and denied ones (deny wins). */
  readonly nodeCommands?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  readonly allowedOrigins?: readonly string[];
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly health?: Partial<HealthSources>;
  readonly statusExtras?: (admin: boolean) => Record<string, unknown>;
  /** Messaging channels: which ones this build can load, and the `channels` config section. */
  readonly channels?: Omit<ChannelServiceOptions, "db" | "agent" | "logger" | "onChange" | "now">;
  /** Health refresh and cache sweeps. @default 60000 */
  readonly maintenanceIntervalMs?: number;
  readonly now?: () => number;
  /** How a throttled connect waits out its failed-auth delay. @default an abortable timer */
  readonly authDelay?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Pre-auth connection caps (upgrades beyond them get HTTP 503). @default 32 per address, 1024 in all */
  readonly pendingHandshakes?: Partial<PendingHandshakeLimits>;
}

/**
 * Answer an upgrade we will not take, then drop the socket once the answer is out: a peer that
 * keeps sending (or never closes its side) must not hold it open.
 */
function refuseUpgrade(socket: Duplex, status: string, extraHeaders = ""): void {
  socket.on("error", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n${extraHeaders}content-length: 0\r\n\r\n`, () => socket.destroy());
}

/** Host names the operator named: bind hosts that are names, and the hosts of allowed origins. */
function configuredHostNames(options: GatewayServerOptions): string[] {
  const fromOrigins = (options.allowedOrigins ?? []).flatMap((origin) => {
    const name = hostNameOf(URL.canParse(origin) ? new URL(origin).host : undefined);
    return name === undefined ? [] : [name];
  });
  return [...(options.hosts ?? []), ...fromOrigins];
}

/** The gateway server: one port for WebSocket and HTTP. */
export class GatewayServer {
  readonly bootId = randomUUID();
  private readonly hostName = hostname();
  /** Advertised in every hello-ok: the registry's methods this gateway has a handler for, fixed once built. */
  private get features(): HelloOk["features"] {
    this.#features ??= { methods: advertisedMethods().filter((name) => this.dispatcher.handles(name)), events: advertisedEvents() };
    return this.#features;
  }
  #features: HelloOk["features"] | undefined;
  readonly policy: Policy;
  readonly bus: EventBus;
  readonly presence: PresenceTable;
  readonly health: HealthMonitor;
  readonly limiter: FailedAuthLimiter;
  readonly devices: DevicePairing;
  readonly agent: AgentBridge | undefined;
  readonly nodes: NodeService;
  readonly approvals: ExecApprovals;
  readonly canvasCapabilities: CanvasCapabilities;
  readonly canvas: CanvasHost | undefined;
  readonly cron: CronScheduler | undefined;
  readonly heartbeat: Heartbeat | undefined;
  readonly channels: ChannelService | undefined;
  private readonly ownedStore: Store | undefined;
  /** `system-event`, `wake` and cron `systemEvent` lines, each delivered to its session's next turn. */
  private readonly systemEvents = new SystemEventQueue();
  /** Models a cron `agentTurn` asked for, by run id, applied as that run starts. */
  private readonly turnModels = new Map<string, { provider: ModelProvider; model: string }>();
  private readonly startedAt: number;
  private readonly log: Logger;
  private readonly validators = new ValidatorSet();
  private readonly dispatcher: Dispatcher;
  private readonly wss: WebSocketServer;
  private readonly httpServers: HttpServer[] = [];
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly handshakeTimers = new Map<Connection, NodeJS.Timeout>();
  private readonly pendingHandshakes: PendingHandshakes;
  private readonly hostAllowed: (request: IncomingMessage) => boolean;
  private readonly isLocal: LocalityPredicate;
  private readonly now: () => number;
  private readonly authDelay: (ms: number, signal: AbortSignal) => Promise<void>;
  private ready = false;
  private boundPort = 0;
  private stopping: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(private readonly options: GatewayServerOptions) {
    this.now = options.now ?? Date.now;
    this.authDelay = options.authDelay ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    this.startedAt = this.now();
    this.log = options.logger ?? pino({ level: "silent" });
    this.isLocal = options.isLocal ?? directLocality;
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.bus = new EventBus({ maxBufferedBytes: this.policy.maxBufferedBytes });
    this.limiter = new FailedAuthLimiter(options.auth.rateLimit, this.now);
    this.presence = new PresenceTable(this.selfPresence());
    this.health = new HealthMonitor(this.healthSources(), this.now);
    this.ownedStore = options.store ? undefined : openMemoryStore();
    this.devices = new DevicePairing(
      new DeviceRegistry((options.store ?? this.ownedStore!).db),
      {
        broadcast: (event, payload) => this.bus.broadcast(event, payload),
        connections: () => this.liveConnections(),
        invalidate: (match, reason) => this.invalidate(match, reason),
      },
      { autoApproveLocal: options.pairing?.autoApproveLocal ?? true },
      this.now,
    );
    const db = (options.store ?? this.ownedStore!).db;
    this.approvals = new ExecApprovals((event, payload) => this.bus.broadcast(event, payload), this.now);
    this.canvasCapabilities = new CanvasCapabilities({ now: this.now });
    this.canvas = options.canvas
      ? createCanvasHost({
          root: options.canvas.root,
          ...(options.canvas.liveReload !== undefined ? { liveReload: options.canvas.liveReload } : {}),
          ...(options.canvas.a2uiRoot ? { a2uiRoot: options.canvas.a2uiRoot } : {}),
          capabilities: this.canvasCapabilities,
          isAuthorized: (request) => this.httpAuthorized(request),
          onError: (error) => this.log.warn({ err: error }, "canvas watcher failed"),
        })
      : undefined;
    this.nodes = new NodeService(new NodeStore(db), {
      sendTo: (connection, event, payload) => this.bus.sendTo(connection, event, payload),
      broadcast: (event, payload) => this.bus.broadcast(event, payload),
      close: (connection, code, reason) => connection.close(code, reason),
      commandLists: () => ({ allow: options.nodeCommands?.allow ?? [], deny: options.nodeCommands?.deny ?? [] }),
      agentRequest: (message, sessionKey) => this.agent?.runtime.submit({ runId: randomUUID(), sessionKey: sessionKey ?? "agent:main:main", agentId: "main", message }),
      now: this.now,
    });
    const transcripts = new SqliteTranscriptStore(db);
    this.agent = options.agent
      ? new AgentBridge({
          ...options.agent,
          // Connected nodes' commands and the channel send tool are the agent's tools unless the embedder brings its own.
          tools: options.agent.tools ?? combineToolHosts(nodeToolHost(this.nodes), channelSendToolHost(() => this.channels)),
          store: transcripts,
          storePath: options.store?.path,
          prepareTurn: (turn, resolved) => {
            this.deliverSystemEvents(transcripts, turn);
            return this.turnModels.get(turn.runId) ?? resolved;
          },
          broadcast: (event, payload, filter) => {
            // The runtime's events, with two additions: a heartbeat's turns say so on their agent events,
            // so clients can tell them from user turns; nodes see chat only for sessions they subscribed to.
            // The payload's type follows `event`, which TypeScript cannot narrow through the generic, hence the casts.
            if (event === "agent") {
              const agentEvent = payload as EventPayload<"agent">;
              this.bus.broadcast("agent", this.heartbeat?.owns(agentEvent.runId) ? { ...agentEvent, isHeartbeat: true } : agentEvent, undefined, filter);
              return;
            }
            this.bus.broadcast(event, payload, undefined, filter);
            if (event !== "chat") return;
            const chat = payload as EventPayload<"chat">;
            for (const node of this.nodes.chatSubscribers(chat.sessionKey)) this.bus.sendTo(node, "chat", chat);
          },
          now: this.now,
        })
      : undefined;
    const agent = this.agent;
    const heartbeat = agent
      ? new Heartbeat(
          agent.runtime,
          {
            everyMs: options.heartbeat?.everyMs ?? 1_800_000,
            enabled: options.heartbeat?.enabled ?? true,
            prompt: options.heartbeat?.prompt ?? DEFAULT_HEARTBEAT_PROMPT,
            ...(options.heartbeat?.sessionKey ? { sessionKey: options.heartbeat.sessionKey } : {}),
          },
          (event) => this.bus.broadcast("heartbeat", event),
          this.now,
        )
      : undefined;
    this.heartbeat = heartbeat;
    const mainSessionKey = heartbeat?.sessionKey ?? "agent:main:main";
    // The turn that reads freshly queued system events, now rather than at the next beat.
    const wakeNow = heartbeat ? (sessionKey: string, reason: "wake" | "cron") => void heartbeat.beat({ reason, sessionKey }) : undefined;
    const systemState = {
      version: options.version,
      presence: this.presence,
      health: this.health,
      presenceChanged: () => this.broadcastPresence(),
      healthChanged: () => this.broadcastHealth(),
      statusExtras: options.statusExtras ?? (() => ({})),
      heartbeat,
      systemEvents: this.systemEvents,
      mainSessionKey,
      wakeNow: wakeNow && ((sessionKey: string) => wakeNow(sessionKey, "wake")),
      now: this.now,
    };
    this.cron = agent
      ? new CronScheduler({
          db,
          broadcast: (event, payload) => this.bus.broadcast(event, payload),
          now: this.now,
          runner: {
            // "next-heartbeat" leaves the line for the session's next turn; "now" runs that turn at once.
            systemEvent: (text, sessionKey, { wakeMode }) => {
              const target = sessionKey ?? mainSessionKey;
              this.systemEvents.enqueue(target, text, this.now());
              if (wakeMode === "now") wakeNow?.(target, "cron");
            },
            agentTurn: async (message, sessionKey, { model, timeoutSeconds }) => {
              const agentId = /^agent:([^:]+):/.exec(sessionKey)?.[1] ?? "main";
              const runId = randomUUID();
              // Resolved before the run is queued, so a model this gateway cannot serve fails the cron run, not the turn.
              if (model !== undefined) this.turnModels.set(runId, agent.resolveModelRef(model, agentId));
              const { run } = agent.runtime.submit({ runId, sessionKey, agentId, message });
              const timer = timeoutSeconds !== undefined && timeoutSeconds > 0 ? setTimeout(() => run.abort(`cron agentTurn timed out after ${timeoutSeconds}s`), timeoutSeconds * 1000) : undefined;
              try {
                const outcome = await run.done;
                return { status: outcome.status, runId: outcome.runId, summary: outcome.text, ...(outcome.error ? { error: outcome.error } : {}) };
              } finally {
                clearTimeout(timer);
                this.turnModels.delete(runId);
              }
            },
          },
          onError: (error) => this.log.error({ err: error }, "cron failed"),
        })
      : undefined;
    this.channels = options.channels
      ? new ChannelService({
          ...options.channels,
          db,
          logger: this.log.child({ subsystem: "channels" }),
          // Subscribers hear at once when a channel turns degraded or recovers, not at the next tick.
          onChange: () => {
            const before = JSON.stringify(this.health.snapshot.channelHealth ?? null);
            const after = this.health.refresh();
            if (JSON.stringify(after.channelHealth ?? null) !== before) this.broadcastHealth(after);
          },
          now: this.now,
          ...(agent
            ? {
                agent: {
                  run: async ({ sessionKey, agentId, message }) => {
                    const outcome = await agent.runtime.submit({ runId: randomUUID(), sessionKey, agentId, message }).run.done;
                    return { status: outcome.status, text: outcome.text, ...(outcome.error ? { error: outcome.error } : {}) };
                  },
                },
              }
            : {}),
        })
      : undefined;
    this.dispatcher = new Dispatcher({
      validators: this.validators,
      handlers: {
        ...createSystemHandlers(systemState),
        ...createDeviceHandlers(this.devices),
        ...createApprovalHandlers(this.approvals),
        ...createCanvasHandlers(this.canvasCapabilities, (connId) => this.connectionBaseUrl(connId)),
        ...createNodeHandlers(this.nodes, (connId) => this.bus.get(connId)),
        ...(this.agent ? createAgentHandlers(this.agent) : {}),
        ...(this.cron ? createCronHandlers(this.cron) : {}),
        ...(this.channels ? createChannelHandlers(this.channels) : {}),
        ...options.handlers,
      },
      send: (connection, text) => this.bus.sendFrame(connection, text),
      log: this.log,
      now: this.now,
    });
    // Every socket starts with the pre-auth frame limit; hello-ok raises it per connection.
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_PREAUTH_PAYLOAD_BYTES, WebSocket: GatewaySocket });
    this.pendingHandshakes = new PendingHandshakes({ ...DEFAULT_PENDING_HANDSHAKES, ...options.pendingHandshakes });
    this.hostAllowed = createHostCheck({ allowedHosts: configuredHostNames(options), trustedProxies: options.auth.trustedProxies });
    this.health.refresh();
  }

  /** The port actually listened on (useful with port 0). */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.hosts?.[0] ?? "127.0.0.1";
    const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    return `${this.options.tls ? "wss" : "ws"}://${shown}:${this.boundPort}`;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async start(): Promise<void> {
    const hosts = this.options.hosts ?? ["127.0.0.1"];
    let port = this.options.port ?? 18789;
    // Channel config is checked before listening, so a bad key fails the start and names itself.
    await this.channels?.load();
    // Provider webhooks arrive under a public name through a tunnel and carry their own secret;
    // everything after the guard (canvas, A2UI, Control UI) answers only to names that cannot be rebound.
    const routes = [
      probeRoutes(() => this.ready),
      ...(this.channels ? [this.channels.webhookRoute()] : []),
      hostGuardRoute(this.hostAllowed),
      ...(this.canvas ? [this.canvas.route] : []),
      ...(this.options.httpRoutes ?? []),
    ];
    for (const [index, host] of hosts.entries()) {
      const server = this.options.tls ? createHttpsServer({ cert: this.options.tls.cert, key: this.options.tls.key }) : createHttpServer();
      server.on("request", (request, response) => void handleHttp(routes, request, response));
      server.on("upgrade", (request, socket, head) => {
        if ((request.url ?? "/").split("?")[0] !== "/") {
          if (!this.hostAllowed(request)) return refuseUpgrade(socket, "421 Misdirected Request");
          if (this.canvas?.handleUpgrade(request, socket, head)) return;
          refuseUpgrade(socket, "404 Not Found");
          return;
        }
        if (this.unattributedProxy(request)) {
          refuseUpgrade(socket, "403 Forbidden");
          return;
        }
        // Unauthenticated sockets are capped per address and overall before ws reads any frame.
        const address = normalizeAddress(request.socket.remoteAddress);
        if (!this.pendingHandshakes.tryAcquire(address)) {
          refuseUpgrade(socket, "503 Service Unavailable", "retry-after: 1\r\n");
          return;
        }
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          this.pendingHandshakes.release(address);
        };
        socket.once("close", release);
        this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, release));
      });
      server.on("clientError", (_error, socket) => socket.destroy());
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ host, port, exclusive: true }, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        // An extra IPv6 loopback listener is best-effort: some hosts have no ::1.
        const code = (error as NodeJS.ErrnoException).code;
        if (index > 0 && host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
        await this.closeHttpServers();
        throw error;
      }
      if (index === 0) port = (server.address() as AddressInfo).port;
      this.httpServers.push(server);
    }
    this.boundPort = port;
    this.timers.push(setInterval(() => this.bus.broadcast("tick", { ts: this.now() }), this.policy.tickIntervalMs));
    this.timers.push(setInterval(() => this.maintain(), this.options.maintenanceIntervalMs ?? 60_000));
    // Turns a killed gateway left behind are closed or run before cron and heartbeats add more.
    this.agent?.start();
    this.cron?.start();
    this.heartbeat?.start();
    this.ready = true;
    this.log.info({ port, hosts }, "gateway listening");
    // Accounts connect in the background; each reports its own state in channels.status.
    void this.channels?.run().catch((error: unknown) => this.log.error({ err: error }, "channels failed to start"));
  }

  /** Broadcast `shutdown`, stop accepting, close every socket with 1012, clear every timer. */
  stop(event: ShutdownEvent = { reason: "gateway stopping" }): Promise<void> {
    this.stopping ??= this.shutdown(event);
    return this.stopping;
  }

  private async shutdown(event: ShutdownEvent): Promise<void> {
    this.ready = false;
    this.bus.broadcast("shutdown", event);
    // Cron stops first (no new turns), then runs end, so callers get a final answer before the socket closes.
    this.heartbeat?.stop();
    const cronStopped = this.cron?.stop();
    // Channels stop taking inbound first; turns cut short stay pending and are replayed after a restart.
    const channelsStopped = this.channels?.stop();
    await this.agent?.close();
    await cronStopped;
    await channelsStopped;
    this.nodes.close();
    this.approvals.close();
    await this.canvas?.close();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    for (const timer of this.handshakeTimers.values()) clearTimeout(timer);
    this.handshakeTimers.clear();
    const closed = this.closeHttpServers();
    for (const connection of this.connections) connection.close(1012, WireMessages.serviceRestart);
    // Give peers a moment to finish the close handshake, then cut whoever is left.
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([this.allSocketsClosed(), new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, 2000)))]);
    clearTimeout(graceTimer);
    for (const connection of this.connections) connection.terminate();
    this.wss.close();
    await closed;
    this.health.stop();
    this.ownedStore?.close();
    this.log.info("gateway stopped");
  }

  private allSocketsClosed(): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  private closeHttpServers(): Promise<void> {
    const servers = this.httpServers.splice(0);
    return Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  }

  private maintain(): void {
    this.dispatcher.sweep();
    this.canvasCapabilities.sweep();
    this.limiter.sweep();
    this.health.refresh();
    this.broadcastHealth();
  }

  /** Every handshaken connection, as pairing sees it. */
  liveConnections(): LiveConnection[] {
    return [...this.bus.all()].map((connection) => ({
      connId: connection.id,
      deviceId: connection.admission!.deviceId,
      role: connection.admission!.role,
      authMethod: connection.admission!.authMethod,
    }));
  }

  /** Close connections whose credential stopped being valid: 4001 `client invalidated: <reason>`. */
  invalidate(match: (connection: LiveConnection) => boolean, reason: string): number {
    let closed = 0;
    for (const connection of [...this.bus.all()]) {
      const admission = connection.admission!;
      if (!match({ connId: connection.id, deviceId: admission.deviceId, role: admission.role, authMethod: admission.authMethod })) continue;
      // Let the response to the request that caused this go out first.
      setImmediate(() => connection.close(4001, `client invalidated: ${reason}`));
      closed += 1;
    }
    return closed;
  }

  /**
   * Forwarding headers on a loopback socket mean a local proxy relays someone else;
   * unless that proxy is trusted, nobody can say who the client is.
   */
  private unattributedProxy(request: IncomingMessage): boolean {
    const remote = normalizeAddress(request.socket.remoteAddress);
    if (!isLoopbackAddress(remote) || !hasForwardingHeaders(request.headers)) return false;
    return !this.options.auth.trustedProxies.some((entry) => addressMatcher(entry)(remote));
  }

  private accept(socket: WebSocket, request: IncomingMessage, releaseSlot: () => void): void {
    if (!this.ready) {
      socket.close(1013, "gateway starting");
      return;
    }
    const remoteAddress = normalizeAddress(request.socket.remoteAddress);
    const connection = new Connection(socket, remoteAddress, request.headers, this.isLocal(remoteAddress, request.headers));
    connection.releaseHandshakeSlot = releaseSlot;
    this.connections.add(connection);
    const timeoutMs = this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    this.handshakeTimers.set(
      connection,
      setTimeout(() => {
        this.handshakeTimers.delete(connection);
        if (connection.phase === "handshake") connection.close(1000);
      }, timeoutMs),
    );
    socket.on("message", (data, isBinary) => this.onMessage(connection, data, isBinary));
    socket.on("close", () => this.onClose(connection));
    socket.on("error", () => connection.terminate());
    this.bus.sendTo(connection, "connect.challenge", { nonce: connection.nonce, ts: this.now() });
  }

  private onMessage(connection: Connection, data: RawData, _isBinary: boolean): void {
    const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
    if (connection.phase === "open") {
      void this.dispatcher.handle(connection, text);
      return;
    }
    // Frames over the pre-auth limit never get here: ws refuses them at the header (GatewaySocket).
    if (connection.phase !== "handshake" || connection.handshakeStarted) return;
    connection.handshakeStarted = true;
    void this.handshake(connection, text).catch((error: unknown) => {
      // A throttled attempt whose socket closed while it waited has nobody left to answer.
      if (connection.phase === "closed") return;
      this.log.error({ err: error, connId: connection.id }, "handshake failed unexpectedly");
      connection.close(1011, "internal error");
    });
  }

  private async handshake(connection: Connection, text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      connection.close(1000);
      return;
    }
    if (nestsDeeperThan(text) || this.validators.requestFrame(frame) !== undefined) {
      connection.close(1008, WireMessages.invalidRequestFrame);
      return;
    }
    const request = frame as { id: string; method: string; params?: unknown };
    const reject = (error: ErrorShape, code = 1008, reason = error.message) => {
      this.bus.sendFrame(connection, JSON.stringify({ type: "res", id: request.id, ok: false, error }));
      connection.close(code, reason);
    };
    if (request.method !== "connect") return reject(WireErrors.firstRequestMustBeConnect());
    const params = request.params as { client?: { id?: unknown } } | undefined;
    // Client ids are case-insensitive on input; the canonical form is lowercase.
    if (typeof params?.client?.id === "string") params.client.id = params.client.id.toLowerCase();
    const problems = this.validators.connectParams(request.params);
    if (problems !== undefined) return reject(WireErrors.invalidConnectParams(problems));

    const outcome = await runHandshake(
      {
        auth: this.options.auth,
        limiter: this.limiter,
        whois: this.options.whois,
        devices: this.devices,
        ready: () => this.ready,
        now: this.now,
        allowedOrigins: this.options.allowedOrigins ?? [],
        sleep: this.authDelay,
      },
      {
        params: request.params as ConnectParams,
        nonce: connection.nonce,
        remoteAddress: connection.remoteAddress,
        headers: connection.headers,
        local: connection.local,
        signal: connection.signal,
      },
    );
    if (connection.phase !== "handshake") return;
    if (isHandshakeFailure(outcome)) {
      this.log.info({ connId: connection.id, remote: connection.remoteAddress, code: outcome.error.code, reason: outcome.closeReason }, "connect refused");
      return reject(outcome.error, outcome.closeCode, outcome.closeReason);
    }
    clearTimeout(this.handshakeTimers.get(connection));
    this.handshakeTimers.delete(connection);
    connection.admission = outcome;
    connection.phase = "open";
    connection.raiseFrameLimit(this.policy.maxPayload);
    connection.releaseHandshakeSlot?.();
    this.bus.sendFrame(connection, JSON.stringify({ type: "res", id: request.id, ok: true, payload: this.hello(connection) }));
    this.bus.add(connection);
    if (outcome.role === "node") this.nodes.attach(connection);
    this.log.info({ connId: connection.id, client: outcome.params.client.id, mode: outcome.params.client.mode, role: outcome.role }, "client connected");
    if (this.tracksPresence(connection)) {
      this.presence.upsert(this.presenceKey(connection), this.clientPresence(connection), connection.id);
      this.broadcastPresence();
    }
  }

  private onClose(connection: Connection): void {
    connection.markClosed();
    this.connections.delete(connection);
    this.bus.remove(connection);
    this.agent?.forgetConnection(connection.id);
    if (connection.admission?.role === "node") {
      this.nodes.detach(connection);
      // A replacing connection already holds a fresh capability; only a node that is gone loses it.
      const nodeId = this.nodes.nodeIdOf(connection);
      if (!this.nodes.isLive(nodeId)) this.canvasCapabilities.revokeNode(nodeId);
    }
    clearTimeout(this.handshakeTimers.get(connection));
    this.handshakeTimers.delete(connection);
    if (connection.admission && this.tracksPresence(connection) && this.presence.release(this.presenceKey(connection), connection.id)) {
      this.broadcastPresence();
    }
    if (this.connections.size === 0) this.drained?.();
  }

  private hello(connection: Connection): HelloOk {
    const admission = connection.admission!;
    const admin = admission.role === "operator" && admission.scopes.includes("operator.admin");
    return {
      type: "hello-ok",
      protocol: admission.protocol,
      server: { version: this.options.version, connId: connection.id, bootId: this.bootId, host: this.hostName },
      features: this.features,
      snapshot: {
        presence: this.presence.list(),
        health: this.health.snapshot,
        stateVersion: { presence: this.presence.version, health: this.health.version },
        uptimeMs: this.now() - this.startedAt,
        sessionDefaults: { defaultAgentId: "main", mainKey: "main", mainSessionKey: "agent:main:main", scope: "per-sender" },
        authMode: this.options.auth.mode,
        ...(admin && this.options.configPath ? { configPath: this.options.configPath } : {}),
        ...(admin && this.options.stateDir ? { stateDir: this.options.stateDir } : {}),
      },
      auth: {
        method: admission.authMethod,
        role: admission.role,
        scopes: [...admission.scopes],
        ...(admission.deviceToken ? { deviceToken: admission.deviceToken.token, issuedAtMs: admission.deviceToken.issuedAtMs } : {}),
      },
      ...(admission.role === "node" && this.canvas ? this.nodeSurfaceUrls(connection) : {}),
      policy: this.policy,
    };
  }

  /** v4 nodes get a capability URL for the canvas; v3 nodes the older `canvasHostUrl`. */
  private nodeSurfaceUrls(connection: Connection): Record<string, unknown> {
    const nodeId = this.nodes.nodeIdOf(connection);
    const url = canvasCapabilityUrl(`${this.options.tls ? "https" : "http"}://${connection.headers.host ?? `127.0.0.1:${this.boundPort}`}`, this.canvasCapabilities.issue(nodeId).capability);
    return connection.admission!.protocol >= 4 ? { pluginSurfaceUrls: { canvas: url } } : { canvasHostUrl: url };
  }

  /**
   * HTTP surfaces: local peers are trusted on a loopback bind; anyone else needs the
   * shared secret as a Bearer token.
   */
  private async httpAuthorized(request: IncomingMessage): Promise<boolean> {
    const remoteAddress = normalizeAddress(request.socket.remoteAddress);
    if (this.isLocal(remoteAddress, request.headers)) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim();
    if (!bearer) return false;
    const outcome = await evaluateSharedAuth(this.options.auth, { token: bearer, password: bearer }, { remoteAddress, headers: request.headers }, this.options.whois);
    return outcome.kind === "ok";
  }

  /** The origin a connection reached us on, for URLs it can follow back. */
  private connectionBaseUrl(connId: string): string {
    const connection = this.bus.get(connId);
    const host = connection?.headers.host ?? `127.0.0.1:${this.boundPort}`;
    return `${this.options.tls ? "https" : "http"}://${host}`;
  }

  private tracksPresence(connection: Connection): boolean {
    const mode = connection.admission?.params.client.mode;
    return mode !== "cli" && mode !== "probe" && mode !== "backend";
  }

  private presenceKey(connection: Connection): string {
    const admission = connection.admission!;
    return admission.deviceId ?? admission.params.client.instanceId ?? connection.id;
  }

  private clientPresence(connection: Connection): PresenceEntry {
    const admission = connection.admission!;
    const client = admission.params.client;
    const now = this.now();
    return {
      host: client.displayName ?? client.id,
      ip: connection.remoteAddress,
      version: client.version,
      platform: client.platform,
      ...(client.deviceFamily ? { deviceFamily: client.deviceFamily } : {}),
      ...(client.modelIdentifier ? { modelIdentifier: client.modelIdentifier } : {}),
      mode: client.mode,
      clientId: client.id,
      reason: "connect",
      ts: now,
      onlineSince: now,
      roles: [admission.role],
      scopes: [...admission.scopes],
      ...(admission.deviceId ? { deviceId: admission.deviceId } : {}),
      ...(client.instanceId ? { instanceId: client.instanceId } : {}),
      text: `${admission.role === "node" ? "Node" : "Client"}: ${client.displayName ?? client.id} · mode ${client.mode}`,
    };
  }

  private selfPresence(): PresenceEntry {
    const ip = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
    const host = hostname();
    return {
      host,
      ...(ip ? { ip } : {}),
      version: this.options.version,
      platform: `${platform()} ${release()}`,
      deviceFamily: platform() === "darwin" ? "Mac" : platform() === "win32" ? "Windows" : "Linux",
      mode: "gateway",
      reason: "self",
      instanceId: this.bootId,
      text: `Gateway: ${host}${ip ? ` (${ip})` : ""} · app ${this.options.version} · mode gateway · reason self`,
      ts: this.now(),
    };
  }

  private healthSources(): HealthSources {
    const sessionsPath = this.options.store?.path ?? "";
    // Real session counts come from the transcript store once the agent runtime is wired.
    const sessions = () => {
      const list = this.agent?.sessions() ?? [];
      const now = this.now();
      return { path: sessionsPath, count: list.length, recent: list.slice(0, 5).map((session) => ({ key: session.key, updatedAt: session.updatedAtMs, age: Math.max(0, now - session.updatedAtMs) })) };
    };
    const defaults: HealthSources = {
      agents: () => [{ agentId: "main", isDefault: true, heartbeat: this.heartbeatView(), sessions: sessions() }],
      sessions,
      channels: () => this.channels?.snapshot() ?? { channels: {}, order: [], labels: {} },
      heartbeatSeconds: () => Math.round((this.heartbeat?.view().everyMs ?? 0) / 1000),
      defaultAgentId: () => "main",
    };
    return { ...defaults, ...this.options.health };
  }

  private heartbeatView() {
    return this.heartbeat?.view() ?? { enabled: false, every: "disabled", everyMs: null };
  }

  /**
   * Queued system events join the transcript just ahead of the turn's message, once, oldest
   * first. Called from inside the runtime as the turn starts, where a throw would strand the
   * run, so a store failure is logged and the events are dropped.
   */
  private deliverSystemEvents(transcripts: TranscriptStore, turn: { runId: string; sessionKey: string }): void {
    const events = this.systemEvents.drain(turn.sessionKey);
    if (events.length === 0) return;
    try {
      transcripts.append({ sessionKey: turn.sessionKey, runId: turn.runId, role: "user", text: formatSystemEvents(events), createdAtMs: this.now() });
    } catch (error) {
      this.log.error({ err: error, sessionKey: turn.sessionKey, dropped: events.length }, "could not record system events for a turn");
    }
  }

  broadcastPresence(): void {
    this.bus.broadcast("presence", { presence: this.presence.list() }, this.stateVersion());
  }

  broadcastHealth(snapshot: HealthSnapshot = this.health.snapshot): void {
    this.bus.broadcast("health", snapshot, this.stateVersion());
  }

  private stateVersion() {
    return { presence: this.presence.version, health: this.health.version };
  }
}
