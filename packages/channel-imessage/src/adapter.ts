import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  AccountRuntime,
  ChannelSendError,
  DEFAULT_RECONNECT,
  TerminalConnectionError,
  describeError,
  writeFileAtomic,
  type AdapterAccountStatus,
  type ChannelAdapter,
  type ChannelLogger,
  type ChannelStartContext,
  type DownloadedMedia,
  type InboundMediaFact,
  type InboundMessage,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsMedia,
  type SupportsMediaDownload,
} from "@openclaw/channel-kit";
import { attachmentRoots } from "./attachment-roots.js";
import { ImsgDatabaseUnreadableError } from "./errors.js";
import { ImsgProcess, ImsgRequestError } from "./imsg-process.js";
import { toInbound, type ImsgMessage } from "./inbound.js";
import { readImessageAttachment } from "./media-download.js";
import type { ImessageAdapterOptions } from "./options.js";
import { stageOutboundFile } from "./send-media.js";

/** imsg's JSON-RPC error codes (steipete/imsg `RPCError`). */
const RPC_SERVER_BUSY = -32000;
const RPC_DELIVERY_UNKNOWN = -32001;
const RPC_INTERNAL = -32603;

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
  if (!(error instanceof ImsgRequestError)) return new ChannelSendError("ambiguous", `iMessage send failed: ${describeError(error)}`, { cause: error });
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
 * A refused file send, classified like a text. When Messages could not open the file (AppleScript's
 * "Can't make file … into type alias", or no such file) no retry will find it: permanent. Either way
 * an AppleScript failure says where imsg looked: on its own Mac, which may not be this one.
 */
function fileSendFailure(path: string, error: unknown): ChannelSendError {
  const failure = sendFailure(error);
  if (!(error instanceof ImsgRequestError) || error.failure.kind !== "rpc") return failure;
  const unreadable = error.message.includes(path) || /alias|\(-(?:43|1700)\)|no such file/i.test(error.message);
  if (!unreadable && error.failure.code !== RPC_INTERNAL) return failure;
  const hint = `; imsg sends ${path} from the Mac it runs on, so with an SSH-wrapper cliPath that file must exist on that Mac too (the gateway does not copy it there)`;
  return new ChannelSendError(unreadable ? "permanent" : failure.kind, `${failure.message}${hint}`, {
    status: unreadable ? 400 : failure.status,
    cause: error,
  });
}

/**
 * One iMessage account through `imsg rpc --json`. When the child exits, pending requests fail and
 * the supervisor starts a new one with backoff (never two). The last admitted rowid is kept on disk
 * and passed as `since_rowid`, so a restart misses nothing and replays nothing.
 */
export class ImessageAdapter implements ChannelAdapter, SupportsMedia, SupportsMediaDownload {
  readonly id = "imessage";
  readonly mediaMaxBytes: number;
  /** Where inbound attachment files may be read from (see attachment-roots.ts). */
  private readonly roots: readonly string[];
  private process: ImsgProcess | undefined;
  /** Its tracker's `linked`: imsg answered and read chat.db (`true`), or cannot read it (`false`); unknown before the first child. */
  private readonly account: AccountRuntime;
  /** 0 = unknown: imsg then starts at the newest row. */
  private lastRowid = 0;
  /** Until when rows were watched (the last cursor save, or a child's end); undefined when never recorded. */
  private watchedUntil: number | undefined;
  private logger: ChannelLogger | undefined;
  /** False once stop() began: rows are no longer admitted (their rowid is not advanced, so they come again). */
  private admitting = false;

  constructor(private readonly options: ImessageAdapterOptions) {
    this.mediaMaxBytes = options.mediaMaxBytes ?? 16 * 1024 * 1024;
    this.roots = attachmentRoots(options.attachmentRoots);
    this.account = new AccountRuntime({ channel: "imessage", accountId: options.accountId });
  }

  async start(context: ChannelStartContext): Promise<void> {
    if (this.account.running) return;
    this.account.begin();
    this.admitting = true;
    this.logger = context.logger;
    const cursor = this.readCursor();
    this.lastRowid = cursor.lastRowid;
    this.watchedUntil = cursor.savedAtMs;
    await this.account.supervise({
      label: "imsg",
      reconnect: this.options.reconnect,
      // A local child restarts cheaply: twice the bot channels' hourly budget.
      reconnectDefaults: { ...DEFAULT_RECONNECT, maxRestartsPerHour: 60 },
      // A child that keeps dying is retried in the background; start() does not wait forever for it.
      firstConnectionTimeoutMs: 10_000,
      connect: ({ reportHealthy }) => this.spawnChild(context, reportHealthy),
    });
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

  /** Saved atomically, so a crash leaves the old cursor or the new one. `savedAtMs` says we were watching then, which bounds the catch-up backlog. */
  private saveRowid(rowid: number): void {
    this.lastRowid = rowid;
    const now = Date.now();
    this.watchedUntil = now;
    try {
      mkdirSync(dirname(this.options.stateFile), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.options.stateFile, JSON.stringify({ lastRowid: rowid, savedAtMs: now }));
    } catch (error) {
      // The message is recorded by the core already; a lost cursor only means replays the core drops.
      this.logger?.error("could not persist the iMessage rowid", { error: describeError(error), file: this.options.stateFile });
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
      if (reason instanceof ImsgDatabaseUnreadableError) this.account.tracker.linked = false;
      throw reason instanceof TerminalConnectionError ? reason : error;
    }
    this.account.tracker.connected();
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
      this.account.tracker.linked = true;
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
    const messages =
      ((await child.request("messages.history", { chat_id: chatId, limit: 1 }, this.startupTimeoutMs)) as { messages?: ImsgMessage[] } | undefined)?.messages ??
      [];
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
    // Catch-up rows arrived while nothing watched, however long that was (a Mac asleep for a
    // weekend still delivers them): only those older than the gap are a backlog. Live rows older than the limit are a sync, not news.
    const catchUp = rowid !== undefined && rowid <= window.throughRowid;
    const oldestNews = catchUp ? (window.watchedUntil === undefined ? Number.NEGATIVE_INFINITY : window.watchedUntil - maxAgeMs) : Date.now() - maxAgeMs;
    if (inbound && inbound.timestamp < oldestNews) {
      context.logger.warn("skipped an old iMessage row (backlog, not news)", { guid: row.guid, ageMs: Date.now() - inbound.timestamp, catchUp });
    } else if (inbound) {
      try {
        await context.deliver(inbound);
        this.account.tracker.inbound();
      } catch (error) {
        // Not admitted: the rowid stays, so the next subscription starts before it.
        context.logger.error("could not hand an iMessage to the gateway", { error: describeError(error), guid: row.guid });
        return false;
      }
    }
    if (rowid !== undefined) this.saveRowid(rowid);
    return true;
  }

  private request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const child = this.process;
    if (!child?.running)
      return Promise.reject(new ImsgRequestError({ kind: "not-delivered", message: `imessage account ${this.options.accountId} is not running` }));
    return child.request(method, params);
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    const target = /^\d+$/.test(message.chatId) ? { chat_id: Number(message.chatId) } : { to: message.chatId };
    const result = (await this.account.gate.run(message.chatId, () => this.request("send", { ...target, text: message.text }), sendFailure)) as
      { guid?: string | null; id?: number } | undefined;
    const sentAtMs = this.account.tracker.outbound();
    // Older imsg answers just {ok: true}: sent, but with no id to record (is_from_me still drops the echo).
    const id = result?.guid ?? (typeof result?.id === "number" ? String(result.id) : undefined);
    return { providerMessageIds: id ? [id] : [], sentAtMs };
  }

  /**
   * One file with its caption in one imsg `send` (imsg sends the text, then the file). The file is
   * staged under its own name next to the cursor file, and imsg is given that path: it must be on the
   * Mac imsg runs on, so with an SSH-wrapper `cliPath` a send fails unless that Mac has it too.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    return this.account.gate.track(
      (async (): Promise<Receipt> => {
        const dir = join(dirname(this.options.stateFile), "outbound", this.options.accountId);
        const file = await stageOutboundFile(media, { dir, maxBytes: this.mediaMaxBytes });
        const target = /^\d+$/.test(media.chatId) ? { chat_id: Number(media.chatId) } : { to: media.chatId };
        const params = { ...target, file, ...(media.caption ? { text: media.caption } : {}) };
        const result = (await this.account.gate.run(
          media.chatId,
          () => this.request("send", params),
          (error) => fileSendFailure(file, error),
        )) as { guid?: string | null; id?: number } | undefined;
        const sentAtMs = this.account.tracker.outbound();
        const id = result?.guid ?? (typeof result?.id === "number" ? String(result.id) : undefined);
        return { providerMessageIds: id ? [id] : [], sentAtMs };
      })(),
    );
  }

  /** An inbound attachment's file, read from this machine's disk inside the attachment roots (see media-download.ts). */
  downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    return readImessageAttachment(media, options, this.roots);
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
    await this.account.gate.settle();
    const watched = this.account.supervised;
    await this.account.stopConnection();
    this.process = undefined;
    // Record that we watched until now, so the next start's catch-up is measured from here.
    if (watched && this.lastRowid > 0) this.saveRowid(this.lastRowid);
    await this.account.end();
  }

  /**
   * No relinkNeeded: imsg rides on Messages.app's own sign-in, which it cannot see; the one
   * terminal state it reports is chat.db being unreadable, and that is `linked: false`.
   */
  status(): AdapterAccountStatus {
    return this.account.status();
  }
}

/** Where one child's catch-up ends (rows up to `throughRowid` were in chat.db when it subscribed). */
interface CatchUpWindow {
  throughRowid: number;
  /** Until when rows were watched before this child; undefined when never recorded. */
  readonly watchedUntil: number | undefined;
}
