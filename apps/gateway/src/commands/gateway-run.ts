import type { GatewayFlags, GatewayLogger, GatewayServer, GatewaySettings } from "@openclaw/gateway-core";
import type { CommandIo } from "../io.js";
import { startGatewayInstance, type GatewayInstance } from "./gateway-instance.js";

export { bindHosts, controlUiUrl } from "./gateway-instance.js";

export interface GatewayRunOptions {
  readonly io: CommandIo;
  readonly flags: GatewayFlags;
  /** Log to stdout in pretty form, JSON lines, or not at all. @default "pretty" on a TTY, else "json" */
  readonly stdout?: "pretty" | "json" | "off";
  /** A restart for a config change could not bring the gateway back; it is stopped. @default writes the error to stderr */
  readonly onRestartFailed?: (error: Error) => void;
}

/** A running gateway and the one way to stop it cleanly. It stays the same object across in-process restarts. */
export interface RunningGateway {
  /** The current server; a restart replaces it. */
  readonly server: GatewayServer;
  readonly settings: GatewaySettings;
  readonly url: string;
  /** The gateway's log (file and stdout). */
  readonly logger: GatewayLogger["logger"];
  /** How many times a config change restarted it in this process. */
  readonly restarts: number;
  /** Resolves when the gateway has stopped for good: `stop()`, or a restart that failed. */
  readonly stopped: Promise<void>;
  stop(reason?: string): Promise<void>;
}

/** How long clients are told to expect the gateway back after a restart for a config change. */
const RESTART_EXPECTED_MS = 2000;

/**
 * `openclaw gateway run`: starts the gateway, and restarts it in this process when a config change
 * needs it (same port; clients see `shutdown` with `restartExpectedMs` and reconnect). The changed
 * config was checked before the old instance stopped; if the new one still cannot start (its port is
 * taken, say), the error is reported and the gateway stays down, so a supervisor restarts it.
 */
export async function runGateway(options: GatewayRunOptions): Promise<RunningGateway> {
  let current: GatewayInstance;
  let restarts = 0;
  let stopRequested: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));

  const restart = async (reason: string) => {
    restartTimer = undefined;
    const old = current;
    await old.stop({ reason: `restarting: ${reason}`, restartExpectedMs: RESTART_EXPECTED_MS });
    if (stopRequested) return;
    try {
      current = await start();
      restarts += 1;
    } catch (error) {
      (options.onRestartFailed ?? ((failure) => options.io.stderr.write(`gateway restart failed; the gateway is stopped: ${failure.message}\n`)))(
        error as Error,
      );
      stopRequested = Promise.resolve();
      finish();
    }
  };
  const start = () =>
    startGatewayInstance({
      io: options.io,
      flags: options.flags,
      ...(options.stdout ? { stdout: options.stdout } : {}),
      requestRestart: (delayMs, reason) => {
        if (stopRequested || restartTimer || restarting) return;
        restartTimer = setTimeout(() => {
          restarting = restart(reason).finally(() => (restarting = undefined));
        }, delayMs);
      },
    });

  current = await start();
  return {
    get server() {
      return current.server;
    },
    get settings() {
      return current.settings;
    },
    get url() {
      return current.url;
    },
    get logger() {
      return current.logger;
    },
    get restarts() {
      return restarts;
    },
    stopped,
    stop(reason = "gateway stopping") {
      stopRequested ??= (async () => {
        clearTimeout(restartTimer);
        restartTimer = undefined;
        await restarting;
        await current.stop({ reason });
        finish();
      })();
      return stopRequested;
    },
  };
}
