import { GatewayRequestError } from "@openclaw/client";
import { loadConfigFile, resolveConfigPath } from "@openclaw/gateway-core";
import type { MethodResult } from "@openclaw/protocol";
import { normalizeBasePath } from "@openclaw/webchat";
import { openBrowser, type SpawnFunction } from "../browser-open.js";
import { withClient, type ClientFlags } from "../client-session.js";
import { CliError, GatewayUnreachableError, MissingCredentialsError } from "../errors.js";
import type { GatewayTarget } from "../gateway-target.js";
import type { CommandIo } from "../io.js";
import { printJson } from "../output.js";

export interface DashboardFlags extends ClientFlags {
  /** `--no-open` sets it false: print the address only. @default true */
  readonly open?: boolean;
}

/** What `openclaw dashboard` found, as `--json` prints it. */
export interface DashboardOutcome {
  /** The Control UI address; with a code, the code rides in the fragment (never sent to a server). */
  readonly url: string;
  readonly code?: string;
  readonly expiresAtMs?: number;
  readonly opened: boolean;
  /** Why no browser was opened, when none was. */
  readonly notOpened?: string;
}

/** The `details` the CLI's connection errors carry. */
type TargetDetails = { url: string; urlSource: string };

const START_HINT = "start it with `openclaw gateway` (or as a service: `openclaw gateway install`), then run `openclaw dashboard` again";

/** The browser address of a gateway's Control UI, from the WebSocket URL the CLI reached it on. */
export function controlUiAddress(gatewayUrl: string, path: string, code?: string): string {
  const url = new URL(gatewayUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  url.pathname = normalizeBasePath(path);
  url.search = "";
  url.hash = code === undefined ? "" : `code=${code}`;
  return url.toString();
}

/** Ask the gateway for a one-time code (admin); a gateway that has no Control UI says so. */
async function askGateway(io: CommandIo, flags: DashboardFlags): Promise<{ answer: MethodResult<"dashboard.code">; target: GatewayTarget }> {
  try {
    return await withClient(io, flags, ["operator.admin"], async (client, target) => {
      try {
        return { answer: await client.call("dashboard.code", {}), target };
      } catch (error) {
        if (error instanceof GatewayRequestError && /unknown method/.test(error.message)) {
          throw new CliError(
            `the gateway at ${target.url} issues no dashboard codes: its Control UI is off (set gateway.controlUi.enabled to true and restart it), or it is older than \`openclaw dashboard\``,
            1,
            { code: "CONTROL_UI_DISABLED", cause: error },
          );
        }
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof GatewayUnreachableError) {
      const where = error.details as TargetDetails;
      throw new GatewayUnreachableError(`no gateway is running at ${where.url}: ${START_HINT}`, where, { cause: error });
    }
    throw error;
  }
}

/**
 * A local gateway in trusted-proxy mode has no secret for the CLI to connect with, and the UI
 * signs in through the proxy anyway: the address alone, when the lock file says it runs.
 */
async function proxiedAddress(io: CommandIo, error: MissingCredentialsError): Promise<string | undefined> {
  const { url, urlSource } = error.details as TargetDetails;
  const config = await loadConfigFile(resolveConfigPath(io.env, io.homedir), io.env).catch(() => undefined);
  const gateway = config?.config.gateway;
  if (gateway?.auth?.mode !== "trusted-proxy") return undefined;
  if (urlSource !== "lock-file") throw new GatewayUnreachableError(`no gateway is running for this state dir: ${START_HINT}`, { url, urlSource });
  return controlUiAddress(url, gateway.controlUi?.basePath ?? "/");
}

/**
 * `openclaw dashboard`: print the Control UI's address with a one-time sign-in code in its
 * fragment, and the code on its own line for the connection panel; open a browser when there is
 * one. The token never appears: the page trades the code for it at its own origin.
 */
export async function dashboardCommand(io: CommandIo, flags: DashboardFlags, deps: { spawn?: SpawnFunction } = {}): Promise<DashboardOutcome> {
  let url: string;
  let answer: MethodResult<"dashboard.code"> | undefined;
  try {
    const asked = await askGateway(io, flags);
    answer = asked.answer;
    url = controlUiAddress(asked.target.url, answer.path, answer.code);
  } catch (error) {
    const proxied = error instanceof MissingCredentialsError ? await proxiedAddress(io, error) : undefined;
    if (proxied === undefined) {
      // No lock file and no token yet: nothing was ever started here.
      const details = error instanceof MissingCredentialsError ? (error.details as TargetDetails) : undefined;
      if (details && (details.urlSource === "default" || details.urlSource === "config-port"))
        throw new GatewayUnreachableError(`no gateway is running for this state dir: ${START_HINT}`, details, { cause: error });
      throw error;
    }
    url = proxied;
  }

  const launch =
    flags.open === false
      ? { opened: false as const, reason: "--no-open" }
      : await openBrowser(url, { platform: io.platform ?? process.platform, env: io.env, ...deps });
  const outcome: DashboardOutcome = {
    url,
    ...(answer?.code ? { code: answer.code, expiresAtMs: answer.expiresAtMs! } : {}),
    opened: launch.opened,
    ...(launch.opened ? {} : { notOpened: launch.reason }),
  };
  if (flags.json) {
    printJson(io, outcome);
    return outcome;
  }
  io.stdout.write(`Control UI: ${url}\n`);
  if (outcome.code) {
    const minutes = Math.max(1, Math.round((outcome.expiresAtMs! - Date.now()) / 60_000));
    io.stdout.write(
      `One-time sign-in code (works once, for about ${minutes} minute${minutes === 1 ? "" : "s"}; the link carries it, or type it into the connection panel):\n`,
    );
    io.stdout.write(`${outcome.code}\n`);
  } else {
    io.stdout.write("This gateway needs no code: its auth mode has no shared secret (none, or sign-in through your trusted proxy).\n");
  }
  if (launch.opened) io.stdout.write("Opened it in your browser.\n");
  else if (flags.open !== false) io.stdout.write(`Not opening a browser: ${launch.reason}. Open the address above yourself.\n`);
  return outcome;
}
