// @openclaw/gateway-core: the OpenClaw protocol v4 server.

// Server
export { GatewayServer, type GatewayServerOptions } from "./server.js";

// Auth
export { evaluateSharedAuth, type AuthSettings, type TrustedProxySettings, type TailscaleWhois, type SharedAuthOutcome } from "./auth/shared-auth.js";
export { FailedAuthLimiter, DEFAULT_RATE_LIMIT, type RateLimitPolicy, type CredentialClass } from "./auth/rate-limit.js";
export { secretsEqual, hashToken } from "./auth/secret-compare.js";

// Handshake
export { runHandshake, type Admission, type HandshakeFailure, type DeviceGate } from "./handshake/connect.js";
export { DevicePairing, type PairingPolicy, type PairingActor, type LiveConnection } from "./pairing/device-pairing.js";
export { DeviceRegistry, type PairedDevice, type DeviceTokenRecord } from "./pairing/device-registry.js";
export { verifyDeviceProof, type DeviceProofResult } from "./handshake/device-proof.js";

// Transport and HTTP
export { directLocality, isLoopbackAddress, normalizeAddress, addressMatcher, type LocalityPredicate } from "./transport/locality.js";
export { probeRoutes, type HttpRoute } from "./http/routes.js";

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
  ApprovalNotFoundError,
  ConfigError,
  GatewayLockedError,
  StoreVersionError,
  MigrationError,
  InvalidCronJobError,
  UnknownCronJobError,
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
  resolveGatewaySettings,
  ensureGatewayToken,
  writeFileAtomic,
  applyMergePatch,
  redactConfig,
  configJsonSchema,
  withDefaults,
  DEFAULTS as CONFIG_DEFAULTS,
  REDACTED_SENTINEL,
  type GatewayConfig,
  type LoadedConfig,
  type GatewayFlags,
  type GatewaySettings,
  type GatewayAuthSettings,
} from "./config/index.js";
export { createConfigHandlers, type ConfigHandlers, type ConfigWriteInfo } from "./methods/config.js";

// Store, logging and the host lock
export { openStore, openMemoryStore, resolveStorePath, migrate, readSchemaVersion, SCHEMA_VERSION, SqliteTranscriptStore, type Store } from "./store/index.js";
export { createLogger, resolveLogFile, type GatewayLogger } from "./logging/index.js";
export { createLogsTailHandler, readLogTail } from "./methods/logs.js";
export { acquireInstanceLock, type InstanceLock } from "./instance-lock.js";

// TLS
export { loadTlsMaterial, normalizeFingerprint, fingerprintsEqual, type TlsMaterial, type TlsOptions } from "./tls/index.js";

// Cron
export { CronScheduler, cronMigration, type CronRunner, type CronEvent } from "./cron/index.js";
export { createCronHandlers } from "./methods/cron.js";

// Canvas host and exec approvals
export { createCanvasHost, CanvasCapabilities, canvasCapabilityUrl, type CanvasHost } from "./canvas/index.js";
export { ExecApprovals, EXEC_APPROVAL_TIMEOUT_MS } from "./approvals/exec-approvals.js";

// Channels
export { ChannelService, type ChannelAccountSnapshot, type ChannelAgent, type ChannelLoader, type ChannelServiceOptions } from "./channels/channel-service.js";
export { ChannelAccountHealth, ChannelHealthSummary } from "@openclaw/protocol";
export { evaluateAccountHealth } from "./channels/account-health.js";
export { Outbox, type OutboxItem, type OutboxMessage, type OutboxOptions, type OutboxTransport } from "./channels/outbox.js";
export { ChannelPairingStore, PAIRING_CODE_ALPHABET, generatePairingCode, normalizePairingCode, type ChannelPairingRequest } from "./channels/pairing.js";
export { channelSessionKey, resolveChannelAccounts, DM_SCOPES, type DmScope, type ResolvedChannelAccount } from "./channels/accounts.js";
export { channelsMigration } from "./channels/migration.js";
