import type { IncomingHttpHeaders } from "node:http";
import { normalizeScopes, scopeSatisfied } from "@openclaw/protocol";
import { identitiesMatch } from "./request-headers.js";

/** `gateway.auth.identityScopes`: the scopes each proxy- or Tailscale-authenticated user may hold. */
export type IdentityScopes = Readonly<Record<string, readonly string[]>>;

/**
 * The `x-openclaw-scopes` cap a proxy put on the upgrade request: undefined when absent (no
 * cap), `[]` when present but empty (no scopes at all).
 */
export function scopeCap(headers: IncomingHttpHeaders): string[] | undefined {
  const value = headers["x-openclaw-scopes"];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(",") : value;
  return normalizeScopes(text.split(","));
}

/** Requested scopes the cap allows (a granted scope implies those it covers, as everywhere). */
export function capScopes(requested: readonly string[], cap: readonly string[] | undefined): string[] {
  return cap === undefined ? [...requested] : requested.filter((scope) => scopeSatisfied(cap, scope));
}

/** The scopes configured for `user`; email keys match case-insensitively. */
export function identityScopesFor(table: IdentityScopes | undefined, user: string): readonly string[] {
  if (table === undefined) return [];
  if (Object.hasOwn(table, user)) return table[user]!;
  const key = Object.keys(table).find((candidate) => identitiesMatch(candidate, user));
  return key === undefined ? [] : table[key]!;
}

/** The part of `requested` that the user's identity grants for this session (never more than was asked for). */
export function identityGrant(table: IdentityScopes | undefined, user: string, requested: readonly string[]): string[] {
  const granted = identityScopesFor(table, user);
  return normalizeScopes(requested.filter((scope) => scopeSatisfied(granted, scope)));
}
