import { GatewayClientError, GatewayRequestError } from "@openclaw/client";

/** What the UI does after a refused or failed connect. */
export type ConnectFailure =
  | { readonly kind: "auth"; readonly message: string }
  | { readonly kind: "pairing"; readonly message: string; readonly requestId: string | undefined }
  | { readonly kind: "retry"; readonly message: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: "fatal"; readonly message: string };

/**
 * Sort a connect failure: a refused credential needs a new token, a pairing request waits for
 * approval elsewhere, a dropped or starting gateway is retried, anything else is shown as is.
 */
export function classifyConnectFailure(error: unknown): ConnectFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof GatewayRequestError) {
    const detail = error.detailCode ?? "";
    if (detail === "PAIRING_REQUIRED" || error.code === "NOT_PAIRED") {
      const requestId = (error.details as { requestId?: unknown } | undefined)?.requestId;
      return { kind: "pairing", message, requestId: typeof requestId === "string" ? requestId : undefined };
    }
    if (detail === "AUTH_RATE_LIMITED") return { kind: "retry", message, retryAfterMs: error.retryAfterMs };
    if (detail.startsWith("AUTH_")) return { kind: "auth", message };
    if (error.code === "UNAVAILABLE" || error.retryable) return { kind: "retry", message, retryAfterMs: error.retryAfterMs };
    return { kind: "fatal", message };
  }
  if (error instanceof GatewayClientError) return error.retryable ? { kind: "retry", message, retryAfterMs: undefined } : { kind: "fatal", message };
  if (error instanceof Error && (error as { code?: unknown }).code === "INSECURE_CONTEXT") return { kind: "fatal", message };
  // A socket that failed to open (gateway down, network gone) surfaces as a plain error.
  return { kind: "retry", message, retryAfterMs: undefined };
}
