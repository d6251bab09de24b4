import { isJsonObject } from "./json-value.js";
import type { GatewayConfig } from "./schema.js";

/**
 * Keys a running gateway applies in place under `gateway.reload.mode: "hybrid"`.
 * Everything else under `gateway` (port, bind, auth, TLS, …) shapes the listener
 * and needs a restart. `gateway.nodes.commands` is read by every node command decision.
 */
const HOT_KEYS = ["$schema", "logging", "agents", "channels", "gateway.reload", "gateway.nodes.commands"];

/** Dotted paths whose values differ; objects are compared key by key, anything else as a whole. */
export function changedKeyPaths(previous: unknown, next: unknown, prefix = ""): string[] {
  if (isJsonObject(previous) && isJsonObject(next)) {
    const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
    return [...keys].flatMap((key) => changedKeyPaths(previous[key], next[key], prefix.length === 0 ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(previous) === JSON.stringify(next) ? [] : [prefix];
}

function valueAt(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (isJsonObject(value) ? value[key] : undefined), root);
}

/** Whether a changed path needs a restart; a section that appeared or went away whole is looked into, since part of it may be hot. */
function needsRestart(path: string, previous: unknown, next: unknown): boolean {
  if (HOT_KEYS.some((hot) => path === hot || path.startsWith(`${hot}.`))) return false;
  if (!HOT_KEYS.some((hot) => hot.startsWith(`${path}.`))) return true;
  const before = valueAt(previous, path) ?? {};
  const after = valueAt(next, path) ?? {};
  if (!isJsonObject(before) || !isJsonObject(after)) return true;
  return changedKeyPaths(before, after, path).some((inner) => needsRestart(inner, previous, next));
}

/** Whether moving from `previous` (the running config) to `next` needs a gateway restart. */
export function restartRequiredFor(previous: GatewayConfig | undefined, next: GatewayConfig): boolean {
  const changed = changedKeyPaths(previous ?? {}, next);
  if (changed.length === 0) return false;
  if (previous?.gateway?.reload?.mode === "off") return true;
  return changed.some((path) => needsRestart(path, previous ?? {}, next));
}
