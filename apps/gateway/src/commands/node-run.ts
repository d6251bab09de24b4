import { hostname } from "node:os";
import { join } from "node:path";
import { FileDeviceTokenStore, loadOrCreateIdentity } from "@openclaw/client/node";
import { loadConfigFile, resolveConfigPath, resolveStateDir } from "@openclaw/gateway-core";
import {
  DEFAULT_ENV_ALLOWLIST,
  NodeCommandError,
  commandText,
  createGatewayExecApprover,
  createNode,
  findExecutable,
  runArgv,
  whichBins,
  type ExecApprover,
  type GatewayNode,
  type HandlerFor,
  type LocationGetResult,
  type NodeStatus,
} from "@openclaw/node-sdk";
import { CliError } from "../errors.js";
import { describeTarget, resolveGatewayTarget, type GatewayTarget } from "../gateway-target.js";
import type { CommandIo } from "../io.js";
import { GATEWAY_VERSION } from "../version.js";

/** What `openclaw node run` can serve. */
export const NODE_HOST_COMMANDS = ["system.notify", "system.which", "system.run", "location.get"] as const;
export type NodeHostCommand = (typeof NODE_HOST_COMMANDS)[number];
const DEFAULT_COMMANDS: readonly NodeHostCommand[] = ["system.notify", "system.which", "system.run"];

/**
 * The flags of `openclaw node run`, as commander parses them. Without `url`, `host` or `port` the node
 * finds its gateway as every client command does (see `resolveGatewayTarget`): `OPENCLAW_GATEWAY_URL`,
 * `gateway.remote.url` in remote mode, `OPENCLAW_GATEWAY_PORT`, the running local gateway's lock file,
 * `gateway.port`, then 18789; its credential likewise.
 */
export interface NodeRunFlags {
  /** Gateway URL (ws:// or wss://); not with `host`/`port`. */
  readonly url?: string;
  /** Gateway host (the reference node host's flag). @default "127.0.0.1" when `port` is given */
  readonly host?: string;
  /** Gateway port (the reference node host's flag). @default 18789 when `host` is given */
  readonly port?: number;
  /** Connect with wss://. Implied by `tlsFingerprint`. @default false */
  readonly tls?: boolean;
  /** Pin the gateway's certificate (SHA-256, hex). @default gateway.remote.tlsFingerprint, or the local gateway's certificate */
  readonly tlsFingerprint?: string;
  /** @default OPENCLAW_GATEWAY_TOKEN, gateway.remote.token, then gateway.auth.token for a loopback URL */
  readonly token?: string;
  /** @default OPENCLAW_GATEWAY_PASSWORD, gateway.remote.password, then gateway.auth.password for a loopback URL */
  readonly password?: string;
  /** @default the host name */
  readonly displayName?: string;
  /** Comma list of commands to expose. @default "system.notify,system.which,system.run" (+ location.get with a location) */
  readonly commands?: string;
  /** A fixed location, "lat,lon[,accuracyMeters]". @default OPENCLAW_NODE_LOCATION, then config `node.location` */
  readonly location?: string;
}

export interface NodeRunOptions {
  readonly io: CommandIo;
  readonly flags: NodeRunFlags;
  /** Default `system.run` timeout when the request names none. @default 30000 */
  readonly runTimeoutMs?: number;
  /** Output kept per stream of a `system.run`. @default 200 KiB */
  readonly maxOutputBytes?: number;
  /** How long operators get to answer an exec approval (capped by the invoke's own timeout). @default 120000 */
  readonly approvalTimeoutMs?: number;
  /** Host variables a `system.run` inherits; `PREFIX*` matches a prefix. @default PATH, HOME, LANG, LC_*, TZ */
  readonly allowEnv?: readonly string[];
  /** Backoff of reconnects and pairing retries. @default the SDK's */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** A running node host; the entry file wires signals to `stop`. */
export interface RunningNodeHost {
  readonly node: GatewayNode;
  readonly url: string;
  readonly commands: readonly string[];
  /** Resolves with the reason once the node stopped for good (a refused token, `stop()`). */
  readonly closed: Promise<Error>;
  stop(): Promise<void>;
}

/** "lat,lon[,accuracyMeters]" → a fixed `location.get` answer. */
export function parseLocation(text: string): Omit<LocationGetResult, "timestamp"> {
  const parts = text.split(",").map((part) => Number(part.trim()));
  const [lat, lon, accuracy = 100] = parts;
  const valid = parts.length >= 2 && parts.length <= 3 && parts.every(Number.isFinite) && Math.abs(lat!) <= 90 && Math.abs(lon!) <= 180 && accuracy >= 0;
  if (!valid) throw new CliError(`--location / OPENCLAW_NODE_LOCATION: expected "lat,lon" or "lat,lon,accuracyMeters" (e.g. "48.8566,2.3522"), got "${text}"`);
  // A configured position is not measured: say so instead of claiming GPS precision.
  return { lat: lat!, lon: lon!, accuracyMeters: accuracy, isPrecise: false, source: "unknown" };
}

function selectCommands(list: string | undefined, hasLocation: boolean): NodeHostCommand[] {
  if (list === undefined) return hasLocation ? [...DEFAULT_COMMANDS, "location.get"] : [...DEFAULT_COMMANDS];
  const names = [
    ...new Set(
      list
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    ),
  ];
  if (names.length === 0) throw new CliError(`--commands: name at least one of ${NODE_HOST_COMMANDS.join(", ")}`);
  for (const name of names) {
    if (!(NODE_HOST_COMMANDS as readonly string[]).includes(name))
      throw new CliError(`--commands: unknown command "${name}"; this host serves ${NODE_HOST_COMMANDS.join(", ")}`);
  }
  if (names.includes("location.get") && !hasLocation)
    throw new CliError("--commands: location.get needs a fixed location: pass --location lat,lon or set OPENCLAW_NODE_LOCATION");
  return names as NodeHostCommand[];
}

/**
 * Where the node host connects, and with what: `--url`, or `--host`/`--port` as the reference node host
 * takes them, else the gateway every client command would reach. `--tls` upgrades a found `ws://` URL.
 */
async function nodeTarget(io: CommandIo, flags: NodeRunFlags): Promise<GatewayTarget> {
  const hostPort = flags.host !== undefined || flags.port !== undefined;
  if (flags.url !== undefined && hostPort) throw new CliError("--url already names the gateway; pass either --url or --host/--port", 1, { code: "USAGE" });
  const secure = flags.tls === true || flags.tlsFingerprint !== undefined;
  const host = flags.host ?? "127.0.0.1";
  const url = hostPort ? `${secure ? "wss" : "ws"}://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${flags.port ?? 18789}` : flags.url;
  const target = await resolveGatewayTarget(io, {
    ...(url !== undefined ? { url } : {}),
    ...(flags.token !== undefined ? { token: flags.token } : {}),
    ...(flags.password !== undefined ? { password: flags.password } : {}),
    ...(flags.tlsFingerprint !== undefined ? { tlsFingerprint: flags.tlsFingerprint } : {}),
  });
  const named = hostPort ? { ...target, urlFrom: "--host/--port" } : target;
  if (!secure || named.url.startsWith("wss:")) return named;
  return { ...named, url: named.url.replace(/^ws:/, "wss:"), urlFrom: `${named.urlFrom}; wss:// by --tls` };
}

/** Map the notification priority to notify-send's urgency. */
const URGENCY = { passive: "low", active: "normal", timeSensitive: "critical" } as const;

/** What notify-send needs to find the desktop session, on top of the usual allowlist. */
const DESKTOP_ENV = ["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"];

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((entry) => typeof entry === "string")) {
    throw new NodeCommandError("INVALID_PARAMS", "system.run: env must map names to string values");
  }
  return value as Record<string, string>;
}

interface HandlerDeps {
  readonly io: CommandIo;
  readonly options: NodeRunOptions;
  readonly nodeId: string;
  readonly approver: ExecApprover;
  readonly location: Omit<LocationGetResult, "timestamp"> | undefined;
  readonly log: (line: string) => void;
}

function systemNotify({ io, log }: HandlerDeps): HandlerFor<"system.notify"> {
  return async (params) => {
    const title = String(params.title ?? "");
    const body = String(params.body ?? "");
    const notifySend = await findExecutable("notify-send", io.env["PATH"]);
    if (notifySend) {
      const urgency = URGENCY[params.priority ?? "active"] ?? "normal";
      const shown = await runArgv({
        argv: [notifySend, "--app-name=OpenClaw", `--urgency=${urgency}`, title, body],
        baseEnv: io.env,
        allowEnv: [...DEFAULT_ENV_ALLOWLIST, ...DESKTOP_ENV],
        timeoutMs: 5000,
      });
      if (shown.success) return {};
    }
    // Headless hosts have no notification daemon: the log is where a person will look.
    log(`notification: ${title}${body ? ` — ${body}` : ""}`);
    return {};
  };
}

function systemWhich({ io }: HandlerDeps): HandlerFor<"system.which"> {
  return async (params) => {
    if (!Array.isArray(params.bins) || !params.bins.every((bin) => typeof bin === "string"))
      throw new NodeCommandError("INVALID_PARAMS", 'system.which: bins must be an array of program names, e.g. ["git"]');
    return { bins: await whichBins(params.bins, io.env["PATH"]) };
  };
}

/** `system.run`: nothing runs unless an operator allows this exact argv through an exec approval. */
function systemRun({ io, options, nodeId, approver, log }: HandlerDeps): HandlerFor<"system.run"> {
  return async (params, context) => {
    const argv = params.command as unknown;
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((arg) => typeof arg === "string")) {
      throw new NodeCommandError("INVALID_PARAMS", 'system.run: command must be a non-empty argv array, e.g. ["uname", "-a"]');
    }
    const env = stringRecord(params.env);
    const cwd = typeof params.cwd === "string" ? params.cwd : undefined;
    let decision: string | null;
    try {
      const timeoutMs = Math.min(options.approvalTimeoutMs ?? 120_000, context.timeoutMs);
      decision = await approver.decide({ argv, ...(cwd ? { cwd } : {}), ...(env ? { env } : {}), nodeId, timeoutMs, signal: context.signal });
    } catch (error) {
      throw new NodeCommandError(
        "SYSTEM_RUN_DENIED",
        `system.run denied: no exec approval could be obtained (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
    if (decision !== "allow-once" && decision !== "allow-always") {
      log(`system.run denied (${decision ?? "no decision"}): ${commandText(argv)}`);
      throw new NodeCommandError(
        "SYSTEM_RUN_DENIED",
        decision === "deny" ? "system.run denied by an operator" : "system.run denied: no operator approved it in time",
      );
    }
    log(`system.run approved (${decision}): ${commandText(argv)}`);
    return runArgv({
      argv,
      ...(cwd ? { cwd } : {}),
      ...(env ? { env } : {}),
      baseEnv: io.env,
      ...(options.allowEnv ? { allowEnv: options.allowEnv } : {}),
      timeoutMs: typeof params.timeoutMs === "number" && params.timeoutMs > 0 ? params.timeoutMs : (options.runTimeoutMs ?? 30_000),
      ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
      signal: context.signal,
    });
  };
}

function locationGet({ location }: HandlerDeps): HandlerFor<"location.get"> {
  return () => ({ ...location!, timestamp: new Date().toISOString() });
}

/** One line per status change a person cares about; pairing hints say exactly what to run. */
function statusLogger(url: string, commands: readonly string[], log: (line: string) => void, warn: (line: string) => void): (status: NodeStatus) => void {
  let lastRequest: string | undefined;
  return (status) => {
    switch (status.state) {
      case "awaiting-pairing":
        if (status.requestId === lastRequest) return;
        lastRequest = status.requestId;
        log(`waiting for device pairing approval; on the gateway host run: openclaw devices approve ${status.requestId ?? "<requestId>"}`);
        return;
      case "open":
        lastRequest = undefined;
        log(`connected to ${url} as node ${status.nodeId}; serving ${commands.join(", ")}`);
        log("the gateway keeps these filtered until an operator approves them once: openclaw nodes pending, then openclaw nodes approve <requestId>");
        return;
      case "reconnecting":
        log(`no connection to the gateway (${status.lastError.message}); retrying in ${Math.round(status.delayMs / 100) / 10} s`);
        return;
      case "closed":
        warn(`node host stopped: ${status.reason.message}`);
        return;
      default:
        return;
    }
  };
}

/**
 * `openclaw node run`: the headless node host. Connects as a node with a device identity kept
 * in `<state dir>/identity/node-device.json`, serves the selected commands, and asks operators
 * (`exec.approval.request`) before every `system.run`. Returns once started; pairing may still be pending.
 */
export async function runNodeHost(options: NodeRunOptions): Promise<RunningNodeHost> {
  const { io, flags } = options;
  const configured = await loadConfigFile(resolveConfigPath(io.env, io.homedir), io.env).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const locationText = flags.location ?? io.env["OPENCLAW_NODE_LOCATION"] ?? configured.config.node?.location;
  const location = locationText ? parseLocation(locationText) : undefined;
  const enabled = selectCommands(flags.commands, location !== undefined);
  const target = await nodeTarget(io, flags);
  const { url, token, password, tlsFingerprint } = target;
  const displayName = flags.displayName ?? hostname();
  const platform = io.platform ?? process.platform;
  const identityDir = join(resolveStateDir(io.env, io.homedir), "identity");
  const identity = await loadOrCreateIdentity(join(identityDir, "node-device.json"));
  // One store for both roles of this device, so their writes never race.
  const tokenStore = new FileDeviceTokenStore(join(identityDir, "node-device-auth.json"));
  const credentials = {
    ...(token ? { token } : {}),
    ...(password ? { password } : {}),
    ...(tlsFingerprint ? { tlsFingerprint } : {}),
  };
  const log = (line: string) => void io.stdout.write(`node host: ${line}\n`);
  const warn = (line: string) => void io.stderr.write(`node host: ${line}\n`);
  const approver = createGatewayExecApprover({ url, ...credentials, identity, tokenStore, displayName, platform });
  const deps: HandlerDeps = { io, options, nodeId: identity.id, approver, location, log };
  const on = (name: NodeHostCommand) => enabled.includes(name);

  const node = await createNode({
    url,
    ...credentials,
    identity,
    tokenStore,
    displayName,
    platform,
    version: GATEWAY_VERSION,
    caps: location ? ["system", "location"] : ["system"],
    ...(location ? { permissions: { "location.get": true } } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    commands: {
      ...(on("system.notify") ? { "system.notify": systemNotify(deps) } : {}),
      ...(on("system.which") ? { "system.which": systemWhich(deps) } : {}),
      ...(on("system.run") ? { "system.run": systemRun(deps) } : {}),
      ...(on("location.get") ? { "location.get": locationGet(deps) } : {}),
    },
  });
  let stopping = false;
  const closed = new Promise<Error>((resolve) => {
    const report = statusLogger(url, node.commands, log, warn);
    node.onStatus((status) => {
      if (!(stopping && status.state === "closed")) report(status);
      if (status.state === "closed") resolve(status.reason);
    });
  });
  log(`connecting to ${describeTarget(target)} as ${displayName} (node ${identity.id})`);
  return {
    node,
    url,
    commands: node.commands,
    closed,
    async stop() {
      stopping = true;
      await Promise.all([node.close(), approver.close()]);
    },
  };
}
