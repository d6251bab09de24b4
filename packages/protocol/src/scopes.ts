/** Connection roles. `operator` is the default when `connect.role` is omitted. */
export const ROLES = ["operator", "node"] as const;
export type Role = (typeof ROLES)[number];

/** The operator scopes the gateway knows. Unknown `operator.*` scopes need an exact match. */
export const OPERATOR_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.pairing",
  "operator.approvals",
  "operator.questions",
  "operator.talk",
  "operator.talk.secrets",
] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

export const ADMIN_SCOPE = "operator.admin" satisfies OperatorScope;

/** Which granted scopes imply a scope, besides `operator.admin`, which implies all. */
const IMPLIED_BY: Readonly<Record<string, readonly string[]>> = {
  "operator.read": ["operator.write"],
  "operator.talk": ["operator.write"],
};

/** Whether `granted` satisfies `required` under the implication rules. */
export function scopeSatisfied(granted: readonly string[], required: string): boolean {
  if (granted.includes(ADMIN_SCOPE) || granted.includes(required)) return true;
  const impliers = IMPLIED_BY[required];
  return impliers !== undefined && impliers.some((scope) => granted.includes(scope));
}

/** Whether every scope in `requested` is satisfied by `granted`. */
export function scopesCovered(granted: readonly string[], requested: readonly string[]): boolean {
  return requested.every((scope) => scopeSatisfied(granted, scope));
}

/** Trim, drop empties, dedupe and sort: the stored form of a scope list. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((scope) => scope.trim()).filter((scope) => scope.length > 0))].sort();
}

/** Whether a string names a role this gateway serves. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
