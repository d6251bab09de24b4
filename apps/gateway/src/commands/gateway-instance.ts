import { join } from "node:path";
import {
  GatewayServer,
  acquireInstanceLock,
  createConfigHandlers,
  createLogger,
  createTailscaleWhois,
  findTailscaleBinary,
  startTailscaleExposure,
  createLogsTailHandler,
  ensureGatewayToken,
  loadConfigFile,
  loadTlsMaterial,
  openStore,
  resolveConfigPath,
  resolveGatewaySettings,
  resolveLogFile,
  resolveStateDir,
  resolveStorePath,
  type GatewayConfig,
  type GatewayFlags,
  type GatewayLogger,
  type GatewaySettings,
  type HotArea,
  type LoadedConfig,
  type TailscaleExposure,
  type TailscaleWhoisResolver,
  type TlsMaterial,
} from "@openclaw/gateway-core";
import type { ShutdownEvent } from "@openclaw/protocol";
import { createWebUiRoute, normalizeBasePath } from "@openclaw/webchat";
import { CHANNEL_LOADERS, loadChannelConfigSchemas } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { AgentModels } from "../live/agent-models.js";
import { ConfigReloader } from "../live/config-reloader.js";
import { watchConfigFile, type ConfigWatcher } from "../live/config-watcher.js";
import { rememberUnshownToken, takeUnshownToken } from "../unshown-token.js";
import { GATEWAY_VERSION } from "../version.js";
import { openFileLimit, openFileLimitWarning } from "../open-file-limit.js";
import { checkStartable } from "./gateway-checks.js";

export interface GatewayInstanceOptions {
  readonly io: CommandIo;
  readonly flags: GatewayFlags;
  /** Log to stdout in pretty form, JSON lines, or not at all. @default "pretty" on a TTY, else "json" */
  readonly stdout?: "pretty" | "json" | "off";
  /** A config change asked for a restart in this process. */
  readonly requestRestart: (delayMs: number, reason: string) => void;
}

/** One start of the gateway: from loading the config to `stop`. A restart is a new instance. */
export interface GatewayInstance {
  readonly server: GatewayServer;
  /** The settings in effect; hot config changes replace them. */
  readonly settings: GatewaySettings;
  readonly url: string;
  readonly logger: GatewayLogger["logger"];
  stop(event: ShutdownEvent): Promise<void>;
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
 * Loads the config, takes the host lock, opens the store and the log, and serves until `stop()`.
 * Config changes (the file, or `config.*` writes) go through one {@link ConfigReloader}. Every
 * failure is a CliError whose message says what to fix.
 */
export async function startGatewayInstance(options: GatewayInstanceOptions): Promise<GatewayInstance> {
  const { io } = options;
  const stateDir = resolveStateDir(io.env, io.homedir);
  const configPath = resolveConfigPath(io.env, io.homedir);
  // Checked against the installed channels' schemas too: a bad key under `channels` stops here, naming it.
  const check = { channels: await loadChannelConfigSchemas() };
  let loaded = await loadConfigFile(configPath, io.env, check).catch((error: unknown) => {
    throw new CliError(`invalid config ${configPath}:\n${(error as Error).message}`);
  });
  const settingsOf = (config: GatewayConfig) => resolveGatewaySettings({ config, env: io.env, flags: options.flags });
  let settings = settingsOf(loaded.config);
  checkStartable(settings, io.env);
  if (settings.auth.mode === "none") io.stderr.write('warning: gateway auth is disabled (mode "none"); any local process can control this gateway\n');

  let generatedToken: string | undefined;
  if (settings.auth.mode === "token" && !settings.auth.token) {
    const ensured = await ensureGatewayToken(configPath, loaded, { env: io.env, flags: options.flags, ...check });
    if (ensured.generated && ensured.token) {
      generatedToken = ensured.token;
      rememberUnshownToken(stateDir, ensured.token);
    }
    loaded = ensured.loaded;
    settings = settingsOf(loaded.config);
  }

  const tailscale = tailscaleSetup(settings, io);
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
  const models = new AgentModels(settings, io.env, log.logger);
  let store: ReturnType<typeof openStore> | undefined;
  let server: GatewayServer | undefined;
  let watcher: ConfigWatcher | undefined;
  let exposure: TailscaleExposure | undefined;
  const whois: TailscaleWhoisResolver | undefined = tailscale.whoisBinary ? createTailscaleWhois({ binary: tailscale.whoisBinary, env: io.env }) : undefined;

  const applyHot = async (areas: readonly HotArea[], next: GatewaySettings) => {
    const running = server!;
    const { resolved } = next;
    // Channels first: a section the adapters refuse throws before anything else changed.
    await running.reconfigure({
      ...(areas.includes("channels") ? { channels: { config: resolved.channels, dmScope: resolved.session.dmScope, messages: resolved.messages } } : {}),
      ...(areas.includes("heartbeat") ? { heartbeat: next.heartbeat } : {}),
      ...(areas.includes("nodes")
        ? { nodeCommands: { allow: next.nodes.commands?.allow ?? [], deny: next.nodes.commands?.deny ?? [] }, pairing: next.nodes.pairing }
        : {}),
      ...(areas.includes("commands") ? { ownerAllowFrom: resolved.commands.ownerAllowFrom } : {}),
    });
    if (areas.includes("model")) models.update(next);
    if (areas.includes("logging")) log.setLevel(resolved.logging.level);
    settings = next;
    if (areas.includes("reload")) watchFile();
  };
  const reloader = new ConfigReloader(
    {
      log: log.logger,
      prepare: (config) => {
        const next = settingsOf(config);
        checkStartable(next, io.env);
        return next;
      },
      applyHot,
      requestRestart: options.requestRestart,
      announce: (changed) => server?.bus.broadcast("config.changed", { path: changed.path, hash: changed.hash, ts: Date.now() }),
    },
    loaded,
    settings,
  );
  const watchFile = () => {
    watcher?.close();
    watcher = undefined;
    if (!reloader.watching) return;
    watcher = watchConfigFile({
      path: configPath,
      debounceMs: settings.reload.debounceMs,
      onChange: () => void reloadFromFile(),
      onError: (error) => log.logger.warn({ err: error }, `config file ${configPath} is not watched (${error.message}); restart to apply edits`),
    });
  };
  const reloadFromFile = async () => {
    try {
      const edited = await loadConfigFile(configPath, io.env, check);
      if (!edited.exists) return log.logger.warn(`config file ${configPath} was removed; the running config stays`);
      await reloader.apply(edited, "file");
    } catch (error) {
      log.logger.error({ err: error }, `config file ${configPath} was not applied; the running config stays: ${(error as Error).message}`);
    }
  };

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
      pairing: settings.nodes.pairing,
      // The canvas host serves <state dir>/canvas on the gateway port unless turned off.
      ...(io.env["OPENCLAW_SKIP_CANVAS_HOST"] === "1"
        ? {}
        : { canvas: { root: join(stateDir, "canvas"), ...(io.env["OPENCLAW_A2UI_ROOT"] ? { a2uiRoot: io.env["OPENCLAW_A2UI_ROOT"] } : {}) } }),
      nodeCommands: { allow: settings.nodes.commands?.allow ?? [], deny: settings.nodes.commands?.deny ?? [] },
      agent: {
        resolveModel: () => ({ provider: models.model.provider, model: models.model.model }),
        listModels: () => models.list(),
        resolveModelRef: (ref) => models.resolveRef(ref),
      },
      heartbeat: settings.heartbeat,
      commands: { ownerAllowFrom: settings.resolved.commands.ownerAllowFrom },
      statusExtras: (admin) => statusExtras(settings, storePath, tls, admin),
      channels: {
        loaders: CHANNEL_LOADERS,
        config: settings.resolved.channels,
        dmScope: settings.resolved.session.dmScope,
        messages: settings.resolved.messages,
        env: io.env,
        stateDir,
      },
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      // The Control UI and WebChat: static files on the gateway port, talking only the WS API.
      httpRoutes: controlUi.enabled ? [createWebUiRoute({ basePath: controlUi.basePath })] : [],
      allowedOrigins: controlUi.allowedOrigins ?? [],
      // `openclaw dashboard` codes sign a browser in there; without the UI there is nothing to sign in to.
      ...(controlUi.enabled ? { dashboard: { path: normalizeBasePath(controlUi.basePath) } } : {}),
      handlers: {
        ...createConfigHandlers({
          configPath,
          env: io.env,
          ...check,
          accept: (config) => reloader.check(config),
          onWritten: (written, info) => reloader.apply(written, info.method, info.restartDelayMs),
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
  watchFile();

  const url = server.url;
  announceStart({ io, url, configPath, stateDir, settings, loaded, tls, generatedToken, modelRef: `${models.model.ref} — ${models.model.provider.label}` });
  if (exposure) {
    io.stdout.write(
      `Tailscale ${exposure.mode}: https://<this machine's tailnet name>/ routes to this gateway${exposure.mode === "funnel" ? " from the public internet" : ""} (removed when the gateway stops)\n`,
    );
  }

  let stopping: Promise<void> | undefined;
  const running = server;
  return {
    server: running,
    get settings() {
      return settings;
    },
    url,
    logger: log.logger,
    stop(event) {
      stopping ??= (async () => {
        watcher?.close();
        // The route goes first, so Serve stops sending clients to a gateway that is closing.
        await exposure?.stop().catch((error: Error) => {
          log.logger.warn({ err: error }, "could not remove the Tailscale route");
          io.stderr.write(`warning: ${error.message}; remove the route with: tailscale ${exposure!.mode} --https=443 off\n`);
        });
        await running.stop(event);
        await whois?.close();
        store?.close();
        await log.close();
        lock.release();
      })();
      return stopping;
    },
  };
}

interface StartFacts {
  readonly io: CommandIo;
  readonly url: string;
  readonly configPath: string;
  readonly stateDir: string;
  readonly settings: GatewaySettings;
  readonly loaded: LoadedConfig;
  readonly tls: TlsMaterial | undefined;
  readonly generatedToken: string | undefined;
  readonly modelRef: string;
}

/** The lines a start prints: the token once if it was never shown, the address, the Control UI and the TLS pin. */
function announceStart(facts: StartFacts): void {
  const { io, url, configPath, settings, tls } = facts;
  const configToken = facts.loaded.config.gateway?.auth?.token;
  // A token generated by this start, or by an earlier one that failed before it could show it.
  if (takeUnshownToken(facts.stateDir, configToken, settings.auth.token) && configToken) {
    io.stdout.write(
      `Generated a gateway token${facts.generatedToken ? "" : " (during an earlier start that did not finish)"} and saved it to ${configPath} (mode 0600).\n` +
        `Connect with:  openclaw gateway health --url ${url} --token ${configToken}\n` +
        `This token is shown once; read it again from the config file (gateway.auth.token).\n`,
    );
  }
  io.stdout.write(
    `OpenClaw gateway ${GATEWAY_VERSION} listening on ${url} (auth: ${settings.auth.mode}, model: ${facts.modelRef}, state: ${facts.stateDir})\n`,
  );
  if (settings.controlUi.enabled)
    io.stdout.write(
      `Control UI and WebChat: ${controlUiUrl(url, settings.controlUi.basePath)} (sign in with \`openclaw dashboard\`, or paste the gateway token there once)\n`,
    );
  if (tls) io.stdout.write(`TLS certificate SHA-256 fingerprint: ${tls.fingerprint256}${tls.generated ? " (newly generated; pin it in clients)" : ""}\n`);
  const lowFiles = openFileLimitWarning(openFileLimit(io.limitsFile));
  if (lowFiles) io.stderr.write(lowFiles);
}
