import { hostname } from "node:os";
import { advertisedEvents, advertisedMethods, type AuthMode, type HelloOk, type Policy } from "@openclaw/protocol";
import { canvasCapabilityUrl, type CanvasCapabilities } from "../canvas/index.js";
import type { NodeService } from "../nodes/node-service.js";
import type { HealthMonitor } from "../state/health.js";
import type { PresenceTable } from "../state/presence.js";
import type { Connection } from "../transport/connection.js";

/** What hello-ok reports, fixed for the gateway's lifetime or read live. */
export interface HelloSources {
  readonly version: string;
  readonly bootId: string;
  readonly authMode: AuthMode;
  readonly policy: Policy;
  readonly configPath: string | undefined;
  readonly stateDir: string | undefined;
  readonly presence: PresenceTable;
  readonly health: HealthMonitor;
  readonly nodes: NodeService;
  /** Set when the canvas host runs: nodes get a capability URL for it. */
  readonly canvasCapabilities: CanvasCapabilities | undefined;
  readonly handles: (method: string) => boolean;
  readonly uptimeMs: () => number;
  /** `http(s)://host:port` the connection reached us on. */
  readonly baseUrl: (connection: Connection) => string;
}

/** Builds hello-ok answers; the advertised methods and the host name are computed once. */
export class HelloBuilder {
  private readonly host = hostname();
  #features: HelloOk["features"] | undefined;

  constructor(private readonly sources: HelloSources) {}

  /** The registry's methods this gateway has a handler for (asked on first use, once every handler is wired). */
  private get features(): HelloOk["features"] {
    this.#features ??= { methods: advertisedMethods().filter((name) => this.sources.handles(name)), events: advertisedEvents() };
    return this.#features;
  }

  build(connection: Connection): HelloOk {
    const { sources } = this;
    const admission = connection.admission!;
    const admin = admission.role === "operator" && admission.scopes.includes("operator.admin");
    return {
      type: "hello-ok",
      protocol: admission.protocol,
      server: { version: sources.version, connId: connection.id, bootId: sources.bootId, host: this.host },
      features: this.features,
      snapshot: {
        presence: sources.presence.list(),
        health: sources.health.snapshot,
        stateVersion: { presence: sources.presence.version, health: sources.health.version },
        uptimeMs: sources.uptimeMs(),
        sessionDefaults: { defaultAgentId: "main", mainKey: "main", mainSessionKey: "agent:main:main", scope: "per-sender" },
        authMode: sources.authMode,
        ...(admin && sources.configPath ? { configPath: sources.configPath } : {}),
        ...(admin && sources.stateDir ? { stateDir: sources.stateDir } : {}),
      },
      auth: {
        method: admission.authMethod,
        role: admission.role,
        scopes: [...admission.scopes],
        ...(admission.deviceToken ? { deviceToken: admission.deviceToken.token, issuedAtMs: admission.deviceToken.issuedAtMs } : {}),
      },
      ...(admission.role === "node" && sources.canvasCapabilities ? this.nodeSurfaceUrls(connection, sources.canvasCapabilities) : {}),
      policy: sources.policy,
    };
  }

  /** v4 nodes get a capability URL for the canvas; v3 nodes the older `canvasHostUrl`. */
  private nodeSurfaceUrls(connection: Connection, capabilities: CanvasCapabilities): Record<string, unknown> {
    const nodeId = this.sources.nodes.nodeIdOf(connection);
    const url = canvasCapabilityUrl(this.sources.baseUrl(connection), capabilities.issue(nodeId).capability);
    return connection.admission!.protocol >= 4 ? { pluginSurfaceUrls: { canvas: url } } : { canvasHostUrl: url };
  }
}
