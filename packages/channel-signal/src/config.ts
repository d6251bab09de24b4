import { Type, type Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, configError, parseAccountConfig, type ChannelAccountContext } from "@openclaw/channel-kit";

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
  if (transport === undefined) throw configError("signal", account.accountId, "transport", TRANSPORT, undefined);
  const number = config.account ?? transport.account;
  if (number === undefined) throw configError("signal", account.accountId, "account", NUMBER, undefined);
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
