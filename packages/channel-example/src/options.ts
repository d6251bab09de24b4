import { accountSecret, missingSettingError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";
import { ExampleConfigSchema, type ExampleConfig } from "./config.js";

/** What the adapter runs with: the settings with the token resolved. */
export interface ExampleAdapterOptions extends Omit<ExampleConfig, "token"> {
  readonly accountId: string;
  readonly token: string;
}

/** Reads one account's settings; throws InvalidOptionError naming the full key path. */
export function exampleOptions(account: ChannelAccountContext): ExampleAdapterOptions {
  const config = parseAccountConfig(ExampleConfigSchema, "example", account, { token: accountSecret(account, "token", { env: "EXAMPLE_TOKEN" }) });
  const { token, ...rest } = config;
  // A rule the schema cannot say (the value may come from the environment) gets the same wording.
  if (token === undefined) throw missingSettingError(ExampleConfigSchema, "example", account.accountId, "token");
  return { ...rest, accountId: account.accountId, token };
}
