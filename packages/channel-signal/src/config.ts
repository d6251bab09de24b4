import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

const NUMBER = "the Signal number in E.164 form (+15551234567)";
const TRANSPORT = '{ url: "http://127.0.0.1:8080" } or { cliPath: "signal-cli", account: "+15551234567" }';

/** The settings of one Signal account (`channels.signal`, or `channels.signal.accounts.<id>`). */
export const SignalConfigSchema = Type.Object(
  {
    /** Our Signal number (E.164); may also sit in `transport.account`. */
    account: Type.Optional(Type.String({ pattern: "^\\+\\d{6,15}$", description: NUMBER })),
    /** An existing daemon (`url`), or one this adapter runs (`cliPath`). */
    transport: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ pattern: "^https?://", description: "an http(s) URL of a signal-cli daemon" })),
          cliPath: Type.Optional(Type.String({ minLength: 1, description: "the signal-cli executable" })),
          account: Type.Optional(Type.String({ pattern: "^\\+\\d{6,15}$", description: NUMBER })),
          httpPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, description: "an integer 1..65535" })),
          startupTimeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
        },
        { additionalProperties: false, description: TRANSPORT },
      ),
    ),
    /** Reconnect backoff for the event stream. @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 60 } */
    reconnect: Type.Optional(ReconnectConfigSchema),
    /** Per JSON-RPC request. @default 10 000 */
    requestTimeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
  },
  { additionalProperties: false },
);
export type SignalConfig = Static<typeof SignalConfigSchema>;
