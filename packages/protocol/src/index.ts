// @openclaw/protocol: the OpenClaw protocol v4 wire contract. No I/O.

// Versions, limits and timers
export {
  PROTOCOL_VERSION,
  MIN_CLIENT_PROTOCOL_VERSION,
  MIN_NODE_PROTOCOL_VERSION,
  MIN_PROBE_PROTOCOL_VERSION,
  MAX_PREAUTH_PAYLOAD_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_BUFFERED_BYTES,
  TICK_INTERVAL_MS,
  HANDSHAKE_TIMEOUT_MS,
  DEVICE_SIGNATURE_SKEW_MS,
  DEDUPE_TTL_MS,
  DEDUPE_MAX,
  NODE_INVOKE_TIMEOUT_MS,
  AGENT_WAIT_TIMEOUT_MS,
  PAIRING_PENDING_TTL_MS,
  HANDSHAKE_SHARED_SECRET_MAX_LENGTH,
  HANDSHAKE_BOOTSTRAP_TOKEN_MAX_LENGTH,
  HANDSHAKE_RUNTIME_TOKEN_MAX_LENGTH,
  DEFAULT_POLICY,
} from "./version.js";

// Schema building blocks (TypeBox's builder too, so packages that build schemas load one copy of it)
export { Type } from "@sinclair/typebox";
export { NonEmptyString, NonNegativeInt, closedObject, openObject, StringEnum, StringRecord, AnyJson, registerProtocolKinds } from "./schema/primitives.js";

// Frames
export { RequestFrame, ResponseFrame, EventFrame, CancelFrame, GatewayFrame, StateVersion } from "./schema/frames.js";

// Handshake
export {
  GATEWAY_CLIENT_IDS,
  GATEWAY_CLIENT_MODES,
  GATEWAY_CLIENT_CAPS,
  ConnectChallenge,
  ClientInfo,
  DeviceProof,
  ConnectAuth,
  ConnectParams,
  type GatewayClientId,
  type GatewayClientMode,
} from "./schema/connect.js";
export { AUTH_MODES, PresenceEntry, HealthSnapshot, Snapshot, SessionDefaults, Policy, HelloAuth, HelloOk, type AuthMode } from "./schema/snapshot.js";

// Errors
export {
  ErrorCodes,
  ConnectErrorDetailCodes,
  GatewayErrorDetailCodes,
  RecommendedNextSteps,
  ErrorShape,
  MissingScopeDetails,
  type ErrorCode,
  type ConnectErrorDetailCode,
  type GatewayErrorDetailCode,
  type RecommendedNextStep,
} from "./schema/errors.js";
export { WireErrors, WireMessages, DeviceProofFailures, type DeviceProofFailureReason, type AuthFailureReason, type AuthHintAudience } from "./wire-errors.js";

// Method and event payloads
export { StatusResult, LogsTailParams, LogsTailResult, HeartbeatEvent, ShutdownEvent, HEARTBEAT_STATUSES } from "./schema/system.js";
export { InboundMedia, MediaContact, MediaLocation, MEDIA_KINDS, Sha256Hex, type MediaKind } from "./schema/media.js";
export { AgentParams, AgentResult, AgentEvent, ChatEvent, ChatMessage, ChatSendParams, QUEUE_MODES, RUN_STATUSES, CHAT_STATES } from "./schema/agent.js";
export { SESSION_KINDS, SESSION_RUNTIME_OVERRIDES, SessionRow, SessionEntry, ResolvedSession } from "./schema/sessions.js";
export { ThinkingLevel } from "./schema/session-options.js";
export {
  NodeSummary,
  NodeInvokeParams,
  NodeInvokeResultParams,
  NodeInvokeRequestEvent,
  NodeCommandReview,
  NodeCommandWithheld,
  NODE_COMMAND_REFUSALS,
  PENDING_WORK_TYPES,
  PAIRING_DECISIONS,
  type NodeCommandRefusal,
} from "./schema/nodes.js";
export { DevicePairingPendingRequest, PairedDeviceSummary, PAIRING_REASONS, type PairingReason } from "./schema/devices.js";
export { SendParams, OutboxEntry, OutboxStatus, ChannelAccountState, ChannelAccountStatus } from "./schema/channels.js";
export { CHANNEL_TRANSPORT_STATES, ChannelAccountHealth, ChannelHealthProblem, ChannelHealthSummary } from "./schema/channel-health.js";
export { CronJob, CronSchedule, CronAddParams } from "./schema/cron.js";
export { EXEC_DECISIONS } from "./schema/approvals.js";
export {
  DASHBOARD_REDEEM_PATH,
  DASHBOARD_CODE_TTL_MS,
  DASHBOARD_CODE_MAX_LENGTH,
  DASHBOARD_REDEEM_REFUSALS,
  DashboardCodeResult,
  DashboardRedeemRequest,
  DashboardRedeemResult,
  DashboardRedeemError,
} from "./schema/dashboard.js";

// Registry
export {
  METHODS,
  EVENTS,
  ADMIN_NODE_COMMANDS,
  advertisedMethods,
  advertisedEvents,
  findMethod,
  findEvent,
  type MethodAccess,
  type MethodDescriptor,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type IdempotencyPrefix,
  type EventAudience,
  type EventDescriptor,
  type EventName,
  type EventPayload,
} from "./registry.js";
export { protocolSchemas, methodSchemaName, eventSchemaName } from "./catalog.js";

// Roles, scopes and authorization
export { ROLES, OPERATOR_SCOPES, ADMIN_SCOPE, scopeSatisfied, scopesCovered, normalizeScopes, isRole, type Role, type OperatorScope } from "./scopes.js";
export { authorizeMethod, authorizeParams, type Grant } from "./access.js";

// Validation views
export {
  formatValidationErrors,
  clientView,
  acceptsServerValue,
  serverValueProblems,
  parseServerFrame,
  type ValidationIssue,
  type ServerFrame,
  type ParsedServerFrame,
} from "./validation.js";

// Device auth
export {
  ED25519_SPKI_PREFIX_HEX,
  buildDeviceAuthPayload,
  normalizeDeviceMetadata,
  signedCredential,
  deriveDeviceId,
  decodeDevicePublicKey,
  ed25519SpkiFromRaw,
  type DeviceAuthPayloadInput,
  type DeviceAuthPayloadVersion,
} from "./device-auth.js";
export { base64UrlEncode, base64UrlDecode, toHex, fromHex, sha256, utf8Encode } from "./encoding.js";
