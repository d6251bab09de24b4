import { GatewayRequestError } from "@openclaw/client";
import type { HelloOk } from "@openclaw/protocol";

/**
 * Where a node is in its life. `closed` is final.
 *
 * `awaiting-pairing` means the gateway refused the device until an operator approves it
 * (`openclaw devices approve <requestId>`); the node keeps retrying with backoff meanwhile.
 * `open` does not mean the commands are invocable: until an operator approves the declared
 * surface (`node.pair.approve`), the gateway filters them out, and a node cannot observe that.
 */
export type NodeStatus =
  | { readonly state: "connecting" }
  | {
      readonly state: "awaiting-pairing";
      readonly requestId: string | undefined;
      readonly reason: string | undefined;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: GatewayRequestError;
    }
  | { readonly state: "open"; readonly nodeId: string; readonly hello: HelloOk }
  | { readonly state: "reconnecting"; readonly attempt: number; readonly delayMs: number; readonly lastError: Error }
  | { readonly state: "closed"; readonly reason: Error };

/** The pending device-pairing request a refused connect points at, or undefined when it was refused for another reason. */
export function pendingPairing(error: unknown): { requestId: string | undefined; reason: string | undefined; error: GatewayRequestError } | undefined {
  if (!(error instanceof GatewayRequestError)) return undefined;
  // Older gateways sent NOT_PAIRED with only `details.requestId`; newer ones add `code: PAIRING_REQUIRED`.
  const pending = error.detailCode === "PAIRING_REQUIRED" || (error.code === "NOT_PAIRED" && error.detailCode === undefined);
  if (!pending) return undefined;
  const details = (error.details ?? {}) as { requestId?: unknown; reason?: unknown };
  return {
    requestId: typeof details.requestId === "string" ? details.requestId : undefined,
    reason: typeof details.reason === "string" ? details.reason : undefined,
    error,
  };
}
