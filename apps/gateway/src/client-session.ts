import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GatewayClientError, GatewayClosedError, GatewayRequestError, type GatewayClient } from "@openclaw/client";
import { FileDeviceTokenStore, connectNode, loadOrCreateIdentity } from "@openclaw/client/node";
import { loadConfigFile, resolveConfigPath, resolveGatewaySettings, resolveStateDir } from "@openclaw/gateway-core";
import { CliError, type CommandIo } from "./io.js";
import { GATEWAY_VERSION } from "./version.js";

/** The flags every client command takes. */
export interface ClientFlags {
  readonly url?: string;
  readonly token?: string;
  readonly password?: string;
  readonly tlsFingerprint?: string;
  /** Milliseconds for connect plus the call. @default 30000 */
  readonly timeout?: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

interface Target {
  url: string;
  token?: string;
  password?: string;
  tlsFingerprint?: string;
}

/**
 * Where to connect and with what: flags, then OPENCLAW_GATEWAY_URL/TOKEN/PASSWORD,
 * then the local gateway's own config (its port, token and generated certificate).
 */
async function resolveTarget(io: CommandIo, flags: ClientFlags): Promise<Target> {
  const env = io.env;
  const explicitUrl = flags.url ?? env["OPENCLAW_GATEWAY_URL"];
  const token = flags.token ?? env["OPENCLAW_GATEWAY_TOKEN"];
  const password = flags.password ?? env["OPENCLAW_GATEWAY_PASSWORD"];
  if (explicitUrl) {
    return {
      url: explicitUrl,
      ...(token ? { token } : {}),
      ...(password ? { password } : {}),
      ...(flags.tlsFingerprint ? { tlsFingerprint: flags.tlsFingerprint } : {}),
    };
  }
  const loaded = await loadConfigFile(resolveConfigPath(env, io.homedir), env).catch((error: Error) => {
    throw new CliError(`${error.message}\n(pass --url and --token to reach a gateway without reading the local config)`);
  });
  const settings = resolveGatewaySettings({ config: loaded.config, env });
  let tlsFingerprint = flags.tlsFingerprint;
  if (settings.tls.enabled && !tlsFingerprint) {
    // The local gateway's own certificate is the one to trust.
    const certPath = settings.tls.certPath ?? join(resolveStateDir(env, io.homedir), "tls", "gateway-cert.pem");
    try {
      tlsFingerprint = new X509Certificate(readFileSync(certPath)).fingerprint256;
    } catch {
      throw new CliError(`gateway.tls is enabled but ${certPath} cannot be read; pass --tls-fingerprint`);
    }
  }
  return {
    url: `${settings.tls.enabled ? "wss" : "ws"}://127.0.0.1:${settings.port}`,
    ...((token ?? settings.auth.token) ? { token: token ?? settings.auth.token! } : {}),
    ...((password ?? settings.auth.password) ? { password: password ?? settings.auth.password! } : {}),
    ...(tlsFingerprint ? { tlsFingerprint } : {}),
  };
}

/** Turn SDK errors into one line that says what went wrong and what to do. */
export function describeClientError(error: unknown, url: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof GatewayRequestError) {
    const hint =
      error.detailCode === "PAIRING_REQUIRED"
        ? ` — approve this device on the gateway host: openclaw devices approve ${String((error.details as { requestId?: string } | undefined)?.requestId ?? "<requestId>")}`
        : error.code === "FORBIDDEN"
          ? " — this command needs more scopes than this connection has"
          : "";
    return new CliError(`${error.message}${hint}`, 1, { cause: error });
  }
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: { code?: string } }).cause?.code ?? "")}` : String(error);
  const cause = { cause: error };
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|1006/.test(text)) return new CliError(`gateway not reachable at ${url}: is \`openclaw gateway\` running?`, 1, cause);
  if (error instanceof GatewayClosedError)
    return new CliError(`gateway at ${url} closed the connection (${error.closeCode}${error.reason ? `: ${error.reason}` : ""})`, 1, cause);
  if (error instanceof GatewayClientError) return new CliError(error.message, 1, cause);
  return new CliError(error instanceof Error ? error.message : String(error), 1, cause);
}

/**
 * Connect as the CLI: a device identity kept in the state dir (so the gateway can pair it),
 * the operator role, and only the scopes the command needs.
 */
export async function openClient(io: CommandIo, flags: ClientFlags, scopes: readonly string[]): Promise<{ client: GatewayClient; url: string }> {
  const target = await resolveTarget(io, flags);
  if (!target.token && !target.password) {
    throw new CliError(`no gateway credentials: pass --token (or --password), or set OPENCLAW_GATEWAY_TOKEN, for ${target.url}`);
  }
  const identityDir = join(resolveStateDir(io.env, io.homedir), "identity");
  try {
    const client = await connectNode({
      url: target.url,
      ...(target.token ? { token: target.token } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tlsFingerprint ? { tlsFingerprint: target.tlsFingerprint } : {}),
      identity: await loadOrCreateIdentity(join(identityDir, "cli-device.json")),
      identityStore: new FileDeviceTokenStore(join(identityDir, "cli-device-auth.json")),
      client: { id: "cli", mode: "cli", version: GATEWAY_VERSION, displayName: "openclaw cli" },
      role: "operator",
      scopes,
      reconnect: false,
      requestTimeoutMs: flags.timeout ?? 30_000,
    });
    return { client, url: target.url };
  } catch (error) {
    throw describeClientError(error, target.url);
  }
}

/** Run one command body on a client, always closing it, mapping errors to one line. */
export async function withClient<T>(io: CommandIo, flags: ClientFlags, scopes: readonly string[], body: (client: GatewayClient) => Promise<T>): Promise<T> {
  const { client, url } = await openClient(io, flags, scopes);
  try {
    return await body(client);
  } catch (error) {
    throw describeClientError(error, url);
  } finally {
    await client.close();
  }
}
