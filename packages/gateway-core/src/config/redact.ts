import { ConfigError } from "../errors.js";
import { isEnvReference } from "./env-substitution.js";
import { formatConfigIssues, formatKeyPath, type ConfigIssue } from "./issues.js";
import { isJsonObject, setOwn } from "./json-value.js";
import { parseJson5 } from "./json5.js";

/** What a client sees in place of a secret; writing it back keeps the stored value. */
export const REDACTED_SENTINEL = "__OPENCLAW_REDACTED__";

/**
 * Keys whose string values are secrets wherever they appear (`gateway.auth.token`,
 * `channels.slack.botToken`, …). Matched by suffix, ignoring case, `_` and `-`, so a new
 * channel's `webhookSecret` or `api_key` is hidden without being listed here.
 */
const SECRET_SUFFIXES = ["token", "password", "secret", "apikey"];

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, "");
  return SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** An env reference such as `${OPENCLAW_GATEWAY_TOKEN}` names a secret without holding it, so it stays visible. */
function isRedactable(key: string, value: unknown): value is string {
  return isSecretKey(key) && typeof value === "string" && value.length > 0 && !isEnvReference(value);
}

/** A deep copy with every secret string replaced by {@link REDACTED_SENTINEL}. */
export function redactConfig<T>(value: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isJsonObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) setOwn(out, key, isRedactable(key, child) ? REDACTED_SENTINEL : visit(child));
    return out;
  };
  return visit(value) as T;
}

function collectSecrets(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) collectSecrets(item, into);
  else if (isJsonObject(node)) {
    for (const [key, child] of Object.entries(node)) {
      if (isRedactable(key, child)) into.add(child);
      else collectSecrets(child, into);
    }
  }
  return into;
}

interface StringLiteral {
  readonly start: number;
  readonly end: number;
  readonly value: string | undefined;
  /** A quoted property name rather than a value. */
  readonly isKey: boolean;
  /** For a value, the property name it belongs to (quoted or bare). */
  readonly key: string | undefined;
}

function skipTrivia(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? "")) i++;
    else if (text.startsWith("//", i)) {
      const newline = text.slice(i).search(/[\n\r\u2028\u2029]/);
      i = newline < 0 ? text.length : i + newline;
    } else if (text.startsWith("/*", i)) {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
    } else break;
  }
  return i;
}

function decodeLiteral(literal: string): string | undefined {
  try {
    return String(parseJson5(literal));
  } catch {
    return undefined;
  }
}

/**
 * Every quoted string in a JSON5 document outside comments, with the property name
 * each value belongs to. Tolerates broken documents, so a file that fails to parse
 * can still be redacted by key name.
 */
function scanStringLiterals(text: string): StringLiteral[] {
  const literals: StringLiteral[] = [];
  // The last property name and where its value may start (just after the colon).
  let pendingKey: { name: string; valueFrom: number } | undefined;
  let i = 0;
  while (i < text.length) {
    const next = skipTrivia(text, i);
    if (next !== i) {
      i = next;
      continue;
    }
    const char = text[i] ?? "";
    let end: number;
    let name: string | undefined;
    if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== char) j += text[j] === "\\" ? 2 : 1;
      end = Math.min(j + 1, text.length);
      name = decodeLiteral(text.slice(i, end));
    } else if (/[A-Za-z_$]/.test(char)) {
      end = i + (/^[\w$]+/.exec(text.slice(i))?.[0].length ?? 1);
      name = text.slice(i, end);
    } else {
      i++;
      continue;
    }
    const afterToken = skipTrivia(text, end);
    const isKey = text[afterToken] === ":";
    if (char === '"' || char === "'") {
      const key = !isKey && pendingKey !== undefined && skipTrivia(text, pendingKey.valueFrom) === i ? pendingKey.name : undefined;
      literals.push({ start: i, end, value: name, isKey, key });
    }
    pendingKey = isKey && name !== undefined ? { name, valueFrom: afterToken + 1 } : undefined;
    i = isKey ? afterToken + 1 : end;
  }
  return literals;
}

function splice(text: string, edits: readonly { start: number; end: number; replacement: string }[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.replacement + out.slice(edit.end);
  return out;
}

/**
 * The raw file text with secrets replaced by the sentinel, keeping comments and layout:
 * every value under a secret key, and every copy of a secret value found in `parsed`
 * (pass `undefined` for a file that does not parse). Property names are never touched.
 */
export function redactRawText(raw: string, parsed: unknown): string {
  const secrets = collectSecrets(parsed, new Set());
  const edits = scanStringLiterals(raw)
    .filter((literal) => !literal.isKey && literal.value !== undefined)
    .filter((literal) => secrets.has(literal.value ?? "") || (literal.key !== undefined && isRedactable(literal.key, literal.value)))
    .map((literal) => ({ ...literal, replacement: JSON.stringify(REDACTED_SENTINEL) }));
  return splice(raw, edits);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof segment === "number" ? !Array.isArray(node) : !isJsonObject(node)) return undefined;
    node = Object.hasOwn(node as object, segment) ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return node;
}

function storedSecret(previous: unknown, path: readonly (string | number)[]): unknown {
  const stored = valueAt(previous, path);
  if (stored === undefined || stored === REDACTED_SENTINEL) {
    const issue: ConfigIssue = { path: formatKeyPath(path), message: `is ${REDACTED_SENTINEL} but no stored value exists; send the real value` };
    throw new ConfigError(formatConfigIssues([issue]), [issue]);
  }
  return stored;
}

/**
 * Put stored secrets back where a client echoed the sentinel, so saving a redacted
 * `config.get` result never overwrites a real token with the placeholder.
 * @throws ConfigError when there is no stored value at a redacted path.
 */
export function restoreRedacted<T>(next: T, previous: unknown): T {
  const visit = (node: unknown, path: (string | number)[]): unknown => {
    if (node === REDACTED_SENTINEL) return storedSecret(previous, path);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (!isJsonObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) setOwn(out, key, visit(child, [...path, key]));
    return out;
  };
  return visit(next, []) as T;
}

/**
 * The text form of {@link restoreRedacted}: replaces each sentinel literal in `raw` with
 * the stored value as JSON, keeping the client's comments and layout.
 * @throws ConfigError when there is no stored value at a redacted path.
 */
export function restoreRedactedRaw(raw: string, previous: unknown): string {
  const sentinels = scanStringLiterals(raw).filter((literal) => !literal.isKey && literal.value === REDACTED_SENTINEL);
  if (sentinels.length === 0) return raw;
  // Tag each sentinel uniquely and let the real parser say which key each one landed on.
  const tagged = splice(
    raw,
    sentinels.map((literal, index) => ({ ...literal, replacement: JSON.stringify(`${REDACTED_SENTINEL}#${index}`) })),
  );
  const paths = new Map<number, (string | number)[]>();
  const locate = (node: unknown, path: (string | number)[]): void => {
    const tag = typeof node === "string" ? /^__OPENCLAW_REDACTED__#(\d+)$/.exec(node) : null;
    if (tag) paths.set(Number(tag[1]), path);
    else if (Array.isArray(node)) node.forEach((item, index) => locate(item, [...path, index]));
    else if (isJsonObject(node)) for (const [key, child] of Object.entries(node)) locate(child, [...path, key]);
  };
  locate(parseJson5(tagged), []);
  const edits = sentinels.flatMap((literal, index) => {
    const path = paths.get(index);
    // A sentinel shadowed by a duplicate key never reaches the parsed value; leave it be.
    return path === undefined ? [] : [{ ...literal, replacement: JSON.stringify(storedSecret(previous, path)) }];
  });
  return splice(raw, edits);
}
