import { isJsonObject } from "./json-value.js";
import type { GatewayConfig } from "./schema.js";

/** How a running gateway takes a changed key: in place, by restarting, or not at all (nothing in it reads the key). */
export type ReloadKind = "hot" | "restart" | "none";

/** The parts of a running gateway a hot change is applied to; each has one applier. */
export const HOT_AREAS = ["reload", "logging", "model", "heartbeat", "nodes", "commands", "channels"] as const;
export type HotArea = (typeof HOT_AREAS)[number];

export interface ReloadRule {
  /** A dotted key path; the longest rule that is the path or a prefix of it decides. */
  readonly path: string;
  readonly kind: ReloadKind;
  /** Where a hot change is applied. */
  readonly area?: HotArea;
  /** Why the key is classified so, as `config.reload` logs and docs show it. */
  readonly why: string;
}

/**
 * Every config key, classified once. A key no rule covers needs a restart: a new key is
 * safe by default until someone writes the code that applies it in place.
 */
export const RELOAD_RULES: readonly ReloadRule[] = [
  { path: "$schema", kind: "none", why: "an editor's schema reference" },
  { path: "gateway", kind: "restart", why: "the listener: port, bind, auth, TLS, proxies, Control UI and keepalive are set when it opens" },
  { path: "gateway.mode", kind: "none", why: "read by the CLI to choose between this gateway and gateway.remote" },
  { path: "gateway.remote", kind: "none", why: "read by the CLI when it connects to a remote gateway" },
  { path: "gateway.reload", kind: "hot", area: "reload", why: "read by the config watcher" },
  { path: "gateway.nodes.commands", kind: "hot", area: "nodes", why: "read by every node command decision" },
  { path: "gateway.nodes.pairing", kind: "hot", area: "nodes", why: "read by every pairing decision" },
  { path: "agents.defaults.model", kind: "hot", area: "model", why: "read as each turn starts" },
  { path: "agents.defaults.heartbeat", kind: "hot", area: "heartbeat", why: "the heartbeat timer is re-armed" },
  { path: "models", kind: "hot", area: "model", why: "providers are rebuilt; turns already running finish on the old one" },
  { path: "node", kind: "none", why: "read by `openclaw node run`, not the gateway" },
  { path: "logging", kind: "hot", area: "logging", why: "every logger takes the new level" },
  { path: "session", kind: "hot", area: "channels", why: "read as each channel message is routed" },
  { path: "messages", kind: "hot", area: "channels", why: "read as each channel message starts an agent run" },
  { path: "commands", kind: "hot", area: "commands", why: "read by each chat command" },
  { path: "channels", kind: "hot", area: "channels", why: "only the accounts whose settings changed restart; policy-only changes apply without reconnecting" },
];

/** The rule that decides `path`: the longest whose path is `path` or a prefix of it. */
export function reloadRuleFor(path: string): ReloadRule | undefined {
  let best: ReloadRule | undefined;
  for (const rule of RELOAD_RULES) {
    if ((path === rule.path || path.startsWith(`${rule.path}.`)) && (best === undefined || rule.path.length > best.path.length)) best = rule;
  }
  return best;
}

/**
 * Dotted paths whose values differ. Objects are compared key by key (a missing object counts as
 * empty, so a section that appears is looked into), anything else as a whole.
 */
export function changedKeyPaths(previous: unknown, next: unknown, prefix = ""): string[] {
  const before = previous === undefined && isJsonObject(next) ? {} : previous;
  const after = next === undefined && isJsonObject(previous) ? {} : next;
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedKeyPaths(before[key], after[key], prefix.length === 0 ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}

/** What moving from the running config to a new one takes. */
export interface ReloadPlan {
  /** Every changed key path. */
  readonly changed: readonly string[];
  /** The areas to apply in place, in {@link HOT_AREAS} order. */
  readonly hot: readonly HotArea[];
  /** The changed paths that take effect only after a restart. */
  readonly restart: readonly string[];
}

/** Classifies every changed key of `next` against `previous` (the running config). */
export function planReload(previous: GatewayConfig | undefined, next: GatewayConfig): ReloadPlan {
  const changed = changedKeyPaths(previous ?? {}, next);
  const areas = new Set<HotArea>();
  const restart: string[] = [];
  for (const path of changed) {
    const rule = reloadRuleFor(path);
    if (rule === undefined || rule.kind === "restart") restart.push(path);
    else if (rule.kind === "hot" && rule.area) areas.add(rule.area);
  }
  return { changed, hot: HOT_AREAS.filter((area) => areas.has(area)), restart };
}
