import { randomBytes } from "node:crypto";
import type { GatewayConfig } from "@openclaw/gateway-core";
import { CliError } from "../../errors.js";
import { ACCOUNT_ID, keyValueSettings, senderList } from "../channel-setup.js";

// What `openclaw onboard` and `openclaw configure` decide, and the one config patch it becomes.

/** The parts of a setup, in the order onboarding walks them. */
export const SETUP_SECTIONS = ["gateway", "model", "channel", "service"] as const;
export type SetupSection = (typeof SETUP_SECTIONS)[number];

export const BIND_CHOICES = ["loopback", "lan"] as const;
export const DM_POLICIES = ["pairing", "allowlist", "open", "disabled"] as const;
/** The channels setup can add, with the flag that names each one's credential. */
export const SETUP_CHANNELS = ["telegram", "slack", "discord", "whatsapp", "signal"] as const;

/** Every question's flag; with `--non-interactive` only the flags given change anything. */
export interface SetupFlags {
  readonly nonInteractive?: boolean;
  readonly section?: string;
  readonly port?: number;
  readonly bind?: string;
  readonly auth?: string;
  readonly token?: string;
  readonly password?: string;
  readonly model?: string;
  readonly modelBaseUrl?: string;
  readonly modelApiKey?: string;
  readonly modelApiKeyEnv?: string;
  readonly channel?: string;
  readonly account?: string;
  readonly telegramToken?: string;
  readonly slackBotToken?: string;
  readonly slackAppToken?: string;
  readonly discordToken?: string;
  readonly whatsapp?: boolean;
  readonly signalAccount?: string;
  readonly signalUrl?: string;
  readonly channelSet?: readonly string[];
  readonly dmPolicy?: string;
  readonly allowFrom?: string;
  readonly installService?: boolean;
  /** `--no-check`: write keys and tokens without asking their providers. */
  readonly check?: boolean;
}

export type AuthAnswer = { readonly mode: "token"; readonly token: string } | { readonly mode: "password"; readonly password: string };

export interface ModelAnswer {
  /** `provider/model`. */
  readonly ref: string;
  /** Declared under `models.providers.<id>` when the model needs a server or key of its own. */
  readonly provider?: { readonly id: string; readonly api: "openai-compatible" | "anthropic"; readonly baseUrl?: string; readonly apiKey?: string };
}

export interface ChannelAnswer {
  readonly channel: string;
  readonly account?: string;
  /** The account's settings to merge in (tokens, `dmPolicy`, `allowFrom`, extra keys). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Whether this answer gives credentials, which the provider is asked about before they are written. */
  readonly newCredentials: boolean;
}

/** What one run decided; a part left out changes nothing. */
export interface SetupAnswers {
  readonly gateway?: { readonly port?: number; readonly bind?: string; readonly auth?: AuthAnswer };
  readonly model?: ModelAnswer;
  readonly channel?: ChannelAnswer;
  readonly installService?: boolean;
}

/** A new gateway token: 32 random bytes, as the gateway generates its own. */
export const newGatewayToken = (): string => randomBytes(32).toString("base64url");

const MODEL_REF = /^[^/\s]+\/\S+$/;

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} ${value}: expected one of ${allowed.join(", ")}`);
  return value as T;
}

/** Whether the config already holds a credential clients can use. */
export function hasCredential(current: GatewayConfig | undefined): boolean {
  const auth = current?.gateway?.auth;
  return auth?.token !== undefined || auth?.password !== undefined || auth?.mode === "none" || auth?.mode === "trusted-proxy";
}

function authFromFlags(flags: SetupFlags, current: GatewayConfig | undefined): AuthAnswer | undefined {
  const mode = flags.auth === undefined ? undefined : oneOf(flags.auth, ["token", "password"] as const, "--auth");
  if (mode === "password" || (mode === undefined && flags.password !== undefined)) {
    if (flags.password === undefined) throw new CliError("--auth password needs --password <secret>");
    return { mode: "password", password: flags.password };
  }
  if (flags.token !== undefined) return { mode: "token", token: flags.token };
  if (mode === "token" || !hasCredential(current)) {
    const kept = current?.gateway?.auth?.token;
    return { mode: "token", token: kept ?? newGatewayToken() };
  }
  return undefined;
}

/** The provider a model needs declared, from the model flags; undefined when the built-in one serves it. */
export function modelProvider(
  ref: string,
  source: { readonly baseUrl?: string; readonly apiKey?: string; readonly apiKeyEnv?: string },
  current: GatewayConfig | undefined,
): ModelAnswer["provider"] {
  const id = ref.slice(0, ref.indexOf("/"));
  if (source.apiKey !== undefined && source.apiKeyEnv !== undefined) throw new CliError("give the model's key once: --model-api-key or --model-api-key-env");
  if (source.apiKeyEnv !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(source.apiKeyEnv))
    throw new CliError(`--model-api-key-env ${source.apiKeyEnv}: expected an environment variable name such as OPENAI_API_KEY`);
  const apiKey = source.apiKey ?? (source.apiKeyEnv === undefined ? undefined : `\${${source.apiKeyEnv}}`);
  if (id === "offline") {
    if (source.baseUrl !== undefined || apiKey !== undefined) throw new CliError("offline models take no base URL or key");
    return undefined;
  }
  const declared = current?.models?.providers?.[id];
  if (source.baseUrl === undefined && apiKey === undefined) {
    if (declared !== undefined || id === "openai" || id === "anthropic") return undefined;
    throw new CliError(`the model provider "${id}" is not declared; give its server with --model-base-url <url> (and --model-api-key when it needs one)`);
  }
  if (source.baseUrl !== undefined && !/^https?:\/\//.test(source.baseUrl)) throw new CliError(`--model-base-url ${source.baseUrl}: expected an http(s) URL`);
  const api = declared?.api ?? (id === "anthropic" ? "anthropic" : "openai-compatible");
  const baseUrl = source.baseUrl ?? declared?.baseUrl ?? (id === "openai" ? "https://api.openai.com/v1" : undefined);
  if (baseUrl === undefined && api === "openai-compatible") throw new CliError(`the model provider "${id}" needs --model-base-url <url>`);
  return { id, api, ...(baseUrl === undefined ? {} : { baseUrl }), ...(apiKey === undefined ? {} : { apiKey }) };
}

function modelFromFlags(flags: SetupFlags, current: GatewayConfig | undefined): ModelAnswer | undefined {
  if (flags.model === undefined) {
    if (flags.modelBaseUrl !== undefined || flags.modelApiKey !== undefined || flags.modelApiKeyEnv !== undefined)
      throw new CliError("--model-base-url and --model-api-key need --model <provider/model>");
    return undefined;
  }
  if (!MODEL_REF.test(flags.model)) throw new CliError(`--model ${flags.model}: expected provider/model, e.g. openai/gpt-5 or offline/echo`);
  const provider = modelProvider(flags.model, { baseUrl: flags.modelBaseUrl, apiKey: flags.modelApiKey, apiKeyEnv: flags.modelApiKeyEnv }, current);
  return { ref: flags.model, ...(provider ? { provider } : {}) };
}

/** The channel credential flags given, as the channel they name and its settings. */
function credentialFlags(flags: SetupFlags): { channel: string; settings: Record<string, unknown> }[] {
  const named: { channel: string; settings: Record<string, unknown> }[] = [];
  if (flags.telegramToken !== undefined) named.push({ channel: "telegram", settings: { botToken: flags.telegramToken } });
  if (flags.slackBotToken !== undefined || flags.slackAppToken !== undefined) {
    named.push({
      channel: "slack",
      settings: { ...(flags.slackBotToken ? { botToken: flags.slackBotToken } : {}), ...(flags.slackAppToken ? { appToken: flags.slackAppToken } : {}) },
    });
  }
  if (flags.discordToken !== undefined) named.push({ channel: "discord", settings: { token: flags.discordToken } });
  if (flags.whatsapp === true) named.push({ channel: "whatsapp", settings: {} });
  if (flags.signalAccount !== undefined || flags.signalUrl !== undefined) {
    named.push({
      channel: "signal",
      settings: { ...(flags.signalAccount ? { account: flags.signalAccount } : {}), ...(flags.signalUrl ? { transport: { url: flags.signalUrl } } : {}) },
    });
  }
  return named;
}

/** DM policy and extra settings from their flags, for the channel being set up. */
export function policySettings(flags: Pick<SetupFlags, "dmPolicy" | "allowFrom" | "channelSet">): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (flags.dmPolicy !== undefined) settings["dmPolicy"] = oneOf(flags.dmPolicy, DM_POLICIES, "--dm-policy");
  if (flags.allowFrom !== undefined) settings["allowFrom"] = senderList(flags.allowFrom);
  // "open" lets nobody in without "*": asking for open means everyone.
  else if (settings["dmPolicy"] === "open") settings["allowFrom"] = ["*"];
  return { ...settings, ...keyValueSettings(flags.channelSet ?? [], "channel-set") };
}

function channelFromFlags(flags: SetupFlags): ChannelAnswer | undefined {
  const named = credentialFlags(flags);
  if (named.length > 1) throw new CliError(`one channel per run: ${named.map((entry) => entry.channel).join(" and ")} were both given`);
  const chosen = named[0]?.channel ?? flags.channel;
  if (flags.channel !== undefined && chosen !== flags.channel) throw new CliError(`--channel ${flags.channel} does not match the ${chosen} credentials given`);
  const policy = policySettings(flags);
  if (chosen === undefined) {
    if (Object.keys(policy).length > 0 || flags.account !== undefined)
      throw new CliError(
        "--dm-policy, --allow-from, --channel-set and --account need a channel: a credential flag such as --telegram-token, or --channel <id>",
      );
    return undefined;
  }
  oneOf(chosen, SETUP_CHANNELS, "--channel");
  if (flags.account !== undefined && !ACCOUNT_ID.test(flags.account))
    throw new CliError(`--account ${flags.account}: letters, digits, "-" and "_" (at most 64)`);
  return {
    channel: chosen,
    ...(flags.account ? { account: flags.account } : {}),
    settings: { ...named[0]?.settings, ...policy },
    newCredentials: named.length > 0,
  };
}

/** The answers the flags give on their own (`--non-interactive`): what is not given stays as it is. */
export function answersFromFlags(flags: SetupFlags, current: GatewayConfig | undefined): SetupAnswers {
  const port = flags.port;
  const bind = flags.bind === undefined ? undefined : oneOf(flags.bind, BIND_CHOICES, "--bind");
  const auth = authFromFlags(flags, current);
  const gateway =
    port !== undefined || bind !== undefined || auth !== undefined
      ? { ...(port ? { port } : {}), ...(bind ? { bind } : {}), ...(auth ? { auth } : {}) }
      : undefined;
  const model = modelFromFlags(flags, current);
  const channel = channelFromFlags(flags);
  return {
    ...(gateway ? { gateway } : {}),
    ...(model ? { model } : {}),
    ...(channel ? { channel } : {}),
    ...(flags.installService !== undefined ? { installService: flags.installService } : {}),
  };
}

/** Where an answer's channel settings live in the config. */
export function channelPath(answer: Pick<ChannelAnswer, "channel" | "account">): string {
  return answer.account === undefined ? `channels.${answer.channel}` : `channels.${answer.channel}.accounts.${answer.account}`;
}

/** The answers as one JSON merge patch of the config file, and the arrays it replaces whole. */
export function setupPatch(answers: SetupAnswers): { patch: Record<string, unknown>; replacePaths: string[] } {
  const patch: Record<string, unknown> = {};
  const replacePaths: string[] = [];
  const { gateway, model, channel } = answers;
  if (gateway) {
    const auth = gateway.auth
      ? gateway.auth.mode === "token"
        ? { mode: "token", token: gateway.auth.token, password: null }
        : { mode: "password", password: gateway.auth.password, token: null }
      : undefined;
    patch["gateway"] = { ...(gateway.port ? { port: gateway.port } : {}), ...(gateway.bind ? { bind: gateway.bind } : {}), ...(auth ? { auth } : {}) };
  }
  if (model) {
    patch["agents"] = { defaults: { model: model.ref } };
    if (model.provider) {
      const { id, ...declared } = model.provider;
      patch["models"] = { providers: { [id]: declared } };
    }
  }
  if (channel) {
    const section = channel.account === undefined ? channel.settings : { accounts: { [channel.account]: channel.settings } };
    patch["channels"] = { [channel.channel]: section };
    if ("allowFrom" in channel.settings) replacePaths.push(`${channelPath(channel)}.allowFrom`);
  }
  return { patch, replacePaths };
}
