import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

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
