import { join } from "node:path";
import {
  GatewayServer,
  ModelCatalog,
  acquireInstanceLock,
  createConfigHandlers,
  createTailscaleWhois,
  findTailscaleBinary,
  startTailscaleExposure,
  type TailscaleExposure,
  type TailscaleWhoisResolver,
  createLogger,
  createLogsTailHandler,
  loadTlsMaterial,
  type TlsMaterial,
  ensureGatewayToken,
  loadConfigFile,
  openStore,
  resolveConfigPath,
  resolveGatewaySettings,
  resolveLogFile,
  resolveStateDir,
  resolveStorePath,
  type GatewayFlags,
  type GatewaySettings,
} from "@openclaw/gateway-core";
import type { GatewayLogger } from "@openclaw/gateway-core";
import { createWebUiRoute, normalizeBasePath } from "@openclaw/webchat";
import { CHANNEL_LOADERS, loadChannelConfigSchemas } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { catalogProviders, resolveModel } from "../model-providers.js";
import { rememberUnshownToken, takeUnshownToken } from "../unshown-token.js";
import { applyLiveConfig } from "./live-config.js";
import { GATEWAY_VERSION } from "../version.js";

export interface GatewayRunOptions {
  readonly io: CommandIo;
  readonly flags: GatewayFlags;
  /** Log to stdout in pretty form, JSON lines, or not at all. @default "pretty" on a TTY, else "json" */
  readonly stdout?: "pretty" | "json" | "off";
}

/** A running gateway and the one way to stop it cleanly. */
export interface RunningGateway {
  readonly server: GatewayServer;
  readonly settings: GatewaySettings;
  readonly url: string;
  /** The gateway's log (file and stdout). */
  readonly logger: GatewayLogger["logger"];
  stop(reason?: string): Promise<void>;
}

/** The listen addresses of a bind mode; a non-loopback bind keeps a loopback listener too. */
export function bindHosts(settings: GatewaySettings): string[] {
  switch (settings.bind) {
    case "loopback":
      return ["127.0.0.1", "::1"];
    case "lan":
      return ["0.0.0.0"];
    case "custom":
      return [settings.bindHost, "127.0.0.1"];
    default:
      return [settings.bindHost];
  }
}

/** The parts of `status` only the composition root knows (the server reports its own heartbeat); paths are for admins only. */
function statusExtras(settings: GatewaySettings, storePath: string, tls: TlsMaterial | undefined, admin: boolean): Record<string, unknown> {
  return {
    channelSummary: [],
    sessions: {
      paths: admin ? [storePath] : [],
      count: 0,
      defaults: { model: settings.resolved.agents.defaults.model ?? null, contextTokens: null },
      recent: [],
      byAgent: [{ agentId: "main", path: admin ? storePath : "[redacted]", count: 0, recent: [] }],
    },
    auth: { mode: settings.auth.mode },
    bind: settings.bind,
    tls: tls ? { enabled: true, fingerprint256: tls.fingerprint256, notAfter: tls.notAfter, ...(admin ? { certPath: tls.certPath } : {}) } : { enabled: false },
  };
}

/**
 * Which `tailscale` CLI the gateway runs: for whois when Tailscale identities are accepted, and
 * for Serve/Funnel when `gateway.tailscale.mode` asks for it (missing then is a start error).
 */
function tailscaleSetup(settings: GatewaySettings, io: CommandIo): { whoisBinary?: string; exposeBinary?: string } {
  const usesWhois = settings.auth.allowTailscale && (settings.auth.mode === "token" || settings.auth.mode === "password");
  const mode = settings.tailscale.mode;
  if (!usesWhois && mode === "off") return {};
  const binary = findTailscaleBinary(io.env);
  if (binary === undefined && mode !== "off") {
    throw new CliError(
      `refusing to start: gateway.tailscale.mode is "${mode}" but the tailscale CLI is not on PATH; install Tailscale, or set gateway.tailscale.mode to "off"`,
    );
  }
  if (binary === undefined) {
    io.stderr.write(
      "warning: gateway.auth.allowTailscale is on but the tailscale CLI is not on PATH: Tailscale Serve logins fail (tailscale_whois_failed) until it is installed\n",
    );
    return {};
  }
  return { ...(usesWhois ? { whoisBinary: binary } : {}), ...(mode === "off" ? {} : { exposeBinary: binary }) };
}

/** The browser address of the Control UI for a gateway WebSocket URL. */
export function controlUiUrl(gatewayUrl: string, basePath: string): string {
  return `${gatewayUrl.replace(/^ws/, "http")}${normalizeBasePath(basePath)}`;
}

/**
 * `openclaw gateway run`: load config, take the host lock, open the store and the
 * log, then serve until `stop()`. Every failure is a CliError whose message says what to fix.
 */
export async function runGateway(options: GatewayRunOptions): Promise<RunningGateway> {
  const { io } = options;
  const stateDir = resolveStateDir(io.env, io.homedir);
  const configPath = resolveConfigPath(io.env, io.homedir);
  // Checked against the installed channels' schemas too: a bad key under `channels` stops here, naming it.
  const check = { channels: await loadChannelConfigSchemas() };
  let loaded = await loadConfigFile(configPath, io.env, check).catch((error: unknown) => {
    throw new CliError(`invalid config ${configPath}:\n${(error as Error).message}`);
  });
  let settings = resolveGatewaySettings({ config: loaded.config, env: io.env, flags: options.flags });

  if (settings.auth.mode === "none") {
    if (settings.bind !== "loopback")
      throw new CliError('refusing to start: gateway.auth.mode "none" is only allowed with a loopback bind (set a token or password, or use --bind loopback)');
    io.stderr.write('warning: gateway auth is disabled (mode "none"); any local process can control this gateway\n');
  }
  // A password mode without a password would refuse every connect; say so instead of starting.
  if (settings.auth.mode === "password" && !settings.auth.password) {
    const tokenHint = settings.auth.token ? " (a token is set, but password mode ignores it: use --auth token, or give the password)" : "";
    throw new CliError(
      `refusing to start: gateway.auth.mode is "password" but no password is set; set gateway.auth.password, OPENCLAW_GATEWAY_PASSWORD or --password${tokenHint}`,
    );
  }
  if (settings.bind !== "loopback" && settings.auth.mode !== "trusted-proxy" && !settings.auth.token && !settings.auth.password) {
    throw new CliError(`refusing to start: a ${settings.bind} bind needs gateway auth (set gateway.auth.token or --token)`);
  }

  let generatedToken: string | undefined;
  if (settings.auth.mode === "token" && !settings.auth.token) {
    const ensured = await ensureGatewayToken(configPath, loaded, { env: io.env, flags: options.flags, ...check });
    if (ensured.generated && ensured.token) {
      generatedToken = ensured.token;
      rememberUnshownToken(stateDir, ensured.token);
    }
    loaded = ensured.loaded;
    settings = resolveGatewaySettings({ config: loaded.config, env: io.env, flags: options.flags });
  }

  const tailscale = tailscaleSetup(settings, io);
  const model = resolveModel(settings, io.env);
  const controlUi = settings.controlUi;
  const lock = acquireInstanceLock({ stateDir, port: settings.port });
  const storePath = resolveStorePath(stateDir);
  let tls: TlsMaterial | undefined;
  const log = createLogger({
    file: resolveLogFile(stateDir),
    level: settings.resolved.logging.level,
    stdout: options.stdout ?? (io.stdout.isTTY ? "pretty" : "json"),
    stdoutStream: io.stdout,
  });
  const models = new ModelCatalog({
    providers: catalogProviders(settings, io.env, model),
    onListFailed: (provider, error) =>
      log.logger.warn({ provider, err: error }, `models.list: provider ${provider} did not list its models; listing its configured ones`),
  });
  let store: ReturnType<typeof openStore> | undefined;
  let server: GatewayServer | undefined;
  let exposure: TailscaleExposure | undefined;
  const whois: TailscaleWhoisResolver | undefined = tailscale.whoisBinary ? createTailscaleWhois({ binary: tailscale.whoisBinary, env: io.env }) : undefined;
  try {
    tls = await loadTlsMaterial({ stateDir, tls: settings.tls, hostnames: [settings.bindHost] });
    store = openStore(storePath);
    server = new GatewayServer({
      hosts: bindHosts(settings),
      port: settings.port,
      auth: settings.auth,
      version: GATEWAY_VERSION,
      stateDir,
      configPath,
      logger: log.logger,
      store,
      ...(whois ? { whois: whois.whois } : {}),
      pairing: { autoApproveLocal: settings.nodes.pairing.autoApproveLocal },
      // The canvas host serves <state dir>/canvas on the gateway port unless turned off.
      ...(io.env["OPENCLAW_SKIP_CANVAS_HOST"] === "1"
        ? {}
        : { canvas: { root: join(stateDir, "canvas"), ...(io.env["OPENCLAW_A2UI_ROOT"] ? { a2uiRoot: io.env["OPENCLAW_A2UI_ROOT"] } : {}) } }),
      nodeCommands: { allow: settings.nodes.commands?.allow ?? [], deny: settings.nodes.commands?.deny ?? [] },
      agent: {
        resolveModel: () => ({ provider: model.provider, model: model.model }),
        listModels: () => models.list(),
        // A model named elsewhere (a cron agentTurn's, a patched session's) is resolved like agents.defaults.model.
        resolveModelRef: (ref) => {
          if (ref === model.ref) return { provider: model.provider, model: model.model };
          try {
            const other = resolveModel(
              { ...settings, resolved: { ...settings.resolved, agents: { defaults: { ...settings.resolved.agents.defaults, model: ref } } } },
              io.env,
            );
            return { provider: other.provider, model: other.model };
          } catch (error) {
            throw new Error(`model "${ref}" is resolved like agents.defaults.model, and that failed: ${(error as Error).message}`, { cause: error });
          }
        },
      },
      heartbeat: settings.heartbeat,
      commands: { ownerAllowFrom: settings.resolved.commands.ownerAllowFrom },
      statusExtras: (admin) => statusExtras(settings, storePath, tls, admin),
      channels: {
        loaders: CHANNEL_LOADERS,
        config: settings.resolved.channels,
        dmScope: settings.resolved.session.dmScope,
        env: io.env,
        stateDir,
      },
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      // The Control UI and WebChat: static files on the gateway port, talking only the WS API.
      httpRoutes: controlUi.enabled ? [createWebUiRoute({ basePath: controlUi.basePath })] : [],
      allowedOrigins: controlUi.allowedOrigins ?? [],
      handlers: {
        ...createConfigHandlers({
          configPath,
          env: io.env,
          ...check,
          onWritten: (written, info) => {
            if (server) applyLiveConfig({ server, env: io.env, flags: options.flags }, written, info);
          },
        }),
        "logs.tail": createLogsTailHandler({ file: log.file }),
      },
    });
    await server.start().catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") throw new CliError(`port ${settings.port} is already in use by another process; stop it or pass --port`);
      if (error.code === "EADDRNOTAVAIL") throw new CliError(`cannot listen on ${bindHosts(settings).join(", ")}: address not available on this host`);
      throw error;
    });
    if (tailscale.exposeBinary) {
      const started = server;
      const mode = settings.tailscale.mode as "serve" | "funnel";
      exposure = await startTailscaleExposure({ mode, binary: tailscale.exposeBinary, port: started.port, tls: tls !== undefined, env: io.env }).catch(
        async (error: Error) => {
          await started.stop({ reason: "tailscale setup failed" });
          throw new CliError(`refusing to start: gateway.tailscale.mode is "${mode}" but ${error.message}`);
        },
      );
    }
  } catch (error) {
    await whois?.close();
    store?.close();
    await log.close();
    lock.release();
    if (generatedToken) io.stderr.write(`A gateway token was generated and saved to ${configPath}; it is shown when the gateway first starts.\n`);
    throw error;
  }

  const url = server.url;
  const configToken = loaded.config.gateway?.auth?.token;
  // A token generated by this start, or by an earlier one that failed before it could show it.
  if (takeUnshownToken(stateDir, configToken, settings.auth.token) && configToken) {
    io.stdout.write(
      `Generated a gateway token${generatedToken ? "" : " (during an earlier start that did not finish)"} and saved it to ${configPath} (mode 0600).\n` +
        `Connect with:  openclaw gateway health --url ${url} --token ${configToken}\n` +
        `This token is shown once; read it again from the config file (gateway.auth.token).\n`,
    );
  }
  io.stdout.write(
    `OpenClaw gateway ${GATEWAY_VERSION} listening on ${url} (auth: ${settings.auth.mode}, model: ${model.ref} — ${model.provider.label}, state: ${stateDir})\n`,
  );
  if (controlUi.enabled) io.stdout.write(`Control UI and WebChat: ${controlUiUrl(url, controlUi.basePath)} (paste the gateway token there once)\n`);
  if (exposure) {
    io.stdout.write(
      `Tailscale ${exposure.mode}: https://<this machine's tailnet name>/ routes to this gateway${exposure.mode === "funnel" ? " from the public internet" : ""} (removed when the gateway stops)\n`,
    );
  }
  if (tls) io.stdout.write(`TLS certificate SHA-256 fingerprint: ${tls.fingerprint256}${tls.generated ? " (newly generated; pin it in clients)" : ""}\n`);

  let stopping: Promise<void> | undefined;
  const running = server;
  return {
    server: running,
    settings,
    url,
    logger: log.logger,
    stop(reason = "gateway stopping") {
      stopping ??= (async () => {
        // The route goes first, so Serve stops sending clients to a gateway that is closing.
        await exposure?.stop().catch((error: Error) => {
          log.logger.warn({ err: error }, "could not remove the Tailscale route");
          io.stderr.write(`warning: ${error.message}; remove the route with: tailscale ${exposure!.mode} --https=443 off\n`);
        });
        await running.stop({ reason });
        await whois?.close();
        store?.close();
        await log.close();
        lock.release();
      })();
      return stopping;
    },
  };
}
