import {
  planReload,
  type ConfigWriteOutcome,
  type GatewayConfig,
  type GatewayLogger,
  type GatewaySettings,
  type HotArea,
  type LoadedConfig,
} from "@openclaw/gateway-core";

type Logger = GatewayLogger["logger"];

/** How long a restart waits when nobody said (`restartDelayMs`): the answer that caused it reaches its client first. */
export const DEFAULT_RESTART_DELAY_MS = 500;

/** Where a new config came from. */
export type ConfigSource = "file" | "config.set" | "config.apply" | "config.patch";

/** What the reloader acts on: the running gateway, seen through what each change needs. */
export interface ReloadTarget {
  readonly log: Logger;
  /** The settings `config` gives, checked as a start would check them; throws naming the problem. */
  prepare(config: GatewayConfig): GatewaySettings;
  /** Applies the hot areas of a change in place. */
  applyHot(areas: readonly HotArea[], settings: GatewaySettings): Promise<void>;
  /** Restarts the gateway in this process after `delayMs`: same port, clients reconnect. */
  requestRestart(delayMs: number, reason: string): void;
  /** Tells clients the file changed (`config.changed`: path and hash, never the contents). */
  announce(loaded: LoadedConfig): void;
}

/**
 * The one path a changed config takes into a running gateway, from the file watcher and from
 * `config.set`/`config.patch`/`config.apply` alike. Each changed key is classified by
 * `RELOAD_RULES` as hot or restart; `gateway.reload.mode` of the running config decides what
 * happens: "hybrid" applies hot keys and restarts for the rest, "hot" applies hot keys and
 * reports the rest as waiting for a restart, "restart" restarts on any change, "off" applies
 * nothing until the next start. Changes are applied one at a time, in order.
 */
export class ConfigReloader {
  /** The config the listener started with: restart keys are compared with it. */
  private readonly started: GatewayConfig;
  /** The config whose hot keys are in effect. */
  private applied: GatewayConfig;
  /** The hash of the newest config seen, so the watcher ignores the file a write just applied. */
  private seenHash: string;
  private mode: GatewaySettings["reload"]["mode"];
  private restartScheduled = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly target: ReloadTarget,
    initial: LoadedConfig,
    settings: GatewaySettings,
  ) {
    this.started = initial.config;
    this.applied = initial.config;
    this.seenHash = initial.hash;
    this.mode = settings.reload.mode;
  }

  /** Whether the file watcher should run. */
  get watching(): boolean {
    return this.mode !== "off";
  }

  /** Checks a config before it is written; throws naming the problem, so a bad write changes nothing. */
  check(config: GatewayConfig): void {
    this.target.prepare(config);
  }

  /** A config that reached the file, through a write or an edit. Resolves with what the write's answer reports. */
  apply(loaded: LoadedConfig, source: ConfigSource, restartDelayMs?: number): Promise<ConfigWriteOutcome> {
    const run = this.queue.then(() => this.applyNow(loaded, source, restartDelayMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(loaded: LoadedConfig, source: ConfigSource, restartDelayMs: number | undefined): Promise<ConfigWriteOutcome> {
    const { log } = this.target;
    if (source === "file" && loaded.hash === this.seenHash) return { restartRequired: false };
    const settings = this.target.prepare(loaded.config);
    this.seenHash = loaded.hash;
    this.target.announce(loaded);
    const delayMs = restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    const fromStart = planReload(this.started, loaded.config);
    const changedSinceStart = fromStart.changed;

    if (this.mode === "off") {
      const waiting = changedSinceStart.length > 0;
      if (waiting) log.info({ source, changed: changedSinceStart }, 'config changed; gateway.reload.mode is "off", so it applies at the next start');
      return this.outcome(source, waiting, delayMs, "config.apply");
    }
    if (this.mode === "restart") {
      const waiting = changedSinceStart.length > 0;
      return this.outcome(source, waiting, delayMs, waiting ? `config changed: ${changedSinceStart.join(", ")}` : "config.apply", waiting);
    }

    const hot = planReload(this.applied, loaded.config).hot;
    if (hot.length > 0) {
      await this.target.applyHot(hot, settings);
      log.info({ source, areas: hot }, `config applied in place: ${hot.join(", ")}`);
    }
    this.applied = loaded.config;
    if (hot.includes("reload")) this.mode = settings.reload.mode;
    const waiting = fromStart.restart.length > 0;
    if (waiting && this.mode === "hot")
      log.warn({ source, keys: fromStart.restart }, `config keys wait for a restart (gateway.reload.mode is "hot"): ${fromStart.restart.join(", ")}`);
    const restartNow = waiting && this.mode === "hybrid";
    return this.outcome(source, waiting, delayMs, `config changed: ${fromStart.restart.join(", ")}`, restartNow);
  }

  /** The answer, and the restart when this change calls for one (`config.apply` always does). */
  private outcome(source: ConfigSource, waiting: boolean, delayMs: number, reason: string, restart = false): ConfigWriteOutcome {
    const scheduled = restart || source === "config.apply";
    if (!scheduled) return { restartRequired: waiting };
    if (!this.restartScheduled) {
      this.restartScheduled = true;
      this.target.log.info({ source, delayMs }, `gateway restarts in ${delayMs} ms (${reason})`);
      this.target.requestRestart(delayMs, reason);
    }
    return { restartRequired: true, restart: { delayMs } };
  }
}
