import type { TObject } from "@sinclair/typebox";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { channelSectionSchema, type ChannelConfigSchemas } from "./channel-sections.js";
import { substituteEnv } from "./env-substitution.js";
import { formatKeyPath, type ConfigIssue } from "./issues.js";
import { isJsonObject } from "./json-value.js";
import { isSecretKey } from "./redact.js";
import { addressMatcher } from "../transport/locality.js";
import { GatewayConfigSchema, type GatewayConfig } from "./schema.js";

export type ConfigValidation = { readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** How a config file is checked. */
export interface ConfigCheckOptions {
  /**
   * The settings schema of each channel this gateway can run, by id (each adapter's `configSchema`).
   * Given, `channels` is checked against them when the file loads, and any other channel id is
   * refused; omitted, channel sections are only checked when the channels load.
   */
  readonly channels?: ChannelConfigSchemas;
}

let ajv: Ajv | undefined;
let compiled: ValidateFunction | undefined;
const sectionValidators = new WeakMap<TObject, ValidateFunction>();

// verbose: errors carry the failing schema node and value, which the messages quote.
const compile = (schema: TObject): ValidateFunction => (ajv ??= new Ajv({ allErrors: true, strict: true, verbose: true })).compile(schema);

/** Compiled once per process: Ajv compilation costs far more than validation. */
function validator(): ValidateFunction {
  return (compiled ??= compile(GatewayConfigSchema));
}

/**
 * One channel's section validator, compiled the first time that channel is configured: compiling
 * every installed channel's section up front would cost start-up time whatever is configured.
 */
function sectionValidator(adapter: TObject): ValidateFunction {
  let validate = sectionValidators.get(adapter);
  if (validate === undefined) sectionValidators.set(adapter, (validate = compile(channelSectionSchema(adapter))));
  return validate;
}

function pointerSegments(pointer: string): string[] {
  if (pointer.length === 0) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Path segments with array indexes as numbers, so they print as `[i]`; `data` sits at `base`. */
function issueSegments(error: ErrorObject, data: unknown, base: readonly string[]): (string | number)[] {
  const segments: (string | number)[] = [...base];
  let node = data;
  for (const part of pointerSegments(error.instancePath)) {
    const isIndex = Array.isArray(node) && /^\d+$/.test(part);
    segments.push(isIndex ? Number(part) : part);
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return segments;
}

function describeValue(value: unknown, key: string | number | undefined, schema: Record<string, unknown>): string {
  const secret = schema["writeOnly"] === true || (typeof key === "string" && isSecretKey(key));
  if (secret && typeof value === "string") return "a secret string";
  if (Array.isArray(value)) return "array";
  if (value !== null && typeof value === "object") return "object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a schema node accepts, in words: `integer 1..65535`, `one of "a", "b"`. */
function describeExpected(schema: Record<string, unknown>): string {
  if (Array.isArray(schema["enum"])) return `one of ${schema["enum"].map((value) => JSON.stringify(value)).join(", ")}`;
  if (typeof schema["description"] === "string" && schema["pattern"] !== undefined) return schema["description"];
  const { type, minimum, maximum, exclusiveMinimum } = schema;
  if (type === "integer" || type === "number") {
    if (typeof minimum === "number" && typeof maximum === "number") return `${type} ${minimum}..${maximum}`;
    if (typeof minimum === "number") return `${type} >= ${minimum}`;
    if (typeof exclusiveMinimum === "number") return `${type} > ${exclusiveMinimum}`;
    if (typeof maximum === "number") return `${type} <= ${maximum}`;
  }
  if (type === "string" && schema["minLength"] === 1) return "non-empty string";
  if (type === "string" && typeof schema["minLength"] === "number") return `string of at least ${schema["minLength"]} characters`;
  if (type === "string" && typeof schema["pattern"] === "string") return `string matching /${schema["pattern"]}/`;
  if (type === "array") return "array";
  return typeof type === "string" ? type : "valid value";
}

function toIssue(error: ErrorObject, data: unknown, base: readonly string[] = []): ConfigIssue {
  const segments = issueSegments(error, data, base);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: formatKeyPath([...segments, String(params["additionalProperty"])]), message: "unknown key" };
    case "required":
      return { path: formatKeyPath([...segments, String(params["missingProperty"])]), message: "required key is missing" };
    case "type":
    case "enum":
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "minLength":
    case "pattern": {
      const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
      return { path: formatKeyPath(segments), message: `expected ${describeExpected(schema)}, got ${describeValue(error.data, segments.at(-1), schema)}` };
    }
    default:
      return { path: formatKeyPath(segments), message: error.message ?? "is invalid" };
  }
}

/**
 * Check a parsed config file: substitute `${VAR}` from `env`, then validate strictly.
 * Returns every issue, not just the first, so one edit can fix them all.
 */
export function validateConfig(parsed: unknown, env: NodeJS.ProcessEnv, options: ConfigCheckOptions = {}): ConfigValidation {
  const substituted = substituteEnv(parsed, env);
  if (substituted.issues.length > 0) return { ok: false, issues: substituted.issues };
  const config = substituted.value;
  const issues: ConfigIssue[] = [];
  const add = (issue: ConfigIssue) => {
    if (!issues.some((seen) => seen.path === issue.path && seen.message === issue.message)) issues.push(issue);
  };
  const validate = validator();
  if (!validate(config)) for (const error of validate.errors ?? []) add(toIssue(error, config));
  for (const issue of trustedProxyIssues(config)) add(issue);
  if (options.channels) for (const issue of channelIssues(config, options.channels)) add(issue);
  return issues.length === 0 ? { ok: true, config: config as GatewayConfig } : { ok: false, issues };
}

/** `gateway.trustedProxies` entries that are strings but not an IP address or CIDR (the schema checks the rest). */
function trustedProxyIssues(config: unknown): ConfigIssue[] {
  const gateway = isJsonObject(config) ? config["gateway"] : undefined;
  const entries = isJsonObject(gateway) ? gateway["trustedProxies"] : undefined;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry, index) => {
    if (typeof entry !== "string" || entry.length === 0) return [];
    try {
      addressMatcher(entry);
      return [];
    } catch {
      return [
        {
          path: formatKeyPath(["gateway", "trustedProxies", index]),
          message: `expected IP address or CIDR like "10.0.0.1" or "10.0.0.0/8", got ${JSON.stringify(entry)}`,
        },
      ];
    }
  });
}

/** Each configured channel's section against its channel's schema; a channel not in `channels` is refused. */
function channelIssues(config: unknown, channels: ChannelConfigSchemas): ConfigIssue[] {
  const sections = isJsonObject(config) ? config["channels"] : undefined;
  if (!isJsonObject(sections)) return [];
  const issues: ConfigIssue[] = [];
  for (const [id, section] of Object.entries(sections)) {
    const adapter = Object.hasOwn(channels, id) ? channels[id] : undefined;
    if (adapter === undefined) {
      issues.push({ path: formatKeyPath(["channels", id]), message: `unknown channel; this gateway can run: ${Object.keys(channels).join(", ")}` });
      continue;
    }
    // Not an object: the gateway's own schema has said so.
    if (!isJsonObject(section)) continue;
    const validate = sectionValidator(adapter);
    if (!validate(section)) for (const error of validate.errors ?? []) issues.push(toIssue(error, section, ["channels", id]));
  }
  return issues;
}
