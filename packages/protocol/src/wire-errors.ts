import { ConnectErrorDetailCodes, ErrorCodes, GatewayErrorDetailCodes, type ErrorShape, type RecommendedNextStep } from "./schema/errors.js";
import type { NodeCommandRefusal } from "./schema/nodes.js";

/**
 * The exact error texts of the wire. Older clients parse some of these messages
 * (`missing scope: …`, `unauthorized: …`, `pairing required`), so they never change.
 */
export const WireMessages = {
  invalidRequestFrame: "invalid request frame",
  firstRequestMustBeConnect: "invalid handshake: first request must be connect",
  connectOnlyFirst: "connect is only valid as the first request",
  protocolMismatch: "protocol mismatch",
  invalidRole: "invalid role",
  deviceIdentityRequired: "device identity required",
  gatewayStarting: "gateway starting; retry shortly",
  slowConsumer: "slow consumer",
  preauthPayloadTooLarge: "preauth payload too large",
  serviceRestart: "service restart",
  nodeCommandNotAllowed: "node command not allowed",
} as const;

/** The device-proof failures, in the order the gateway checks them. */
export const DeviceProofFailures = {
  "device-id-mismatch": { code: ConnectErrorDetailCodes.DEVICE_AUTH_DEVICE_ID_MISMATCH, message: "device identity mismatch" },
  "device-signature-stale": { code: ConnectErrorDetailCodes.DEVICE_AUTH_SIGNATURE_EXPIRED, message: "device signature expired" },
  "device-nonce-missing": { code: ConnectErrorDetailCodes.DEVICE_AUTH_NONCE_REQUIRED, message: "device nonce required" },
  "device-nonce-mismatch": { code: ConnectErrorDetailCodes.DEVICE_AUTH_NONCE_MISMATCH, message: "device nonce mismatch" },
  "device-signature": { code: ConnectErrorDetailCodes.DEVICE_AUTH_SIGNATURE_INVALID, message: "device signature invalid" },
  "device-public-key": { code: ConnectErrorDetailCodes.DEVICE_AUTH_PUBLIC_KEY_INVALID, message: "device public key invalid" },
} as const;
export type DeviceProofFailureReason = keyof typeof DeviceProofFailures;

/** Why shared or device-token auth failed (`details.authReason`). */
export type AuthFailureReason =
  | "token_missing"
  | "token_mismatch"
  | "token_missing_config"
  | "password_missing"
  | "password_mismatch"
  | "password_missing_config"
  | "rate_limited"
  | "device_token_mismatch"
  | "scope_mismatch"
  | "tailscale_user_missing"
  | "tailscale_proxy_missing"
  | "tailscale_whois_failed"
  | "tailscale_user_mismatch"
  | "trusted_proxy_config_missing"
  | "trusted_proxy_no_proxies_configured"
  | "trusted_proxy_untrusted_source"
  | "trusted_proxy_loopback_source"
  | "trusted_proxy_local_interface_source"
  | "trusted_proxy_local_interface_check_failed"
  | "proxy_attribution_required"
  | "trusted_proxy_user_missing"
  | "trusted_proxy_user_not_allowed"
  | `trusted_proxy_missing_header_${string}`;

/** Which kind of client failed; it picks the hint in the message. */
export type AuthHintAudience = "browser" | "other";

interface AuthFailureText {
  code: string;
  text: (audience: AuthHintAudience) => string;
  next?: RecommendedNextStep;
}

const tailscaleHint = "use Tailscale Serve auth or gateway token/password";

function authFailureText(reason: AuthFailureReason): AuthFailureText {
  const codes = ConnectErrorDetailCodes;
  switch (reason) {
    case "token_missing":
      return {
        code: codes.AUTH_TOKEN_MISSING,
        next: "update_auth_configuration",
        text: (a) =>
          `gateway token missing (${a === "browser" ? "open a tokenized dashboard URL or paste token in Control UI settings" : "provide gateway auth token"})`,
      };
    case "token_mismatch":
      return {
        code: codes.AUTH_TOKEN_MISMATCH,
        next: "update_auth_credentials",
        text: (a) =>
          `gateway token mismatch (${a === "browser" ? "open a tokenized dashboard URL or paste token in Control UI settings" : "use this gateway's gateway.auth.token or pair the device"})`,
      };
    case "token_missing_config":
      return {
        code: codes.AUTH_TOKEN_NOT_CONFIGURED,
        next: "review_auth_configuration",
        text: () => "gateway token not configured on gateway (set gateway.auth.token)",
      };
    case "password_missing":
      return {
        code: codes.AUTH_PASSWORD_MISSING,
        next: "update_auth_configuration",
        text: (a) => `gateway password missing (${a === "browser" ? "enter the password in Control UI settings" : "provide gateway auth password"})`,
      };
    case "password_mismatch":
      return {
        code: codes.AUTH_PASSWORD_MISMATCH,
        next: "update_auth_credentials",
        text: (a) => `gateway password mismatch (${a === "browser" ? "enter the password in Control UI settings" : "provide gateway auth password"})`,
      };
    case "password_missing_config":
      return {
        code: codes.AUTH_PASSWORD_NOT_CONFIGURED,
        next: "review_auth_configuration",
        text: () => "gateway password not configured on gateway (set gateway.auth.password)",
      };
    case "rate_limited":
      return { code: codes.AUTH_RATE_LIMITED, next: "wait_then_retry", text: () => "too many failed authentication attempts (retry later)" };
    case "device_token_mismatch":
      return { code: codes.AUTH_DEVICE_TOKEN_MISMATCH, next: "update_auth_credentials", text: () => "device token mismatch (rotate/reissue device token)" };
    case "scope_mismatch":
      return { code: codes.AUTH_SCOPE_MISMATCH, next: "update_auth_credentials", text: () => "device token scope mismatch (re-pair or approve scope upgrade)" };
    case "tailscale_user_missing":
      return { code: codes.AUTH_TAILSCALE_IDENTITY_MISSING, text: () => `tailscale identity missing (${tailscaleHint})` };
    case "tailscale_proxy_missing":
      return { code: codes.AUTH_TAILSCALE_PROXY_MISSING, text: () => "tailscale proxy headers missing (use Tailscale Serve or gateway token/password)" };
    case "tailscale_whois_failed":
      return { code: codes.AUTH_TAILSCALE_WHOIS_FAILED, text: () => `tailscale identity check failed (${tailscaleHint})` };
    case "tailscale_user_mismatch":
      return { code: codes.AUTH_TAILSCALE_IDENTITY_MISMATCH, text: () => `tailscale identity mismatch (${tailscaleHint})` };
    default:
      if (reason.startsWith("trusted_proxy_missing_header_")) {
        const header = reason.slice("trusted_proxy_missing_header_".length);
        return { code: codes.AUTH_IDENTITY_HEADER_REQUIRED, next: "review_auth_configuration", text: () => `trusted proxy header missing (${header})` };
      }
      return { code: codes.AUTH_UNAUTHORIZED, next: "review_auth_configuration", text: () => "" };
  }
}

/** Builders for every wire error the gateway sends. */
export const WireErrors = {
  unknownMethod: (method: string): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: `unknown method: ${method}` }),
  invalidParams: (method: string, problems: string): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: `invalid ${method} params: ${problems}` }),
  invalidConnectParams: (problems: string): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: `invalid connect params: ${problems}` }),
  invalidRequestFrame: (problems: string): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: `${WireMessages.invalidRequestFrame}: ${problems}` }),
  firstRequestMustBeConnect: (): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: WireMessages.firstRequestMustBeConnect }),
  connectOnlyFirst: (): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: WireMessages.connectOnlyFirst }),
  unauthorizedRole: (role: string): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: `unauthorized role: ${role}` }),
  invalidRole: (): ErrorShape => ({ code: ErrorCodes.INVALID_REQUEST, message: WireMessages.invalidRole }),
  missingScope: (scope: string, requiredScopes: readonly string[] = [scope]): ErrorShape => ({
    code: ErrorCodes.FORBIDDEN,
    message: `missing scope: ${scope}`,
    details: { code: GatewayErrorDetailCodes.MISSING_SCOPE, missingScope: scope, requiredScopes: [...requiredScopes] },
  }),
  protocolMismatch: (clientMinProtocol: number, clientMaxProtocol: number, expectedProtocol: number, minimumProbeProtocol: number): ErrorShape => ({
    code: ErrorCodes.INVALID_REQUEST,
    message: WireMessages.protocolMismatch,
    details: { code: ConnectErrorDetailCodes.PROTOCOL_MISMATCH, clientMinProtocol, clientMaxProtocol, expectedProtocol, minimumProbeProtocol },
  }),
  deviceIdentityRequired: (): ErrorShape => ({
    code: ErrorCodes.NOT_PAIRED,
    message: WireMessages.deviceIdentityRequired,
    details: { code: ConnectErrorDetailCodes.DEVICE_IDENTITY_REQUIRED },
  }),
  deviceProof: (reason: DeviceProofFailureReason): ErrorShape => {
    const failure = DeviceProofFailures[reason];
    return { code: ErrorCodes.INVALID_REQUEST, message: failure.message, details: { code: failure.code, reason } };
  },
  authFailure: (
    reason: AuthFailureReason,
    options: { audience?: AuthHintAudience; canRetryWithDeviceToken?: boolean; retryAfterMs?: number } = {},
  ): ErrorShape => {
    const failure = authFailureText(reason);
    const text = failure.text(options.audience ?? "other");
    const error: ErrorShape = {
      code: ErrorCodes.INVALID_REQUEST,
      message: text ? `unauthorized: ${text}` : "unauthorized",
      details: {
        code: failure.code,
        authReason: reason,
        ...(reason === "token_mismatch" ? { canRetryWithDeviceToken: options.canRetryWithDeviceToken ?? false } : {}),
        ...(failure.next ? { recommendedNextStep: failure.next } : {}),
      },
    };
    if (options.retryAfterMs !== undefined) {
      error.retryable = true;
      error.retryAfterMs = options.retryAfterMs;
    }
    return error;
  },
  pairingRequired: (requirement: string, details: Record<string, unknown>): ErrorShape => ({
    code: ErrorCodes.NOT_PAIRED,
    message: `pairing required: ${requirement}`,
    details: { code: ConnectErrorDetailCodes.PAIRING_REQUIRED, ...details },
  }),
  /**
   * `node.invoke` refused by the command policy. The message keeps the wire prefix older clients
   * match, then says why and what opens the command; `details` keep `reason` and `command`.
   */
  nodeCommandNotAllowed: (refusal: {
    command: string;
    nodeId: string;
    reason: NodeCommandRefusal;
    explanation: string;
    remediationHint: string;
  }): ErrorShape => ({
    code: ErrorCodes.INVALID_REQUEST,
    message: `${WireMessages.nodeCommandNotAllowed}: ${refusal.explanation} (reason ${refusal.reason}); ${refusal.remediationHint}`,
    details: { reason: refusal.reason, command: refusal.command, nodeId: refusal.nodeId, remediationHint: refusal.remediationHint },
  }),
  gatewayStarting: (): ErrorShape => ({
    code: ErrorCodes.UNAVAILABLE,
    message: WireMessages.gatewayStarting,
    retryable: true,
    retryAfterMs: 500,
    details: { reason: "startup-sidecars" },
  }),
  unavailable: (message: string, details?: unknown): ErrorShape => ({
    code: ErrorCodes.UNAVAILABLE,
    message: message.length > 0 ? message : "unavailable",
    ...(details === undefined ? {} : { details }),
  }),
} as const;
