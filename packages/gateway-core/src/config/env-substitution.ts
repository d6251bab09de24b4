import { formatKeyPath, type ConfigIssue } from "./issues.js";
import { setOwn } from "./json-value.js";

/** `${NAME}` references an env var; `$${NAME}` is the escape for a literal `${NAME}`. */
const REFERENCE = /\$?\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Whether a string is nothing but one env reference (it then carries no secret itself). */
export function isEnvReference(value: string): boolean {
  return /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(value);
}

/**
 * Replace `${VAR}` in every string value (never in keys) with the env value.
 * A missing or empty variable is an issue naming both the key and the variable,
 * so a typo fails loudly instead of becoming an empty token.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === "string") {
      return node.replace(REFERENCE, (match: string, name: string) => {
        if (match.startsWith("$$")) return match.slice(1);
        const resolved = env[name];
        if (resolved === undefined || resolved === "") {
          issues.push({ path: formatKeyPath(path), message: `environment variable ${name} is not set` });
          return match;
        }
        return resolved;
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) setOwn(out, key, visit(child, [...path, key]));
      return out;
    }
    return node;
  };
  return { value: visit(value, []), issues };
}
