import type { IncomingHttpHeaders } from "node:http";
import type { AuthFailureReason } from "@openclaw/protocol";

/** The HTTP side of a connect: who is on the socket and what the upgrade request carried. */
export interface AuthRequest {
  readonly remoteAddress: string;
  readonly headers: IncomingHttpHeaders;
}

export type SharedAuthMethod = "token" | "password" | "none" | "trusted-proxy" | "tailscale";

export type SharedAuthOutcome =
  /** `user` is the identity a trusted proxy or Tailscale vouched for. */
  | { readonly kind: "ok"; readonly method: SharedAuthMethod; readonly user?: string }
  /** Nothing was presented: never counted against the rate limit. */
  | { readonly kind: "missing"; readonly reason: AuthFailureReason }
  /** A wrong credential, or a misconfiguration; `counts` says whether it feeds the rate limiter. */
  | { readonly kind: "failed"; readonly reason: AuthFailureReason; readonly counts: boolean };

export type SharedAuthFailure = Exclude<SharedAuthOutcome, { kind: "ok" }>;
