import { join } from "node:path";
import { parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { ImessageConfigSchema, type ImessageConfig } from "./config.js";

/** What the adapter runs with: the account's settings with the CLI and the cursor file resolved. */
export interface ImessageAdapterOptions extends Omit<ImessageConfig, "cliPath"> {
  readonly accountId: string;
  readonly cliPath: string;
  /** Where the last admitted rowid is kept (`<stateDir>/imessage/<account>.json`). */
  readonly stateFile: string;
  /** The largest file `sendMedia` sends (the gateway's `mediaMaxMb` for the account). @default 16 MB */
  readonly mediaMaxBytes?: number;
}

/** Reads one account's settings; throws InvalidOptionError naming the key. */
export function imessageOptions(account: ChannelAccountContext): ImessageAdapterOptions {
  const config = parseAccountConfig(ImessageConfigSchema, "imessage", account);
  // A gateway key (checked by the core): the same limit the core holds inbound files to.
  const mediaMaxMb = account.config["mediaMaxMb"];
  return {
    ...config,
    accountId: account.accountId,
    cliPath: config.cliPath ?? "imsg",
    stateFile: join(account.stateDir, "imessage", `${account.accountId}.json`),
    ...(typeof mediaMaxMb === "number" && mediaMaxMb > 0 ? { mediaMaxBytes: Math.floor(mediaMaxMb * 1024 * 1024) } : {}),
  };
}
