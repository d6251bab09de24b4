import { join } from "node:path";
import { parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { ImessageConfigSchema, type ImessageConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the CLI and the cursor file resolved. */
export interface ImessageAdapterOptions extends Omit<ImessageConfig, "cliPath"> {
  readonly accountId: string;
  readonly cliPath: string;
  /** Where the last admitted rowid is kept (`<stateDir>/imessage/<account>.json`). */
  readonly stateFile: string;
}

/** Reads one account's settings; throws InvalidOptionError naming the key. */
export function imessageOptions(account: ChannelAccountContext): ImessageAdapterOptions {
  const config = parseAccountConfig(ImessageConfigSchema, "imessage", account);
  return {
    ...config,
    accountId: account.accountId,
    cliPath: config.cliPath ?? "imsg",
    stateFile: join(account.stateDir, "imessage", `${account.accountId}.json`),
  };
}
