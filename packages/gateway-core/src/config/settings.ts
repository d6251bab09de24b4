import { randomBytes } from "node:crypto";
import type { AuthMode } from "@openclaw/protocol";
import { ConfigError } from "../errors.js";
import { formatConfigIssue, type ConfigIssue } from "./issues.js";
import { isJsonObject } from "./json-value.js";
import { loadConfigFile, readConfigSnapshot, type LoadedConfig } from "./load.js";
import { applyMergePatch } from "./merge-patch.js";
import { parseDurationMs, withDefaults, type BindMode, type GatewayConfig, type ResolvedGatewayConfig, type TailscaleMode } from "./schema.js";
import type { ConfigCheckOptions } from "./validate.js";
import { writeFileAtomic } from "./write.js";

/** Command-line overrides; each wins over env and config. */
export interface GatewayFlags {
  /** `--port` */
  readonly port?: number | undefined;
  /** `--bind` */
  readonly bind?: BindMode | "auto" | undefined;
  /** `--auth` */
  readonly authMode?: AuthMode | undefined;
  /** `--token` */
  readonly token?: string | undefined;
  /** `--password` */
  readonly password?: string | undefined;
}

export interface ResolveSettingsInput {
  /** The validated config file (`LoadedConfig.config`). */
  readonly config: GatewayConfig;
  readonly env: NodeJS.ProcessEnv;
  /** @default {} */
  readonly flags?: GatewayFlags;
}

/** Shared-secret and proxy auth as the server enforces it; assignable to `AuthSettings` in auth/shared-auth.ts. */
export interface GatewayAuthSettings {
  readonly mode: AuthMode;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly allowTailscale: boolean;
  readonly tailscaleMode: TailscaleMode;
  readonly identityScopes: ResolvedGatewayConfig["gateway"]["auth"]["identityScopes"];
  readonly rateLimit: ResolvedGatewayConfig["gateway"]["auth"]["rateLimit"];
  readonly trustedProxy?: NonNullable<ResolvedGatewayConfig["gateway"]["auth"]["trustedProxy"]> | undefined;
  readonly trustedProxies: readonly string[];
  readonly allowRealIpFallback: boolean;
}

type ResolvedGateway = ResolvedGatewayConfig["gateway"];

/** Everything the server needs to start, with flags > env > config > defaults applied. */
export interface GatewaySettings {
  readonly mode: ResolvedGateway["mode"];
  readonly port: number;
  readonly bind: BindMode;
  readonly customBindHost: string | undefined;
  /** The address to listen on: `127.0.0.1`, `0.0.0.0` or `customBindHost`. */
  readonly bindHost: string;
  readonly auth: GatewayAuthSettings;
  readonly trustedProxies: readonly string[];
  readonly allowRealIpFallback: boolean;
  /** `gateway.tailscale`: whether the gateway sets up Serve or Funnel for its port. */
  readonly tailscale: ResolvedGateway["tailscale"];
  readonly tls: ResolvedGateway["tls"];
  readonly nodes: ResolvedGateway["nodes"];
  readonly controlUi: ResolvedGateway["controlUi"];
  readonly reload: ResolvedGateway["reload"];
  readonly keepalive: ResolvedGateway["keepalive"];
  /** `agents.defaults.heartbeat` as the server takes it; `prompt` is unset when the config has none. */
  readonly heartbeat: { readonly enabled: boolean; readonly everyMs: number; readonly prompt?: string };
  /** The whole config with defaults, for the parts outside `gateway`. */
  readonly resolved: ResolvedGatewayConfig;
}

function fail(issue: ConfigIssue): never {
  throw new ConfigError(formatConfigIssue(issue), [issue]);
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value.length === 0 ? undefined : value;
}

function checkPort(value: unknown, source: string): number {
  const port = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  const message = `expected integer 1..65535, got ${JSON.stringify(value)}`;
  throw new ConfigError(`${source}: ${message}`, [{ path: source, message }]);
}

function bindHostFor(bind: BindMode, customBindHost: string | undefined): string {
  if (bind === "lan") return "0.0.0.0";
  if (bind === "loopback") return "127.0.0.1";
  return customBindHost ?? fail({ path: "gateway.customBindHost", message: 'must be set when gateway.bind is "custom"' });
}

function resolveAuth(input: ResolveSettingsInput, gateway: ResolvedGateway): GatewayAuthSettings {
  const flags = input.flags ?? {};
  const token = flags.token ?? envValue(input.env, "OPENCLAW_GATEWAY_TOKEN") ?? gateway.auth.token;
  const password = flags.password ?? envValue(input.env, "OPENCLAW_GATEWAY_PASSWORD") ?? gateway.auth.password;
  let mode = flags.authMode ?? gateway.auth.mode;
  if (mode === undefined) {
    if (token !== undefined && password !== undefined) {
      fail({ path: "gateway.auth.mode", message: "must be set when both token and password are configured" });
    }
    // Token is the onboarding default; with no token yet, ensureGatewayToken creates one.
    mode = password !== undefined ? "password" : "token";
  }
  if (mode === "none" && gateway.bind !== "loopback") {
    fail({ path: "gateway.auth.mode", message: `"none" is only allowed with gateway.bind "loopback"; configure a token or password` });
  }
  if (mode === "trusted-proxy") {
    if (gateway.auth.trustedProxy === undefined) fail({ path: "gateway.auth.trustedProxy", message: 'must be set when gateway.auth.mode is "trusted-proxy"' });
    if ((flags.token ?? gateway.auth.token) !== undefined)
      fail({ path: "gateway.auth.token", message: 'cannot be combined with gateway.auth.mode "trusted-proxy"; remove it' });
    if (gateway.trustedProxies.length === 0)
      fail({ path: "gateway.trustedProxies", message: 'must list the reverse proxy\'s address when gateway.auth.mode is "trusted-proxy"' });
  }
  const tailscaleMode = gateway.tailscale.mode;
  // Funnel is reachable from the whole internet and carries no identity: only a password stands in the way.
  if (tailscaleMode === "funnel" && mode !== "password")
    fail({ path: "gateway.tailscale.mode", message: `"funnel" needs gateway.auth.mode "password" (got "${mode}"); set a password or use "serve"` });
  if (tailscaleMode === "serve" && mode === "none")
    fail({
      path: "gateway.tailscale.mode",
      message: '"serve" cannot be combined with gateway.auth.mode "none", which refuses every request Serve relays; use a token or password',
    });
  return {
    mode,
    // The env token is machine-wide; it must not leak into a proxy-authenticated gateway.
    token: mode === "trusted-proxy" ? undefined : token,
    password,
    allowTailscale: gateway.auth.allowTailscale,
    tailscaleMode,
    identityScopes: gateway.auth.identityScopes,
    rateLimit: gateway.auth.rateLimit,
    trustedProxy: gateway.auth.trustedProxy,
    trustedProxies: gateway.trustedProxies,
    allowRealIpFallback: gateway.allowRealIpFallback,
  };
}

/**
 * Resolve the runtime settings with precedence flags > env (`OPENCLAW_GATEWAY_PORT`,
 * `OPENCLAW_GATEWAY_TOKEN`, `OPENCLAW_GATEWAY_PASSWORD`) > config > defaults.
 * @throws ConfigError for a bad env or flag value, or an auth setup that cannot work.
 */
export function resolveGatewaySettings(input: ResolveSettingsInput): GatewaySettings {
  const resolved = withDefaults(input.config);
  const flags = input.flags ?? {};
  const envPort = envValue(input.env, "OPENCLAW_GATEWAY_PORT");
  const port =
    flags.port !== undefined ? checkPort(flags.port, "--port") : envPort !== undefined ? checkPort(envPort, "OPENCLAW_GATEWAY_PORT") : resolved.gateway.port;
  const bind: BindMode = flags.bind === undefined ? resolved.gateway.bind : flags.bind === "auto" ? "loopback" : flags.bind;
  const gateway = { ...resolved.gateway, port, bind };
  return {
    mode: gateway.mode,
    port,
    bind,
    customBindHost: gateway.customBindHost,
    bindHost: bindHostFor(bind, gateway.customBindHost),
    auth: resolveAuth(input, gateway),
    trustedProxies: gateway.trustedProxies,
    allowRealIpFallback: gateway.allowRealIpFallback,
    tailscale: gateway.tailscale,
    tls: gateway.tls,
    nodes: gateway.nodes,
    controlUi: gateway.controlUi,
    reload: gateway.reload,
    keepalive: gateway.keepalive,
    heartbeat: resolveHeartbeat(resolved.agents.defaults.heartbeat),
    resolved: { ...resolved, gateway },
  };
}

function resolveHeartbeat(heartbeat: ResolvedGatewayConfig["agents"]["defaults"]["heartbeat"]): GatewaySettings["heartbeat"] {
  const everyMs = parseDurationMs(heartbeat.every);
  // A zero interval cannot beat; it is how a config says "no heartbeat" without `enabled: false`.
  return { enabled: heartbeat.enabled && everyMs > 0, everyMs, ...(heartbeat.prompt !== undefined ? { prompt: heartbeat.prompt } : {}) };
}

export interface EnsuredToken {
  /** The token clients must present; undefined when auth is not token-based. */
  readonly token: string | undefined;
  /** True when this call created the token: the CLI prints how to connect, once. */
  readonly generated: boolean;
  /** The config after any write (the input when nothing changed). */
  readonly loaded: LoadedConfig;
}

/**
 * Token auth with no token anywhere (flags, env, config) would refuse every client,
 * so generate one (32 random bytes, base64url) and store it in the config file,
 * atomically with mode 0600, keeping the other keys.
 * @throws ConfigError when the file changed on disk since `loaded` was read.
 */
export async function ensureGatewayToken(
  path: string,
  loaded: LoadedConfig,
  sources: { readonly env: NodeJS.ProcessEnv; readonly flags?: GatewayFlags } & ConfigCheckOptions,
): Promise<EnsuredToken> {
  const { auth } = resolveGatewaySettings({ config: loaded.config, env: sources.env, ...(sources.flags ? { flags: sources.flags } : {}) });
  if (auth.mode !== "token") return { token: undefined, generated: false, loaded };
  if (auth.token !== undefined) return { token: auth.token, generated: false, loaded };

  const current = await readConfigSnapshot(path, sources.env, sources);
  if (current.hash !== loaded.hash) {
    fail({ path: "", message: `${path} changed since it was loaded; load it again before generating a token` });
  }
  const token = randomBytes(32).toString("base64url");
  const document = isJsonObject(loaded.parsed) ? loaded.parsed : {};
  // Pin the mode too, so a password added later cannot silently change how clients log in.
  const authPatch = loaded.config.gateway?.auth?.mode === undefined ? { mode: "token", token } : { token };
  const next = applyMergePatch(document, { gateway: { auth: authPatch } });
  await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
  const reloaded = await loadConfigFile(path, sources.env, sources);
  return { token, generated: true, loaded: reloaded };
}
