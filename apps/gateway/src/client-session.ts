import { join } from "node:path";
import { GatewayClientError, GatewayClosedError, GatewayRequestError, GatewayTlsError, type ConnectOptions, type GatewayClient } from "@openclaw/client";
import { FileDeviceTokenStore, connectNode, loadOrCreateIdentity } from "@openclaw/client/node";
import { resolveStateDir } from "@openclaw/gateway-core";
import type { ClientInfo } from "@openclaw/protocol";
import { CliError, GatewayUnreachableError, MissingCredentialsError } from "./errors.js";
import { describeTarget, isLoopbackUrl, resolveGatewayTarget, type GatewayTarget, type TargetFlags } from "./gateway-target.js";
import type { CommandIo } from "./io.js";
import { GATEWAY_VERSION } from "./version.js";

/** The flags every client command takes. */
export interface ClientFlags extends TargetFlags {
  /** Milliseconds for connect plus the call. @default 30000 */
  readonly timeout?: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** What to do about a `node.invoke` refusal, by its `details.reason`. */
const NODE_COMMAND_HINTS: Record<string, string> = {
  "not-declared": "the node does not offer this command",
  "not-approved": "approve the node's commands first: openclaw nodes approve <nodeId>",
  denied: "gateway.nodes.commands.deny lists it",
  "not-allowlisted": "add it to gateway.nodes.commands.allow in the gateway config",
};

function unreachableHint(target: GatewayTarget): string {
  switch (target.urlSource) {
    case "lock-file":
      return "the gateway holding the lock file is not answering; see `openclaw gateway status` and its log";
    case "flag":
    case "env":
    case "remote-config":
      return "check the address, and that a gateway is running there";
    default:
      return "is `openclaw gateway` running? (`openclaw gateway status` says)";
  }
}

/** A gateway's refusal as one line: its message, the details' reason, and what to do. */
function describeRequestError(error: GatewayRequestError, target: GatewayTarget): CliError {
  const details = error.details as { reason?: unknown; requestId?: unknown; remediationHint?: unknown } | undefined;
  const reason = typeof details?.reason === "string" ? details.reason : undefined;
  let hint = "";
  if (error.detailCode === "PAIRING_REQUIRED")
    hint = ` — approve this device on the gateway host: openclaw devices approve ${typeof details?.requestId === "string" ? details.requestId : "<requestId>"}`;
  else if (error.detailCode?.startsWith("AUTH_") && error.detailCode !== "AUTH_RATE_LIMITED") hint = ` — the CLI sent ${target.credentialFrom}`;
  else if (error.code === "FORBIDDEN") hint = " — this command needs more scopes than this connection has";
  // A gateway that names the fix itself (details.remediationHint) is not second-guessed.
  else if (reason !== undefined && NODE_COMMAND_HINTS[reason] && error.method === "node.invoke" && typeof details?.remediationHint !== "string")
    hint = ` — ${NODE_COMMAND_HINTS[reason]}`;
  const because = reason !== undefined && !error.message.includes(reason) ? ` (reason: ${reason})` : "";
  return new CliError(`${error.message}${because}${hint}`, 1, { cause: error, code: error.code, details: error.details });
}

/** Turn SDK errors into one line that says what went wrong, where the CLI was connecting, and what to do. */
export function describeClientError(error: unknown, target: GatewayTarget): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof GatewayRequestError) return describeRequestError(error, target);
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: { code?: string } }).cause?.code ?? "")}` : String(error);
  const cause = { cause: error };
  const where = { url: target.url, urlSource: target.urlSource };
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|1006/.test(text) && !(error instanceof GatewayTlsError))
    return new GatewayUnreachableError(`gateway not reachable at ${target.url} (${target.urlFrom}): ${unreachableHint(target)}`, where, cause);
  if (error instanceof GatewayTlsError)
    return new CliError(`${error.message} for ${target.url} (pinned by ${target.tlsFingerprintFrom ?? "--tls-fingerprint"})`, 1, {
      ...cause,
      code: error.code,
      details: { ...where, expected: error.expected, actual: error.actual },
    });
  if (error instanceof GatewayClosedError)
    return new CliError(`gateway at ${target.url} closed the connection (${error.closeCode}${error.reason ? `: ${error.reason}` : ""})`, 1, {
      ...cause,
      code: error.code,
      details: { ...where, closeCode: error.closeCode, reason: error.reason },
    });
  if (error instanceof GatewayClientError) return new CliError(error.message, 1, { ...cause, code: error.code });
  return new CliError(error instanceof Error ? error.message : String(error), 1, cause);
}

function missingCredentials(target: GatewayTarget): MissingCredentialsError {
  const explicit = target.urlSource === "flag" || target.urlSource === "env";
  let why = "pass --token (or --password), set OPENCLAW_GATEWAY_TOKEN, or set gateway.auth.token in the config";
  if (target.urlSource === "remote-config") why = "set gateway.remote.token (or gateway.remote.password), pass --token, or set OPENCLAW_GATEWAY_TOKEN";
  else if (explicit && !isLoopbackUrl(new URL(target.url)))
    why = "pass --token (or --password), or set OPENCLAW_GATEWAY_TOKEN; the local config's token is only sent to a loopback URL";
  else if (target.urlSource === "config-port" || target.urlSource === "default")
    why = "is `openclaw gateway` running? It writes its token to the config on first start; or pass --url and --token";
  return new MissingCredentialsError(`no gateway credentials for ${target.url} (${target.urlFrom}): ${why}`, { url: target.url, urlSource: target.urlSource });
}

/** How a long-lived command's connection differs from a one-shot command's. */
export interface OpenClientOptions {
  /** Reconnect after the gateway goes away (once the first connect worked). @default false */
  readonly reconnect?: ConnectOptions["reconnect"];
  /** Who is connecting, when not the plain CLI. @default { id: "cli", mode: "cli" } */
  readonly client?: Pick<ClientInfo, "id" | "mode" | "displayName">;
}

/**
 * Connect as the CLI: a device identity kept in the state dir (so the gateway can pair it),
 * the operator role, and only the scopes the command needs.
 */
export async function openClient(
  io: CommandIo,
  flags: ClientFlags,
  scopes: readonly string[],
  options: OpenClientOptions = {},
): Promise<{ client: GatewayClient; target: GatewayTarget }> {
  const target = await resolveGatewayTarget(io, flags);
  if (flags.verbose) io.stderr.write(`openclaw: ${describeTarget(target)}\n`);
  if (target.credentialSource === "missing") throw missingCredentials(target);
  const identityDir = join(resolveStateDir(io.env, io.homedir), "identity");
  try {
    const client = await connectNode({
      url: target.url,
      ...(target.token ? { token: target.token } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tlsFingerprint ? { tlsFingerprint: target.tlsFingerprint } : {}),
      identity: await loadOrCreateIdentity(join(identityDir, "cli-device.json")),
      identityStore: new FileDeviceTokenStore(join(identityDir, "cli-device-auth.json")),
      client: { id: "cli", mode: "cli", displayName: "openclaw cli", ...options.client, version: GATEWAY_VERSION },
      role: "operator",
      scopes,
      reconnect: options.reconnect ?? false,
      requestTimeoutMs: flags.timeout ?? 30_000,
    });
    return { client, target };
  } catch (error) {
    throw describeClientError(error, target);
  }
}

/** Run one command body on a client, always closing it, mapping errors to one line. */
export async function withClient<T>(
  io: CommandIo,
  flags: ClientFlags,
  scopes: readonly string[],
  body: (client: GatewayClient, target: GatewayTarget) => Promise<T>,
): Promise<T> {
  const { client, target } = await openClient(io, flags, scopes);
  try {
    return await body(client, target);
  } catch (error) {
    throw describeClientError(error, target);
  } finally {
    await client.close();
  }
}
