import type { MethodParams, MethodResult } from "@openclaw/protocol";
import { InvalidInputError } from "../errors.js";
import { formatConfigIssue, formatConfigIssues } from "../config/issues.js";
import { isJsonObject } from "../config/json-value.js";
import { hashConfigText, parseConfigText, readConfigSnapshot, type ConfigSnapshot, type LoadedConfig } from "../config/load.js";
import { applyMergePatch } from "../config/merge-patch.js";
import { redactConfig, redactRawText, restoreRedacted, restoreRedactedRaw } from "../config/redact.js";
import { planReload } from "../config/reload-plan.js";
import { configJsonSchema, type GatewayConfig } from "../config/schema.js";
import { validateConfig, type ConfigCheckOptions } from "../config/validate.js";
import { writeFileAtomic } from "../config/write.js";
import type { MethodHandler } from "./types.js";

export type ConfigMethod = "config.get" | "config.set" | "config.apply" | "config.patch" | "config.schema";
export type ConfigHandlers = { [M in ConfigMethod]: MethodHandler<M> };

/** A write that reached the file, for the running gateway to apply. */
export interface ConfigWriteInfo {
  readonly method: "config.set" | "config.apply" | "config.patch";
  /** From `config.apply`/`config.patch`: how long to wait before restarting. */
  readonly restartDelayMs: number | undefined;
  /** The file's config before the write. */
  readonly previous: GatewayConfig | undefined;
}

/** What the running gateway did with a write, as the answer reports it. */
export interface ConfigWriteOutcome {
  /** Some of the written config takes effect only after a restart. */
  readonly restartRequired: boolean;
  /** A restart this gateway scheduled for it. */
  readonly restart?: { readonly delayMs: number };
}

export interface ConfigHandlerOptions extends ConfigCheckOptions {
  readonly configPath: string;
  /** Source of `${VAR}` substitution; the same env the gateway started with. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Checks a valid config further before it is written (a model this gateway cannot serve, an auth
   * mode it cannot start with); a throw refuses the write with its message, and the file stays.
   */
  readonly accept?: (config: GatewayConfig) => void;
  /**
   * Applies each successful write to the running gateway, before the handler answers. Without it
   * nothing is applied, and `restartRequired` says whether anything changed that needs a restart.
   */
  readonly onWritten?: (loaded: LoadedConfig, info: ConfigWriteInfo) => ConfigWriteOutcome | Promise<ConfigWriteOutcome>;
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

/** A write no running gateway applies: it needs a restart when `config.apply` says so or a changed key is not hot. */
function unapplied(info: ConfigWriteInfo, config: GatewayConfig): ConfigWriteOutcome {
  return { restartRequired: info.method === "config.apply" || planReload(info.previous, config).restart.length > 0 };
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
    try {
      options.accept?.(result.config);
    } catch (error) {
      throw new InvalidInputError(`config refused: ${(error as Error).message}`);
    }
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
    const info: ConfigWriteInfo = { method, restartDelayMs, previous: before.config };
    const outcome = options.onWritten ? await options.onWritten(loaded, info) : unapplied(info, config);
    return {
      ok: true,
      path: configPath,
      hash: loaded.hash,
      config: redactConfig(parsed),
      restartRequired: outcome.restartRequired,
      ...(outcome.restart ? { restart: outcome.restart } : {}),
    };
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
