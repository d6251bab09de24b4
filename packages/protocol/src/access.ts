import type { MethodDescriptor } from "./registry.js";
import type { ErrorShape } from "./schema/errors.js";
import { ADMIN_SCOPE, scopeSatisfied } from "./scopes.js";
import { WireErrors } from "./wire-errors.js";

/** The authority a connection holds after its handshake. */
export interface Grant {
  readonly role: string;
  readonly scopes: readonly string[];
}

/**
 * Whether a connection may call a method, before its params are looked at.
 * Unknown methods need `operator.admin`, so a caller without it cannot probe
 * which methods exist (the reference gateway answers the same way).
 */
export function authorizeMethod(descriptor: MethodDescriptor | undefined, grant: Grant): ErrorShape | undefined {
  if (descriptor === undefined) {
    return grant.role === "operator" && !scopeSatisfied(grant.scopes, ADMIN_SCOPE) ? WireErrors.missingScope(ADMIN_SCOPE) : undefined;
  }
  const { access } = descriptor;
  if (access === "any") return undefined;
  if (access === "node") return grant.role === "node" ? undefined : WireErrors.unauthorizedRole(grant.role);
  if (grant.role !== "operator") return WireErrors.unauthorizedRole(grant.role);
  return scopeSatisfied(grant.scopes, access) ? undefined : WireErrors.missingScope(access);
}

/** The params-aware part of the check, run once the params are valid. */
export function authorizeParams(descriptor: MethodDescriptor, grant: Grant, params: unknown): ErrorShape | undefined {
  const stricter = descriptor.escalate?.(params as never);
  if (stricter === undefined || scopeSatisfied(grant.scopes, stricter)) return undefined;
  return WireErrors.missingScope(stricter);
}
