import type { ChannelAccountState } from "@openclaw/protocol";
import type { AccountStatusTracker } from "./account-status.js";
import type { ChannelLogger } from "./adapter.js";
import { ReconnectSupervisor, type ConnectContext, type ReconnectSupervisorOptions, type SupervisedConnection } from "./reconnect-supervisor.js";

/** What a supervised `connect` gets: the supervisor's context, plus a way to end `start()` early. */
export interface SupervisedConnectContext extends ConnectContext {
  /** Ends the wait in `start()`: resolved (a QR is showing, the account is usable) or rejected with `error`. */
  settleStart(error?: Error): void;
}

export interface SupervisedStartOptions {
  /** Opens one connection; its `reportHealthy()` also ends the wait in `start()`. */
  readonly connect: (context: SupervisedConnectContext) => Promise<SupervisedConnection>;
  /** Backoff and hourly budget (`supervisorPolicy(config.reconnect, defaults)`). */
  readonly policy: Pick<ReconnectSupervisorOptions, "backoff" | "maxRestartsPerHour">;
  readonly tracker: AccountStatusTracker;
  /** Where backoffs and the final failure are logged; omitted, they only show in the status. */
  readonly logger?: ChannelLogger;
  /** Names the connection in log lines ("telegram polling", "slack socket"). */
  readonly label: string;
  /**
   * How long `start()` waits for the first healthy connection before returning with the account
   * still connecting in the background. `"none"`: return as soon as the supervisor runs.
   * `undefined`: wait until it is healthy or has failed for good.
   */
  readonly firstConnectionTimeoutMs?: number | "none";
  /** The state to report when the supervisor gives up; `undefined` leaves the tracker's state as it is. @default "failed" */
  readonly failedState?: () => ChannelAccountState | undefined;
  /** While true, supervisor status changes are ignored (an adapter that is stopping). */
  readonly ignoreStatus?: () => boolean;
}

/** A supervised account connection: the supervisor (keep it to stop it) and the wait for the first connection. */
export interface SupervisedStart {
  readonly supervisor: ReconnectSupervisor;
  /** Starts the supervisor and waits as `firstConnectionTimeoutMs` says; rejects when it fails for good first. */
  started(): Promise<void>;
}

/**
 * The start-up block every adapter shares: a `ReconnectSupervisor` whose status moves the
 * account's tracker (backing off → `reconnecting`, failed → `failed`), and a promise for the
 * first healthy connection so `start()` can report a refused token instead of retrying it.
 */
export function superviseConnection(options: SupervisedStartOptions): SupervisedStart {
  const { tracker, logger, label } = options;
  let settle: (error?: Error) => void = () => undefined;
  const first = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  // Nobody may be waiting (timeout "none", or the wait already ended): never an unhandled rejection.
  first.catch(() => undefined);
  const supervisor = new ReconnectSupervisor({
    connect: (context) =>
      options.connect({
        ...context,
        reportHealthy: () => {
          context.reportHealthy();
          settle();
        },
        settleStart: (error) => settle(error),
      }),
    ...options.policy,
  });
  supervisor.onStatus((status) => {
    if (options.ignoreStatus?.()) return;
    if (status.state === "backing-off") {
      tracker.reconnecting(status.attempt, status.lastError);
      logger?.warn(`${label} failed; reconnecting after a backoff`, { error: status.lastError, delayMs: status.delayMs, attempt: status.attempt });
    } else if (status.state === "failed") {
      const state = options.failedState ? options.failedState() : "failed";
      if (state !== undefined) tracker.failed(status.reason, state);
      else tracker.lastError ??= status.reason;
      logger?.error(`${label} stopped for good`, { reason: status.reason });
      settle(new Error(status.reason));
    }
  });
  return {
    supervisor,
    async started() {
      await supervisor.start();
      const timeoutMs = options.firstConnectionTimeoutMs;
      if (timeoutMs === "none") return;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(), timeoutMs);
      try {
        await first;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
