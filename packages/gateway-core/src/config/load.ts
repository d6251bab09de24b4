import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { formatConfigIssues, type ConfigIssue } from "./issues.js";
import type { GatewayConfig } from "./schema.js";
import { validateConfig, type ConfigCheckOptions } from "./validate.js";
import { parseJson5 } from "./json5.js";

export const CONFIG_FILE_NAME = "openclaw.json";

function expandHome(path: string, homedir: string): string {
  if (path === "~") return homedir;
  if (path.startsWith("~/")) return join(homedir, path.slice(2));
  return isAbsolute(path) ? path : resolve(path);
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value.length === 0 ? undefined : value;
}

/** `OPENCLAW_STATE_DIR`, else `~/.openclaw`. */
export function resolveStateDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const configured = envValue(env, "OPENCLAW_STATE_DIR");
  return configured === undefined ? join(homedir, ".openclaw") : expandHome(configured, homedir);
}

/** `OPENCLAW_CONFIG_PATH`, else `<stateDir>/openclaw.json`. Always absolute. */
export function resolveConfigPath(env: NodeJS.ProcessEnv, homedir: string): string {
  const configured = envValue(env, "OPENCLAW_CONFIG_PATH");
  return configured === undefined ? join(resolveStateDir(env, homedir), CONFIG_FILE_NAME) : expandHome(configured, homedir);
}

/** sha256 hex of the file text; `config.set`/`config.patch` compare it as `baseHash`. */
export function hashConfigText(raw: string | null): string {
  return createHash("sha256")
    .update(raw ?? "")
    .digest("hex");
}

/** The file as it is on disk, valid or not: what `config.get` reports. */
export interface ConfigSnapshot {
  readonly path: string;
  readonly exists: boolean;
  /** The file text, or null when there is no file. */
  readonly raw: string | null;
  /** The JSON5 document before `${VAR}` substitution (`{}` when missing, undefined when unparsable). */
  readonly parsed: unknown;
  readonly hash: string;
  /** Set when the file is valid: substituted and checked against the schema. */
  readonly config: GatewayConfig | undefined;
  readonly issues: readonly ConfigIssue[];
}

/** A config file that loaded and validated. */
export interface LoadedConfig {
  readonly path: string;
  readonly exists: boolean;
  readonly raw: string | null;
  readonly parsed: unknown;
  readonly config: GatewayConfig;
  readonly hash: string;
}

/** Parse JSON5 text; a syntax error becomes an issue with the parser's line and column. */
export function parseConfigText(raw: string): { ok: true; parsed: unknown } | { ok: false; issue: ConfigIssue } {
  try {
    return { ok: true, parsed: parseJson5(raw) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^JSON5: /, "") : String(error);
    return { ok: false, issue: { path: "", message: `not valid JSON5: ${reason}` } };
  }
}

/**
 * Read and check the config file without throwing for bad contents.
 * @throws ConfigError when the path exists but cannot be read.
 */
export async function readConfigSnapshot(path: string, env: NodeJS.ProcessEnv, options: ConfigCheckOptions = {}): Promise<ConfigSnapshot> {
  const missing = { path, exists: false, raw: null, parsed: {}, hash: hashConfigText(null) };
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ...missing, config: {}, issues: [] };
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, [], { cause: error });
  }
  if (!isFile) {
    const issue = { path: "", message: "the config path exists but is not a regular file" };
    return { ...missing, exists: true, parsed: undefined, config: undefined, issues: [issue] };
  }
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, [], { cause: error });
  }
  const base = { path, exists: true, raw, hash: hashConfigText(raw) };
  const parsed = parseConfigText(raw);
  if (!parsed.ok) return { ...base, parsed: undefined, config: undefined, issues: [parsed.issue] };
  const checked = validateConfig(parsed.parsed, env, options);
  return checked.ok
    ? { ...base, parsed: parsed.parsed, config: checked.config, issues: [] }
    : { ...base, parsed: parsed.parsed, config: undefined, issues: checked.issues };
}

/**
 * Load the config file for startup: JSON5, `${VAR}` from `env`, strict validation.
 * A missing file is an empty config (all defaults).
 * @throws ConfigError listing every issue (`config key gateway.port: expected integer 1..65535, got "abc"`).
 */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv, options: ConfigCheckOptions = {}): Promise<LoadedConfig> {
  const snapshot = await readConfigSnapshot(path, env, options);
  if (snapshot.config === undefined) {
    throw new ConfigError(`invalid config file ${path}: ${formatConfigIssues(snapshot.issues)}`, snapshot.issues);
  }
  const { exists, raw, parsed, hash, config } = snapshot;
  return { path, exists, raw, parsed, config, hash };
}
