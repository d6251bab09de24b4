import type { Logger } from "pino";
import { isSecretKey as isSecretConfigKey } from "../config/redact.js";

/** What replaces a secret in logs and status text. */
export const REDACTED = "[redacted]";

/** Log fields that carry credentials besides the config's secret keys (HTTP headers). */
const SECRET_LOG_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|credentials?)$/i;

/** Secrets recognisable by their shape, even when nobody registered them (env tokens, token files). */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // Telegram bot tokens `<bot id>:<35 characters>`, also inside `/bot<token>/` URLs.
  [/\d{5,}:[A-Za-z0-9_-]{30,}/g, REDACTED],
  // Slack bot, user, app and config tokens.
  [/\bxox[abposre]-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]{8,}/g, REDACTED],
  // Credentials in URLs (`http://user:password@host`).
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // HTTP auth headers quoted in error text (Discord bot tokens are three dot-separated parts).
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/g, `$1 ${REDACTED}`],
  [/\bBot\s+[\w-]{10,}\.[\w-]{4,}\.[\w-]{10,}/g, `Bot ${REDACTED}`],
];

const MIN_SECRET_LENGTH = 6;

/**
 * True for a field whose value must never be logged: the config's secret keys (`botToken`,
 * `appToken`, `signingSecret`, `password`, `apiKey`, … matched by suffix) and auth headers.
 */
export function isSecretKey(key: string): boolean {
  return isSecretConfigKey(key) || SECRET_LOG_KEY.test(key);
}

/**
 * Replaces every known secret and every secret-shaped string in `text`. Secrets are also matched
 * in their JSON-escaped form, so a secret inside an already serialized line is found too.
 */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    result = result.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) result = result.split(escaped).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Deep copy of a JSON value with secret fields blanked and secrets removed from every string. */
export function redactValue(value: unknown, secrets: Iterable<string> = [], depth = 0): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (typeof value !== "object" || value === null || depth > 12) return value;
  if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && entry !== null && typeof entry !== "boolean" ? REDACTED : redactValue(entry, secrets, depth + 1);
  }
  return copy;
}

/**
 * The secrets one logger knows about, applied to each finished JSON line before any destination
 * (file, stdout, pretty) sees it. One place, so no log call can forget it.
 */
export class LogRedactor {
  readonly #secrets = new Set<string>();

  /** Registers secret values (tokens, passwords) to be blanked wherever they appear. */
  addSecrets(values: Iterable<string>): void {
    for (const value of values) if (value.length >= MIN_SECRET_LENGTH) this.#secrets.add(value);
  }

  /** One pino JSON line in, the same line with secrets removed out. A line that is not JSON is scrubbed as text. */
  redactLine(line: string): string {
    // Most lines name no secret field: scrubbing the text is enough, with no parse and re-serialize.
    if (!namesSecretKey(line)) return redactText(line, this.#secrets);
    const newline = line.endsWith("\n") ? "\n" : "";
    const body = newline ? line.slice(0, -1) : line;
    let record: unknown;
    try {
      record = JSON.parse(body);
    } catch {
      return redactText(line, this.#secrets);
    }
    return `${JSON.stringify(redactValue(record, this.#secrets))}${newline}`;
  }

  redactText(text: string): string {
    return redactText(text, this.#secrets);
  }
}

/** A JSON object key: a string followed by a colon (escaped quotes inside values never end one). */
const JSON_KEY = /"((?:[^"\\]|\\.)*)"\s*:/g;

/** Whether a JSON line has a key whose value must be blanked whole. */
function namesSecretKey(line: string): boolean {
  for (const match of line.matchAll(JSON_KEY)) if (isSecretKey(match[1]!)) return true;
  return false;
}

const REDACTOR = Symbol.for("openclaw.logRedactor");

/** Attaches `redactor` to `logger`; pino children inherit it through their prototype. */
export function attachRedactor(logger: Logger, redactor: LogRedactor): void {
  Object.defineProperty(logger, REDACTOR, { value: redactor, enumerable: false });
}

/**
 * Tells the logger behind `logger` (or any child of it) about secret values, so they are blanked
 * in every line it writes. A logger without a redactor (a silent test logger) ignores it.
 */
export function registerLogSecrets(logger: Logger, values: Iterable<string>): void {
  const redactor = (logger as unknown as Record<symbol, LogRedactor | undefined>)[REDACTOR];
  redactor?.addSecrets(values);
}
