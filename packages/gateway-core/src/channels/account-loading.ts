import type { Logger } from "pino";
import { auditDmPolicy } from "@openclaw/channel-kit";
import { ConfigError } from "../errors.js";
import { registerLogSecrets } from "../logging/redaction.js";
import { collectAccountSecrets } from "./account-secrets.js";
import type { ChannelAccount, ChannelLoader } from "./account-registry.js";
import { CORE_CHANNEL_KEYS, resolveChannelAccounts, type ResolvedChannelAccount } from "./accounts.js";

/** The registry's key of one account. */
export const accountKey = (channel: string, accountId: string) => `${channel}\u0000${accountId}`;

export interface AccountLoading {
  readonly loaders: Readonly<Record<string, ChannelLoader>>;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Collects every account's secret values, for blanking in status text. */
  readonly secrets: Set<string>;
}

/**
 * Every account a `channels` section configures, loaded and checked (a bad key throws, naming it),
 * none started. Their secrets are registered with the log, and the DM policy audit is logged.
 */
export async function loadChannelAccounts(config: Readonly<Record<string, unknown>>, loading: AccountLoading): Promise<Map<string, ChannelAccount>> {
  const { loaders, log } = loading;
  const accounts = new Map<string, ChannelAccount>();
  for (const [channel, section] of Object.entries(config)) {
    const loader = loaders[channel];
    if (!loader) {
      const known = Object.keys(loaders).join(", ");
      throw new ConfigError(`channels.${channel}: unknown channel "${channel}"; this gateway can run: ${known}`, [
        { path: `channels.${channel}`, message: "unknown channel" },
      ]);
    }
    const definition = await loader();
    for (const resolved of resolveChannelAccounts(channel, section, definition)) {
      const secrets = collectAccountSecrets(resolved.config, resolved.accountId === "default" ? loading.env : {});
      for (const secret of secrets) loading.secrets.add(secret);
      registerLogSecrets(log, secrets);
      // A "*" next to pairing (or an allowlist with nobody on it) looks open or closed to the
      // operator and is the opposite; say so where they look.
      const warnings = auditDmPolicy({ mode: resolved.config.dmPolicy, allowFrom: resolved.config.allowFrom }).map(
        (warning) => `${resolved.configPath}.${warning}`,
      );
      for (const warning of warnings) log.warn({ channel, accountId: resolved.accountId }, `channel DM policy: ${warning}`);
      accounts.set(accountKey(channel, resolved.accountId), {
        definition,
        resolved,
        adapter: undefined,
        abort: undefined,
        running: false,
        starting: undefined,
        lastError: undefined,
        lastInboundAt: undefined,
        lastOutboundAt: undefined,
        warnings,
        terminalSince: undefined,
        lastSeenError: undefined,
        watchedState: undefined,
      });
    }
  }
  return accounts;
}

/**
 * Whether two settings of one account keep the same connection: the same `enabled` and the same
 * settings the adapter reads (all but the core's policy keys, which the router and outbox read per message).
 */
export function sameConnection(before: ResolvedChannelAccount, after: ResolvedChannelAccount): boolean {
  const own = (resolved: ResolvedChannelAccount) =>
    JSON.stringify(
      Object.entries(resolved.config)
        .filter(([key]) => !CORE_CHANNEL_KEYS.includes(key))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  return before.enabled === after.enabled && own(before) === own(after);
}
