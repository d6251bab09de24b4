import { configError, missingSettingError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { SignalConfigSchema, type SignalConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the number and transport resolved. */
export interface SignalAdapterOptions extends Pick<SignalConfig, "reconnect" | "requestTimeoutMs"> {
  readonly accountId: string;
  /** Our Signal number (E.164). */
  readonly account: string;
  /** An existing daemon (`url`), or one this adapter runs (`cliPath`). */
  readonly transport: { readonly url: string } | { readonly cliPath: string; readonly httpPort?: number; readonly startupTimeoutMs?: number };
  /** Attachments larger than this are refused before sending. @default 8 MB */
  readonly mediaMaxBytes?: number;
}

/** Reads one account's settings; throws InvalidOptionError naming the key. */
export function signalOptions(account: ChannelAccountContext): SignalAdapterOptions {
  const config = parseAccountConfig(SignalConfigSchema, "signal", account);
  const { transport, reconnect, requestTimeoutMs } = config;
  const missing = (key: string) => missingSettingError(SignalConfigSchema, "signal", account.accountId, key);
  if (transport === undefined) throw missing("transport");
  const number = config.account ?? transport.account;
  if (number === undefined) throw missing("account");
  let resolved: SignalAdapterOptions["transport"];
  if (transport.url !== undefined) resolved = { url: transport.url };
  else if (transport.cliPath !== undefined) {
    const { cliPath, httpPort, startupTimeoutMs } = transport;
    resolved = { cliPath, ...(httpPort !== undefined ? { httpPort } : {}), ...(startupTimeoutMs !== undefined ? { startupTimeoutMs } : {}) };
  } else throw configError("signal", account.accountId, "transport", "url (an existing daemon) or cliPath (a managed one)", transport);
  return {
    accountId: account.accountId,
    account: number,
    transport: resolved,
    ...(reconnect ? { reconnect } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  };
}
