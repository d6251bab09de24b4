import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server as HttpServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { pino, type Logger } from "pino";
import { DEFAULT_POLICY, HANDSHAKE_TIMEOUT_MS, WireMessages, type HealthSnapshot, type Policy, type ShutdownEvent } from "@openclaw/protocol";
import { DashboardCodes } from "./auth/dashboard-codes.js";
import { FailedAuthLimiter } from "./auth/rate-limit.js";
import { evaluateSharedAuth } from "./auth/shared-auth.js";
import { acceptsTailscaleIngress } from "./auth/tailscale.js";
import { createGatewayServices, healthSources, type GatewayServices, type LiveSettings, type LiveSettingsApplied } from "./create-gateway.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { responseText } from "./dispatch/frames.js";
import { ValidatorSet } from "./dispatch/validators.js";
import { EventBus } from "./events/bus.js";
import type { GatewayServerOptions } from "./gateway-options.js";
import type { Admission } from "./handshake/connect.js";
import { handleFirstFrame, type FirstFrameDeps } from "./handshake/first-frame.js";
import { HelloBuilder } from "./handshake/hello.js";
import { dashboardRedeemRoute } from "./http/dashboard-redeem.js";
import { createHostCheck, hostGuardRoute, hostNameOf } from "./http/host-check.js";
import { handleHttp, probeRoutes } from "./http/routes.js";
import { createDashboardHandlers } from "./methods/dashboard.js";
import type { LiveConnection } from "./pairing/device-pairing.js";
import { HealthMonitor } from "./state/health.js";
import { PresenceTable } from "./state/presence.js";
import { clientPresence, presenceKey, selfPresence, tracksPresence } from "./state/presence-entries.js";
import { openMemoryStore, type Store } from "./store/index.js";
import type { Connection } from "./transport/connection.js";
import { closeServers, listenOnHosts } from "./transport/listeners.js";
import { directLocality, normalizeAddress } from "./transport/locality.js";
import { DEFAULT_PENDING_HANDSHAKES } from "./transport/pending-handshakes.js";
import { WsTransport } from "./transport/ws-transport.js";

export type { GatewayServerOptions } from "./gateway-options.js";

/** Host names the operator named: bind hosts that are names, and the hosts of allowed origins. */
function configuredHostNames(options: GatewayServerOptions): string[] {
  const fromOrigins = (options.allowedOrigins ?? []).flatMap((origin) => {
    const name = hostNameOf(URL.canParse(origin) ? new URL(origin).host : undefined);
    return name === undefined ? [] : [name];
  });
  return [...(options.hosts ?? []), ...fromOrigins];
}

/** The gateway server: one port for WebSocket and HTTP. Its services are built in create-gateway.ts. */
export class GatewayServer {
  readonly bootId = randomUUID();
  readonly policy: Policy;
  readonly bus: EventBus;
  readonly presence: PresenceTable;
  readonly health: HealthMonitor;
  readonly limiter: FailedAuthLimiter;
  readonly devices: GatewayServices["devices"];
  readonly agent: GatewayServices["agent"];
  readonly nodes: GatewayServices["nodes"];
  readonly approvals: GatewayServices["approvals"];
  readonly canvasCapabilities: GatewayServices["canvasCapabilities"];
  readonly canvas: GatewayServices["canvas"];
  readonly cron: GatewayServices["cron"];
  readonly heartbeat: GatewayServices["heartbeat"];
  readonly channels: GatewayServices["channels"];
  /** One-time Control UI sign-in codes; only when the Control UI is served. */
  private readonly dashboardCodes: DashboardCodes | undefined;
  private readonly ownedStore: Store | undefined;
  private readonly reconfigureServices: GatewayServices["reconfigure"];
  private readonly startedAt: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly dispatcher: Dispatcher;
  private readonly transport: WsTransport;
  private readonly firstFrame: FirstFrameDeps;
  private readonly hello: HelloBuilder;
  private readonly hostAllowed: (request: IncomingMessage) => boolean;
  private readonly httpServers: HttpServer[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private ready = false;
  private boundPort = 0;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: GatewayServerOptions) {
    const now = (this.now = options.now ?? Date.now);
    this.startedAt = now();
    this.log = options.logger ?? pino({ level: "silent" });
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.bus = new EventBus({ maxBufferedBytes: this.policy.maxBufferedBytes });
    this.limiter = new FailedAuthLimiter(options.auth.rateLimit, now);
    this.presence = new PresenceTable(selfPresence(options.version, this.bootId, now()));
    let services: GatewayServices | undefined;
    this.health = new HealthMonitor(
      healthSources(options, () => services, now),
      now,
    );
    this.ownedStore = options.store ? undefined : openMemoryStore();
    services = createGatewayServices(options, {
      store: options.store ?? this.ownedStore!,
      bus: this.bus,
      presence: this.presence,
      health: this.health,
      log: this.log,
      now,
      liveConnections: () => this.liveConnections(),
      invalidate: (match, reason) => this.invalidate(match, reason),
      broadcastPresence: () => this.broadcastPresence(),
      broadcastHealth: (snapshot) => this.broadcastHealth(snapshot),
      httpAuthorized: (request) => this.httpAuthorized(request),
      connectionBaseUrl: (connId) => this.baseUrl(this.bus.get(connId)),
    });
    ({
      devices: this.devices,
      agent: this.agent,
      nodes: this.nodes,
      approvals: this.approvals,
      canvasCapabilities: this.canvasCapabilities,
      canvas: this.canvas,
      cron: this.cron,
      heartbeat: this.heartbeat,
      channels: this.channels,
      reconfigure: this.reconfigureServices,
    } = services);
    const validators = new ValidatorSet();
    this.dashboardCodes = options.dashboard ? new DashboardCodes({ now }) : undefined;
    this.dispatcher = new Dispatcher({
      validators,
      handlers: {
        ...services.handlers,
        ...(this.dashboardCodes ? createDashboardHandlers(this.dashboardCodes, options.auth, options.dashboard!.path) : {}),
      },
      send: (connection, text) => this.bus.sendFrame(connection, text),
      log: this.log,
      now,
    });
    this.hostAllowed = createHostCheck({ allowedHosts: configuredHostNames(options), trustedProxies: options.auth.trustedProxies });
    this.transport = new WsTransport({
      isLocal: options.isLocal ?? directLocality,
      trustedProxies: options.auth.trustedProxies,
      acceptsTailscaleServe: acceptsTailscaleIngress(options.auth),
      pendingHandshakes: { ...DEFAULT_PENDING_HANDSHAKES, ...options.pendingHandshakes },
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      accepting: () => this.ready,
      hostAllowed: this.hostAllowed,
      otherUpgrade: (request, socket, head) => this.canvas?.handleUpgrade(request, socket, head) ?? false,
      opened: (connection) => this.bus.sendTo(connection, "connect.challenge", { nonce: connection.nonce, ts: this.now() }),
      frame: (connection, text) => this.onFrame(connection, text),
      closed: (connection) => this.onClosed(connection),
    });
    this.firstFrame = {
      validators,
      environment: {
        auth: options.auth,
        limiter: this.limiter,
        whois: options.whois,
        devices: this.devices,
        ready: () => this.ready,
        now,
        allowedOrigins: options.allowedOrigins ?? [],
        sleep: options.authDelay ?? ((ms, signal) => sleep(ms, undefined, { signal })),
      },
      send: (connection, text) => this.bus.sendFrame(connection, text),
      log: this.log,
      admitted: (connection, admission, requestId) => this.admitted(connection, admission, requestId),
    };
    this.hello = new HelloBuilder({
      version: options.version,
      bootId: this.bootId,
      authMode: options.auth.mode,
      policy: this.policy,
      configPath: options.configPath,
      stateDir: options.stateDir,
      presence: this.presence,
      health: this.health,
      nodes: this.nodes,
      canvasCapabilities: this.canvas ? this.canvasCapabilities : undefined,
      handles: (method) => this.dispatcher.handles(method),
      uptimeMs: () => this.now() - this.startedAt,
      baseUrl: (connection) => this.baseUrl(connection),
    });
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
    return this.transport.connections.size;
  }

  async start(): Promise<void> {
    const hosts = this.options.hosts ?? ["127.0.0.1"];
    // Channel config is checked before listening, so a bad key fails the start and names itself.
    await this.channels?.load();
    // Provider webhooks arrive under a public name through a tunnel and carry their own secret;
    // everything after the guard (canvas, A2UI, Control UI) answers only to names that cannot be rebound.
    const routes = [
      probeRoutes(() => this.ready),
      ...(this.channels ? [this.channels.webhookRoute()] : []),
      hostGuardRoute(this.hostAllowed),
      ...(this.dashboardCodes ? [this.redeemRoute(this.dashboardCodes)] : []),
      ...(this.canvas ? [this.canvas.route] : []),
      ...(this.options.httpRoutes ?? []),
    ];
    const listening = await listenOnHosts({
      hosts,
      port: this.options.port ?? 18789,
      tls: this.options.tls,
      onRequest: (request, response) => void handleHttp(routes, request, response),
      onUpgrade: (request, socket, head) => this.transport.upgrade(request, socket, head),
    });
    this.httpServers.push(...listening.servers);
    this.boundPort = listening.port;
    this.timers.push(setInterval(() => this.bus.broadcast("tick", { ts: this.now() }), this.policy.tickIntervalMs));
    this.timers.push(setInterval(() => this.maintain(), this.options.maintenanceIntervalMs ?? 60_000));
    // Turns a killed gateway left behind are closed or run before cron and heartbeats add more.
    this.agent?.start();
    this.cron?.start();
    this.heartbeat?.start();
    this.ready = true;
    this.log.info({ port: this.boundPort, hosts }, "gateway listening");
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
    this.dashboardCodes?.close();
    const closed = closeServers(this.httpServers);
    // Give peers a moment to finish the close handshake, then cut whoever is left.
    await this.transport.closeAll(1012, WireMessages.serviceRestart, 2000);
    await closed;
    this.health.stop();
    this.ownedStore?.close();
    this.log.info("gateway stopped");
  }

  private maintain(): void {
    this.dispatcher.sweep();
    this.canvasCapabilities.sweep();
    this.limiter.sweep();
    this.health.refresh();
    this.broadcastHealth();
  }

  /** Every handshaken connection, as pairing sees it. */
  /**
   * Settings changed while running (the config's hot keys): applied in place, nothing restarts but
   * the channel accounts whose own settings changed. A channels section its adapters refuse throws
   * before anything else changed.
   */
  reconfigure(update: LiveSettings): Promise<LiveSettingsApplied> {
    return this.reconfigureServices(update);
  }

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

  broadcastPresence(): void {
    this.bus.broadcast("presence", { presence: this.presence.list() }, this.stateVersion());
  }

  broadcastHealth(snapshot: HealthSnapshot = this.health.snapshot): void {
    this.bus.broadcast("health", snapshot, this.stateVersion());
  }

  private stateVersion() {
    return { presence: this.presence.version, health: this.health.version };
  }

  private onFrame(connection: Connection, text: string): void {
    if (connection.phase === "open") {
      void this.dispatcher.handle(connection, text);
      return;
    }
    // Frames over the pre-auth limit never get here: ws refuses them at the header (GatewaySocket).
    if (connection.phase !== "handshake" || connection.handshakeStarted) return;
    connection.handshakeStarted = true;
    void handleFirstFrame(this.firstFrame, connection, text).catch((error: unknown) => {
      // A throttled attempt whose socket closed while it waited has nobody left to answer.
      if (connection.phase === "closed") return;
      this.log.error({ err: error, connId: connection.id }, "handshake failed unexpectedly");
      connection.close(1011, "internal error");
    });
  }

  private admitted(connection: Connection, admission: Admission, requestId: string): void {
    connection.admission = admission;
    this.transport.handshaken(connection, this.policy.maxPayload);
    const hello = this.hello.build(connection);
    connection.settle();
    this.bus.sendFrame(connection, responseText(requestId, { ok: true, payload: hello }));
    this.bus.add(connection);
    if (admission.role === "node") this.nodes.attach(connection);
    if (tracksPresence(connection)) {
      this.presence.upsert(presenceKey(connection), clientPresence(connection, this.now()), connection.id);
      this.broadcastPresence();
    }
    // The answer (and the presence event behind it) goes out before the log line's synchronous file write.
    connection.flush();
    this.log.info(
      {
        connId: connection.id,
        client: admission.params.client.id,
        mode: admission.params.client.mode,
        role: admission.role,
        auth: admission.authMethod,
        ...(admission.identity ? { user: admission.identity.user } : {}),
      },
      "client connected",
    );
  }

  private onClosed(connection: Connection): void {
    this.bus.remove(connection);
    this.agent?.forgetConnection(connection.id);
    if (connection.admission?.role === "node") {
      this.nodes.detach(connection);
      // A replacing connection already holds a fresh capability; only a node that is gone loses it.
      const nodeId = this.nodes.nodeIdOf(connection);
      if (!this.nodes.isLive(nodeId)) this.canvasCapabilities.revokeNode(nodeId);
    }
    if (connection.admission && tracksPresence(connection) && this.presence.release(presenceKey(connection), connection.id)) this.broadcastPresence();
  }

  /**
   * HTTP surfaces: local peers are trusted on a loopback bind; anyone else needs the
   * shared secret as a Bearer token.
   */
  private async httpAuthorized(request: IncomingMessage): Promise<boolean> {
    const remoteAddress = normalizeAddress(request.socket.remoteAddress);
    if ((this.options.isLocal ?? directLocality)(remoteAddress, request.headers)) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim();
    if (!bearer) return false;
    const outcome = await evaluateSharedAuth(
      this.options.auth,
      { token: bearer, password: bearer },
      { remoteAddress, headers: request.headers },
      this.options.whois,
    );
    return outcome.kind === "ok";
  }

  private redeemRoute(codes: DashboardCodes) {
    return dashboardRedeemRoute({
      codes,
      auth: this.options.auth,
      allowedOrigins: this.options.allowedOrigins ?? [],
      limiter: this.limiter,
      isLocal: this.options.isLocal ?? directLocality,
      sleep: this.firstFrame.environment.sleep,
    });
  }

  /** The origin a connection reached us on, for URLs it can follow back. */
  private baseUrl(connection: Connection | undefined): string {
    const host = connection?.host ?? `127.0.0.1:${this.boundPort}`;
    return `${this.options.tls ? "https" : "http"}://${host}`;
  }
}
