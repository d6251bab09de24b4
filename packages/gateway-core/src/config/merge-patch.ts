import { ConfigError } from "../errors.js";
import { formatConfigIssues, type ConfigIssue } from "./issues.js";
import { isJsonObject, setOwn } from "./json-value.js";

export interface MergePatchOptions {
  /**
   * Dotted paths (`gateway.trustedProxies`) whose arrays this patch may shorten.
   * Without them a shorter array is refused: a client that sends a partial list
   * would otherwise silently drop the rest. @default []
   */
  readonly replacePaths?: readonly string[];
}

/**
 * RFC 7386 JSON merge patch: objects merge key by key, `null` deletes a key, and
 * everything else (arrays included) replaces. Inputs are not modified.
 * @throws ConfigError naming every array the patch would shrink without `replacePaths`.
 */
export function applyMergePatch(target: unknown, patch: unknown, options: MergePatchOptions = {}): unknown {
  const replacePaths = new Set(options.replacePaths ?? []);
  const issues: ConfigIssue[] = [];
  const merge = (current: unknown, change: unknown, path: string): unknown => {
    if (!isJsonObject(change)) {
      if (Array.isArray(change) && Array.isArray(current) && change.length < current.length && !replacePaths.has(path)) {
        issues.push({
          path,
          message: `patch shrinks the array from ${current.length} to ${change.length} items; list "${path}" in replacePaths to replace it`,
        });
      }
      return change;
    }
    const out: Record<string, unknown> = {};
    if (isJsonObject(current)) for (const [key, value] of Object.entries(current)) setOwn(out, key, value);
    for (const [key, value] of Object.entries(change)) {
      if (value === null) delete out[key];
      else setOwn(out, key, merge(Object.hasOwn(out, key) ? out[key] : undefined, value, path.length === 0 ? key : `${path}.${key}`));
    }
    return out;
  };
  const result = merge(target, patch, "");
  if (issues.length > 0) throw new ConfigError(formatConfigIssues(issues), issues);
  return result;
}
