import { normalizeSenderId } from "./sender-id.js";

export const DM_POLICY_MODES = ["pairing", "allowlist", "open", "disabled"] as const;
export type DmPolicyMode = (typeof DM_POLICY_MODES)[number];

/** Why a DM was refused. Stable strings, safe to log and to show operators. */
export type DmDenyReason =
  "dm-disabled" | "unknown-mode" | "invalid-allow-list" | "empty-allow-list" | "open-without-wildcard" | "not-allowlisted" | "invalid-sender";

export type DmDecision = { readonly action: "allow" } | { readonly action: "pair" } | { readonly action: "deny"; readonly reason: DmDenyReason };

/**
 * The DM policy as configured. Typed `unknown` on purpose: values come from user config and
 * anything unexpected must deny, not allow.
 */
export interface DmPolicyConfig {
  /** @default "pairing" */
  readonly mode?: unknown;
  /** Channel-native sender ids; `"*"` only has meaning in `open` mode. */
  readonly allowFrom?: unknown;
}

export interface DmPolicyInput {
  readonly channel: string;
  readonly senderId: string;
  readonly policy: DmPolicyConfig;
  /** Senders an operator approved through pairing; consulted in `pairing` mode only, never in `allowlist`. */
  readonly approvedSenders?: Iterable<string>;
  /** Overrides the channel's default id normalization. */
  readonly normalize?: (raw: string) => string;
}

const WILDCARD = "*";

function isDmPolicyMode(value: unknown): value is DmPolicyMode {
  return typeof value === "string" && (DM_POLICY_MODES as readonly string[]).includes(value);
}

function readAllowList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === "string")) return undefined;
  return value;
}

const deny = (reason: DmDenyReason): DmDecision => ({ action: "deny", reason });

/**
 * Decide what to do with a DM. Precedence: an invalid mode, list or sender denies; `disabled`
 * denies; `open` allows only with `"*"` in `allowFrom`; `allowlist` allows listed senders and
 * denies the rest (it never pairs, and the pairing store does not widen it); `pairing` allows
 * listed or approved senders and asks everyone else to pair (a `"*"` does not skip pairing).
 */
export function evaluateDmPolicy(input: DmPolicyInput): DmDecision {
  const mode = input.policy.mode === undefined ? "pairing" : input.policy.mode;
  if (!isDmPolicyMode(mode)) return deny("unknown-mode");
  if (mode === "disabled") return deny("dm-disabled");

  const allowFrom = readAllowList(input.policy.allowFrom);
  if (allowFrom === undefined) return deny("invalid-allow-list");

  if (mode === "open") return allowFrom.some((entry) => entry.trim() === WILDCARD) ? { action: "allow" } : deny("open-without-wildcard");

  const normalize = input.normalize ?? ((raw: string) => normalizeSenderId(input.channel, raw));
  const sender = normalize(input.senderId);
  if (sender === "" || sender === WILDCARD) return deny("invalid-sender");

  const listed = (entries: Iterable<string>): boolean => {
    for (const entry of entries) {
      const normalized = normalize(entry);
      if (normalized !== "" && normalized !== WILDCARD && normalized === sender) return true;
    }
    return false;
  };

  if (mode === "allowlist") {
    if (allowFrom.every((entry) => normalize(entry) === "" || entry.trim() === WILDCARD)) return deny("empty-allow-list");
    return listed(allowFrom) ? { action: "allow" } : deny("not-allowlisted");
  }
  return listed(allowFrom) || listed(input.approvedSenders ?? []) ? { action: "allow" } : { action: "pair" };
}

/** Config that is legal but probably not what the operator meant; for `doctor`/audit output. */
export function auditDmPolicy(policy: DmPolicyConfig): string[] {
  const warnings: string[] = [];
  const mode = policy.mode === undefined ? "pairing" : policy.mode;
  const allowFrom = readAllowList(policy.allowFrom);
  if (!isDmPolicyMode(mode)) warnings.push(`dmPolicy: unknown mode ${JSON.stringify(mode)}; every DM is denied. Use one of ${DM_POLICY_MODES.join(", ")}.`);
  if (allowFrom === undefined) warnings.push("allowFrom: expected a list of sender ids; every DM is denied until it is fixed.");
  const hasWildcard = allowFrom?.some((entry) => entry.trim() === WILDCARD) ?? false;
  if (hasWildcard && mode !== "open") {
    warnings.push(`allowFrom contains "*" but dmPolicy is ${JSON.stringify(mode)}; "*" is ignored. Set dmPolicy "open" to accept every sender.`);
  }
  if (mode === "open" && !hasWildcard) warnings.push('dmPolicy "open" needs "*" in allowFrom; every DM is denied until it is added.');
  if (mode === "allowlist" && allowFrom !== undefined && !allowFrom.some((entry) => entry.trim() !== "" && entry.trim() !== WILDCARD)) {
    warnings.push('dmPolicy "allowlist" with an empty allowFrom denies every DM.');
  }
  return warnings;
}
