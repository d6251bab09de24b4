import { isJsonObject } from "./json-value.js";
import type { GatewayConfig } from "./schema.js";

/**
 * Keys a running gateway applies in place under `gateway.reload.mode: "hybrid"`.
 * Everything else under `gateway` (port, bind, auth, TLS, …) shapes the listener
 * and needs a restart.
 */
const HOT_KEYS = ["$schema", "logging", "agents", "channels", "gateway.reload"];

/** Dotted paths whose values differ; objects are compared key by key, anything else as a whole. */
export function changedKeyPaths(previous: unknown, next: unknown, prefix = ""): string[] {
  if (isJsonObject(previous) && isJsonObject(next)) {
    const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
    return [...keys].flatMap((key) => changedKeyPaths(previous[key], next[key], prefix.length === 0 ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(previous) === JSON.stringify(next) ? [] : [prefix];
}

/** Whether moving from `previous` (the running config) to `next` needs a gateway restart. */
export function restartRequiredFor(previous: GatewayConfig | undefined, next: GatewayConfig): boolean {
  const changed = changedKeyPaths(previous ?? {}, next);
  if (changed.length === 0) return false;
  if (previous?.gateway?.reload?.mode === "off") return true;
  return changed.some((path) => !HOT_KEYS.some((hot) => path === hot || path.startsWith(`${hot}.`)));
}
