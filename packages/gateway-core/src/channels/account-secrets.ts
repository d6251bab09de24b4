import { readFileSync } from "node:fs";
import { isSecretKey } from "../logging/redaction.js";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `botTokenFile`, `tokenFile`, `passwordFile`: a file whose contents are a secret. */
const SECRET_FILE_KEY = /(?:token|secret|password|api[-_]?key)File$/i;
/** Env names the adapters read secrets from: `TELEGRAM_BOT_TOKEN`, `SLACK_APP_TOKEN`, `DISCORD_BOT_TOKEN`, …. */
const SECRET_ENV = /(?:TOKEN|SECRET|PASSWORD|API_KEY)$/;

function urlSecrets(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
  try {
    const url = new URL(value);
    if (url.password === "") return [];
    return [url.password, decodeURIComponent(url.password), `${url.username}:${url.password}`];
  } catch {
    return [];
  }
}

/**
 * The secret values in one account's settings, so logs and status text can blank them:
 * values under secret-named keys (`botToken`, `appToken`, `signingSecret`, `token`, …) at any
 * depth, the contents of `tokenFile`-style files, passwords in URLs (`transport.url` with
 * `user:password@`), the `<id>:` suffix of Telegram-style tokens, and secret-named env values.
 */
export function collectAccountSecrets(config: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>> = {}): string[] {
  const secrets = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (trimmed === "") return;
    secrets.add(trimmed);
    // Telegram's `<bot id>:<secret>`: the part after the colon alone is the secret.
    const suffix = /^\d+:(.{16,})$/.exec(trimmed)?.[1];
    if (suffix) secrets.add(suffix);
  };
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 8) return;
    if (typeof value === "string") {
      if (key !== undefined && isSecretKey(key)) add(value);
      if (key !== undefined && SECRET_FILE_KEY.test(key)) {
        try {
          add(readFileSync(value, "utf8"));
        } catch {
          // The adapter reports an unreadable file itself; there is nothing to blank.
        }
      }
      for (const secret of urlSecrets(value)) add(secret);
      return;
    }
    if (Array.isArray(value)) for (const entry of value) walk(entry, key, depth + 1);
    else if (isRecord(value)) for (const [childKey, child] of Object.entries(value)) walk(child, childKey, depth + 1);
  };
  walk(config, undefined, 0);
  for (const [name, value] of Object.entries(env)) if (value !== undefined && SECRET_ENV.test(name)) add(value);
  return [...secrets];
}
