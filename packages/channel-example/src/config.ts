import { Type, type Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, configError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";

const TOKEN = "an API token (or EXAMPLE_TOKEN for the default account)";

/**
 * The settings of one account (`channels.example`, or `channels.example.accounts.<id>`). The one
 * place they are written: the options type, the validation and the gateway's config schema come
 * from it. `description` is what an error says was expected; `secret` keeps a value out of it.
 */
export const ExampleConfigSchema = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, secret: true, description: TOKEN })),
    /** The provider's API root. */
    apiUrl: Type.String({ pattern: "^https?://", description: "an http(s) URL" }),
    /** How long the provider may hold a long poll open. @default 25 000 */
    pollTimeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
    /** @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 30 } */
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);
export type ExampleConfig = Static<typeof ExampleConfigSchema>;

/** What the adapter runs with: the settings with the token resolved. */
export interface ExampleAdapterOptions extends Omit<ExampleConfig, "token"> {
  readonly accountId: string;
  readonly token: string;
}

/** Reads one account's settings; throws InvalidOptionError naming the full key path. */
export function exampleOptions(account: ChannelAccountContext): ExampleAdapterOptions {
  const fromEnv = account.accountId === "default" ? account.env["EXAMPLE_TOKEN"] : undefined;
  const config = parseAccountConfig(ExampleConfigSchema, "example", account, { token: account.config["token"] ?? fromEnv });
  const { token, ...rest } = config;
  // A rule the schema cannot say (the value may come from the environment) gets the same wording.
  if (token === undefined) throw configError("example", account.accountId, "token", TOKEN, undefined);
  return { ...rest, accountId: account.accountId, token };
}
