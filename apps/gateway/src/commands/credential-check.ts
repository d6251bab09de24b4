import type { ChannelDefinition, CredentialCheck } from "@openclaw/channel-kit";
import {
  applyMergePatch,
  readConfigSnapshot,
  resolveChannelAccounts,
  resolveConfigPath,
  resolveStateDir,
  validateConfig,
  type GatewayConfig,
  type ResolvedChannelAccount,
} from "@openclaw/gateway-core";
import { CHANNEL_LOADERS, loadChannelConfigSchemas } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";

/** How long the provider gets to answer one check. */
const CHECK_TIMEOUT_MS = 15_000;

export type AccountCheck =
  | { readonly checked: true; readonly identity: string }
  | { readonly checked: false; /** Why nothing was asked: the channel links another way, or the account is disabled. */ readonly reason: string };

/**
 * Asks the provider whether an account's credentials work as they would be after `patch` is applied
 * to the config file, before anything is written. A refusal throws, naming the problem, so the
 * caller writes nothing. A config the patch makes invalid is not checked here: the write refuses it
 * with the schema's own error.
 */
export async function checkAccountAfter(io: CommandIo, patch: Record<string, unknown>, channel: string, accountId: string | undefined): Promise<AccountCheck> {
  const after = await configAfter(io, patch);
  if (!after.ok) return { checked: false, reason: after.reason };
  const section = (after.config.channels as Record<string, unknown> | undefined)?.[channel];
  const definition = await CHANNEL_LOADERS[channel]!();
  if (!definition.checkCredentials) return { checked: false, reason: `${definition.label} has no credential check; it links when the gateway starts it` };
  const account = resolveChannelAccounts(channel, section, definition).find((entry) => entry.accountId === (accountId ?? "default"));
  if (account === undefined) return { checked: false, reason: "no such account" };
  if (!account.enabled) return { checked: false, reason: "the account is disabled" };
  let answer;
  try {
    answer = await askProvider(io, definition, account);
  } catch (error) {
    // The adapter's own settings check: a missing token names its key.
    throw new CliError(`${account.configPath}: ${(error as Error).message}`);
  }
  if (!answer.ok)
    throw new CliError(`${account.configPath}: ${answer.problem}; nothing was written (--no-check writes it unchecked)`, 1, { code: "CREDENTIALS_REFUSED" });
  return { checked: true, identity: answer.identity };
}

/**
 * The config as it would be after `patch`, checked like the file; or why there is none (a file
 * that does not parse, or a patch the schema refuses, which the write itself then reports).
 */
export async function configAfter(
  io: CommandIo,
  patch: Record<string, unknown>,
): Promise<{ readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly reason: string }> {
  const channels = await loadChannelConfigSchemas();
  const file = await readConfigSnapshot(resolveConfigPath(io.env, io.homedir), io.env, { channels });
  if (file.parsed === undefined && file.exists) return { ok: false, reason: "the config file does not parse" };
  const checked = validateConfig(applyMergePatch(file.parsed ?? {}, patch), io.env, { channels });
  return checked.ok ? { ok: true, config: checked.config } : { ok: false, reason: "the config would not be valid" };
}

/** One credential check of one account, within the time a provider gets. */
function askProvider(io: CommandIo, definition: ChannelDefinition, account: ResolvedChannelAccount): Promise<CredentialCheck> {
  return definition.checkCredentials!(
    { accountId: account.accountId, config: account.config, env: io.env, stateDir: resolveStateDir(io.env, io.homedir) },
    { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) },
  );
}

/** One configured account as its provider judged it. */
export interface AccountVerdict {
  /** `telegram/default`. */
  readonly name: string;
  /** Who the credentials act as; a problem; or why nothing was asked. */
  readonly outcome: { readonly identity: string } | { readonly problem: string } | { readonly skipped: string };
}

/** Asks each enabled account's provider about its credentials, as the config file has them now (`openclaw doctor`). */
export async function checkConfiguredAccounts(io: CommandIo, channels: Readonly<Record<string, unknown>>): Promise<AccountVerdict[]> {
  const verdicts: AccountVerdict[] = [];
  for (const [channel, section] of Object.entries(channels)) {
    const loader = CHANNEL_LOADERS[channel];
    if (!loader) continue;
    const definition = await loader();
    for (const account of resolveChannelAccounts(channel, section, definition)) {
      const name = `${channel}/${account.accountId}`;
      if (!account.enabled) continue;
      if (!definition.checkCredentials) {
        verdicts.push({ name, outcome: { skipped: `${definition.label} has no credential check` } });
        continue;
      }
      try {
        const answer = await askProvider(io, definition, account);
        verdicts.push({ name, outcome: answer.ok ? { identity: answer.identity } : { problem: answer.problem } });
      } catch (error) {
        verdicts.push({ name, outcome: { problem: (error as Error).message } });
      }
    }
  }
  return verdicts;
}
