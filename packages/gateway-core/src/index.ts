// @openclaw/gateway-core: the OpenClaw protocol v4 server.

// Server
export { GatewayServer, type GatewayServerOptions } from "./server.js";

// Auth
export { evaluateSharedAuth, type AuthSettings, type TrustedProxySettings, type TailscaleWhois, type SharedAuthOutcome } from "./auth/shared-auth.js";
export { FailedAuthLimiter, DEFAULT_RATE_LIMIT, type RateLimitPolicy, type CredentialClass } from "./auth/rate-limit.js";
export { secretsEqual, hashToken } from "./auth/secret-compare.js";

// Handshake
export { runHandshake, type Admission, type HandshakeFailure, type PairingGate } from "./handshake/connect.js";
export { verifyDeviceProof, type DeviceProofResult } from "./handshake/device-proof.js";

// Transport and HTTP
export { directLocality, isLoopbackAddress, normalizeAddress, addressMatcher, type LocalityPredicate } from "./transport/locality.js";
export { probeRoutes, type HttpRoute } from "./http/routes.js";

// Methods
export type { MethodHandler, MethodHandlers, RequestContext } from "./methods/types.js";

// Errors
export { MethodError, ConfigError, GatewayLockedError, toErrorShape } from "./errors.js";
