// @openclaw/gateway-core/internal: the building blocks behind GatewayServer, for this repository's
// own apps, tests and tools. Not a stable API: names here change without a major version.

// Auth and handshake
export { evaluateSharedAuth, attributedClientAddress, type SharedAuthOutcome } from "./auth/shared-auth.js";
export { evaluateTrustedProxy, forwardedClientAddress, hostInterfaceAddresses, type InterfaceAddresses } from "./auth/trusted-proxy.js";
export { evaluateTailscale, decodeTailscaleHeader, tailscaleServeClient } from "./auth/tailscale.js";
export { identityGrant, scopeCap } from "./auth/identity-scopes.js";
export { FailedAuthLimiter, type CredentialClass, type AttemptGate, type AttemptSource } from "./auth/rate-limit.js";
export { secretsEqual, hashToken } from "./auth/secret-compare.js";
export { runHandshake, type Admission, type HandshakeFailure, type DeviceGate } from "./handshake/connect.js";
export { DevicePairing, type PairingActor, type LiveConnection } from "./pairing/device-pairing.js";
export { DeviceRegistry, type PairedDevice, type DeviceTokenRecord } from "./pairing/device-registry.js";
export { verifyDeviceProof, type DeviceProofResult } from "./handshake/device-proof.js";

// Transport and HTTP
export { isLoopbackAddress, normalizeAddress, addressMatcher } from "./transport/locality.js";
export { GatewaySocket } from "./transport/gateway-socket.js";
export { probeRoutes } from "./http/routes.js";
export { createHostCheck, hostNameOf } from "./http/host-check.js";

// Store
export { migrate, readSchemaVersion, prepared, keepDatabase, SqliteTranscriptStore } from "./store/index.js";

// Logs
export { readLogTail } from "./methods/logs.js";

// Cron
export { CronScheduler, cronMigration, type CronRunner, type CronEvent } from "./cron/index.js";
export { createCronHandlers } from "./methods/cron.js";

// Canvas host and exec approvals
export { createCanvasHost, CanvasCapabilities, canvasCapabilityUrl, type CanvasHost } from "./canvas/index.js";
export { ExecApprovals, EXEC_APPROVAL_TIMEOUT_MS } from "./approvals/exec-approvals.js";

// Channels
export { ChannelService } from "./channels/channel-service.js";
export { evaluateAccountHealth } from "./channels/account-health.js";
export { Outbox, type OutboxItem, type OutboxMessage, type OutboxOptions, type OutboxTransport } from "./channels/outbox.js";
export { ChannelPairingStore, PAIRING_CODE_ALPHABET, generatePairingCode, normalizePairingCode, type ChannelPairingRequest } from "./channels/pairing.js";
export { channelSessionKey, resolveChannelAccounts, DM_SCOPES, type DmScope, type ResolvedChannelAccount } from "./channels/accounts.js";
export { channelsMigration } from "./channels/migration.js";
export { CHAT_COMMANDS } from "./commands/chat-commands.js";
