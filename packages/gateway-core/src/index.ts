// @openclaw/gateway-core: the OpenClaw protocol v4 server. This is the surface an embedder needs;
// the building blocks behind it are in "@openclaw/gateway-core/internal", with no stability promise.

// Server
export { GatewayServer, type GatewayServerOptions } from "./server.js";
export type { LiveSettings, LiveSettingsApplied } from "./create-gateway.js";
export type { ChannelReconfigure } from "./channels/channel-service.js";

// Auth
export type { AuthSettings } from "./auth/shared-auth.js";
export { DEFAULT_AUTO_APPROVE_SCOPES, type DeviceAutoApprove, type TrustedProxySettings } from "./auth/trusted-proxy.js";
export type { IdentityScopes } from "./auth/identity-scopes.js";
export type { TailscaleIdentity, TailscaleWhois } from "./auth/tailscale.js";
export { DEFAULT_RATE_LIMIT, type RateLimitPolicy } from "./auth/rate-limit.js";
export type { PairingPolicy } from "./pairing/device-pairing.js";

// Tailscale (the CLI the composition root runs for whois and for Serve/Funnel)
export { findTailscaleBinary, runTailscale, type TailscaleCommandOptions, type TailscaleOutput } from "./tailscale/cli.js";
export { createTailscaleWhois, parseWhoisOutput, type TailscaleWhoisOptions, type TailscaleWhoisResolver } from "./tailscale/whois.js";
export {
  startTailscaleExposure,
  tailscaleExposureCommands,
  type TailscaleExposure,
  type TailscaleExposureMode,
  type TailscaleExposureOptions,
} from "./tailscale/exposure.js";

// Transport and HTTP
export { directLocality, type LocalityPredicate } from "./transport/locality.js";
export type { HttpRoute } from "./http/routes.js";

// Methods
export type { MethodHandler, MethodHandlers, RequestContext } from "./methods/types.js";

// Errors
export {
  GatewayError,
  InvalidInputError,
  NotFoundError,
  ForbiddenError,
  UnavailableError,
  NodeCommandError,
  NodeCommandNotAllowedError,
  ApprovalNotFoundError,
  ConfigError,
  GatewayLockedError,
  StoreVersionError,
  MigrationError,
  InvalidCronJobError,
  UnknownCronJobError,
  TailscaleError,
  TranscriptionError,
  MethodError,
  toErrorShape,
  type GatewayErrorCode,
} from "./errors.js";

// Config
export {
  resolveStateDir,
  resolveConfigPath,
  loadConfigFile,
  readConfigSnapshot,
  validateConfig,
  formatConfigIssues,
  resolveGatewaySettings,
  ensureGatewayToken,
  writeFileAtomic,
  applyMergePatch,
  redactConfig,
  configJsonSchema,
  gatewayConfigSchema,
  withDefaults,
  DEFAULTS as CONFIG_DEFAULTS,
  REDACTED_SENTINEL,
  RELOAD_RULES,
  planReload,
  reloadRuleFor,
  type HotArea,
  type ReloadPlan,
  type ReloadRule,
  type ChannelConfigSchemas,
  type ConfigCheckOptions,
  type ConfigIssue,
  type ConfigSnapshot,
  type GatewayConfig,
  type TranscriptionConfig,
  type LoadedConfig,
  type GatewayFlags,
  type GatewaySettings,
  type GatewayAuthSettings,
} from "./config/index.js";
export { createConfigHandlers, type ConfigHandlers, type ConfigWriteInfo, type ConfigWriteOutcome } from "./methods/config.js";

// Agent
export { ModelCatalog, type ModelCatalogOptions, type CatalogProvider, type ConfiguredModel, type ModelEntry } from "./agent/model-catalog.js";

// Store, logging and the host lock
export { openStore, openMemoryStore, resolveStorePath, SCHEMA_VERSION, checkStore, snapshotStore, type Store, type StoreCheck } from "./store/index.js";
export { createLogger, resolveLogFile, type GatewayLogger } from "./logging/index.js";
export { createLogsTailHandler } from "./methods/logs.js";
export { acquireInstanceLock, readInstanceLock, type InstanceLock, type InstanceLockRecord } from "./instance-lock.js";

// TLS
export { loadTlsMaterial, normalizeFingerprint, fingerprintsEqual, type TlsMaterial, type TlsOptions } from "./tls/index.js";

// Channels (the composition root hands the server its loaders and config)
export type { ChannelAccountSnapshot, ChannelAgent, ChannelLoader, ChannelMessageSettings, ChannelServiceOptions } from "./channels/channel-service.js";
export { resolveChannelAccounts, type ResolvedChannelAccount } from "./channels/accounts.js";
export { ChannelAccountHealth, ChannelHealthSummary } from "@openclaw/protocol";

// Channel attachments
export { MediaStore, type MediaPruneLimits, type MediaPruneResult } from "./media/media-store.js";
export {
  DEFAULT_MEDIA_MAX_MB,
  envelopeOf,
  resolveAttachments,
  tooLargeReply,
  type AttachmentTranscription,
  type ResolvedAttachments,
} from "./channels/inbound-media.js";
export {
  createOpenAiTranscriptionProvider,
  transcriptionFromConfig,
  uploadFileName,
  DEFAULT_TRANSCRIPTION_MAX_MB,
  DEFAULT_TRANSCRIPTION_MODEL,
  DEFAULT_TRANSCRIPTION_TIMEOUT_MS,
  type ConfiguredTranscription,
  type OpenAiTranscriptionOptions,
  type TranscriptionProvider,
  type TranscriptionRequest,
  type TranscriptionResult,
} from "./media/transcription.js";
