import { readConfigSnapshot, resolveConfigPath } from "@openclaw/gateway-core";
import { CHANNEL_LOADERS } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { change, parseValue } from "./config-commands.js";
import { checkAccountAfter } from "./credential-check.js";

/** The setting `--token` fills for each channel that takes one. */
const TOKEN_KEYS: Readonly<Record<string, string>> = { telegram: "botToken", slack: "botToken", discord: "token" };

/** What an account id may be, as the gateway checks it in `channels.<id>.accounts`. */
export const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `--allow-from a,b`: the sender ids, trimmed, empty entries dropped. */
export function senderList(text: string): string[] {
  return text
    .split(",")
    .map((sender) => sender.trim())
    .filter(Boolean);
}

/** Repeated `--<flag> key=value` entries (values in JSON5) as settings. */
export function keyValueSettings(entries: readonly string[], flag: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const entry of entries) {
    const equals = entry.indexOf("=");
    if (equals <= 0) throw new CliError(`--${flag} ${entry}: expected key=value, e.g. --${flag} apiRoot=http://127.0.0.1:8081`);
    settings[entry.slice(0, equals)] = parseValue(entry.slice(equals + 1));
  }
  return settings;
}

export interface ChannelAddOptions {
  readonly channel: string;
  readonly account?: string;
  readonly token?: string;
  readonly appToken?: string;
  readonly dmPolicy?: string;
  readonly allowFrom?: string;
  /** `key=value` settings, values in JSON5. */
  readonly set?: readonly string[];
  readonly json?: boolean;
  /** Ask the provider whether the credentials work before writing them. @default true */
  readonly check?: boolean;
}

function checkChannel(channel: string, account: string | undefined): void {
  if (!Object.hasOwn(CHANNEL_LOADERS, channel))
    throw new CliError(`unknown channel "${channel}"; this gateway can run: ${Object.keys(CHANNEL_LOADERS).join(", ")}`);
  if (account !== undefined && !ACCOUNT_ID.test(account)) throw new CliError(`"${account}" is not an account id: letters, digits, "-" and "_" (at most 64)`);
}

/** The settings the flags give, in the channel's own keys. */
function settingsFrom(options: ChannelAddOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (options.token !== undefined) {
    const key = TOKEN_KEYS[options.channel];
    if (!key) throw new CliError(`${options.channel} takes no --token; give its settings with --set key=value (the keys are in the channel package's README)`);
    settings[key] = options.token;
  }
  if (options.appToken !== undefined) {
    if (options.channel !== "slack") throw new CliError("--app-token is Slack's app-level token (xapp-…); other channels take none");
    settings["appToken"] = options.appToken;
  }
  if (options.dmPolicy !== undefined) settings["dmPolicy"] = options.dmPolicy;
  if (options.allowFrom !== undefined) settings["allowFrom"] = senderList(options.allowFrom);
  return { ...settings, ...keyValueSettings(options.set ?? [], "set") };
}

/**
 * `openclaw channels add --channel <id> [--account <id>] …`: adds or updates an account's settings,
 * checked against the channel's schema, and applied live when this machine's gateway runs (only that
 * account connects or reconnects).
 */
export async function channelsAddCommand(io: CommandIo, options: ChannelAddOptions): Promise<void> {
  checkChannel(options.channel, options.account);
  const settings = settingsFrom(options);
  const section = options.account === undefined ? settings : { accounts: { [options.account]: settings } };
  const where = options.account === undefined ? `channels.${options.channel}` : `channels.${options.channel}.accounts.${options.account}`;
  const patch = { channels: { [options.channel]: section } };
  const checked = options.check === false ? undefined : await checkAccountAfter(io, patch, options.channel, options.account);
  if (checked?.checked && !options.json) io.stdout.write(`${options.channel} accepted the credentials: ${checked.identity}\n`);
  await change(io, options, {
    path: where,
    patch,
    replace: "allowFrom" in settings ? [`${where}.allowFrom`] : [],
    done: `added ${where}`,
    extra: { credentials: checked === undefined ? "not checked" : checked.checked ? { identity: checked.identity } : `not checked: ${checked.reason}` },
  });
}

/** `openclaw channels remove --channel <id> [--account <id>]`: the account (or the whole channel) leaves the config and disconnects. */
export async function channelsRemoveCommand(io: CommandIo, options: { channel: string; account?: string; json?: boolean }): Promise<void> {
  checkChannel(options.channel, options.account);
  const file = await readConfigSnapshot(resolveConfigPath(io.env, io.homedir), io.env);
  const section = (file.parsed as { channels?: Record<string, { accounts?: Record<string, unknown> }> } | undefined)?.channels?.[options.channel];
  if (section === undefined) throw new CliError(`channels.${options.channel} is not configured`);
  const accounts = Object.keys(section.accounts ?? {});
  if (options.account !== undefined && !accounts.includes(options.account))
    throw new CliError(`channels.${options.channel} has no account "${options.account}"${accounts.length > 0 ? ` (it has: ${accounts.join(", ")})` : ""}`);
  // The last account takes its channel with it: a channel without accounts is not a valid section.
  const whole = options.account === undefined || accounts.length === 1;
  const path = whole ? `channels.${options.channel}` : `channels.${options.channel}.accounts.${options.account}`;
  const patch = whole ? { channels: { [options.channel]: null } } : { channels: { [options.channel]: { accounts: { [options.account!]: null } } } };
  await change(io, options, { path, patch, replace: [], done: `removed ${path}` });
}
