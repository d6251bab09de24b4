import type { Logger } from "pino";
import type { Policy } from "@openclaw/protocol";
import type { AgentBridgeOptions } from "./agent/agent-bridge.js";
import type { HeartbeatOptions } from "./agent/heartbeat.js";
import type { AuthSettings } from "./auth/shared-auth.js";
import type { TailscaleWhois } from "./auth/tailscale.js";
import type { ChannelServiceOptions } from "./channels/channel-service.js";
import type { HttpRoute } from "./http/routes.js";
import type { MethodHandlers } from "./methods/types.js";
import type { PairingPolicy } from "./pairing/device-pairing.js";
import type { HealthSources } from "./state/health.js";
import type { Store } from "./store/index.js";
import type { LocalityPredicate } from "./transport/locality.js";
import type { PendingHandshakeLimits } from "./transport/pending-handshakes.js";

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
  /**
   * Resolves a tailnet address to its user for `allowTailscale` (e.g. `createTailscaleWhois`).
   * Without it every Tailscale identity fails with `tailscale_whois_failed`.
   */
  readonly whois?: TailscaleWhois;
  /** Where paired devices and tokens live. @default an in-memory store (lost on exit) */
  readonly store?: Store;
  readonly pairing?: Partial<PairingPolicy>;
  /**
   * The agent runtime's model and tools; without it the agent, chat and sessions methods are absent.
   * `resolveModelRef` serves both a patched session's model and a cron `agentTurn`'s; `loadMedia`
   * reads a stored attachment by its SHA-256, for models that take images.
   */
  readonly agent?: Pick<AgentBridgeOptions, "resolveModel" | "resolveModelRef" | "listModels" | "tools" | "systemPrompt" | "loadMedia">;
  /** The periodic agent turn (`agents.defaults.heartbeat`); only with `agent`. @default every 30 min, enabled */
  readonly heartbeat?: Partial<HeartbeatOptions>;
  /** The canvas host on this port; `undefined` leaves it off. */
  readonly canvas?: { readonly root: string; readonly liveReload?: boolean; readonly a2uiRoot?: string };
  /**
   * `gateway.nodes.commands` at start: extra allowed commands, and denied ones (deny wins).
   * `server.nodes.setCommandLists` replaces them while running.
   */
  readonly nodeCommands?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  readonly allowedOrigins?: readonly string[];
  /**
   * Where the Control UI is served (its base path, e.g. "/"). With it the gateway issues one-time
   * sign-in codes (`dashboard.code`, for `openclaw dashboard`) and redeems them at
   * `/__openclaw__/dashboard/redeem`; without it neither exists. @default undefined
   */
  readonly dashboard?: { readonly path: string };
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly health?: Partial<HealthSources>;
  readonly statusExtras?: (admin: boolean) => Record<string, unknown>;
  /** The chat-command layer (`commands` in the config). */
  readonly commands?: {
    /** Channel senders who own this gateway, as `<channel>:<senderId>` or `<channel>/<account>:<senderId>`. @default [] */
    readonly ownerAllowFrom?: readonly string[];
  };
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
