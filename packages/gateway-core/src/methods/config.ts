import type { MethodParams, MethodResult } from "@openclaw/protocol";
import { InvalidInputError } from "../errors.js";
import { formatConfigIssue, formatConfigIssues } from "../config/issues.js";
import { isJsonObject } from "../config/json-value.js";
import { hashConfigText, parseConfigText, readConfigSnapshot, type ConfigSnapshot, type LoadedConfig } from "../config/load.js";
import { applyMergePatch } from "../config/merge-patch.js";
import { redactConfig, redactRawText, restoreRedacted, restoreRedactedRaw } from "../config/redact.js";
import { restartRequiredFor } from "../config/restart-policy.js";
import { configJsonSchema, type GatewayConfig } from "../config/schema.js";
import { validateConfig, type ConfigCheckOptions } from "../config/validate.js";
import { writeFileAtomic } from "../config/write.js";
import type { MethodHandler } from "./types.js";

export type ConfigMethod = "config.get" | "config.set" | "config.apply" | "config.patch" | "config.schema";
export type ConfigHandlers = { [M in ConfigMethod]: MethodHandler<M> };

/** What a write changed, for the server to hot-apply or schedule a restart. */
export interface ConfigWriteInfo {
  readonly method: "config.set" | "config.apply" | "config.patch";
  readonly restartRequired: boolean;
  /** From `config.apply`/`config.patch`: how long to wait before restarting. */
  readonly restartDelayMs: number | undefined;
  readonly previous: GatewayConfig | undefined;
}

export interface ConfigHandlerOptions extends ConfigCheckOptions {
  readonly configPath: string;
  /** Source of `${VAR}` substitution; the same env the gateway started with. */
  readonly env: NodeJS.ProcessEnv;
  /** Called after each successful write, before the handler answers. */
  readonly onWritten?: (loaded: LoadedConfig, info: ConfigWriteInfo) => void | Promise<void>;
}

function checkBaseHash(current: ConfigSnapshot, baseHash: string | undefined): void {
  if (!current.exists) return;
  if (baseHash === undefined) {
    throw new InvalidInputError("config file exists; pass baseHash (the hash from config.get) so concurrent edits are not overwritten");
  }
  if (baseHash !== current.hash) {
    throw new InvalidInputError("config changed since last load (baseHash mismatch); re-run config.get and retry");
  }
}

function parseDocument(raw: string): unknown {
  const parsed = parseConfigText(raw);
  if (!parsed.ok) throw new InvalidInputError(formatConfigIssue(parsed.issue), { details: { issues: [parsed.issue] } });
  return parsed.parsed;
}

/**
 * The `config.*` method handlers over one config file. Writes are serialized and
 * guarded by `baseHash`; secrets are redacted on the way out and restored on the way in.
 */
export function createConfigHandlers(options: ConfigHandlerOptions): ConfigHandlers {
  const { configPath, env } = options;
  const check: ConfigCheckOptions = options.channels ? { channels: options.channels } : {};
  const generatedAt = new Date().toISOString();
  let writes: Promise<unknown> = Promise.resolve();

  /** One write at a time, so two clients holding the same baseHash cannot both succeed. */
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = writes.then(task, task);
    writes = run.catch(() => undefined);
    // Config problems are the caller's to fix: ConfigError travels as INVALID_REQUEST with its issues.
    return run;
  }

  function validated(parsed: unknown): GatewayConfig {
    const result = validateConfig(parsed, env, check);
    if (!result.ok) throw new InvalidInputError(formatConfigIssues(result.issues), { details: { issues: result.issues } });
    return result.config;
  }

  async function commit(
    method: ConfigWriteInfo["method"],
    before: ConfigSnapshot,
    raw: string,
    parsed: unknown,
    restartDelayMs: number | undefined,
  ): Promise<MethodResult<"config.set">> {
    const config = validated(parsed);
    await writeFileAtomic(configPath, raw);
    const loaded: LoadedConfig = { path: configPath, exists: true, raw, parsed, config, hash: hashConfigText(raw) };
    const restartRequired = method === "config.apply" || restartRequiredFor(before.config, config);
    await options.onWritten?.(loaded, { method, restartRequired, restartDelayMs, previous: before.config });
    return { ok: true, path: configPath, hash: loaded.hash, config: redactConfig(parsed), restartRequired };
  }

  function replaceWhole(method: "config.set" | "config.apply", params: MethodParams<"config.apply">) {
    return serialized(async () => {
      const before = await readConfigSnapshot(configPath, env, check);
      checkBaseHash(before, params.baseHash);
      parseDocument(params.raw);
      const raw = restoreRedactedRaw(params.raw, before.parsed);
      return commit(method, before, raw, parseDocument(raw), params.restartDelayMs);
    });
  }

  return {
    "config.get": async () => {
      const snapshot = await readConfigSnapshot(configPath, env, check);
      return {
        path: snapshot.path,
        exists: snapshot.exists,
        raw: snapshot.raw === null ? null : redactRawText(snapshot.raw, snapshot.parsed),
        config: redactConfig(snapshot.parsed ?? {}),
        valid: snapshot.config !== undefined,
        ...(snapshot.issues.length > 0 ? { issues: [...snapshot.issues] } : {}),
        hash: snapshot.hash,
      };
    },
    "config.set": (params) => replaceWhole("config.set", params),
    "config.apply": (params) => replaceWhole("config.apply", params),
    "config.patch": (params) =>
      serialized(async () => {
        const before = await readConfigSnapshot(configPath, env, check);
        checkBaseHash(before, params.baseHash);
        if (before.parsed === undefined) {
          throw new InvalidInputError(`the config file cannot be patched (${formatConfigIssues(before.issues)}); replace it with config.set`);
        }
        const patch = parseDocument(params.raw);
        if (!isJsonObject(patch)) throw new InvalidInputError("config.patch raw must be a JSON5 object (a merge patch)");
        const merged = applyMergePatch(before.parsed, patch, { replacePaths: params.replacePaths ?? [] });
        const parsed = restoreRedacted(merged, before.parsed);
        return commit("config.patch", before, `${JSON.stringify(parsed, null, 2)}\n`, parsed, params.restartDelayMs);
      }),
    "config.schema": () => ({ schema: configJsonSchema(options.channels), uiHints: {}, version: "1", generatedAt }),
  };
}
