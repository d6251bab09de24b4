import { normalizeScopes, scopeSatisfied, type PairingReason } from "@openclaw/protocol";
import { capScopes } from "../auth/identity-scopes.js";
import type { DeviceAutoApprove } from "../auth/trusted-proxy.js";
import type { Admission } from "../handshake/connect.js";

/** What a proxy-approved device gets: the scopes stored for it, and those this session holds. */
export interface ProxyApproval {
  readonly deviceScopes: string[];
  readonly sessionScopes: string[];
}

/**
 * `gateway.auth.trustedProxy.deviceAutoApprove`: a new operator device (or a known one asking for
 * more) that came in through the trusted proxy as an allowed user is approved without an
 * operator, for what it asked ∩ the configured scopes (all of them when it asked for none), within
 * the proxy's `x-openclaw-scopes` cap. Undefined when the rule does not apply.
 */
export function proxyAutoApproval(candidate: Admission, reason: PairingReason, policy: DeviceAutoApprove | undefined): ProxyApproval | undefined {
  const identity = candidate.identity;
  if (!policy?.enabled || candidate.authMethod !== "trusted-proxy" || identity === undefined || candidate.role !== "operator") return undefined;
  if (reason !== "not-paired" && reason !== "scope-upgrade") return undefined;
  const asked = identity.requestedScopes;
  const deviceScopes = asked.length > 0 ? asked.filter((scope) => scopeSatisfied(policy.scopes, scope)) : capScopes(policy.scopes, identity.scopeCap);
  return {
    deviceScopes: normalizeScopes(deviceScopes),
    sessionScopes: normalizeScopes(candidate.scopes.filter((scope) => scopeSatisfied(deviceScopes, scope))),
  };
}
