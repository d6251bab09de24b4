import type { ObjectOptions, Static, TObject, TOptional, TProperties, TSchema } from "@sinclair/typebox";
import { AUTH_MODES, StringEnum, Type, closedObject } from "@openclaw/protocol";
import { DEFAULT_AUTO_APPROVE_SCOPES } from "../auth/trusted-proxy.js";
import { ACK_REACTION_SCOPES } from "../channels/chat-presence.js";
import { channelsSchema, type ChannelConfigSchemas } from "./channel-sections.js";

/**
 * A closed object whose keys may all be omitted: a config file is sparse, and every
 * absent key falls back to {@link DEFAULTS}.
 */
function section<P extends TProperties>(properties: P, options: ObjectOptions = {}) {
  const optional: Record<string, TSchema> = {};
  for (const [key, value] of Object.entries(properties)) optional[key] = Type.Optional(value);
  return closedObject(optional as { [K in keyof P]: TOptional<P[K]> }, options);
}

export const BIND_MODES = ["loopback", "lan", "custom", "auto"] as const;
export const RELOAD_MODES = ["off", "hybrid", "restart", "hot"] as const;
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export const TAILSCALE_MODES = ["off", "serve", "funnel"] as const;

/** Runtime values for every key that has one; `withDefaults` fills them in. */
export const DEFAULTS = {
  gateway: {
    port: 18789,
    bind: "loopback",
    auth: {
      rateLimit: { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true },
    },
    trustedProxies: [] as string[],
    allowRealIpFallback: false,
    tailscale: { mode: "off" },
    tls: { enabled: false, autoGenerate: false },
    nodes: { pairing: { autoApproveLocal: true } },
    controlUi: { enabled: true, basePath: "/" },
    reload: { mode: "hybrid", debounceMs: 300 },
    keepalive: { interval: 30_000, timeout: 10_000 },
  },
  agents: { defaults: { heartbeat: { every: "30m", enabled: true } } },
  logging: { level: "info" },
} as const;

const PositiveInt = Type.Integer({ minimum: 1 });
const NonEmpty = Type.String({ minLength: 1 });
const NameList = Type.Array(NonEmpty);
const Scope = Type.String({ pattern: "^operator\\.[a-z0-9][a-z0-9._-]*$", description: 'operator scope like "operator.read"' });
const HeaderName = Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'HTTP header name like "x-forwarded-user"' });
const Duration = Type.String({ pattern: "^(\\d+(ms|s|m|h|d))+$", description: 'duration like "30m", "90s" or "1h30m"' });

const RateLimit = section({
  maxAttempts: Type.Integer({ minimum: 1, default: DEFAULTS.gateway.auth.rateLimit.maxAttempts }),
  windowMs: Type.Integer({ minimum: 1, default: DEFAULTS.gateway.auth.rateLimit.windowMs }),
  lockoutMs: Type.Integer({ minimum: 0, default: DEFAULTS.gateway.auth.rateLimit.lockoutMs }),
  exemptLoopback: Type.Boolean({ default: DEFAULTS.gateway.auth.rateLimit.exemptLoopback }),
});

const TrustedProxy = closedObject({
  userHeader: HeaderName,
  requiredHeaders: Type.Optional(Type.Array(HeaderName)),
  allowUsers: Type.Optional(NameList),
  allowLoopback: Type.Optional(Type.Boolean({ default: false })),
  /** Pair devices of allowed users without an operator, for at most `scopes`. */
  deviceAutoApprove: Type.Optional(
    section({
      enabled: Type.Boolean({ default: false }),
      scopes: Type.Array(Scope, { default: [...DEFAULT_AUTO_APPROVE_SCOPES] }),
    }),
  ),
});

const Auth = section({
  mode: StringEnum(AUTH_MODES, { description: "inferred from which of token/password is set when omitted" }),
  token: NonEmpty,
  password: NonEmpty,
  allowTailscale: Type.Boolean({ description: 'accept Tailscale Serve identity headers; defaults to true when gateway.tailscale.mode is "serve"' }),
  /** Session scopes of a trusted-proxy or Tailscale user (by user name or email), capped by what the client asks for. */
  identityScopes: Type.Record(Type.String(), Type.Array(Scope)),
  rateLimit: RateLimit,
  trustedProxy: TrustedProxy,
});

const Gateway = section({
  mode: StringEnum(["local", "remote"]),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: DEFAULTS.gateway.port }),
  /** "auto" is accepted from older files and means loopback. */
  bind: StringEnum(BIND_MODES, { default: DEFAULTS.gateway.bind }),
  customBindHost: NonEmpty,
  auth: Auth,
  /** Checked as IP addresses or CIDRs by validateConfig. */
  trustedProxies: Type.Array(Type.String({ minLength: 1, description: 'IP address or CIDR like "10.0.0.1" or "10.0.0.0/8"' })),
  allowRealIpFallback: Type.Boolean({ default: DEFAULTS.gateway.allowRealIpFallback }),
  /** Serve or Funnel the gateway port through the local `tailscale` CLI while the gateway runs. */
  tailscale: section({ mode: StringEnum(TAILSCALE_MODES, { default: DEFAULTS.gateway.tailscale.mode }) }),
  tls: section({ enabled: Type.Boolean(), autoGenerate: Type.Boolean(), certPath: NonEmpty, keyPath: NonEmpty, caPath: NonEmpty }),
  nodes: section({
    pairing: section({ autoApproveLocal: Type.Boolean({ default: DEFAULTS.gateway.nodes.pairing.autoApproveLocal }) }),
    commands: section({ allow: NameList, deny: NameList }),
  }),
  controlUi: section({
    enabled: Type.Boolean({ default: DEFAULTS.gateway.controlUi.enabled }),
    basePath: Type.String({ pattern: "^/", description: 'URL path starting with "/"' }),
    allowedOrigins: NameList,
  }),
  /**
   * What a running gateway does when its config changes (the file, or config.set/patch/apply):
   * "hybrid" applies hot keys in place and restarts for the rest; "hot" applies hot keys only and
   * logs what waits for a restart; "restart" restarts on any change; "off" neither watches the file
   * nor applies writes until the next start.
   */
  reload: section({
    mode: StringEnum(RELOAD_MODES, { default: DEFAULTS.gateway.reload.mode }),
    debounceMs: Type.Integer({ minimum: 0, maximum: 60_000, description: "quiet time after the last file event before the file is read" }),
  }),
  keepalive: section({ interval: PositiveInt, timeout: PositiveInt }),
  remote: section({
    url: Type.String({ pattern: "^wss?://", description: 'WebSocket URL starting with "ws://" or "wss://"' }),
    token: NonEmpty,
    password: NonEmpty,
    tlsFingerprint: NonEmpty,
  }),
});

const Agents = section({
  defaults: section({
    model: Type.String({ pattern: "^[^/\\s]+/\\S+$", description: 'model reference "provider/model"' }),
    /** The periodic agent turn on the main session; `every: "0m"` turns it off like `enabled: false`. */
    heartbeat: section({ every: Duration, enabled: Type.Boolean(), prompt: Type.String({ minLength: 1, description: "the message of each heartbeat turn" }) }),
  }),
});

/** A model backend the agent can use, referenced as `<id>/<model>` in agents.defaults.model. */
const ModelProviderConfig = closedObject({
  api: StringEnum(["openai-compatible", "anthropic"] as const),
  baseUrl: Type.Optional(Type.String({ pattern: "^https?://" })),
  apiKey: Type.Optional(NonEmpty),
  /**
   * The models that take thinking levels, replacing the provider's built-in rule: exact ids,
   * `prefix*`, or `["*"]` for every model; `[]` for none.
   */
  reasoningModels: Type.Optional(NameList),
  /**
   * Models models.list offers for this provider besides those its server lists. `input` says what a
   * model takes: with `"image"`, a message's stored images are sent to it; without, they reach it as
   * text lines. Models that set no `input` follow the provider's built-in rule (Claude 3 and later;
   * OpenAI's gpt-4o, gpt-4.1 and gpt-5 families).
   */
  models: Type.Optional(
    Type.Array(
      closedObject({
        id: NonEmpty,
        name: Type.Optional(NonEmpty),
        contextWindow: Type.Optional(PositiveInt),
        input: Type.Optional(Type.Array(StringEnum(["text", "image"] as const), { minItems: 1, description: 'what the model takes: "text", "image"' })),
      }),
      { description: "models offered for this provider: { id, name?, contextWindow?, input? }" },
    ),
  ),
});

const Models = section({
  providers: Type.Record(Type.String({ pattern: "^[a-z0-9][a-z0-9-]*$" }), ModelProviderConfig),
});

/**
 * Speech to text for inbound voice notes and audio files, through a server with OpenAI's
 * `/audio/transcriptions`; the agent gets each transcript on the attachment's line. Off when absent.
 */
const TranscriptionConfigSchema = closedObject({
  /** `false` keeps the settings and transcribes nothing. */
  enabled: Type.Optional(Type.Boolean({ default: true })),
  /** Files are POSTed to `<baseUrl>/audio/transcriptions`. */
  baseUrl: Type.String({ pattern: "^https?://", description: 'API root URL starting with "http://" or "https://", like "https://api.openai.com/v1"' }),
  model: Type.Optional(Type.String({ minLength: 1, default: "whisper-1", description: 'speech-to-text model id like "whisper-1"' })),
  /** Sent as a Bearer token. */
  apiKey: Type.Optional(Type.String({ minLength: 1, description: 'API key, or an env reference like "${OPENAI_API_KEY}"' })),
  /** The audio's language; the server detects it when absent. */
  language: Type.Optional(Type.String({ pattern: "^[a-z]{2,3}$", description: 'ISO-639-1 language code like "en"' })),
  /** Larger files are not sent. */
  maxMb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2048, default: 25, description: "megabytes above 0 (at most 2048)" })),
  /** How long one file may take. */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000 })),
});
export type TranscriptionConfig = Static<typeof TranscriptionConfigSchema>;

/** Settings of `openclaw node run` on this machine. */
const NodeHost = section({
  location: Type.String({
    pattern: "^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?(,\\d+(\\.\\d+)?)?$",
    description: 'fixed location for location.get: "lat,lon[,accuracyMeters]"',
  }),
});

const SECTIONS = {
  /** Editors put a schema reference here; it is the only tolerated extra root key. */
  $schema: Type.String(),
  gateway: Gateway,
  agents: Agents,
  models: Models,
  node: NodeHost,
  logging: section({ level: StringEnum(LOG_LEVELS, { default: DEFAULTS.logging.level }) }),
  /** How channel conversations map to agent sessions. */
  session: section({ dmScope: StringEnum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"] as const, { default: "main" }) }),
  /** What channel chats see while the agent works on a message. */
  messages: section({
    ackReaction: Type.String({ maxLength: 64, description: 'emoji put on a message the agent is about to answer, like "👀"; empty turns it off' }),
    ackReactionScope: StringEnum(ACK_REACTION_SCOPES, {
      default: "group-mentions",
      description: "which messages get ackReaction: all, direct (DMs), group-all, or group-mentions (group messages that mention the bot)",
    }),
    transcription: TranscriptionConfigSchema,
  }),
  /** The chat-command layer (`/status`, `/think`, …). */
  commands: section({
    ownerAllowFrom: Type.Array(
      Type.String({
        pattern: "^[a-z0-9-]+(/[A-Za-z0-9_-]+)?:[^*\\s]+$",
        description: 'a channel sender who owns this gateway: "<channel>:<senderId>" or "<channel>/<account>:<senderId>"; no wildcards',
      }),
    ),
  }),
  /**
   * Per-channel settings by channel id. Open here: each section is checked when its channel
   * loads. {@link gatewayConfigSchema} closes it over the installed channels' schemas.
   */
  channels: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
};

/** The gateway config file (`openclaw.json`). Closed: unknown keys are errors. */
export const GatewayConfigSchema = section(SECTIONS);
export type GatewayConfig = Static<typeof GatewayConfigSchema>;

/**
 * The config schema of a gateway that can run `channels` (each adapter's `configSchema` by channel
 * id), with `channels` closed over them, as `config.schema` serves it. The loader checks the same
 * sections one configured channel at a time (`validateConfig` with `{ channels }`). Without
 * `channels` it is {@link GatewayConfigSchema}.
 */
export function gatewayConfigSchema(channels?: ChannelConfigSchemas): TObject {
  return channels === undefined ? GatewayConfigSchema : section({ ...SECTIONS, channels: channelsSchema(channels) });
}

/** A plain JSON copy of the schema, as served by `config.schema`. */
export function configJsonSchema(channels?: ChannelConfigSchemas): Record<string, unknown> {
  return JSON.parse(JSON.stringify(gatewayConfigSchema(channels))) as Record<string, unknown>;
}

export type BindMode = Exclude<(typeof BIND_MODES)[number], "auto">;
export type ReloadMode = (typeof RELOAD_MODES)[number];
export type TailscaleMode = (typeof TAILSCALE_MODES)[number];

/** The config with every default applied and retired spellings normalized, for runtime use. */
export function withDefaults(config: GatewayConfig) {
  const gateway = config.gateway ?? {};
  const auth = gateway.auth ?? {};
  const defaults = DEFAULTS.gateway;
  const tailscaleMode: TailscaleMode = gateway.tailscale?.mode ?? defaults.tailscale.mode;
  const heartbeat = config.agents?.defaults?.heartbeat ?? {};
  return {
    gateway: {
      /** Undefined means unconfigured: the CLI decides whether to start anyway. */
      mode: gateway.mode,
      port: gateway.port ?? defaults.port,
      bind: (gateway.bind === undefined || gateway.bind === "auto" ? defaults.bind : gateway.bind) as BindMode,
      customBindHost: gateway.customBindHost,
      auth: {
        mode: auth.mode,
        token: auth.token,
        password: auth.password,
        allowTailscale: auth.allowTailscale ?? tailscaleMode === "serve",
        identityScopes: auth.identityScopes ?? {},
        rateLimit: { ...defaults.auth.rateLimit, ...auth.rateLimit },
        trustedProxy: auth.trustedProxy && {
          userHeader: auth.trustedProxy.userHeader,
          requiredHeaders: auth.trustedProxy.requiredHeaders ?? [],
          allowUsers: auth.trustedProxy.allowUsers ?? [],
          allowLoopback: auth.trustedProxy.allowLoopback ?? false,
          deviceAutoApprove: {
            enabled: auth.trustedProxy.deviceAutoApprove?.enabled ?? false,
            scopes: auth.trustedProxy.deviceAutoApprove?.scopes ?? [...DEFAULT_AUTO_APPROVE_SCOPES],
          },
        },
      },
      trustedProxies: gateway.trustedProxies ?? [...defaults.trustedProxies],
      allowRealIpFallback: gateway.allowRealIpFallback ?? defaults.allowRealIpFallback,
      tailscale: { mode: tailscaleMode },
      tls: { ...defaults.tls, ...gateway.tls },
      nodes: {
        pairing: { ...defaults.nodes.pairing, ...gateway.nodes?.pairing },
        commands: { allow: gateway.nodes?.commands?.allow, deny: gateway.nodes?.commands?.deny },
      },
      controlUi: { ...defaults.controlUi, ...gateway.controlUi },
      reload: { mode: (gateway.reload?.mode ?? defaults.reload.mode) as ReloadMode, debounceMs: gateway.reload?.debounceMs ?? defaults.reload.debounceMs },
      keepalive: { ...defaults.keepalive, ...gateway.keepalive },
      remote: gateway.remote,
    },
    agents: {
      defaults: {
        model: config.agents?.defaults?.model,
        heartbeat: { ...DEFAULTS.agents.defaults.heartbeat, ...heartbeat },
      },
    },
    models: { providers: config.models?.providers ?? {} },
    node: { location: config.node?.location },
    logging: { level: config.logging?.level ?? DEFAULTS.logging.level },
    channels: config.channels ?? {},
    session: { dmScope: config.session?.dmScope ?? "main" },
    messages: {
      ackReaction: config.messages?.ackReaction ?? "",
      ackReactionScope: config.messages?.ackReactionScope ?? "group-mentions",
      ...(config.messages?.transcription ? { transcription: config.messages.transcription } : {}),
    },
    commands: { ownerAllowFrom: config.commands?.ownerAllowFrom ?? [] },
  };
}
export type ResolvedGatewayConfig = ReturnType<typeof withDefaults>;

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds in a duration string the schema accepted (`"30m"`, `"1h30m"`). */
export function parseDurationMs(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS];
  }
  return total;
}
