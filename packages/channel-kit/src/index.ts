// Adapter contract
export {
  detectCapabilities,
  supportsEdits,
  supportsMedia,
  supportsMediaDownload,
  supportsPhonePairing,
  supportsReactions,
  supportsReadReceipts,
  supportsReconcile,
  supportsTyping,
  supportsWebhook,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelDefinition,
  type CredentialCheck,
  type ChannelAccountContext,
  type ChannelLogger,
  type ChannelStartContext,
  type ChatKind,
  type ChatTarget,
  type DownloadedMedia,
  type InboundMediaFact,
  type InboundMediaKind,
  type InboundMessage,
  type MessageTarget,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type ReconcileOutcome,
  type ReconcileRequest,
  type SupportsEdits,
  type SupportsMedia,
  type SupportsMediaDownload,
  type SupportsPhonePairing,
  type SupportsReactions,
  type SupportsReadReceipts,
  type SupportsReconcile,
  type SupportsTyping,
  type SupportsWebhook,
  type WebhookRequest,
  type WebhookResponse,
} from "./adapter.js";
export { inboundMediaFact, type MediaFields } from "./inbound-media.js";
export { MediaTooLargeError, downloadOutboundSource, readCapped, type DownloadedSource } from "./media-download.js";

// Account settings
/** The TypeBox builder for a `configSchema`: protocol's bundled copy, so a schema costs no load of TypeBox's own entry. */
export { Type } from "@openclaw/protocol";
export {
  accountConfigPath,
  accountSecret,
  configError,
  configKeysOf,
  defineChannel,
  missingSettingError,
  parseAccountConfig,
  type ConfigSchemaOptions,
  type SecretSources,
} from "./config-schema.js";

// Access policy
export { normalizeSenderId, senderIdRules, type SenderIdRules } from "./sender-id.js";
export {
  DM_POLICY_MODES,
  auditDmPolicy,
  evaluateDmPolicy,
  type DmDecision,
  type DmDenyReason,
  type DmPolicyConfig,
  type DmPolicyInput,
  type DmPolicyMode,
} from "./dm-policy.js";
export {
  GROUP_POLICY_MODES,
  evaluateGroupPolicy,
  resolveMentionGate,
  type BotIdentity,
  type GroupDecision,
  type GroupDenyReason,
  type GroupPolicyConfig,
  type GroupPolicyInput,
  type GroupPolicyMode,
  type MentionDecision,
  type MentionGateOptions,
} from "./group-policy.js";

// Outbound text
export { chunkText, planChunks, type ChunkMode, type ChunkOptions, type ChunkSpan } from "./chunking.js";
export { RateLimiter, type BucketPolicy, type RateLimiterOptions } from "./rate-limiter.js";
export { CallGate, type CallGateOptions } from "./call-gate.js";
export { EchoRegistry, type EchoRegistryOptions } from "./echo-registry.js";

// Connection lifecycle
export { DEFAULT_BACKOFF, backoffCeiling, backoffDelay, type BackoffPolicy } from "./backoff.js";
export {
  ReconnectSupervisor,
  type Connect,
  type ConnectContext,
  type ReconnectSupervisorOptions,
  type SupervisedConnection,
  type SupervisorStatus,
} from "./reconnect-supervisor.js";
export { DEFAULT_RECONNECT, ReconnectConfigSchema, abortableSleep, supervisorPolicy, type ReconnectConfig } from "./reconnect-policy.js";
export { superviseConnection, type SupervisedConnectContext, type SupervisedStart, type SupervisedStartOptions } from "./supervised-start.js";
export { AccountStatusTracker, type AdapterAccountStatus } from "./account-status.js";
export { AccountRuntime, type AccountConnectionOptions, type AccountRuntimeOptions } from "./account-runtime.js";

// Stored state
export { writeFileAtomic } from "./write-file-atomic.js";

// Errors
export {
  AlreadyRunningError,
  ChannelKitError,
  ChannelSendError,
  ClosedError,
  InvalidOptionError,
  ProviderAuthError,
  ProviderConflictError,
  ProviderConnectionError,
  ProviderNotReadyError,
  ProviderStateError,
  SupervisorFailedError,
  TerminalConnectionError,
  describeError,
  networkSendFailure,
  sendFailureKindForStatus,
  systemErrorCode,
  type SendFailureKind,
} from "./errors.js";
