import type { Logger } from "pino";
import {
  ChannelSendError,
  supportsWebhook,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelDefinition,
  type ChannelLogger,
  type InboundMessage,
  type SupportsWebhook,
} from "@openclaw/channel-kit";
import type { ChannelAccountHealth, ChannelHealthSummary } from "@openclaw/protocol";
import { redactText } from "../logging/redaction.js";
import { evaluateAccountHealth } from "./account-health.js";
import { accountKey, loadChannelAccounts, sameConnection } from "./account-loading.js";
import { defaultAccountId, type ResolvedChannelAccount } from "./accounts.js";
import { selectAccounts, type ChannelsView } from "./send-target.js";

/** Loads a channel's definition on demand, so provider libraries stay off the start-up path. */
export type ChannelLoader = () => Promise<ChannelDefinition>;

/** One configured account: its settings, its adapter once created, and what its status reports. */
export interface ChannelAccount {
  readonly definition: ChannelDefinition;
  /** Replaced in place when only the core's policy settings change (see `reconfigure`). */
  resolved: ResolvedChannelAccount;
  adapter: ChannelAdapter | undefined;
  abort: AbortController | undefined;
  running: boolean;
  starting: Promise<void> | undefined;
  lastError: string | undefined;
  lastInboundAt: number | undefined;
  lastOutboundAt: number | undefined;
  /** Findings of the DM policy audit, logged once at load and shown in channels.status. */
  warnings: readonly string[];
  /** Set while the account is terminal; the alert is logged when it is first set. */
  terminalSince: number | undefined;
  /** The last error seen and when it first appeared, for `health.lastErrorAt`. */
  lastSeenError: { readonly text: string; readonly at: number } | undefined;
  /** `state|connected` at the last status watch, to notice changes. */
  watchedState: string | undefined;
}

/** One account's entry in channels.status and health.channels: the protocol's fields plus the core's health and audit findings. */
export type ChannelAccountSnapshot = ChannelAccountStatus & { readonly health: ChannelAccountHealth; readonly warnings?: readonly string[] };

/** Per-channel snapshots, as `channels.status` and `health.channels` report them, and the channels' part of the overall health. */
export interface ChannelsSnapshot {
  channels: Record<string, { label: string; accounts: ChannelAccountSnapshot[] }>;
  order: string[];
  labels: Record<string, string>;
  summary: ChannelHealthSummary;
}

export interface AccountRegistryOptions {
  /** Every channel this build can run, by id; only configured ones are loaded. */
  readonly loaders: Readonly<Record<string, ChannelLoader>>;
  /** The `channels` section of the config. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stateDir: string;
  readonly log: Logger;
  readonly now: () => number;
  /** Where a started adapter hands its inbound messages. */
  readonly deliver: (account: ChannelAccount, inbound: InboundMessage) => Promise<void>;
  /** Called after an account start settled, either way (the outbox looks for work it can now send). */
  readonly onStartSettled?: () => void;
  /** Called whenever an account's state changes, to refresh health. */
  readonly onChange?: () => void;
}

/** What `reconfigure` did, by `<channel>/<account>`. */
export interface ChannelReconfigure {
  readonly started: readonly string[];
  readonly stopped: readonly string[];
  readonly restarted: readonly string[];
  /** Accounts whose policy settings changed without a reconnect. */
  readonly updated: readonly string[];
}

function toLogger(log: Logger): ChannelLogger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

/**
 * The configured channel accounts and their lifecycle: loading and validating settings, starting
 * and stopping adapters, and each account's status and health, with secrets blanked.
 */
export class AccountRegistry {
  private readonly accounts = new Map<string, ChannelAccount>();
  /** Every account's secret values, blanked in status text (the logger blanks them in lines). */
  private readonly secrets = new Set<string>();
  private config: Readonly<Record<string, unknown>>;

  constructor(private readonly options: AccountRegistryOptions) {
    this.config = options.config;
  }

  /** Every account `config` configures, loaded and checked, none started; their secrets are blanked from now on. */
  private loadAll(config: Readonly<Record<string, unknown>>): Promise<Map<string, ChannelAccount>> {
    const { loaders, log, env } = this.options;
    return loadChannelAccounts(config, { loaders, log, env, secrets: this.secrets });
  }

  /** Configured channel ids, in config order. */
  get channelIds(): string[] {
    return Object.keys(this.config);
  }

  /** The config and resolved accounts, as send-target resolution reads them. */
  get view(): ChannelsView {
    return { config: this.config, accounts: this.all().map((account) => account.resolved) };
  }

  /**
   * Loads the configured channels and validates their settings; a bad key fails here, naming it.
   * Nothing connects yet.
   */
  async load(): Promise<void> {
    for (const [key, account] of await this.loadAll(this.config)) this.accounts.set(key, account);
  }

  /**
   * A changed `channels` section, applied while running. It is checked whole first, so a bad one
   * changes nothing. Accounts that went away stop; new ones start (when `start`); an account whose
   * adapter settings changed restarts with them; one whose policy settings alone changed (DM and
   * group policy, allowlists, chunking) keeps its connection and routes the next message by them.
   */
  async reconfigure(config: Readonly<Record<string, unknown>>, options: { readonly start: boolean }): Promise<ChannelReconfigure> {
    const next = await this.loadAll(config);
    const done = { started: [] as string[], stopped: [] as string[], restarted: [] as string[], updated: [] as string[] };
    const name = (account: ChannelAccount) => `${account.resolved.channel}/${account.resolved.accountId}`;
    for (const [key, current] of this.accounts) {
      if (next.has(key)) continue;
      await this.stop(current);
      this.accounts.delete(key);
      done.stopped.push(name(current));
    }
    for (const [key, fresh] of next) {
      const current = this.accounts.get(key);
      if (current && JSON.stringify(current.resolved) === JSON.stringify(fresh.resolved)) continue;
      if (current && current.definition.id === fresh.definition.id && sameConnection(current.resolved, fresh.resolved)) {
        current.resolved = fresh.resolved;
        current.warnings = fresh.warnings;
        done.updated.push(name(current));
        continue;
      }
      if (current) await this.stop(current);
      this.accounts.set(key, fresh);
      const starts = fresh.resolved.enabled && options.start;
      if (starts) await this.start(fresh);
      (current === undefined ? (starts ? done.started : []) : starts ? done.restarted : done.stopped).push(name(fresh));
    }
    this.config = config;
    this.options.onChange?.();
    return done;
  }

  get(channel: string, accountId: string): ChannelAccount | undefined {
    return this.accounts.get(accountKey(channel, accountId));
  }

  all(): ChannelAccount[] {
    return [...this.accounts.values()];
  }

  /**
   * The accounts of `channel`, or only `accountId`; throws INVALID_REQUEST naming what is
   * configured when there is no such channel or account.
   */
  find(channel: string, accountId?: string): ChannelAccount[] {
    const selected = new Set(selectAccounts(this.view, channel, accountId));
    return this.all().filter((account) => selected.has(account.resolved));
  }

  /** The account `send` and `channels.login` use when none is named, if the channel has one. */
  defaultAccountId(channel: string): string | undefined {
    return defaultAccountId(
      this.config[channel],
      this.all()
        .filter((account) => account.resolved.channel === channel)
        .map((account) => account.resolved),
    );
  }

  /** The running account whose adapter serves webhooks at `path`. */
  webhookAdapter(path: string): (ChannelAdapter & SupportsWebhook) | undefined {
    const account = this.all().find(
      (candidate) => candidate.running && candidate.adapter && supportsWebhook(candidate.adapter) && candidate.adapter.webhookPath === path,
    );
    return account?.adapter && supportsWebhook(account.adapter) ? account.adapter : undefined;
  }

  /** Starts the account's adapter; a failure is kept in its status, not thrown. */
  async start(account: ChannelAccount): Promise<void> {
    if (account.running || account.starting) return account.starting;
    const { channel, accountId } = account.resolved;
    const log = this.options.log.child({ channel, accountId });
    const abort = new AbortController();
    account.abort = abort;
    account.starting = (async () => {
      try {
        const adapter =
          account.adapter ??
          account.definition.create({
            accountId,
            config: account.resolved.config,
            env: this.options.env,
            stateDir: this.options.stateDir,
          });
        account.adapter = adapter;
        await adapter.start({
          accountId,
          deliver: (inbound) => this.options.deliver(account, inbound),
          logger: toLogger(log),
          signal: abort.signal,
        });
        account.running = true;
        account.lastError = undefined;
        log.info("channel account started");
      } catch (error) {
        account.lastError = this.redact(error instanceof Error ? error.message : String(error));
        log.error({ err: error }, "channel account failed to start");
        await account.adapter?.stop().catch(() => undefined);
      } finally {
        account.starting = undefined;
        this.changed(account);
        this.options.onStartSettled?.();
      }
    })();
    return account.starting;
  }

  async stop(account: ChannelAccount): Promise<void> {
    await account.starting;
    account.abort?.abort();
    account.running = false;
    await account.adapter
      ?.stop()
      .catch((error: unknown) => this.options.log.warn({ err: error, channel: account.resolved.channel }, "channel account did not stop cleanly"));
    this.changed(account);
  }

  /** Stops the account, then drops its provider session (credentials) when the adapter can. */
  async logout(account: ChannelAccount): Promise<void> {
    await this.stop(account);
    await account.adapter?.logout?.();
  }

  /** Blanks every configured secret (and anything token-shaped) in text shown to operators. */
  redact(text: string): string {
    return redactText(text, this.secrets);
  }

  /** The error with its message redacted; a `ChannelSendError` keeps its kind, status and retry hint. */
  redactError(error: unknown): unknown {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    const message = this.redact(error.message);
    if (message === error.message) return error;
    if (error instanceof ChannelSendError) {
      return new ChannelSendError(error.kind, message, {
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      });
    }
    return new Error(message);
  }

  /** The account's status and health as channels.status reports it; notes error and terminal transitions. */
  status(account: ChannelAccount): ChannelAccountSnapshot {
    const live = account.adapter?.status();
    const state = account.starting
      ? "starting"
      : !account.resolved.enabled
        ? "disabled"
        : account.running
          ? (live?.state ?? "running")
          : account.lastError
            ? "failed"
            : "stopped";
    const lastError = account.lastError ?? live?.lastError;
    const status: ChannelAccountStatus = {
      ...live,
      accountId: account.resolved.accountId,
      state,
      configured: true,
      enabled: account.resolved.enabled,
      running: account.running,
      connected: account.running && (live?.connected ?? false),
      ...(lastError !== undefined ? { lastError: this.redact(lastError) } : {}),
      ...(account.lastInboundAt !== undefined ? { lastInboundAt: account.lastInboundAt } : {}),
      ...(account.lastOutboundAt !== undefined ? { lastOutboundAt: account.lastOutboundAt } : {}),
    };
    const health = evaluateAccountHealth({
      channel: account.resolved.channel,
      status,
      config: account.resolved.config,
      groups: Object.keys(account.resolved.groups),
    });
    this.observe(account, status, health.terminal, account.lastError === undefined ? live?.lastError : undefined);
    return {
      ...status,
      health: {
        ...health,
        ...(account.terminalSince !== undefined ? { terminalSince: account.terminalSince } : {}),
        ...(account.lastSeenError !== undefined ? { lastErrorAt: account.lastSeenError.at } : {}),
      },
      ...(account.warnings.length > 0 ? { warnings: account.warnings } : {}),
    };
  }

  /**
   * Per-channel snapshots, as `channels.status` and `health.channels` report them, and `summary`,
   * the channels' part of the overall health: degraded while an enabled account is down or terminal.
   */
  snapshot(filter?: string): ChannelsSnapshot {
    const channels: ChannelsSnapshot["channels"] = {};
    const problems: ChannelHealthSummary["problems"] = [];
    for (const account of this.accounts.values()) {
      const { channel } = account.resolved;
      if (filter !== undefined && channel !== filter) continue;
      channels[channel] ??= { label: account.definition.label, accounts: [] };
      const status = this.status(account);
      channels[channel].accounts.push(status);
      if (status.health.problem !== undefined)
        problems.push({ channel, accountId: status.accountId, state: status.state, terminal: status.health.terminal, problem: status.health.problem });
    }
    const order = this.channelIds.filter((id) => id in channels);
    return { channels, order, labels: Object.fromEntries(order.map((id) => [id, channels[id]!.label])), summary: { degraded: problems.length > 0, problems } };
  }

  /** Compares every account's state with the last look; any change refreshes health. */
  watch(): void {
    let changed = false;
    for (const account of this.accounts.values()) {
      const fingerprint = this.fingerprint(account);
      if (account.watchedState !== fingerprint) changed = true;
      account.watchedState = fingerprint;
    }
    if (changed) this.options.onChange?.();
  }

  /**
   * Notes when an account's error changed and when it became terminal. A new error the adapter
   * reports (it retries on its own, so nothing else logs it) is logged once; entering
   * a terminal state is logged once as an error with `alert`, since nothing will retry it.
   * `adapterError` is the adapter's own text: the logger blanks the registered secrets in it.
   */
  private observe(account: ChannelAccount, status: ChannelAccountStatus, terminal: boolean, adapterError: string | undefined): void {
    const { log, now } = this.options;
    const { channel, accountId } = account.resolved;
    if (status.lastError === undefined) account.lastSeenError = undefined;
    else if (account.lastSeenError?.text !== status.lastError) {
      account.lastSeenError = { text: status.lastError, at: now() };
      if (adapterError !== undefined)
        log.warn(
          { channel, accountId, state: status.state, lastError: adapterError },
          `channel account ${channel}/${accountId} reports an error: ${adapterError}`,
        );
    }
    if (!terminal) {
      account.terminalSince = undefined;
      return;
    }
    if (account.terminalSince !== undefined) return;
    account.terminalSince = now();
    log.error(
      { alert: "channel-terminal", channel, accountId, state: status.state, lastError: status.lastError, relinkNeeded: status.relinkNeeded === true },
      `channel account ${channel}/${accountId} is ${status.state} and will not recover on its own${status.lastError ? `: ${status.lastError}` : ""}`,
    );
  }

  private fingerprint(account: ChannelAccount): string {
    const status = this.status(account);
    return `${status.state}|${status.connected === true}|${status.health.terminal}`;
  }

  /** Health is refreshed with the account's state just reported; the watch compares against it. */
  private changed(account: ChannelAccount): void {
    account.watchedState = this.fingerprint(account);
    this.options.onChange?.();
  }
}
