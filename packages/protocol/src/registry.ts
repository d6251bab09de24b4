import { Type, type Static, type TSchema } from "@sinclair/typebox";
import * as agent from "./schema/agent.js";
import * as approvals from "./schema/approvals.js";
import * as channels from "./schema/channels.js";
import * as config from "./schema/config.js";
import { ConnectChallenge, ConnectParams } from "./schema/connect.js";
import * as cron from "./schema/cron.js";
import * as dashboard from "./schema/dashboard.js";
import * as devices from "./schema/devices.js";
import * as media from "./schema/media.js";
import * as nodes from "./schema/nodes.js";
import * as sessions from "./schema/sessions.js";
import { HealthSnapshot, HelloOk, PresenceEntry } from "./schema/snapshot.js";
import * as system from "./schema/system.js";
import type { OperatorScope } from "./scopes.js";

/**
 * Who may call a method: any authenticated connection, only `role: "node"`,
 * or an operator holding the scope.
 */
export type MethodAccess = "any" | "node" | OperatorScope;

/** The dedupe namespace of a side-effecting method (`<prefix>:<idempotencyKey>`). */
export type IdempotencyPrefix = "send" | "agent" | "chat" | "node" | "system-event";

export interface MethodDescriptor<P extends TSchema = TSchema, R extends TSchema = TSchema> {
  readonly params: P;
  readonly result: R;
  readonly access: MethodAccess;
  /** Listed in `hello-ok.features.methods`. @default true */
  readonly advertise?: boolean;
  /** Side-effecting methods carry an `idempotencyKey` deduplicated under this prefix. */
  readonly idempotency?: IdempotencyPrefix;
  /** A stricter scope some params demand (e.g. `/reset` needs admin). */
  escalate?(params: Static<P>): OperatorScope | undefined;
}

function method<P extends TSchema, R extends TSchema>(descriptor: MethodDescriptor<P, R>): MethodDescriptor<P, R> {
  return descriptor;
}

const read = "operator.read";
const write = "operator.write";
const admin = "operator.admin";
const pairing = "operator.pairing";
const approvalsScope = "operator.approvals";
const talk = "operator.talk";

/** Node commands that only an admin may relay. */
export const ADMIN_NODE_COMMANDS = ["browser.proxy", "browser.proxy.upload.v1", "fs.listDir", "terminal.upload"] as const;

/**
 * Every method this gateway serves, with its params, result and required access.
 * Validators, `features.methods`, scope checks and docs are derived from this table.
 */
export const METHODS = {
  connect: method({ params: ConnectParams, result: HelloOk, access: admin, advertise: false }),
  health: method({ params: system.HealthParams, result: HealthSnapshot, access: "any" }),
  status: method({ params: system.StatusParams, result: system.StatusResult, access: read }),
  "system-presence": method({ params: system.EmptyParams, result: Type.Array(PresenceEntry), access: read }),
  "system-event": method({ params: system.SystemEventParams, result: system.OkResult, access: admin, idempotency: "system-event" }),
  "last-heartbeat": method({ params: system.EmptyParams, result: system.LastHeartbeatResult, access: read }),
  "set-heartbeats": method({ params: system.SetHeartbeatsParams, result: system.SetHeartbeatsResult, access: admin }),
  wake: method({ params: system.WakeParams, result: system.OkResult, access: write }),
  "logs.tail": method({ params: system.LogsTailParams, result: system.LogsTailResult, access: read }),
  "models.list": method({ params: system.ModelsListParams, result: system.ModelsListResult, access: read }),
  "commands.list": method({ params: system.CommandsListParams, result: system.CommandsListResult, access: read }),
  "voicewake.get": method({ params: system.EmptyParams, result: system.VoicewakeGetResult, access: read }),
  "voicewake.set": method({ params: system.VoicewakeSetParams, result: system.VoicewakeGetResult, access: write }),
  "talk.mode": method({ params: system.TalkModeParams, result: system.TalkModeEvent, access: talk }),

  send: method({ params: channels.SendParams, result: channels.SendResult, access: write, idempotency: "send" }),
  "channels.status": method({ params: channels.ChannelsStatusParams, result: channels.ChannelsStatusResult, access: read }),
  "channels.start": method({ params: channels.ChannelAccountParams, result: channels.ChannelAccountResult, access: admin }),
  "channels.stop": method({ params: channels.ChannelAccountParams, result: channels.ChannelAccountResult, access: admin }),
  "channels.logout": method({ params: channels.ChannelAccountParams, result: channels.ChannelAccountResult, access: admin }),
  "channels.pairing.list": method({ params: channels.ChannelsPairingListParams, result: channels.ChannelsPairingListResult, access: pairing }),
  "channels.pairing.approve": method({ params: channels.ChannelsPairingCodeParams, result: channels.ChannelAccountResult, access: pairing }),
  "channels.pairing.dismiss": method({ params: channels.ChannelsPairingCodeParams, result: channels.ChannelAccountResult, access: pairing }),
  // Our extension (not in the reference): callable, but not advertised in hello-ok features.
  "channels.outbox.list": method({ params: channels.ChannelsOutboxListParams, result: channels.ChannelsOutboxListResult, access: read, advertise: false }),
  "channels.outbox.retry": method({ params: channels.ChannelsOutboxRetryParams, result: channels.ChannelsOutboxRetryResult, access: admin, advertise: false }),
  "channels.login": method({ params: channels.ChannelsLoginParams, result: channels.ChannelsLoginResult, access: admin, advertise: false }),
  "channels.outbox.prune": method({ params: channels.ChannelsOutboxPruneParams, result: channels.ChannelsOutboxPruneResult, access: admin, advertise: false }),

  agent: method({
    params: agent.AgentParams,
    result: agent.AgentResult,
    access: write,
    idempotency: "agent",
    escalate: (params) => (/^\/(new|reset)\b/.test(params.message.trim()) ? admin : undefined),
  }),
  "agent.wait": method({ params: agent.AgentWaitParams, result: agent.AgentWaitResult, access: write }),
  "agent.identity.get": method({ params: agent.AgentIdentityParams, result: agent.AgentIdentityResult, access: read }),
  "agents.list": method({ params: system.EmptyParams, result: agent.AgentsListResult, access: read }),
  "chat.history": method({ params: agent.ChatHistoryParams, result: agent.ChatHistoryResult, access: read }),
  "chat.send": method({ params: agent.ChatSendParams, result: agent.ChatSendResult, access: write, idempotency: "chat" }),
  "chat.abort": method({ params: agent.ChatAbortParams, result: agent.ChatAbortResult, access: write }),
  "chat.inject": method({ params: agent.ChatInjectParams, result: agent.ChatInjectResult, access: admin, advertise: false }),

  "sessions.list": method({ params: sessions.SessionsListParams, result: sessions.SessionsListResult, access: read }),
  "sessions.preview": method({ params: sessions.SessionsPreviewParams, result: sessions.SessionsPreviewResult, access: read }),
  "sessions.create": method({ params: sessions.SessionsCreateParams, result: sessions.SessionsCreateResult, access: write }),
  "sessions.patch": method({
    params: sessions.SessionsPatchParams,
    result: sessions.SessionsPatchResult,
    access: write,
    // Labels, the model and the session's options are write; runtime overrides are admin.
    escalate: (params) => (sessions.SESSION_RUNTIME_OVERRIDES.some((field) => params[field] !== undefined) ? admin : undefined),
  }),
  "sessions.reset": method({ params: sessions.SessionsResetParams, result: sessions.SessionsResetResult, access: admin }),
  "sessions.delete": method({ params: sessions.SessionsDeleteParams, result: sessions.SessionsDeleteResult, access: admin }),
  "sessions.describe": method({ params: sessions.SessionsDescribeParams, result: sessions.SessionsDescribeResult, access: read }),
  "sessions.subscribe": method({ params: sessions.SessionsSubscribeParams, result: sessions.SessionsSubscribeResult, access: read }),

  "node.list": method({ params: system.EmptyParams, result: nodes.NodeListResult, access: read }),
  "node.describe": method({ params: nodes.NodeIdParams, result: nodes.NodeDescribeResult, access: read }),
  "node.invoke": method({
    params: nodes.NodeInvokeParams,
    result: nodes.NodeInvokeResult,
    access: write,
    idempotency: "node",
    escalate: (params) => ((ADMIN_NODE_COMMANDS as readonly string[]).includes(params.command) ? admin : undefined),
  }),
  "node.invoke.result": method({ params: nodes.NodeInvokeResultParams, result: nodes.NodeAckResult, access: "node" }),
  "node.invoke.progress": method({ params: nodes.NodeInvokeProgressParams, result: nodes.NodeAckResult, access: "node" }),
  "node.event": method({ params: nodes.NodeEventParams, result: nodes.NodeEventResult, access: "node" }),
  "node.pending.drain": method({ params: nodes.NodePendingDrainParams, result: nodes.NodePendingDrainResult, access: "node" }),
  "node.pending.pull": method({ params: system.EmptyParams, result: nodes.NodePendingPullResult, access: "node" }),
  "node.pending.ack": method({ params: nodes.NodePendingAckParams, result: nodes.NodeAckResult, access: "node" }),
  "node.pending.enqueue": method({ params: nodes.NodePendingEnqueueParams, result: nodes.NodePendingEnqueueResult, access: write }),
  "node.pluginSurface.refresh": method({ params: nodes.NodePluginSurfaceRefreshParams, result: nodes.NodePluginSurfaceRefreshResult, access: "node" }),
  "node.rename": method({ params: nodes.NodeRenameParams, result: nodes.NodeRenameResult, access: pairing }),
  "node.pair.list": method({ params: system.EmptyParams, result: nodes.NodePairListResult, access: pairing }),
  "node.pair.approve": method({ params: nodes.RequestIdParams, result: nodes.NodePairApproveResult, access: pairing }),
  "node.pair.reject": method({ params: nodes.RequestIdParams, result: nodes.NodePairRejectResult, access: pairing }),
  "node.pair.remove": method({ params: nodes.NodeIdParams, result: nodes.NodePairRemoveResult, access: pairing }),

  "device.pair.list": method({ params: system.EmptyParams, result: devices.DevicePairListResult, access: pairing }),
  "device.pair.approve": method({ params: nodes.RequestIdParams, result: devices.DevicePairApproveResult, access: pairing }),
  "device.pair.reject": method({ params: nodes.RequestIdParams, result: devices.DevicePairRejectResult, access: pairing }),
  "device.pair.remove": method({ params: devices.DeviceIdParams, result: devices.DeviceIdResult, access: pairing }),
  "device.pair.rename": method({ params: devices.DevicePairRenameParams, result: devices.DevicePairRenameResult, access: pairing }),
  "device.token.rotate": method({ params: devices.DeviceTokenRotateParams, result: devices.DeviceTokenRotateResult, access: pairing }),
  "device.token.revoke": method({ params: devices.DeviceTokenRevokeParams, result: devices.DeviceTokenRevokeResult, access: pairing }),

  "config.get": method({ params: system.EmptyParams, result: config.ConfigGetResult, access: read }),
  "config.set": method({ params: config.ConfigSetParams, result: config.ConfigWriteResult, access: admin }),
  "config.apply": method({ params: config.ConfigApplyParams, result: config.ConfigWriteResult, access: admin }),
  "config.patch": method({ params: config.ConfigPatchParams, result: config.ConfigWriteResult, access: admin }),
  "config.schema": method({ params: system.EmptyParams, result: config.ConfigSchemaResult, access: admin }),
  // Our extension: a one-time code for `openclaw dashboard`. It mints a way to the shared secret, so admin only.
  "dashboard.code": method({ params: dashboard.DashboardCodeParams, result: dashboard.DashboardCodeResult, access: admin, advertise: false }),
  // Our extension: a stored attachment's bytes, for WebChat's image thumbnails. Read access, like chat.history.
  "media.get": method({ params: media.MediaGetParams, result: media.MediaGetResult, access: read, advertise: false }),

  "cron.list": method({ params: cron.CronListParams, result: cron.CronListResult, access: read }),
  "cron.status": method({ params: system.EmptyParams, result: cron.CronStatusResult, access: read }),
  "cron.get": method({ params: cron.CronIdParams, result: cron.CronJob, access: read }),
  "cron.add": method({ params: cron.CronAddParams, result: cron.CronJob, access: admin }),
  "cron.update": method({ params: cron.CronUpdateParams, result: cron.CronJob, access: admin }),
  "cron.remove": method({ params: cron.CronIdParams, result: cron.CronRemoveResult, access: admin }),
  "cron.run": method({ params: cron.CronRunParams, result: cron.CronRunResult, access: admin }),
  "cron.runs": method({ params: cron.CronRunsParams, result: cron.CronRunsResult, access: read }),

  "exec.approval.request": method({ params: approvals.ExecApprovalRequestParams, result: approvals.ExecApprovalRequestResult, access: approvalsScope }),
  "exec.approval.resolve": method({ params: approvals.ExecApprovalResolveParams, result: system.OkResult, access: approvalsScope }),
  "exec.approval.get": method({ params: approvals.ExecApprovalIdParams, result: approvals.ExecApprovalRecord, access: approvalsScope }),
  "exec.approval.list": method({ params: system.EmptyParams, result: approvals.ExecApprovalListResult, access: approvalsScope }),
  "exec.approval.waitDecision": method({ params: approvals.ExecApprovalIdParams, result: approvals.ExecApprovalRequestResult, access: approvalsScope }),
  "plugin.approval.list": method({ params: system.EmptyParams, result: approvals.PluginApprovalListResult, access: approvalsScope }),
  "question.list": method({ params: system.EmptyParams, result: system.QuestionListResult, access: "operator.questions" }),
  "taskSuggestions.list": method({ params: system.EmptyParams, result: system.TaskSuggestionsListResult, access: read }),
} as const satisfies Record<string, MethodDescriptor<TSchema, TSchema>>;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = Static<(typeof METHODS)[M]["params"]>;
export type MethodResult<M extends MethodName> = Static<(typeof METHODS)[M]["result"]>;

/**
 * Who receives an event: every handshaken connection, operators holding a scope,
 * or only the connection it is addressed to (`targeted`, sent without `seq`).
 */
export type EventAudience = "all" | "targeted" | OperatorScope;

export interface EventDescriptor<P extends TSchema = TSchema> {
  readonly payload: P;
  readonly audience: EventAudience;
  /** Carries `stateVersion` on the frame. */
  readonly stateful?: boolean;
  /** May be dropped for a slow consumer instead of closing it. */
  readonly dropIfSlow?: boolean;
  /** Listed in `hello-ok.features.events`. @default true */
  readonly advertise?: boolean;
}

function event<P extends TSchema>(descriptor: EventDescriptor<P>): EventDescriptor<P> {
  return descriptor;
}

/** Every event this gateway emits. `features.events` is derived from it. */
export const EVENTS = {
  "connect.challenge": event({ payload: ConnectChallenge, audience: "targeted" }),
  agent: event({ payload: agent.AgentEvent, audience: read }),
  chat: event({ payload: agent.ChatEvent, audience: read }),
  "sessions.changed": event({ payload: sessions.SessionsChangedEvent, audience: read }),
  presence: event({ payload: Type.Object({ presence: Type.Array(PresenceEntry) }), audience: "all", stateful: true }),
  tick: event({ payload: system.TickEvent, audience: "all", dropIfSlow: true }),
  "talk.mode": event({ payload: system.TalkModeEvent, audience: "all" }),
  shutdown: event({ payload: system.ShutdownEvent, audience: "all" }),
  health: event({ payload: HealthSnapshot, audience: "all", stateful: true }),
  heartbeat: event({ payload: system.HeartbeatEvent, audience: "all" }),
  cron: event({ payload: cron.CronEvent, audience: read }),
  "node.pair.requested": event({ payload: nodes.NodePairingPendingRequest, audience: pairing }),
  "node.pair.resolved": event({ payload: nodes.NodePairResolvedEvent, audience: pairing }),
  "node.presence": event({ payload: nodes.NodePresenceEvent, audience: read }),
  "node.invoke.request": event({ payload: nodes.NodeInvokeRequestEvent, audience: "targeted" }),
  "node.invoke.cancel": event({ payload: nodes.NodeInvokeCancelEvent, audience: "targeted" }),
  "node.invoke.input": event({ payload: nodes.NodeInvokeInputEvent, audience: "targeted" }),
  /** Relayed to the operator whose `node.invoke` is streaming; not in the reference list. */
  "node.invoke.progress": event({ payload: nodes.NodeInvokeProgressParams, audience: "targeted", advertise: false }),
  "device.pair.requested": event({ payload: devices.DevicePairingPendingRequest, audience: pairing }),
  "device.pair.resolved": event({ payload: devices.DevicePairResolvedEvent, audience: pairing }),
  "voicewake.changed": event({ payload: system.VoicewakeChangedEvent, audience: "all" }),
  "exec.approval.requested": event({ payload: approvals.ExecApprovalRequestedEvent, audience: approvalsScope }),
  "exec.approval.resolved": event({ payload: approvals.ExecApprovalResolvedEvent, audience: approvalsScope }),
  "config.changed": event({ payload: config.ConfigChangedEvent, audience: read }),
} as const satisfies Record<string, EventDescriptor<TSchema>>;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = Static<(typeof EVENTS)[E]["payload"]>;

/** The method names advertised in `hello-ok.features.methods`. */
export function advertisedMethods(): string[] {
  return Object.entries(METHODS as Record<string, MethodDescriptor>)
    .filter(([, descriptor]) => descriptor.advertise !== false)
    .map(([name]) => name);
}

/** The event names advertised in `hello-ok.features.events`. */
export function advertisedEvents(): string[] {
  return Object.entries(EVENTS as Record<string, EventDescriptor>)
    .filter(([, descriptor]) => descriptor.advertise !== false)
    .map(([name]) => name);
}

/** Look a method up by a name that came off the wire. */
export function findMethod(name: string): MethodDescriptor | undefined {
  return Object.hasOwn(METHODS, name) ? (METHODS as Record<string, MethodDescriptor>)[name] : undefined;
}

/** Look an event up by a name that came off the wire. */
export function findEvent(name: string): EventDescriptor | undefined {
  return Object.hasOwn(EVENTS, name) ? (EVENTS as Record<string, EventDescriptor>)[name] : undefined;
}
