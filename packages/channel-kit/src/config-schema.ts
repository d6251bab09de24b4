import type { Static, TObject, TSchema } from "@sinclair/typebox";
import { createRequire } from "node:module";

/**
 * TypeBox's value checker, loaded on first use: importing TypeBox's ESM entry costs ~15 MB, and
 * only a gateway with channels configured ever parses channel config.
 */
let typeboxValue: typeof import("@sinclair/typebox/value") | undefined;
function valueModule(): typeof import("@sinclair/typebox/value") {
  typeboxValue ??= createRequire(import.meta.url)("@sinclair/typebox/value") as typeof import("@sinclair/typebox/value");
  return typeboxValue;
}
import type { ChannelAccountContext, ChannelDefinition } from "./adapter.js";
import { InvalidOptionError } from "./errors.js";

/**
 * Schema options the config helpers read: `description` is the "expected …" of an error message,
 * and `secret: true` keeps a value out of it.
 */
export interface ConfigSchemaOptions {
  readonly description?: string;
  readonly secret?: boolean;
}

/** Where an account's settings live: `channels.telegram` for `default`, else `channels.telegram.accounts.<id>`. */
export function accountConfigPath(channel: string, accountId: string): string {
  return accountId === "default" ? `channels.${channel}` : `channels.${channel}.accounts.${accountId}`;
}

/** The settings keys an adapter's schema declares (what `channels.<id>` may hold besides the gateway's policy keys). */
export function configKeysOf(schema: TObject): readonly string[] {
  return Object.keys(schema.properties);
}

/** The text for a rejected value: secrets are never echoed. */
function shown(schema: TSchema, value: unknown): unknown {
  return (schema as ConfigSchemaOptions).secret === true && value !== undefined ? "(hidden: not valid)" : value;
}

/**
 * Checks one account's settings against the adapter's schema and returns them typed. Only the
 * schema's own keys are read (the gateway consumes its policy keys from the same object);
 * `resolved` adds values found elsewhere (a token from a file or the environment) before the
 * check. The first problem throws `InvalidOptionError` naming the full key path and what was
 * expected (the failing schema's `description`).
 */
export function parseAccountConfig<S extends TObject>(
  schema: S,
  channel: string,
  account: ChannelAccountContext,
  resolved: Readonly<Record<string, unknown>> = {},
): Static<S> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = resolved[key] ?? account.config[key];
    if (value !== undefined) picked[key] = value;
  }
  const { Value, ValueErrorType } = valueModule();
  const error = Value.Errors(schema, picked).First();
  if (error !== undefined) {
    const path = `${accountConfigPath(channel, account.accountId)}${error.path.replaceAll("/", ".")}`;
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const known = Object.keys((error.schema as Partial<TObject>).properties ?? {});
      throw new InvalidOptionError(path, `no other keys than ${known.join(", ")}`, error.value);
    }
    throw new InvalidOptionError(path, error.schema.description ?? error.message, shown(error.schema, error.value));
  }
  return picked as Static<S>;
}

/** Where a secret setting may come from besides the account's config. */
export interface SecretSources {
  /** A settings key holding a path to a file with the secret (`tokenFile`); read only when the secret itself is not set. */
  readonly fileKey?: string;
  readonly readFile?: (path: string) => string;
  /** An environment variable holding the secret, for the `default` account only (`TELEGRAM_BOT_TOKEN`). */
  readonly env?: string;
}

/**
 * A secret setting as an account resolves it: the config value, else the file `fileKey` names
 * (trimmed), else the environment variable. Pass it to `parseAccountConfig` as a resolved value,
 * so the schema checks it like any other.
 */
export function accountSecret(account: ChannelAccountContext, key: string, sources: SecretSources): unknown {
  const configured = account.config[key];
  if (configured !== undefined) return configured;
  const file = sources.fileKey === undefined ? undefined : account.config[sources.fileKey];
  if (typeof file === "string" && sources.readFile) return sources.readFile(file).trim();
  return sources.env !== undefined && account.accountId === "default" ? account.env[sources.env] : undefined;
}

/** An error for a rule the schema cannot say (one key needs another); same wording as a schema error. */
export function configError(channel: string, accountId: string, key: string, expected: string, received: unknown): InvalidOptionError {
  return new InvalidOptionError(`${accountConfigPath(channel, accountId)}.${key}`, expected, received);
}

/**
 * The error for a setting the account needs but does not have (the schema leaves it optional
 * because it may come from a file or the environment); what was expected is the key's `description`.
 */
export function missingSettingError(schema: TObject, channel: string, accountId: string, key: string): InvalidOptionError {
  const description = (schema.properties[key] as TSchema | undefined)?.description;
  return configError(channel, accountId, key, description ?? "a value", undefined);
}

/** A channel definition whose `configKeys` come from its `configSchema`, so the keys are written once. */
export function defineChannel<D extends ChannelDefinition & { readonly configSchema: TObject }>(definition: D): D & { readonly configKeys: readonly string[] } {
  return { ...definition, configKeys: configKeysOf(definition.configSchema) };
}
