import type { Database } from "better-sqlite3";
import { pino, type Logger } from "pino";
import {
  ChannelSendError,
  EchoRegistry,
  auditDmPolicy,
  chunkText,
  supportsPhonePairing,
  supportsReconcile,
  supportsWebhook,
  evaluateDmPolicy,
  evaluateGroupPolicy,
  resolveMentionGate,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelDefinition,
  type ChannelLogger,
  type InboundMessage,
  type Receipt,
} from "@openclaw/channel-kit";
import type { MethodResult } from "@openclaw/protocol";
import { ConfigError, MethodError } from "../errors.js";
import type { MethodHandlers } from "../methods/types.js";
import type { HttpRoute } from "../http/routes.js";
import { redactText, registerLogSecrets } from "../logging/redaction.js";
import { evaluateAccountHealth, type ChannelAccountHealth, type ChannelHealthSummary } from "./account-health.js";
import { collectAccountSecrets } from "./account-secrets.js";
import { channelSessionKey, defaultAccountId, resolveChannelAccounts, type DmScope, type ResolvedChannelAccount } from "./accounts.js";
import { Outbox, type OutboxItem } from "./outbox.js";
import { ChannelPairingStore, normalizePairingCode, type ChannelPairingRequest } from "./pairing.js";
import { prepared } from "../store/statements.js";

/** Runs one agent turn for a channel conversation; the gateway's agent runtime behind it. */
export interface ChannelAgent {
  run(input: { sessionKey: string; agentId: string; message: string }): Promise<{ status: "ok" | "error" | "aborted"; text: string; error?: string }>;
}

/** Loads a channel's definition on demand, so provider libraries stay off the start-up path. */
export type ChannelLoader = () => Promise<ChannelDefinition>;

export interface ChannelServiceOptions {
  readonly db: Database;
  /** Every channel this build can run, by id; only configured ones are loaded. */
  readonly loaders: Readonly<Record<string, ChannelLoader>>;
  /** The `channels` section of the config. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly dmScope?: DmScope;
  readonly agent?: ChannelAgent;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stateDir?: string;
  readonly logger?: Logger;
  /** Outbox tuning (tests shorten these). */
  readonly outbox?: { readonly retryDelaysMs?: readonly number[]; readonly ttlMs?: number; readonly idleRecheckMs?: number; readonly reconcileDelayMs?: number };
  /** How long `send` waits for delivery before answering that the message is still queued. @default 15 s */
  readonly sendWaitMs?: number;
  /** Called whenever an account's state changes, to refresh health. */
  readonly onChange?: () => void;
  /**
   * How often account states are compared, so a change an adapter makes on its own (a WhatsApp
   * logout, a lost connection) refreshes health and a terminal state is alerted promptly. @default 5 s
   */
  readonly statusWatchMs?: number;
  readonly now?: () => number;
}

interface Account {
  readonly definition: ChannelDefinition;
  readonly resolved: ResolvedChannelAccount;
  adapter: ChannelAdapter | undefined;
  abort: AbortController | undefined;
  running: boolean;
  starting: Promise<void> | undefined;
  lastError: string | undefined;
  lastInboundAt: number | undefined;
  lastOutboundAt: number | undefined;
  /** Findings of the DM policy audit, logged once at load and shown in channels.status. */
  readonly warnings: readonly string[];
  /** Set while the account is terminal; the alert is logged when it is first set. */
  terminalSince: number | undefined;
  /** The last error seen and when it first appeared, for `health.lastErrorAt`. */
  lastSeenError: { readonly text: string; readonly at: number } | undefined;
  /** `state|connected` at the last status watch, to notice changes. */
  watchedState: string | undefined;
}

/** One account's entry in channels.status and health.channels: the protocol's fields plus the core's health and audit findings. */
export type ChannelAccountSnapshot = ChannelAccountStatus & { readonly health: ChannelAccountHealth; readonly warnings?: readonly string[] };

interface InboundRow {
  channel: string;
  account_id: string;
  chat_id: string;
  message_id: string;
  message: string;
}

const accountKey = (channel: string, accountId: string) => `${channel}\u0000${accountId}`;
const PAIRING_TEXT = (code: string, label: string) =>
  `Hi! This assistant only answers people its operator has approved. Your pairing code is ${code} (valid for 1 hour). ` +
  `Send it to the operator, who can approve you with: openclaw channels pairing approve ${label} ${code}`;
const AGENT_FAILED_TEXT = "Sorry, the assistant could not answer this message. The operator can find the reason in the gateway log.";

function toLogger(log: Logger): ChannelLogger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

function outboxEntry(item: OutboxItem) {
  return {
    id: item.id,
    idempotencyKey: item.idempotencyKey,
    channel: item.channel,
    accountId: item.accountId,
    chatId: item.chatId,
    status: item.status,
    attempts: item.attempts,
    chunksSent: item.chunksSent,
    createdAtMs: item.createdAtMs,
    expiresAtMs: item.expiresAtMs,
    ...(item.status === "pending" ? { nextAttemptAtMs: item.nextAttemptAtMs } : {}),
    ...(item.sentAtMs !== undefined ? { sentAtMs: item.sentAtMs } : {}),
    ...(item.lastError !== undefined ? { lastError: item.lastError } : {}),
    ...(item.deadReason !== undefined ? { deadReason: item.deadReason } : {}),
    preview: item.text.length > 80 ? `${item.text.slice(0, 79)}…` : item.text,
  };
}

/**
 * Owns the messaging channels: account lifecycle, the inbound router (dedupe before ack, DM and
 * group policy, pairing, one lane per conversation into the agent), the durable outbox and the
 * `send`/`channels.*` methods.
 */
export class ChannelService {
  readonly outbox: Outbox;
  readonly pairing: ChannelPairingStore;
  private readonly db: Database;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly accounts = new Map<string, Account>();
  private readonly definitions = new Map<string, ChannelDefinition>();
  private readonly echoes: EchoRegistry;
  private readonly lanes = new Map<string, Promise<void>>();
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private started = false;
  /** Every account's secret values, blanked in status text (the logger blanks them in lines). */
  private readonly secrets = new Set<string>();

  constructor(private readonly options: ChannelServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? pino({ level: "silent" });
    this.echoes = new EchoRegistry({ now: this.now });
    this.pairing = new ChannelPairingStore(this.db, this.now);
    this.outbox = new Outbox({
      db: this.db,
      ...options.outbox,
      now: this.now,
      transport: {
        chunks: (item) => this.chunksFor(item),
        ready: (item) => this.accounts.get(accountKey(item.channel, item.accountId))?.running === true,
        send: (item, chunk) => this.sendChunk(item, chunk),
        reconciler: (item) => this.reconcilerFor(item),
      },
      onError: (error, item) => this.log.error({ err: error, outboxId: item.id }, "outbox delivery failed unexpectedly"),
      onSettled: (item) => {
        if (item.status === "dead") this.log.warn({ outboxId: item.id, channel: item.channel, reason: item.deadReason }, "outbound message dead-lettered");
      },
    });
  }

  /** Configured channel ids, in config order. */
  get channelIds(): string[] {
    return Object.keys(this.options.config);
  }

  /**
   * Loads the configured channels and validates their settings; a bad key fails here, naming it.
   * Nothing connects yet.
   */
  async load(): Promise<void> {
    for (const [channel, section] of Object.entries(this.options.config)) {
      const loader = this.options.loaders[channel];
      if (!loader) {
        const known = Object.keys(this.options.loaders).join(", ");
        throw new ConfigError(`channels.${channel}: unknown channel "${channel}"; this gateway can run: ${known}`, [{ path: `channels.${channel}`, message: "unknown channel" }]);
      }
      const definition = await loader();
      this.definitions.set(channel, definition);
      for (const resolved of resolveChannelAccounts(channel, section, definition)) {
        const secrets = collectAccountSecrets(resolved.config, resolved.accountId === "default" ? (this.options.env ?? process.env) : {});
        for (const secret of secrets) this.secrets.add(secret);
        registerLogSecrets(this.log, secrets);
        // Field failure #14: a "*" next to pairing (or an allowlist with nobody on it) looks open
        // or closed to the operator and is the opposite; say so where they look.
        const warnings = auditDmPolicy({ mode: resolved.config.dmPolicy, allowFrom: resolved.config.allowFrom }).map((warning) => `${resolved.configPath}.${warning}`);
        for (const warning of warnings) this.log.warn({ channel, accountId: resolved.accountId }, `channel DM policy: ${warning}`);
        this.accounts.set(accountKey(channel, resolved.accountId), {
          definition,
          resolved,
          adapter: undefined,
          abort: undefined,
          running: false,
          starting: undefined,
          lastError: undefined,
          lastInboundAt: undefined,
          lastOutboundAt: undefined,
          warnings,
          terminalSince: undefined,
          lastSeenError: undefined,
          watchedState: undefined,
        });
      }
    }
  }

  /**
   * Replays inbound messages accepted before a restart, starts the outbox and starts every enabled
   * account. Resolves when every account has connected or failed; a failure is reported in the
   * account's status, not thrown.
   */
  async run(): Promise<void> {
    this.started = true;
    this.replayPending();
    this.outbox.start();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), 6 * 3_600_000);
    this.pruneTimer.unref();
    this.statusTimer = setInterval(() => this.watchStatus(), this.options.statusWatchMs ?? 5_000);
    this.statusTimer.unref();
    await Promise.all([...this.accounts.values()].filter((account) => account.resolved.enabled).map((account) => this.startAccount(account)));
  }

  /** `load()` then `run()`. */
  async start(): Promise<void> {
    await this.load();
    await this.run();
  }

  /** Stops inbound first, lets running turns end, then closes the outbox; nothing accepted is dropped. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.pruneTimer) clearInterval(this.pruneTimer);
      if (this.statusTimer) clearInterval(this.statusTimer);
      await Promise.all([...this.accounts.values()].map((account) => this.stopAccount(account)));
      await this.outbox.close();
      await Promise.allSettled([...this.lanes.values()]);
      this.echoes.close();
    })();
    return this.stopped;
  }

  private async startAccount(account: Account): Promise<void> {
    if (account.running || account.starting) return account.starting;
    const { channel, accountId } = account.resolved;
    const log = this.log.child({ channel, accountId });
    const abort = new AbortController();
    account.abort = abort;
    account.starting = (async () => {
      try {
        const adapter =
          account.adapter ??
          account.definition.create({
            accountId,
            config: account.resolved.config,
            env: this.options.env ?? process.env,
            stateDir: this.options.stateDir ?? ".",
          });
        account.adapter = adapter;
        await adapter.start({
          accountId,
          deliver: (inbound) => this.admit(account, inbound),
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
        this.outbox.kick();
      }
    })();
    return account.starting;
  }

  private async stopAccount(account: Account): Promise<void> {
    await account.starting;
    account.abort?.abort();
    account.running = false;
    await account.adapter?.stop().catch((error: unknown) => this.log.warn({ err: error, channel: account.resolved.channel }, "channel account did not stop cleanly"));
    this.changed(account);
  }

  // ---- inbound ----------------------------------------------------------------------------

  /**
   * What an adapter's `deliver` calls. The message is recorded under its dedupe key before this
   * resolves (so the adapter may ack the provider), then handled in its conversation's lane.
   */
  private async admit(account: Account, inbound: InboundMessage): Promise<void> {
    const { channel, accountId } = account.resolved;
    if (this.echoes.isEcho(channel, accountId, inbound.chat.id, inbound.providerMessageId)) return;
    const identity = account.adapter?.identity?.();
    if (identity && inbound.sender.id === identity.id) return;
    account.lastInboundAt = this.now();
    const inserted = prepared(
      this.db,
        `INSERT OR IGNORE INTO channel_inbound (channel, account_id, chat_id, message_id, received_at_ms, status, message)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(channel, accountId, inbound.chat.id, inbound.providerMessageId, this.now(), JSON.stringify(inbound));
    if (inserted.changes === 0) {
      this.log.debug({ channel, accountId, chatId: inbound.chat.id, messageId: inbound.providerMessageId }, "duplicate inbound message dropped");
      return;
    }
    this.schedule(account, inbound);
  }

  /**
   * Keeps the dedupe tombstones and delivered outbox rows for `retentionMs` (30 days), so a
   * provider's late redelivery is still recognized but the tables do not grow without bound.
   * Pending work is never pruned.
   */
  prune(retentionMs = 30 * 86_400_000): { inbound: number; outbox: number } {
    const cutoff = this.now() - retentionMs;
    const inbound = prepared(this.db, "DELETE FROM channel_inbound WHERE status != 'pending' AND received_at_ms < ?").run(cutoff).changes;
    const outbox = prepared(this.db, "DELETE FROM channel_outbox WHERE status = 'sent' AND created_at_ms < ?").run(cutoff).changes;
    return { inbound, outbox };
  }

  /** Messages accepted before a restart whose handling never finished. */
  private replayPending(): void {
    const rows = prepared(this.db, "SELECT channel, account_id, chat_id, message_id, message FROM channel_inbound WHERE status = 'pending' ORDER BY received_at_ms").all() as InboundRow[];
    for (const row of rows) {
      const account = this.accounts.get(accountKey(row.channel, row.account_id));
      if (!account) continue;
      this.log.info({ channel: row.channel, accountId: row.account_id, messageId: row.message_id }, "replaying an inbound message accepted before the restart");
      this.schedule(account, JSON.parse(row.message) as InboundMessage);
    }
  }

  private schedule(account: Account, inbound: InboundMessage): void {
    const lane = [inbound.channel, inbound.accountId, inbound.chat.id, inbound.thread?.id ?? ""].join("\u0000");
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(account, inbound))
      .catch((error: unknown) => this.log.error({ err: error, channel: inbound.channel }, "inbound message handling failed"));
    this.lanes.set(lane, next);
    void next.finally(() => {
      if (this.lanes.get(lane) === next) this.lanes.delete(lane);
    });
  }

  private finishInbound(inbound: InboundMessage, status: "done" | "dropped", outcome: string): void {
    prepared(this.db, "UPDATE channel_inbound SET status = ?, outcome = ? WHERE channel = ? AND account_id = ? AND chat_id = ? AND message_id = ?")
      .run(status, outcome, inbound.channel, inbound.accountId, inbound.chat.id, inbound.providerMessageId);
  }

  private async handle(account: Account, inbound: InboundMessage): Promise<void> {
    if (this.stopping) return;
    const { channel, accountId, config } = account.resolved;
    const replyKey = `reply:${channel}:${accountId}:${inbound.chat.id}:${inbound.providerMessageId}`;
    if (inbound.chat.kind === "dm") {
      const decision = evaluateDmPolicy({
        channel,
        senderId: inbound.sender.id,
        policy: { mode: config.dmPolicy, allowFrom: config.allowFrom },
        approvedSenders: this.pairing.approvedSenders(channel, accountId),
      });
      if (decision.action === "deny") return this.finishInbound(inbound, "dropped", `dm denied: ${decision.reason}`);
      if (decision.action === "pair") {
        const outcome = this.pairing.request({ channel, accountId, senderId: inbound.sender.id, senderName: inbound.sender.name ?? inbound.sender.username, chatId: inbound.chat.id });
        if (outcome.kind !== "created") return this.finishInbound(inbound, "dropped", outcome.kind === "full" ? "pairing: too many pending requests" : "pairing: request already pending");
        this.log.info({ channel, accountId, senderId: inbound.sender.id, code: outcome.request.code }, "channel pairing requested");
        this.db.transaction(() => {
          this.outbox.enqueue({ idempotencyKey: `pairing:${replyKey}`, channel, accountId, chatId: inbound.chat.id, text: PAIRING_TEXT(outcome.request.code, channel) });
          this.finishInbound(inbound, "done", "pairing code sent");
        })();
        return;
      }
    } else {
      const group = evaluateGroupPolicy({
        channel,
        senderId: inbound.sender.id,
        chatId: inbound.chat.id,
        policy: { mode: config.groupPolicy, allowFrom: config.groupAllowFrom, groups: Object.keys(account.resolved.groups) },
      });
      if (group.action === "deny") return this.finishInbound(inbound, "dropped", `group denied: ${group.reason}`);
      const settings = account.resolved.groups[inbound.chat.id] ?? account.resolved.groups["*"] ?? {};
      const identity = account.adapter?.identity?.();
      const gate = identity ? resolveMentionGate(inbound, identity, { requireMention: settings.requireMention ?? true }) : { skip: settings.requireMention !== false };
      if (gate.skip) return this.finishInbound(inbound, "dropped", "group message without a mention");
    }

    const agent = this.options.agent;
    if (!agent) return this.finishInbound(inbound, "dropped", "no agent runtime");
    const sessionKey = channelSessionKey({
      agentId: "main",
      channel,
      accountId,
      chat: inbound.chat,
      senderId: inbound.sender.id,
      thread: inbound.thread?.id,
      dmScope: this.options.dmScope ?? "main",
    });
    const sender = inbound.sender.name ?? inbound.sender.username ?? inbound.sender.id;
    const message = inbound.chat.kind === "dm" ? inbound.text : `${sender}: ${inbound.text}`;
    const result = await agent.run({ sessionKey, agentId: "main", message });
    // A turn cut short by shutdown stays pending and is replayed after the restart.
    if (this.stopping && result.status !== "ok") return;
    const text = result.status === "ok" ? result.text : AGENT_FAILED_TEXT;
    if (result.status !== "ok") this.log.error({ channel, accountId, sessionKey, error: result.error, status: result.status }, "agent turn for a channel message failed");
    this.db.transaction(() => {
      if (text.trim() !== "") {
        this.outbox.enqueue({
          idempotencyKey: replyKey,
          channel,
          accountId,
          chatId: inbound.chat.id,
          text,
          replyTo: inbound.providerMessageId,
          thread: inbound.thread?.id,
          sessionKey,
        });
      }
      this.finishInbound(inbound, "done", result.status);
    })();
  }

  // ---- outbound ---------------------------------------------------------------------------

  private chunksFor(item: OutboxItem): string[] {
    const account = this.accounts.get(accountKey(item.channel, item.accountId));
    if (!account) return [item.text];
    const { textChunkLimit, chunkMode, maxLinesPerMessage } = account.resolved;
    return chunkText(item.text, { limit: textChunkLimit, mode: chunkMode, ...(maxLinesPerMessage !== undefined ? { maxLines: maxLinesPerMessage } : {}) });
  }

  private async sendChunk(item: OutboxItem, chunk: string) {
    const account = this.accounts.get(accountKey(item.channel, item.accountId));
    if (!account?.adapter || !account.running) throw new Error(`${item.channel} account ${item.accountId} is not running`);
    let receipt: Receipt;
    try {
      receipt = await account.adapter.send({
        channel: item.channel,
        accountId: item.accountId,
        chatId: item.chatId,
        text: chunk,
        ...(item.replyTo !== undefined ? { replyTo: item.replyTo } : {}),
        ...(item.thread !== undefined ? { thread: item.thread } : {}),
        idempotencyKey: item.idempotencyKey,
      });
    } catch (error) {
      // The outbox stores the message as lastError/deadReason and lists it: no token may be in it.
      throw this.redactError(error);
    }
    this.echoes.remember(item.channel, item.accountId, item.chatId, receipt.providerMessageIds);
    account.lastOutboundAt = this.now();
    return receipt;
  }

  /** The adapter's look-up for an ambiguous send, when it has one (channel-kit `SupportsReconcile`). */
  private reconcilerFor(item: OutboxItem) {
    const adapter = this.accounts.get(accountKey(item.channel, item.accountId))?.adapter;
    if (!adapter || !supportsReconcile(adapter)) return undefined;
    return async (request: { chunk: string; index: number; attemptStartedAtMs: number }) => {
      let outcome;
      try {
        outcome = await adapter.reconcile({
          channel: item.channel,
          accountId: item.accountId,
          chatId: item.chatId,
          text: request.chunk,
          ...(item.replyTo !== undefined ? { replyTo: item.replyTo } : {}),
          ...(item.thread !== undefined ? { thread: item.thread } : {}),
          idempotencyKey: item.idempotencyKey,
          chunkIndex: request.index,
          attemptStartedAtMs: request.attemptStartedAtMs,
        });
      } catch (error) {
        throw this.redactError(error);
      }
      // A message that did land will echo back like any other we sent.
      if (outcome.status === "delivered") this.echoes.remember(item.channel, item.accountId, item.chatId, outcome.providerMessageIds);
      return outcome;
    };
  }

  // ---- webhooks ----------------------------------------------------------------------------

  /**
   * Serves provider webhooks on the gateway port at each running adapter's `webhookPath`. The
   * adapter verifies the signature or secret; bodies over 1 MiB are refused before it sees them.
   */
  webhookRoute(maxBodyBytes = 1_048_576): HttpRoute {
    return async (request, response) => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const account = [...this.accounts.values()].find((candidate) => candidate.running && candidate.adapter && supportsWebhook(candidate.adapter) && candidate.adapter.webhookPath === path);
      if (!account?.adapter || !supportsWebhook(account.adapter)) return false;
      if (request.method !== "POST") {
        response.writeHead(405, { allow: "POST" }).end();
        return true;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBodyBytes) {
          response.writeHead(413, { connection: "close" }).end();
          request.destroy();
          return true;
        }
        chunks.push(chunk);
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      const answer = await account.adapter.handleWebhook({ method: "POST", path, headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(answer.status, { "cache-control": "no-store", ...answer.headers });
      response.end(answer.body ?? "");
      return true;
    };
  }

  // ---- status and methods -----------------------------------------------------------------

  /** Blanks every configured secret (and anything token-shaped) in text shown to operators. */
  private redact(text: string): string {
    return redactText(text, this.secrets);
  }

  private redactError(error: unknown): unknown {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    const message = this.redact(error.message);
    if (message === error.message) return error;
    if (error instanceof ChannelSendError) {
      return new ChannelSendError(error.kind, message, { ...(error.status !== undefined ? { status: error.status } : {}), ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) });
    }
    return new Error(message);
  }

  private accountStatus(account: Account): ChannelAccountSnapshot {
    const live = account.adapter?.status();
    const state = account.starting ? "starting" : !account.resolved.enabled ? "disabled" : account.running ? (live?.state ?? "running") : account.lastError ? "failed" : "stopped";
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
    const health = evaluateAccountHealth({ channel: account.resolved.channel, status, config: account.resolved.config, groups: Object.keys(account.resolved.groups) });
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
   * Notes when an account's error changed and when it became terminal. A new error the adapter
   * reports (it retries on its own, so nothing else logs it) is logged once; entering
   * a terminal state is logged once as an error with `alert`, since nothing will retry it.
   * `adapterError` is the adapter's own text: the logger blanks the registered secrets in it.
   */
  private observe(account: Account, status: ChannelAccountStatus, terminal: boolean, adapterError: string | undefined): void {
    const { channel, accountId } = account.resolved;
    if (status.lastError === undefined) account.lastSeenError = undefined;
    else if (account.lastSeenError?.text !== status.lastError) {
      account.lastSeenError = { text: status.lastError, at: this.now() };
      if (adapterError !== undefined) this.log.warn({ channel, accountId, state: status.state, lastError: adapterError }, `channel account ${channel}/${accountId} reports an error: ${adapterError}`);
    }
    if (!terminal) {
      account.terminalSince = undefined;
      return;
    }
    if (account.terminalSince !== undefined) return;
    account.terminalSince = this.now();
    this.log.error(
      { alert: "channel-terminal", channel, accountId, state: status.state, lastError: status.lastError, relinkNeeded: status.relinkNeeded === true },
      `channel account ${channel}/${accountId} is ${status.state} and will not recover on its own${status.lastError ? `: ${status.lastError}` : ""}`,
    );
  }

  private fingerprint(account: Account): string {
    const status = this.accountStatus(account);
    return `${status.state}|${status.connected === true}|${status.health.terminal}`;
  }

  /** Health is refreshed with the account's state just reported; the watch compares against it. */
  private changed(account: Account): void {
    account.watchedState = this.fingerprint(account);
    this.options.onChange?.();
  }

  /** Compares every account's state with the last look; any change refreshes health. */
  private watchStatus(): void {
    let changed = false;
    for (const account of this.accounts.values()) {
      const fingerprint = this.fingerprint(account);
      if (account.watchedState !== fingerprint) changed = true;
      account.watchedState = fingerprint;
    }
    if (changed) this.options.onChange?.();
  }

  /**
   * Per-channel snapshots, as `channels.status` and `health.channels` report them, and `summary`,
   * the channels' part of the overall health: degraded while an enabled account is down or terminal.
   */
  snapshot(filter?: string): {
    channels: Record<string, { label: string; accounts: ChannelAccountSnapshot[] }>;
    order: string[];
    labels: Record<string, string>;
    summary: ChannelHealthSummary;
  } {
    const channels: Record<string, { label: string; accounts: ChannelAccountSnapshot[] }> = {};
    const problems: ChannelHealthSummary["problems"] = [];
    for (const account of this.accounts.values()) {
      const { channel } = account.resolved;
      if (filter !== undefined && channel !== filter) continue;
      channels[channel] ??= { label: account.definition.label, accounts: [] };
      const status = this.accountStatus(account);
      channels[channel].accounts.push(status);
      if (status.health.problem !== undefined) problems.push({ channel, accountId: status.accountId, state: status.state, terminal: status.health.terminal, problem: status.health.problem });
    }
    const order = this.channelIds.filter((id) => id in channels);
    return { channels, order, labels: Object.fromEntries(order.map((id) => [id, channels[id]!.label])), summary: { degraded: problems.length > 0, problems } };
  }

  private accountsOf(channel: string): ResolvedChannelAccount[] {
    return [...this.accounts.values()].filter((account) => account.resolved.channel === channel).map((account) => account.resolved);
  }

  private findAccounts(channel: string, accountId?: string): Account[] {
    if (!(channel in this.options.config)) {
      const configured = this.channelIds;
      throw MethodError.invalidRequest(`channel "${channel}" is not configured${configured.length ? `; configured channels: ${configured.join(", ")}` : "; add it under channels in the config"}`);
    }
    const all = [...this.accounts.values()].filter((account) => account.resolved.channel === channel);
    if (accountId === undefined) return all;
    const match = all.filter((account) => account.resolved.accountId === accountId);
    if (match.length === 0) throw MethodError.invalidRequest(`channel "${channel}" has no account "${accountId}"; accounts: ${all.map((account) => account.resolved.accountId).join(", ")}`);
    return match;
  }

  private resolveSendTarget(params: { channel?: string | undefined; accountId?: string | undefined; to: string }) {
    if (params.channel === "webchat") throw MethodError.invalidRequest("channel webchat is internal-only, use chat.send");
    let channel = params.channel;
    let to = params.to.trim();
    // `telegram:123` names the channel when none is given.
    const hinted = /^([a-z][a-z0-9-]*):(.+)$/.exec(to);
    if (hinted && hinted[1]! in this.options.config) {
      if (channel === undefined) channel = hinted[1]!;
      if (hinted[1] === channel) to = hinted[2]!;
    }
    if (channel === undefined) {
      const configured = this.channelIds;
      if (configured.length !== 1) {
        throw MethodError.invalidRequest(
          configured.length === 0 ? "no channels are configured; add one under channels in the config" : `channel is required: configured channels are ${configured.join(", ")}`,
        );
      }
      channel = configured[0]!;
    }
    const accounts = this.findAccounts(channel);
    const accountId = params.accountId ?? defaultAccountId(this.options.config[channel], accounts.map((account) => account.resolved));
    if (accountId === undefined) throw MethodError.invalidRequest(`channel "${channel}" has several accounts; name one with accountId (${accounts.map((account) => account.resolved.accountId).join(", ")})`);
    this.findAccounts(channel, accountId);
    const chatId = to.replace(/^(user|channel|chat|chat_id|group):/, "");
    if (chatId === "") throw MethodError.invalidRequest(`invalid send params: "to" names no chat`);
    return { channel, accountId, chatId };
  }

  /**
   * Sends text on a channel through the outbox and waits for the outcome. `idempotencyKey` is the
   * outbox key (a repeat returns the stored result); errors are `MethodError`s that name the problem.
   */
  async send(params: {
    to: string;
    message?: string | undefined;
    channel?: string | undefined;
    accountId?: string | undefined;
    replyToId?: string | undefined;
    threadId?: string | undefined;
    sessionKey?: string | undefined;
    idempotencyKey: string;
    runId: string;
  }): Promise<{ runId: string; messageId: string; channel: string; chatId: string }> {
    if (!this.started) throw MethodError.unavailable("channels are still starting");
    if (params.message === undefined || params.message.trim() === "") throw MethodError.invalidRequest("invalid send params: message is required (text to send)");
    const target = this.resolveSendTarget(params);
    const { item } = this.outbox.enqueue({
      idempotencyKey: params.idempotencyKey,
      ...target,
      text: params.message,
      replyTo: params.replyToId,
      thread: params.threadId,
      sessionKey: params.sessionKey,
    });
    const settled = await this.outbox.waitFor(item.id, this.options.sendWaitMs ?? 15_000);
    if (settled.status === "sent") return { runId: params.runId, messageId: settled.providerIds.at(-1) ?? "", channel: settled.channel, chatId: settled.chatId };
    if (settled.status === "dead") throw MethodError.unavailable(`delivery failed: ${settled.deadReason ?? "unknown reason"}`, { outboxId: settled.id, status: "dead" });
    throw MethodError.unavailable(
      `not delivered yet${settled.lastError ? ` (${settled.lastError})` : ""}; the message stays queued and will be sent once, so retry with the same idempotencyKey to check on it`,
      { outboxId: settled.id, status: settled.status },
    );
  }

  handlers(): MethodHandlers {
    const requireStarted = () => {
      if (!this.started) throw MethodError.unavailable("channels are still starting");
    };
    return {
      send: async (params) => {
        const media = params.mediaUrl ?? params.mediaUrls?.[0] ?? params.buffer;
        if (media !== undefined) throw MethodError.invalidRequest("invalid send params: media is not supported by this gateway's channels yet; send text in message");
        return this.send({ ...params, idempotencyKey: `send:${params.idempotencyKey}`, runId: params.idempotencyKey });
      },
      "channels.status": (params) => {
        const snapshot = this.snapshot(params.channel);
        return { ts: this.now(), channels: snapshot.channels, channelOrder: snapshot.order } as MethodResult<"channels.status">;
      },
      "channels.start": async (params) => {
        requireStarted();
        const accounts = this.findAccounts(params.channel, params.accountId);
        await Promise.all(accounts.map((account) => this.startAccount(account)));
        return { ok: accounts.every((account) => account.running), channel: params.channel, ...(params.accountId ? { accountId: params.accountId } : {}) };
      },
      "channels.stop": async (params) => {
        requireStarted();
        const accounts = this.findAccounts(params.channel, params.accountId);
        await Promise.all(accounts.map((account) => this.stopAccount(account)));
        return { ok: true, channel: params.channel, ...(params.accountId ? { accountId: params.accountId } : {}) };
      },
      "channels.logout": async (params) => {
        requireStarted();
        const accounts = this.findAccounts(params.channel, params.accountId);
        for (const account of accounts) {
          await this.stopAccount(account);
          await account.adapter?.logout?.();
        }
        return { ok: true, channel: params.channel, ...(params.accountId ? { accountId: params.accountId } : {}) };
      },
      "channels.login": async (params) => {
        requireStarted();
        const accounts = this.findAccounts(params.channel, params.accountId ?? defaultAccountId(this.options.config[params.channel], this.accountsOf(params.channel)));
        const account = accounts[0];
        if (!account || accounts.length !== 1) throw MethodError.invalidRequest(`channel "${params.channel}" has several accounts; name one with accountId`);
        await this.startAccount(account);
        const adapter = account.adapter;
        if (!adapter) throw MethodError.unavailable(`${params.channel} account ${account.resolved.accountId} did not start: ${account.lastError ?? "unknown error"}`);
        let pairingCode: string | undefined;
        if (params.phoneNumber !== undefined) {
          if (!supportsPhonePairing(adapter)) throw MethodError.invalidRequest(`${params.channel} has no pairing-code login; link it with the QR code`);
          pairingCode = await adapter.requestPairingCode(params.phoneNumber).catch((error: unknown) => {
            throw MethodError.unavailable(`could not get a pairing code: ${error instanceof Error ? error.message : String(error)}`);
          });
        }
        const status = this.accountStatus(account);
        return {
          ok: true,
          channel: params.channel,
          accountId: account.resolved.accountId,
          state: status.state,
          linked: status.linked ?? status.connected === true,
          ...(status.qr !== undefined ? { qr: status.qr } : {}),
          ...(pairingCode !== undefined ? { pairingCode } : {}),
        };
      },
      "channels.pairing.list": (params) => ({ requests: this.pairing.list({ channel: params.channel }).map(wirePairingRequest) }),
      "channels.pairing.approve": (params) => {
        const request = this.findPairing(params.channel, params.code, params.accountId);
        this.pairing.approve(request);
        this.log.info({ channel: request.channel, accountId: request.accountId, senderId: request.senderId }, "channel pairing approved");
        return { ok: true, channel: request.channel, accountId: request.accountId, senderId: request.senderId };
      },
      "channels.pairing.dismiss": (params) => {
        const request = this.findPairing(params.channel, params.code, params.accountId);
        this.pairing.dismiss(request);
        return { ok: true, channel: request.channel, accountId: request.accountId };
      },
      "channels.outbox.list": (params) => ({
        entries: this.outbox.list({ ...(params.status ? { status: params.status } : {}), ...(params.channel ? { channel: params.channel } : {}), ...(params.limit ? { limit: params.limit } : {}) }).map(outboxEntry),
      }),
      "channels.outbox.retry": (params) => {
        try {
          return { ok: true, entry: outboxEntry(this.outbox.retry(params.id)) };
        } catch (error) {
          throw MethodError.invalidRequest((error as Error).message);
        }
      },
      "channels.outbox.prune": (params) => ({ ok: true, removed: this.outbox.prune({ ...(params.olderThanMs !== undefined ? { olderThanMs: params.olderThanMs } : {}), includeSent: params.includeSent ?? false }) }),
    };
  }

  private findPairing(channel: string, code: string, accountId: string | undefined): ChannelPairingRequest {
    const request = this.pairing.find(channel, code, accountId);
    if (!request) {
      const pending = this.pairing.list({ channel }).length;
      throw MethodError.invalidRequest(
        `no pending pairing request with code ${normalizePairingCode(code)} on ${channel}${accountId ? ` account ${accountId}` : ""} (${pending} pending; codes expire after 1 hour — list them with: openclaw channels pairing list)`,
      );
    }
    return request;
  }
}

function wirePairingRequest(request: ChannelPairingRequest) {
  return {
    code: request.code,
    channel: request.channel,
    accountId: request.accountId,
    senderId: request.senderId,
    ...(request.senderName !== undefined ? { senderName: request.senderName } : {}),
    createdAtMs: request.createdAtMs,
    expiresAtMs: request.expiresAtMs,
  };
}
