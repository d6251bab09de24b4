import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { loadConfigFile, readInstanceLock, resolveConfigPath, resolveStateDir, type GatewayConfig } from "@openclaw/gateway-core";
import { CliError } from "./errors.js";
import type { CommandIo } from "./io.js";

/** The flags that say where a client command connects and with what. */
export interface TargetFlags {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly tlsFingerprint?: string | undefined;
}

/** Where the URL came from, in precedence order. */
export type UrlSource = "flag" | "env" | "remote-config" | "env-port" | "lock-file" | "config-port" | "default";

/** Where the token or password came from, in precedence order; `none-needed` is a local gateway with auth mode "none". */
export type CredentialSource = "flag" | "env" | "remote-config" | "local-config" | "none-needed" | "missing";

/** A gateway to connect to, with the source of each part so the CLI can say why it chose it. */
export interface GatewayTarget {
  readonly url: string;
  readonly urlSource: UrlSource;
  /** The URL's source in words: "running local gateway, port from the lock file". */
  readonly urlFrom: string;
  readonly token?: string;
  readonly password?: string;
  readonly credentialSource: CredentialSource;
  /** The credential's source in words: "token from config (gateway.auth.token)". */
  readonly credentialFrom: string;
  readonly tlsFingerprint?: string;
  /** Where the pin came from (a flag, gateway.remote.tlsFingerprint, the local certificate). */
  readonly tlsFingerprintFrom?: string;
}

/** The one-line summary `openclaw status` and `--verbose` print. */
export function describeTarget(target: GatewayTarget): string {
  return `gateway ${target.url} (${target.urlFrom}); ${target.credentialFrom}${target.tlsFingerprintFrom ? `; certificate pinned by ${target.tlsFingerprintFrom}` : ""}`;
}

const DEFAULT_PORT = 18789;

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value.length === 0 ? undefined : value;
}

function parseGatewayUrl(url: string, from: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${from}: expected a ws:// or wss:// URL, got "${url}"`, 1, { code: "INVALID_URL" });
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:")
    throw new CliError(`${from}: expected a ws:// or wss:// URL, got "${url}"`, 1, { code: "INVALID_URL" });
  return parsed;
}

/** A loopback host: the only kind the local config's own token is ever sent to. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "0:0:0:0:0:0:0:1";
}

function sameGateway(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

function portFrom(text: string, from: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new CliError(`${from}: expected an integer 1..65535, got "${text}"`, 1, { code: "INVALID_PORT" });
  return port;
}

type RemoteSettings = NonNullable<NonNullable<GatewayConfig["gateway"]>["remote"]>;
type Credential = Pick<GatewayTarget, "token" | "password" | "credentialSource" | "credentialFrom">;

function kinds(token: string | undefined, password: string | undefined): string {
  return token && password ? "token and password" : token ? "token" : "password";
}

/**
 * Where a client command connects, and with what.
 *
 * URL: `--url`, `OPENCLAW_GATEWAY_URL`, `gateway.remote.url` (when `gateway.mode` is "remote"),
 * `OPENCLAW_GATEWAY_PORT`, the port of the gateway running on this state dir (its lock file),
 * `gateway.port`, then 18789.
 *
 * Credentials: `--token`/`--password`, `OPENCLAW_GATEWAY_TOKEN`/`OPENCLAW_GATEWAY_PASSWORD`,
 * `gateway.remote.token`/`password` (only to the remote URL), then `gateway.auth.token`/`password`
 * (only to a loopback URL). A secret from the config never goes to a gateway it was not
 * configured for: a `--url` elsewhere needs `--token` or the environment.
 */
export async function resolveGatewayTarget(io: CommandIo, flags: TargetFlags): Promise<GatewayTarget> {
  const { env } = io;
  const configPath = resolveConfigPath(env, io.homedir);
  const stateDir = resolveStateDir(env, io.homedir);
  let config: GatewayConfig | undefined;
  const loadConfig = async (): Promise<GatewayConfig> => {
    config ??= (
      await loadConfigFile(configPath, env).catch((error: Error) => {
        throw new CliError(`${error.message}\n(pass --url and --token to reach a gateway without reading the local config)`, 1, {
          code: "INVALID_CONFIG",
          cause: error,
        });
      })
    ).config;
    return config;
  };

  // The URL.
  const flagUrl = flags.url?.trim() || undefined;
  const envUrl = envValue(env, "OPENCLAW_GATEWAY_URL");
  let url: URL;
  let urlSource: UrlSource;
  let urlFrom: string;
  if (flagUrl) [url, urlSource, urlFrom] = [parseGatewayUrl(flagUrl, "--url"), "flag", "--url"];
  else if (envUrl) [url, urlSource, urlFrom] = [parseGatewayUrl(envUrl, "OPENCLAW_GATEWAY_URL"), "env", "OPENCLAW_GATEWAY_URL"];
  else {
    const gateway = (await loadConfig()).gateway;
    if (gateway?.mode === "remote") {
      if (!gateway.remote?.url)
        throw new CliError(`gateway.mode is "remote" but gateway.remote.url is not set in ${configPath}; set it, or pass --url`, 1, { code: "INVALID_CONFIG" });
      [url, urlSource, urlFrom] = [
        parseGatewayUrl(gateway.remote.url, "gateway.remote.url"),
        "remote-config",
        `remote mode, gateway.remote.url in ${configPath}`,
      ];
    } else {
      const scheme = gateway?.tls?.enabled ? "wss" : "ws";
      const envPort = envValue(env, "OPENCLAW_GATEWAY_PORT");
      const running = envPort === undefined ? readInstanceLock(stateDir) : undefined;
      let port: number;
      if (envPort !== undefined) [port, urlSource, urlFrom] = [portFrom(envPort, "OPENCLAW_GATEWAY_PORT"), "env-port", "port from OPENCLAW_GATEWAY_PORT"];
      else if (running && running.port > 0)
        [port, urlSource, urlFrom] = [running.port, "lock-file", `running local gateway (pid ${running.pid}), port from the lock file`];
      else if (gateway?.port !== undefined)
        [port, urlSource, urlFrom] = [gateway.port, "config-port", `gateway.port in ${configPath}; no running gateway found in ${stateDir}`];
      else [port, urlSource, urlFrom] = [DEFAULT_PORT, "default", `the default port; no running gateway found in ${stateDir}`];
      url = new URL(`${scheme}://127.0.0.1:${port}`);
    }
  }

  // The credential. gateway.remote.* applies only to the remote URL.
  let remoteCache: { value: RemoteSettings | undefined } | undefined;
  const remoteFor = async (loader: () => Promise<GatewayConfig | undefined>): Promise<RemoteSettings | undefined> => {
    if (remoteCache) return remoteCache.value;
    const gateway = (await loader())?.gateway;
    const applies = gateway?.mode === "remote" && gateway.remote?.url && sameGateway(url, parseGatewayUrl(gateway.remote.url, "gateway.remote.url"));
    remoteCache = { value: applies ? gateway.remote : undefined };
    return remoteCache.value;
  };
  // Optional look-ups tolerate a broken config when the command line already says where to go.
  const optionalConfig = () => (urlSource === "flag" || urlSource === "env" ? loadConfig().catch(() => undefined) : loadConfig());
  const local = urlSource !== "remote-config" && isLoopbackUrl(url);
  const credential = await resolveCredential(flags, env, () => remoteFor(loadConfig), local ? loadConfig : undefined);

  // The certificate pin.
  let tlsFingerprint: string | undefined;
  let tlsFingerprintFrom: string | undefined;
  const flagFingerprint = flags.tlsFingerprint?.trim() || undefined;
  const remotePin = flagFingerprint ? undefined : (await remoteFor(optionalConfig))?.tlsFingerprint;
  if (flagFingerprint) [tlsFingerprint, tlsFingerprintFrom] = [flagFingerprint, "--tls-fingerprint"];
  else if (remotePin) {
    if (url.protocol !== "wss:")
      throw new CliError(
        `gateway.remote.tlsFingerprint pins a certificate, but the gateway URL ${url.host} is not wss://; use wss:// in gateway.remote.url`,
        1,
        {
          code: "INVALID_CONFIG",
        },
      );
    [tlsFingerprint, tlsFingerprintFrom] = [remotePin, "gateway.remote.tlsFingerprint"];
  } else if (url.protocol === "wss:" && local) {
    const tls = (await optionalConfig())?.gateway?.tls;
    if (tls?.enabled) {
      // The local gateway's own certificate is the one to trust.
      const certPath = tls.certPath ?? join(stateDir, "tls", "gateway-cert.pem");
      try {
        tlsFingerprint = new X509Certificate(readFileSync(certPath)).fingerprint256;
      } catch {
        throw new CliError(`gateway.tls is enabled but ${certPath} cannot be read; pass --tls-fingerprint`, 1, { code: "INVALID_CONFIG" });
      }
      tlsFingerprintFrom = `the local gateway's certificate (${certPath})`;
    }
  }

  // `URL.href` adds a "/" to a bare origin; keep the address as the user would write it.
  const href = url.pathname === "/" && !url.search ? `${url.protocol}//${url.host}` : url.href;
  return {
    url: href,
    urlSource,
    urlFrom,
    ...credential,
    ...(tlsFingerprint ? { tlsFingerprint, tlsFingerprintFrom: tlsFingerprintFrom! } : {}),
  };
}

function credentialOf(token: string | undefined, password: string | undefined, source: CredentialSource, names: [string, string]): Credential {
  const from = [token && names[0], password && names[1]].filter(Boolean).join(" and ");
  return {
    ...(token ? { token } : {}),
    ...(password ? { password } : {}),
    credentialSource: source,
    credentialFrom: `${kinds(token, password)} from ${source === "local-config" ? `config (${from})` : from}`,
  };
}

/** The first source with a token or password wins both; the config is read only when flags and env have none. */
async function resolveCredential(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
  remote: () => Promise<RemoteSettings | undefined>,
  localConfig: (() => Promise<GatewayConfig>) | undefined,
): Promise<Credential> {
  const flagToken = flags.token || undefined;
  const flagPassword = flags.password || undefined;
  if (flagToken || flagPassword) return credentialOf(flagToken, flagPassword, "flag", ["--token", "--password"]);
  const envToken = envValue(env, "OPENCLAW_GATEWAY_TOKEN");
  const envPassword = envValue(env, "OPENCLAW_GATEWAY_PASSWORD");
  if (envToken || envPassword) return credentialOf(envToken, envPassword, "env", ["OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD"]);
  const configured = await remote();
  if (configured?.token || configured?.password)
    return credentialOf(configured.token, configured.password, "remote-config", ["gateway.remote.token", "gateway.remote.password"]);
  const auth = localConfig ? (await localConfig()).gateway?.auth : undefined;
  if (auth?.mode === "none") return { credentialSource: "none-needed", credentialFrom: 'no credentials needed (gateway.auth.mode "none")' };
  if (auth && auth.mode !== "trusted-proxy" && (auth.token || auth.password))
    return credentialOf(auth.token, auth.password, "local-config", ["gateway.auth.token", "gateway.auth.password"]);
  return { credentialSource: "missing", credentialFrom: "no credentials" };
}
