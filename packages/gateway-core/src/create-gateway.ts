import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { EventPayload, HealthSnapshot } from "@openclaw/protocol";
import type { AgentRuntime, ModelProvider, TranscriptStore } from "@openclaw/agent";
import { AgentBridge } from "./agent/agent-bridge.js";
import { DEFAULT_HEARTBEAT_PROMPT, Heartbeat, type HeartbeatOptions } from "./agent/heartbeat.js";
import { SystemEventQueue, formatSystemEvents } from "./agent/system-events.js";
import { ExecApprovals } from "./approvals/exec-approvals.js";
import { CanvasCapabilities, createCanvasHost, type CanvasHost } from "./canvas/index.js";
import type { DmScope } from "./channels/accounts.js";
import { ChannelService, type ChannelAgent, type ChannelMessageSettings, type ChannelReconfigure } from "./channels/channel-service.js";
import { MediaStore } from "./media/media-store.js";
import { createMediaHandlers } from "./methods/media.js";
import { channelSendToolHost, combineToolHosts } from "./channels/send-tool.js";
import { createChatCommands } from "./commands/create-commands.js";
import { CronScheduler } from "./cron/index.js";
import type { EventBus } from "./events/bus.js";
import type { GatewayServerOptions } from "./gateway-options.js";
import { createAgentHandlers } from "./methods/agent.js";
import { createApprovalHandlers } from "./methods/approvals.js";
import { createCanvasHandlers } from "./methods/canvas.js";
import { createChannelHandlers } from "./methods/channels.js";
import { createCronHandlers } from "./methods/cron.js";
import { createDeviceHandlers } from "./methods/devices.js";
import { createModelHandlers } from "./methods/models.js";
import { createNodeHandlers } from "./methods/nodes.js";
import { createSessionHandlers } from "./methods/sessions.js";
import { createSystemHandlers } from "./methods/system.js";
import type { MethodHandlers } from "./methods/types.js";
import { NodeService } from "./nodes/node-service.js";
import { NodeStore } from "./nodes/node-store.js";
import { nodeToolHost } from "./nodes/node-tools.js";
import { DevicePairing, type LiveConnection, type PairingPolicy } from "./pairing/device-pairing.js";
import { DeviceRegistry } from "./pairing/device-registry.js";
import type { HealthMonitor, HealthSources } from "./state/health.js";
import type { PresenceTable } from "./state/presence.js";
import { SqliteTranscriptStore, type Store } from "./store/index.js";

/** What the server itself provides to the services it hosts. */
export interface GatewayCore {
  readonly store: Store;
  readonly bus: EventBus;
  readonly presence: PresenceTable;
  readonly health: HealthMonitor;
  readonly log: Logger;
  readonly now: () => number;
  readonly liveConnections: () => LiveConnection[];
  readonly invalidate: (match: (connection: LiveConnection) => boolean, reason: string) => number;
  readonly broadcastPresence: () => void;
  readonly broadcastHealth: (snapshot?: HealthSnapshot) => void;
  /** HTTP auth for the canvas: local peers on a loopback bind, otherwise the shared secret as Bearer. */
  readonly httpAuthorized: (request: IncomingMessage) => Promise<boolean>;
  /** `http(s)://host:port` a connection reached us on, for URLs it can follow back. */
  readonly connectionBaseUrl: (connId: string) => string;
}

/** Every service of a gateway, and the method handlers over them. */
export interface GatewayServices {
  readonly devices: DevicePairing;
  readonly approvals: ExecApprovals;
  readonly canvasCapabilities: CanvasCapabilities;
  readonly canvas: CanvasHost | undefined;
  readonly nodes: NodeService;
  readonly agent: AgentBridge | undefined;
  readonly heartbeat: Heartbeat | undefined;
  readonly cron: CronScheduler | undefined;
  readonly channels: ChannelService | undefined;
  readonly handlers: MethodHandlers;
  /** Applies settings that changed while running (see {@link LiveSettings}). */
  readonly reconfigure: (update: LiveSettings) => Promise<LiveSettingsApplied>;
}

/** Settings a running gateway takes in place; each one present replaces the current value. */
export interface LiveSettings {
  /** `agents.defaults.heartbeat`; without a prompt, the default one. */
  readonly heartbeat?: Pick<HeartbeatOptions, "everyMs" | "enabled"> & { readonly prompt?: string | undefined };
  /** `gateway.nodes.commands`. */
  readonly nodeCommands?: { readonly allow: readonly string[]; readonly deny: readonly string[] };
  /** `gateway.nodes.pairing`. */
  readonly pairing?: PairingPolicy;
  /** `commands.ownerAllowFrom`. */
  readonly ownerAllowFrom?: readonly string[];
  /** The `channels` section, `session.dmScope` and the `messages` section. */
  readonly channels?: { readonly config: Readonly<Record<string, unknown>>; readonly dmScope: DmScope; readonly messages?: ChannelMessageSettings };
}

/** What applying {@link LiveSettings} did. */
export interface LiveSettingsApplied {
  readonly channels?: ChannelReconfigure;
}

/** The composition root of gateway-core: builds each service and wires them to each other and to the server. */
export function createGatewayServices(options: GatewayServerOptions, core: GatewayCore): GatewayServices {
  const { bus, log, now } = core;
  const db = core.store.db;
  // Services that refer to each other are reached through these, set as they are built.
  let agent: AgentBridge | undefined;
  let heartbeat: Heartbeat | undefined;
  let channels: ChannelService | undefined;
  // Channel attachments, content-addressed under the state dir; the agent reads images back from here.
  const mediaDir = options.channels?.stateDir ?? options.stateDir;
  const mediaStore = options.channels?.media?.store ?? (mediaDir !== undefined ? new MediaStore(join(mediaDir, "media"), now) : undefined);
  const nodes = new NodeService(new NodeStore(db), {
    sendTo: (connection, event, payload) => bus.sendTo(connection, event, payload),
    broadcast: (event, payload) => bus.broadcast(event, payload),
    close: (connection, code, reason) => connection.close(code, reason),
    commandLists: { allow: options.nodeCommands?.allow ?? [], deny: options.nodeCommands?.deny ?? [] },
    agentRequest: (message, sessionKey) =>
      agent?.runtime.submit({ runId: randomUUID(), sessionKey: sessionKey ?? "agent:main:main", agentId: "main", message }),
    now,
  });

  const devices = new DevicePairing(
    new DeviceRegistry(db),
    {
      broadcast: (event, payload) => bus.broadcast(event, payload),
      connections: core.liveConnections,
      invalidate: core.invalidate,
      // One approval for a node: the commands it declared while waiting are approved with its device.
      nodeAwaitingPairing: (candidate, remoteAddress) => nodes.surfaces.declare(candidate.deviceId!, candidate.params, remoteAddress),
      nodeApproved: (deviceId, scopes) => nodes.surfaces.approveForDevice(deviceId, scopes),
    },
    {
      autoApproveLocal: options.pairing?.autoApproveLocal ?? true,
      ...(options.auth.mode === "trusted-proxy" ? { proxyAutoApprove: options.auth.trustedProxy?.deviceAutoApprove } : {}),
    },
    now,
  );
  const approvals = new ExecApprovals((event, payload) => bus.broadcast(event, payload), now);
  const canvasCapabilities = new CanvasCapabilities({ now });
  const canvas = options.canvas
    ? createCanvasHost({
        root: options.canvas.root,
        ...(options.canvas.liveReload !== undefined ? { liveReload: options.canvas.liveReload } : {}),
        ...(options.canvas.a2uiRoot ? { a2uiRoot: options.canvas.a2uiRoot } : {}),
        capabilities: canvasCapabilities,
        isAuthorized: core.httpAuthorized,
        onError: (error) => log.warn({ err: error }, "canvas watcher failed"),
      })
    : undefined;
  /** `system-event`, `wake` and cron `systemEvent` lines, each delivered to its session's next turn. */
  const systemEvents = new SystemEventQueue();
  /** Models a cron `agentTurn` asked for, by run id, applied as that run starts. */
  const turnModels = new Map<string, { provider: ModelProvider; model: string }>();
  const transcripts = new SqliteTranscriptStore(db);
  if (options.agent) {
    agent = new AgentBridge({
      ...(mediaStore ? { loadMedia: (sha256: string) => mediaStore.read(sha256) } : {}),
      ...options.agent,
      // Connected nodes' commands and the channel send tool are the agent's tools unless the embedder brings its own.
      tools:
        options.agent.tools ??
        combineToolHosts(
          nodeToolHost(nodes),
          channelSendToolHost(() => channels),
        ),
      store: transcripts,
      storePath: options.store?.path,
      prepareTurn: (turn, resolved) => {
        deliverSystemEvents(systemEvents, transcripts, turn, now, log);
        return turnModels.get(turn.runId) ?? resolved;
      },
      broadcast: (event, payload, filter) => {
        // The runtime's events, with two additions: a heartbeat's turns say so on their agent events,
        // so clients can tell them from user turns; nodes see chat only for sessions they subscribed to.
        // The payload's type follows `event`, which TypeScript cannot narrow through the generic, hence the casts.
        if (event === "agent") {
          const agentEvent = payload as EventPayload<"agent">;
          bus.broadcast("agent", heartbeat?.owns(agentEvent.runId) ? { ...agentEvent, isHeartbeat: true } : agentEvent, undefined, filter);
          return;
        }
        bus.broadcast(event, payload, undefined, filter);
        if (event !== "chat") return;
        const chat = payload as EventPayload<"chat">;
        for (const node of nodes.chatSubscribers(chat.sessionKey)) bus.sendTo(node, "chat", chat);
      },
      now,
    });
    heartbeat = new Heartbeat(
      agent.runtime,
      {
        everyMs: options.heartbeat?.everyMs ?? 1_800_000,
        enabled: options.heartbeat?.enabled ?? true,
        prompt: options.heartbeat?.prompt ?? DEFAULT_HEARTBEAT_PROMPT,
        ...(options.heartbeat?.sessionKey ? { sessionKey: options.heartbeat.sessionKey } : {}),
      },
      (event) => bus.broadcast("heartbeat", event),
      now,
    );
  }
  const mainSessionKey = heartbeat?.sessionKey ?? "agent:main:main";
  // The turn that reads freshly queued system events, now rather than at the next beat.
  const beat = heartbeat;
  const wakeNow = beat ? (sessionKey: string, reason: "wake" | "cron") => void beat.beat({ reason, sessionKey }) : undefined;
  const cron = agent ? createCron(core, agent, { systemEvents, turnModels, mainSessionKey, wakeNow }) : undefined;
  const runtime = agent?.runtime;
  let owners = options.commands?.ownerAllowFrom ?? [];
  const chat = agent
    ? createChatCommands({
        bridge: agent,
        version: options.version,
        now,
        approvals,
        devices,
        channels: () => channels,
        ownerAllowFrom: () => owners,
      })
    : undefined;
  const store = agent?.store;
  channels = options.channels
    ? new ChannelService({
        ...options.channels,
        ...(mediaStore ? { media: { ...options.channels.media, store: mediaStore } } : {}),
        db,
        logger: log.child({ subsystem: "channels" }),
        // Subscribers hear at once when a channel turns degraded or recovers, not at the next tick.
        onChange: () => {
          const before = JSON.stringify(core.health.snapshot.channelHealth ?? null);
          const after = core.health.refresh();
          if (JSON.stringify(after.channelHealth ?? null) !== before) core.broadcastHealth(after);
        },
        now,
        ...(runtime && store ? { agent: channelAgent(runtime, store) } : {}),
        ...(chat ? { commands: chat.channelHook } : {}),
      })
    : undefined;

  const handlers: MethodHandlers = {
    ...createSystemHandlers({
      version: options.version,
      presence: core.presence,
      health: core.health,
      presenceChanged: core.broadcastPresence,
      healthChanged: () => core.broadcastHealth(),
      statusExtras: options.statusExtras ?? (() => ({})),
      heartbeat,
      systemEvents,
      mainSessionKey,
      wakeNow: wakeNow && ((sessionKey: string) => wakeNow(sessionKey, "wake")),
      now,
    }),
    ...createDeviceHandlers(devices),
    ...createApprovalHandlers(approvals),
    ...createCanvasHandlers(canvasCapabilities, core.connectionBaseUrl),
    ...createNodeHandlers(nodes, (connId) => bus.get(connId)),
    ...(agent ? { ...createAgentHandlers(agent, chat?.commands, mediaStore), ...createSessionHandlers(agent), ...createModelHandlers(agent) } : {}),
    ...(mediaStore ? createMediaHandlers(mediaStore) : {}),
    ...(cron ? createCronHandlers(cron) : {}),
    ...(channels ? createChannelHandlers(channels) : {}),
    ...options.handlers,
  };
  const reconfigure = async (update: LiveSettings): Promise<LiveSettingsApplied> => {
    // Channels first: a section they refuse throws before anything else changed.
    const reconfigured = update.channels ? await channels?.reconfigure(update.channels.config, update.channels.dmScope, update.channels.messages) : undefined;
    if (update.heartbeat) heartbeat?.reconfigure({ ...update.heartbeat, prompt: update.heartbeat.prompt ?? DEFAULT_HEARTBEAT_PROMPT });
    if (update.nodeCommands) nodes.setCommandLists(update.nodeCommands);
    if (update.pairing) devices.setPolicy(update.pairing);
    if (update.ownerAllowFrom) owners = update.ownerAllowFrom;
    return reconfigured ? { channels: reconfigured } : {};
  };
  return { devices, approvals, canvasCapabilities, canvas, nodes, agent, heartbeat, cron, channels, handlers, reconfigure };
}

/** The agent as channels use it: a turn per message, with the tool calls and tokens its reply may show. */
function channelAgent(runtime: AgentRuntime, store: TranscriptStore): ChannelAgent {
  return {
    run: async ({ sessionKey, agentId, message, attachments }) => {
      const runId = randomUUID();
      const queueMode = store.session(sessionKey)?.options.queueMode ?? "followup";
      const outcome = await runtime.submit({ runId, sessionKey, agentId, message, queueMode, ...(attachments ? { attachments } : {}) }).run.done;
      return {
        status: outcome.status,
        // A message folded into another run (`/queue steer` or `collect`) is answered by that run's reply.
        text: outcome.joinedRunId === undefined ? outcome.text : "",
        ...(outcome.error ? { error: outcome.error } : {}),
        ...(outcome.usage ? { usage: outcome.usage } : {}),
        // Read back from the transcript only when the reply will show them (`/verbose on|full`).
        ...(isVerbose(store, sessionKey) ? { tools: runTools(store, sessionKey, runId) } : {}),
      };
    },
    options: (sessionKey) => store.session(sessionKey)?.options,
  };
}

const isVerbose = (store: TranscriptStore, sessionKey: string) => (store.session(sessionKey)?.options.verboseLevel ?? "off") !== "off";

/** The tool calls a run made and their results, read back from its transcript entries. */
function runTools(store: TranscriptStore, sessionKey: string, runId: string) {
  const entries = store.page(sessionKey, { limit: 200 }).entries.filter((entry) => entry.runId === runId);
  const results = new Map(entries.flatMap((entry) => (entry.role === "tool" && entry.toolCallId ? [[entry.toolCallId, entry.text] as const] : [])));
  return entries.flatMap((entry) => (entry.toolCalls ?? []).map((call) => ({ name: call.name, args: call.arguments, result: results.get(call.id) })));
}

interface CronWiring {
  readonly systemEvents: SystemEventQueue;
  readonly turnModels: Map<string, { provider: ModelProvider; model: string }>;
  readonly mainSessionKey: string;
  readonly wakeNow: ((sessionKey: string, reason: "wake" | "cron") => void) | undefined;
}

function createCron(core: GatewayCore, agent: AgentBridge, wiring: CronWiring): CronScheduler {
  const { now } = core;
  return new CronScheduler({
    db: core.store.db,
    broadcast: (event, payload) => core.bus.broadcast(event, payload),
    now,
    runner: {
      // "next-heartbeat" leaves the line for the session's next turn; "now" runs that turn at once.
      systemEvent: (text, sessionKey, { wakeMode }) => {
        const target = sessionKey ?? wiring.mainSessionKey;
        wiring.systemEvents.enqueue(target, text, now());
        if (wakeMode === "now") wiring.wakeNow?.(target, "cron");
      },
      agentTurn: async (message, sessionKey, { model, timeoutSeconds }) => {
        const agentId = /^agent:([^:]+):/.exec(sessionKey)?.[1] ?? "main";
        const runId = randomUUID();
        // Resolved before the run is queued, so a model this gateway cannot serve fails the cron run, not the turn.
        if (model !== undefined) wiring.turnModels.set(runId, agent.resolveModelRef(model, agentId));
        const { run } = agent.runtime.submit({ runId, sessionKey, agentId, message });
        const timer =
          timeoutSeconds !== undefined && timeoutSeconds > 0
            ? setTimeout(() => run.abort(`cron agentTurn timed out after ${timeoutSeconds}s`), timeoutSeconds * 1000)
            : undefined;
        try {
          const outcome = await run.done;
          return { status: outcome.status, runId: outcome.runId, summary: outcome.text, ...(outcome.error ? { error: outcome.error } : {}) };
        } finally {
          clearTimeout(timer);
          wiring.turnModels.delete(runId);
        }
      },
    },
    onError: (error) => core.log.error({ err: error }, "cron failed"),
  });
}

/**
 * Queued system events join the transcript just ahead of the turn's message, once, oldest
 * first. Called from inside the runtime as the turn starts, where a throw would strand the
 * run, so a store failure is logged and the events are dropped.
 */
function deliverSystemEvents(
  queue: SystemEventQueue,
  transcripts: TranscriptStore,
  turn: { runId: string; sessionKey: string },
  now: () => number,
  log: Logger,
): void {
  const events = queue.drain(turn.sessionKey);
  if (events.length === 0) return;
  try {
    transcripts.append({ sessionKey: turn.sessionKey, runId: turn.runId, role: "user", text: formatSystemEvents(events), createdAtMs: now() });
  } catch (error) {
    log.error({ err: error, sessionKey: turn.sessionKey, dropped: events.length }, "could not record system events for a turn");
  }
}

/** What `health` reports, read from the services as they are when asked. */
export function healthSources(options: GatewayServerOptions, services: () => GatewayServices | undefined, now: () => number): HealthSources {
  const sessionsPath = options.store?.path ?? "";
  const sessions = () => {
    const list = services()?.agent?.sessions() ?? [];
    const at = now();
    return {
      path: sessionsPath,
      count: list.length,
      recent: list.slice(0, 5).map((session) => ({ key: session.key, updatedAt: session.updatedAtMs, age: Math.max(0, at - session.updatedAtMs) })),
    };
  };
  const heartbeatView = () => services()?.heartbeat?.view() ?? { enabled: false, every: "disabled" as const, everyMs: null };
  const defaults: HealthSources = {
    agents: () => [{ agentId: "main", isDefault: true, heartbeat: heartbeatView(), sessions: sessions() }],
    sessions,
    channels: () => services()?.channels?.snapshot() ?? { channels: {}, order: [], labels: {} },
    heartbeatSeconds: () => Math.round((services()?.heartbeat?.view().everyMs ?? 0) / 1000),
    defaultAgentId: () => "main",
  };
  return { ...defaults, ...options.health };
}
