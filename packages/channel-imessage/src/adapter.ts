import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  ChannelSendError,
  DEFAULT_RECONNECT,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  supervisorPolicy,
  type ChannelAccountContext,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelLogger,
  type ChannelStartContext,
  type InboundMessage,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
} from "@openclaw/channel-kit";
import { ImsgDatabaseUnreadableError } from "./errors.js";
import { ImsgProcess, ImsgRequestError } from "./imsg-process.js";
import { toInbound, type ImsgMessage } from "./inbound.js";

export interface ImessageAdapterOptions {
  readonly accountId: string;
  /** The imsg binary, or an SSH wrapper for a remote Mac. @default "imsg" */
  readonly cliPath: string;
  /** chat.db to read instead of the user's own. */
  readonly dbPath?: string;
  /** Ask imsg for attachment metadata. @default false */
  readonly includeAttachments?: boolean;
  /** Where the last admitted rowid is kept (`<stateDir>/imessage/<account>.json`). */
  readonly stateFile: string;
  /** Restart backoff after imsg exits. @default { initialMs: 1000, maxMs: 60000 } */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /**
   * Live rows older than this are a backlog (an iCloud sync), not news, and are skipped. Catch-up
   * rows after a restart are what arrived while nothing watched, and are delivered; only those
   * older than the gap by this much are a backlog. @default 900 000 (15 min)
   */
  readonly backlogMaxAgeMs?: number;
  /** Per request. @default 10 000 */
  readonly requestTimeoutMs?: number;
}

type State = "stopped" | "starting" | "connected" | "reconnecting" | "failed";

/** imsg's JSON-RPC error codes (steipete/imsg `RPCError`). */
const RPC_SERVER_BUSY = -32000;
const RPC_DELIVERY_UNKNOWN = -32001;
const RPC_INTERNAL = -32603;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A "retry after N s" hint in an error's message or data, in ms. */
function retryHintMs(error: ImsgRequestError): number | undefined {
  const failure = error.failure;
  const data = failure.kind === "rpc" ? failure.data : undefined;
  const structured = (data as { retry_after_ms?: unknown } | null | undefined)?.retry_after_ms;
  if (typeof structured === "number") return structured;
  const seconds = /retry after (\d+(?:\.\d+)?)/i.exec(`${error.message} ${typeof data === "string" ? data : ""}`)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** Classifies a failed `send` for the outbox. */
function sendFailure(error: unknown): ChannelSendError {
  if (!(error instanceof ImsgRequestError)) return new ChannelSendError("ambiguous", `iMessage send failed: ${describe(error)}`, { cause: error });
  const failure = error.failure;
  if (failure.kind === "not-delivered") return new ChannelSendError("transient", `iMessage send failed: ${failure.message}`, { cause: error });
  if (failure.kind === "timeout") return new ChannelSendError("ambiguous", failure.message, { cause: error });
  if (failure.code === RPC_SERVER_BUSY || /rate limit/i.test(failure.message)) {
    return new ChannelSendError("rate_limited", failure.message, { status: 429, retryAfterMs: retryHintMs(error) ?? 1_000, cause: error });
  }
  if (failure.code === RPC_DELIVERY_UNKNOWN) return new ChannelSendError("ambiguous", failure.message, { cause: error });
  // AppleScript and Messages.app failures: worth another try later.
  if (failure.code === RPC_INTERNAL) return new ChannelSendError("transient", failure.message, { status: 500, cause: error });
  // Invalid params (unknown chat, empty text), unknown method: retrying cannot help.
  return new ChannelSendError("permanent", failure.message, { status: 400, cause: error });
}

/**
 * One iMessage account through `imsg rpc --json`. When the child exits, pending requests fail and
 * the supervisor starts a new one with backoff (never two). The last admitted rowid is kept on disk
 * and passed as `since_rowid`, so a restart misses nothing and replays nothing.
 */
export class ImessageAdapter implements ChannelAdapter {
  readonly id = "imessage";
  private supervisor: ReconnectSupervisor | undefined;
  private process: ImsgProcess | undefined;
  private limiter = new RateLimiter();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** 0 = unknown: imsg then starts at the newest row. */
  private lastRowid = 0;
  /** Until when rows were watched (the last cursor save, or a child's end); undefined when never recorded. */
  private watchedUntil: number | undefined;
  /** imsg answered and read chat.db (`true`), or cannot read it (`false`); unknown before the first child. */
  private linked: boolean | undefined;
  private logger: ChannelLogger | undefined;
  /** False once stop() began: rows are no longer admitted (their rowid is not advanced, so they come again). */
  private admitting = false;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private lastInboundAt: number | undefined;
  private lastOutboundAt: number | undefined;
  private writes = 0;

  constructor(private readonly options: ImessageAdapterOptions) {}

  async start(context: ChannelStartContext): Promise<void> {
    if (this.supervisor) return;
    this.state = "starting";
    this.admitting = true;
    this.limiter = new RateLimiter();
    this.logger = context.logger;
    const cursor = this.readCursor();
    this.lastRowid = cursor.lastRowid;
    this.watchedUntil = cursor.savedAtMs;
    let first: (error?: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      first = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ reportHealthy }) =>
        this.spawnChild(context, () => {
          reportHealthy();
          first();
        }),
      // A local child restarts cheaply: twice the bot channels' hourly budget.
      ...supervisorPolicy(this.options.reconnect, { ...DEFAULT_RECONNECT, maxRestartsPerHour: 60 }),
    });
    supervisor.onStatus((status) => {
      if (status.state === "backing-off") {
        this.state = "reconnecting";
        this.reconnectAttempts = status.attempt;
        this.lastError = status.lastError;
      } else if (status.state === "failed") {
        this.state = "failed";
        this.lastError = status.reason;
        first(new Error(status.reason));
      }
    });
    this.supervisor = supervisor;
    await supervisor.start();
    // A child that keeps dying is retried in the background; start() does not wait forever for it.
    const timer = setTimeout(() => first(), 10_000);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
  }

  private readCursor(): { lastRowid: number; savedAtMs?: number } {
    try {
      const saved = JSON.parse(readFileSync(this.options.stateFile, "utf8")) as { lastRowid?: unknown; savedAtMs?: unknown };
      return {
        lastRowid: typeof saved.lastRowid === "number" ? saved.lastRowid : 0,
        ...(typeof saved.savedAtMs === "number" ? { savedAtMs: saved.savedAtMs } : {}),
      };
    } catch {
      return { lastRowid: 0 };
    }
  }

  /**
   * temp + fsync + rename: a crash leaves the old cursor or the new one, never half a file (field
   * failure #3). `savedAtMs` says we were watching then, which bounds the catch-up backlog.
   */
  private saveRowid(rowid: number): void {
    this.lastRowid = rowid;
    const now = Date.now();
    this.watchedUntil = now;
    const temp = `${this.options.stateFile}.tmp-${process.pid}-${++this.writes}`;
    try {
      mkdirSync(dirname(this.options.stateFile), { recursive: true, mode: 0o700 });
      const fd = openSync(temp, "w", 0o600);
      try {
        writeSync(fd, JSON.stringify({ lastRowid: rowid, savedAtMs: now }));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.options.stateFile);
    } catch (error) {
      // The message is recorded by the core already; a lost cursor only means replays the core drops.
      this.logger?.error("could not persist the iMessage rowid", { error: describe(error), file: this.options.stateFile });
    }
  }

  private async spawnChild(context: ChannelStartContext, subscribed: () => void): Promise<SupervisedConnection> {
    let rows: Promise<void> = Promise.resolve();
    // After one row could not be recorded, nothing later on this child is admitted (its rowid would skip it).
    let stuck = false;
    // Rows chat.db already had when this child subscribed are catch-up, not live (set by subscribe).
    const window: CatchUpWindow = { throughRowid: this.lastRowid, watchedUntil: this.watchedUntil };
    const child: ImsgProcess = new ImsgProcess({
      cliPath: this.options.cliPath,
      ...(this.options.dbPath ? { dbPath: this.options.dbPath } : {}),
      requestTimeoutMs: this.options.requestTimeoutMs ?? 10_000,
      logger: context.logger,
      onNotification: (method, params) => {
        if (method === "message" && params["message"] && typeof params["message"] === "object") {
          const row = params["message"] as ImsgMessage;
          rows = rows.then(async () => {
            if (stuck) return;
            if (!(await this.admit(row, context, window))) {
              stuck = true;
              child.kill();
            }
          });
        } else if (method === "error") {
          // The watch died inside imsg (chat.db unreadable, …): a fresh child resubscribes.
          context.logger.error("imsg reported a watch error; restarting it", { error: (params["error"] as { message?: string } | undefined)?.message });
          child.kill();
        }
      },
    });
    this.process = child;
    try {
      await Promise.race([this.subscribe(child, context, window), child.closed]);
    } catch (error) {
      await child.close();
      // A pending request fails as soon as the child exits; why it exited (chat.db unreadable) comes after.
      const reason = await child.closed.then(
        () => undefined,
        (closedWith: unknown) => closedWith,
      );
      if (reason instanceof ImsgDatabaseUnreadableError) this.linked = false;
      throw reason instanceof TerminalConnectionError ? reason : error;
    }
    this.state = "connected";
    this.lastError = undefined;
    this.reconnectAttempts = 0;
    this.lastConnectedAt = Date.now();
    subscribed();
    const ended = () => {
      // We watched until now; rows after this are the next child's catch-up.
      this.watchedUntil = Date.now();
      return rows;
    };
    return {
      closed: child.closed.finally(ended),
      close: async () => {
        await child.close();
        await ended();
      },
    };
  }

  /**
   * `watch.subscribe` from the saved rowid. First the newest rowid is read: it proves imsg runs
   * and can read chat.db (`linked`), it marks where catch-up ends and live rows begin, and on a
   * first run it becomes the cursor, so a restart before any message arrived still resumes from
   * there instead of from "whatever is newest then" (imsg's meaning of no `since_rowid`).
   */
  private async subscribe(child: ImsgProcess, context: ChannelStartContext, window: CatchUpWindow): Promise<void> {
    let newest: number | undefined;
    try {
      newest = await this.newestRowid(child);
      this.linked = true;
    } catch (error) {
      // An imsg without chats.list still watches; every row is then judged as live.
      if (!(error instanceof ImsgRequestError && error.failure.kind === "rpc")) throw error;
      context.logger.warn("imsg could not list chats; catch-up rows are judged as live", { error: error.message });
    }
    if (newest !== undefined) {
      if (this.lastRowid === 0 && newest > 0) this.saveRowid(newest);
      window.throughRowid = Math.max(this.lastRowid, newest);
    }
    await child.request(
      "watch.subscribe",
      {
        attachments: this.options.includeAttachments ?? false,
        ...(this.lastRowid > 0 ? { since_rowid: this.lastRowid } : {}),
      },
      this.startupTimeoutMs,
    );
  }

  /** The first requests to a child also wait for it to boot (and, over SSH, to connect), which a send never does. */
  private get startupTimeoutMs(): number {
    return Math.max(this.options.requestTimeoutMs ?? 10_000, 10_000);
  }

  /** The newest rowid imsg can see: the newest message of the most recent chat (`chats.list` is also the probe). */
  private async newestRowid(child: ImsgProcess): Promise<number> {
    const chats = ((await child.request("chats.list", { limit: 1 }, this.startupTimeoutMs)) as { chats?: { id?: number }[] } | undefined)?.chats ?? [];
    const chatId = chats[0]?.id;
    if (typeof chatId !== "number") return 0;
    const messages = ((await child.request("messages.history", { chat_id: chatId, limit: 1 }, this.startupTimeoutMs)) as { messages?: ImsgMessage[] } | undefined)?.messages ?? [];
    return Math.max(0, ...messages.map((message) => (typeof message.id === "number" ? message.id : 0)));
  }

  /** Hands one row to the gateway; false when it could not be recorded (the child is restarted). */
  private async admit(row: ImsgMessage, context: ChannelStartContext, window: CatchUpWindow): Promise<boolean> {
    if (!this.admitting) return true;
    const rowid = typeof row.id === "number" ? row.id : undefined;
    // Already admitted (imsg replays from since_rowid, and a watcher may repeat itself).
    if (rowid !== undefined && rowid <= this.lastRowid) return true;
    const inbound = toInbound(row, this.options.accountId);
    const maxAgeMs = this.options.backlogMaxAgeMs ?? 15 * 60_000;
    // Catch-up rows arrived while nothing watched, however long that was (field failure #8): only
    // those older than the gap are a backlog. Live rows older than the limit are a sync, not news.
    const catchUp = rowid !== undefined && rowid <= window.throughRowid;
    const oldestNews = catchUp ? (window.watchedUntil === undefined ? Number.NEGATIVE_INFINITY : window.watchedUntil - maxAgeMs) : Date.now() - maxAgeMs;
    if (inbound && inbound.timestamp < oldestNews) {
      context.logger.warn("skipped an old iMessage row (backlog, not news)", { guid: row.guid, ageMs: Date.now() - inbound.timestamp, catchUp });
    } else if (inbound) {
      try {
        await context.deliver(inbound);
        this.lastInboundAt = Date.now();
      } catch (error) {
        // Not admitted: the rowid stays, so the next subscription starts before it.
        context.logger.error("could not hand an iMessage to the gateway", { error: describe(error), guid: row.guid });
        return false;
      }
    }
    if (rowid !== undefined) this.saveRowid(rowid);
    return true;
  }

  private request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const child = this.process;
    if (!child?.running) return Promise.reject(new ImsgRequestError({ kind: "not-delivered", message: `imessage account ${this.options.accountId} is not running` }));
    return child.request(method, params);
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    const work = (async (): Promise<Receipt> => {
      await this.limiter.acquire(this.options.accountId, message.chatId).catch((error: unknown) => {
        throw new ChannelSendError("transient", `imessage account ${this.options.accountId} is stopping`, { cause: error });
      });
      const target = /^\d+$/.test(message.chatId) ? { chat_id: Number(message.chatId) } : { to: message.chatId };
      let result: { guid?: string | null; id?: number } | undefined;
      try {
        result = (await this.request("send", { ...target, text: message.text })) as typeof result;
      } catch (error) {
        const failure = sendFailure(error);
        if (failure.kind === "rate_limited") this.limiter.penalize(this.options.accountId, message.chatId, failure.retryAfterMs ?? 1_000);
        throw failure;
      }
      this.lastOutboundAt = Date.now();
      // Older imsg answers just {ok: true}: sent, but with no id to record (is_from_me still drops the echo).
      const id = result?.guid ?? (typeof result?.id === "number" ? String(result.id) : undefined);
      return { providerMessageIds: id ? [id] : [], sentAtMs: this.lastOutboundAt };
    })();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** The chats imsg can see, newest first (also a probe that the CLI and Messages answer). */
  async listChats(limit = 20): Promise<unknown[]> {
    const result = (await this.request("chats.list", { limit })) as { chats?: unknown[] } | undefined;
    return result?.chats ?? [];
  }

  /** The latest messages of a chat from others, oldest first. */
  async history(chatId: string, limit = 50): Promise<InboundMessage[]> {
    const result = (await this.request("messages.history", { chat_id: Number(chatId), limit })) as { messages?: ImsgMessage[] } | undefined;
    return (result?.messages ?? [])
      .slice()
      .sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
      .map((row) => toInbound(row, this.options.accountId))
      .filter((inbound): inbound is InboundMessage => inbound !== undefined);
  }

  /** Stops admitting rows, lets in-flight sends settle, then ends the child. Idempotent. */
  async stop(): Promise<void> {
    this.admitting = false;
    await Promise.allSettled([...this.inFlight]);
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    await supervisor?.stop();
    this.process = undefined;
    // Record that we watched until now, so the next start's catch-up is measured from here.
    if (supervisor && this.lastRowid > 0) this.saveRowid(this.lastRowid);
    this.limiter.close();
    if (this.state !== "failed") this.state = "stopped";
  }

  status(): ChannelAccountStatus {
    return {
      accountId: this.options.accountId,
      state: this.state,
      connected: this.state === "connected",
      reconnectAttempts: this.reconnectAttempts,
      // No relinkNeeded: imsg rides on Messages.app's own sign-in, which it cannot see; the one
      // terminal state it reports is chat.db being unreadable, and that is `linked: false`.
      ...(this.linked !== undefined ? { linked: this.linked } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastInboundAt !== undefined ? { lastInboundAt: this.lastInboundAt } : {}),
      ...(this.lastOutboundAt !== undefined ? { lastOutboundAt: this.lastOutboundAt } : {}),
    };
  }
}

/** Where one child's catch-up ends (rows up to `throughRowid` were in chat.db when it subscribed). */
interface CatchUpWindow {
  throughRowid: number;
  /** Until when rows were watched before this child; undefined when never recorded. */
  readonly watchedUntil: number | undefined;
}

export const IMESSAGE_CONFIG_KEYS = ["cliPath", "dbPath", "includeAttachments", "reconnect", "backlogMaxAgeMs", "requestTimeoutMs"] as const;

function positiveNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** Reads one account's settings; throws InvalidOptionError naming the key. */
export function imessageOptions(account: ChannelAccountContext): ImessageAdapterOptions {
  const path = account.accountId === "default" ? "channels.imessage" : `channels.imessage.accounts.${account.accountId}`;
  const config = account.config;
  const cliPath = config["cliPath"] ?? "imsg";
  if (typeof cliPath !== "string" || cliPath === "") throw new InvalidOptionError(`${path}.cliPath`, "the imsg executable (or an SSH wrapper)", cliPath);
  const dbPath = config["dbPath"];
  if (dbPath !== undefined && (typeof dbPath !== "string" || dbPath === "")) throw new InvalidOptionError(`${path}.dbPath`, "a path to chat.db", dbPath);
  const includeAttachments = config["includeAttachments"];
  if (includeAttachments !== undefined && typeof includeAttachments !== "boolean") throw new InvalidOptionError(`${path}.includeAttachments`, "true or false", includeAttachments);
  const backlog = config["backlogMaxAgeMs"];
  if (backlog !== undefined && (typeof backlog !== "number" || !(backlog >= 0))) throw new InvalidOptionError(`${path}.backlogMaxAgeMs`, "milliseconds >= 0", backlog);
  const timeout = config["requestTimeoutMs"];
  if (timeout !== undefined && !positiveNumber(timeout)) throw new InvalidOptionError(`${path}.requestTimeoutMs`, "milliseconds > 0", timeout);
  const reconnect = config["reconnect"] as { initialMs?: unknown; maxMs?: unknown } | undefined;
  if (reconnect !== undefined && (typeof reconnect !== "object" || reconnect === null || (reconnect.initialMs !== undefined && !positiveNumber(reconnect.initialMs)) || (reconnect.maxMs !== undefined && !positiveNumber(reconnect.maxMs)))) {
    throw new InvalidOptionError(`${path}.reconnect`, "{ initialMs?: number > 0, maxMs?: number > 0 }", reconnect);
  }
  return {
    accountId: account.accountId,
    cliPath,
    stateFile: join(account.stateDir, "imessage", `${account.accountId}.json`),
    ...(typeof dbPath === "string" ? { dbPath } : {}),
    ...(typeof includeAttachments === "boolean" ? { includeAttachments } : {}),
    ...(reconnect ? { reconnect: reconnect as { initialMs?: number; maxMs?: number } } : {}),
    ...(typeof backlog === "number" ? { backlogMaxAgeMs: backlog } : {}),
    ...(typeof timeout === "number" ? { requestTimeoutMs: timeout } : {}),
  };
}
