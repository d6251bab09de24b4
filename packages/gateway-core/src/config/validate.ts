import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { substituteEnv } from "./env-substitution.js";
import { formatKeyPath, type ConfigIssue } from "./issues.js";
import { isSecretKey } from "./redact.js";
import { GatewayConfigSchema, type GatewayConfig } from "./schema.js";

export type ConfigValidation = { readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

let compiled: ValidateFunction | undefined;

/** Compiled once per process: Ajv compilation costs far more than validation. */
function validator(): ValidateFunction {
  // verbose: errors carry the failing schema node and value, which the messages quote.
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(GatewayConfigSchema);
  return compiled;
}

function pointerSegments(pointer: string): string[] {
  if (pointer.length === 0) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Path segments with array indexes as numbers, so they print as `[i]`. */
function issueSegments(error: ErrorObject, data: unknown): (string | number)[] {
  const segments: (string | number)[] = [];
  let node = data;
  for (const part of pointerSegments(error.instancePath)) {
    const isIndex = Array.isArray(node) && /^\d+$/.test(part);
    segments.push(isIndex ? Number(part) : part);
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return segments;
}

function describeValue(value: unknown, key: string | number | undefined): string {
  if (typeof key === "string" && isSecretKey(key) && typeof value === "string") return "a secret string";
  if (Array.isArray(value)) return "array";
  if (value !== null && typeof value === "object") return "object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a schema node accepts, in words: `integer 1..65535`, `one of "a", "b"`. */
function describeExpected(schema: Record<string, unknown>): string {
  if (Array.isArray(schema["enum"])) return `one of ${schema["enum"].map((value) => JSON.stringify(value)).join(", ")}`;
  if (typeof schema["description"] === "string" && schema["pattern"] !== undefined) return schema["description"];
  const { type, minimum, maximum } = schema;
  if (type === "integer" || type === "number") {
    if (typeof minimum === "number" && typeof maximum === "number") return `${type} ${minimum}..${maximum}`;
    if (typeof minimum === "number") return `${type} >= ${minimum}`;
    if (typeof maximum === "number") return `${type} <= ${maximum}`;
  }
  if (type === "string" && schema["minLength"] === 1) return "non-empty string";
  if (type === "string" && typeof schema["pattern"] === "string") return `string matching /${schema["pattern"]}/`;
  if (type === "array") return "array";
  return typeof type === "string" ? type : "valid value";
}

function toIssue(error: ErrorObject, data: unknown): ConfigIssue {
  const segments = issueSegments(error, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: formatKeyPath([...segments, String(params["additionalProperty"])]), message: "unknown key" };
    case "required":
      return { path: formatKeyPath([...segments, String(params["missingProperty"])]), message: "required key is missing" };
    case "type":
    case "enum":
    case "minimum":
    case "maximum":
    case "minLength":
    case "pattern": {
      const expected = describeExpected((error.parentSchema ?? {}) as Record<string, unknown>);
      return { path: formatKeyPath(segments), message: `expected ${expected}, got ${describeValue(error.data, segments.at(-1))}` };
    }
    default:
      return { path: formatKeyPath(segments), message: error.message ?? "is invalid" };
  }
}

/**
 * Check a parsed config file: substitute `${VAR}` from `env`, then validate strictly.
 * Returns every issue, not just the first, so one edit can fix them all.
 */
export function validateConfig(parsed: unknown, env: NodeJS.ProcessEnv): ConfigValidation {
  const substituted = substituteEnv(parsed, env);
  if (substituted.issues.length > 0) return { ok: false, issues: substituted.issues };
  const validate = validator();
  if (validate(substituted.value)) return { ok: true, config: substituted.value as GatewayConfig };
  const issues: ConfigIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = toIssue(error, substituted.value);
    if (!issues.some((seen) => seen.path === issue.path && seen.message === issue.message)) issues.push(issue);
  }
  return { ok: false, issues };
}
