import type { ChannelAccountState } from "@openclaw/protocol";
import { AccountStatusTracker, type AdapterAccountStatus } from "./account-status.js";
import { CallGate, type CallGateOptions } from "./call-gate.js";
import { AlreadyRunningError, ChannelSendError } from "./errors.js";
import { DEFAULT_RECONNECT, supervisorPolicy, type ReconnectConfig } from "./reconnect-policy.js";
import type { ReconnectSupervisor } from "./reconnect-supervisor.js";
import { superviseConnection, type SupervisedStartOptions } from "./supervised-start.js";

export interface AccountRuntimeOptions extends Omit<CallGateOptions, "channel"> {
  /** The channel id ("telegram"): names the account in errors. */
  readonly channel: string;
}

/** What an adapter says about its connection; the runtime adds the account's tracker and backoff policy. */
export interface AccountConnectionOptions extends Omit<SupervisedStartOptions, "tracker" | "policy"> {
  /** The account's `reconnect` settings. */
  readonly reconnect: ReconnectConfig | undefined;
  /** The channel's backoff and budget where `reconnect` says nothing. @default DEFAULT_RECONNECT */
  readonly reconnectDefaults?: Required<ReconnectConfig>;
}

/**
 * The per-account state every adapter keeps, and the lifecycle steps they share: the status
 * tracker, the call gate for provider calls, and the supervisor of the account's connection.
 * The adapter keeps what is provider-specific: how one connection is opened and in which order
 * its own resources are released around `stopConnection()` and `end()`.
 */
export class AccountRuntime {
  readonly tracker: AccountStatusTracker;
  readonly gate: CallGate;
  readonly #channel: string;
  #running = false;
  #supervisor: ReconnectSupervisor | undefined;

  constructor(options: AccountRuntimeOptions) {
    this.#channel = options.channel;
    this.tracker = new AccountStatusTracker(options.accountId);
    this.gate = new CallGate(options);
  }

  get accountId(): string {
    return this.tracker.accountId;
  }

  /** Between `begin()` and `end()`. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * The first step of `start()`: refuses a second start, marks the account `starting` and gives
   * the gate a fresh limiter (an account may start again after `end()` closed it).
   * @throws AlreadyRunningError when the account has not ended since the last `begin()`.
   */
  begin(): void {
    if (this.#running) throw new AlreadyRunningError(this.#channel, this.accountId);
    this.#running = true;
    this.tracker.state = "starting";
    this.gate.reopen();
  }

  /**
   * Hands the account's connection to a reconnect supervisor whose status moves the tracker, and
   * waits as `firstConnectionTimeoutMs` says (rejecting when the first connection fails for good).
   */
  async supervise(options: AccountConnectionOptions): Promise<void> {
    const { reconnect, reconnectDefaults = DEFAULT_RECONNECT, ...rest } = options;
    const run = superviseConnection({ ...rest, tracker: this.tracker, policy: supervisorPolicy(reconnect, reconnectDefaults) });
    this.#supervisor = run.supervisor;
    await run.started();
  }

  /** Whether a supervisor owns the connection now. */
  get supervised(): boolean {
    return this.#supervisor !== undefined;
  }

  /** Stops the supervisor: the open connection is closed and every backoff timer cleared. Idempotent. */
  async stopConnection(): Promise<void> {
    const supervisor = this.#supervisor;
    this.#supervisor = undefined;
    await supervisor?.stop();
  }

  /**
   * The last step of `stop()`: waits for provider calls still in flight, closes the gate and marks
   * the account stopped, keeping a terminal state in `keep` so the status still says why.
   */
  async end(keep?: readonly ChannelAccountState[]): Promise<void> {
    await this.gate.settle();
    this.gate.close();
    this.tracker.stopped(keep);
    this.#running = false;
  }

  /** The send failure for a call made while the account is not running (retried later by the outbox). */
  notRunning(): ChannelSendError {
    return new ChannelSendError("transient", `${this.#channel} account ${this.accountId} is not running`);
  }

  /** The `channels.status` entry; `overrides` replace computed fields. */
  status(overrides?: Partial<AdapterAccountStatus>): AdapterAccountStatus {
    return this.tracker.status(overrides);
  }
}
