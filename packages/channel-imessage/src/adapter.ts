import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import {
  ChannelSendError,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  type BotIdentity,
  type ChannelAccountContext,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelStartContext,
  type InboundMessage,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
} from "@openclaw/channel-kit";

export interface ImessageAdapterOptions {
  readonly accountId: string;
  /** The imsg binary, or an SSH wrapper for a remote Mac. @default "imsg" */
  readonly cliPath: string;
  readonly dbPath?: string;
  readonly includeAttachments?: boolean;
  /** Where the last admitted rowid is kept. */
  readonly stateFile: string;
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Live rows older than this are a backlog, not news, and are skipped. @default 15 min */
  readonly backlogMaxAgeMs?: number;
  /** Per request. @default 10 000 */
  readonly requestTimeoutMs?: number;
}

type State = "stopped" | "starting" | "connected" | "reconnecting" | "failed";

interface Row {
  readonly rowid?: number;
  readonly guid?: string;
  readonly chat_id?: number | string;
  readonly text?: string | null;
  readonly sender?: string;
  readonly is_from_me?: boolean;
  readonly is_group?: boolean;
  readonly date?: string;
  readonly attachments?: readonly { readonly path?: string; readonly mime_type?: string; readonly transfer_name?: string; readonly total_bytes?: number }[];
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A watched row as an InboundMessage; `undefined` for our own messages and empty rows. */
export function toInbound(row: Row, accountId: string): InboundMessage | undefined {
  if (row.is_from_me || !row.guid || row.chat_id === undefined || !row.sender) return undefined;
  const text = row.text ?? "";
  const media = (row.attachments ?? []).map((attachment) => ({
    ...(attachment.path ? { path: attachment.path } : {}),
    ...(attachment.mime_type ? { contentType: attachment.mime_type } : {}),
    ...(attachment.total_bytes !== undefined ? { sizeBytes: attachment.total_bytes } : {}),
    ...(attachment.transfer_name ? { fileName: attachment.transfer_name } : {}),
  }));
  if (text === "" && media.length === 0) return undefined;
  return {
    channel: "imessage",
    accountId,
    chat: { kind: row.is_group ? "group" : "dm", id: String(row.chat_id) },
    sender: { id: row.sender },
    text,
    mentions: [],
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: row.guid,
    timestamp: row.date ? Date.parse(row.date) : Date.now(),
  };
}

/**
 * One iMessage account through `imsg rpc --json`: newline-delimited JSON-RPC over the child's
 * stdio, framed with a StringDecoder so a character split across reads survives. When the child
 * exits, pending requests fail and the supervisor starts a new one with backoff (never two). The
 * last admitted rowid is kept on disk and passed as `since_rowid`, so a restart misses nothing.
 */
export class ImessageAdapter implements ChannelAdapter {
  readonly id = "imessage";
  private supervisor: ReconnectSupervisor | undefined;
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly limiter = new RateLimiter();
  private readonly inFlight = new Set<Promise<unknown>>();
  private nextId = 1;
  private lastRowid = 0;
  private state: State = "stopped";
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private writes = 0;

  constructor(private readonly options: ImessageAdapterOptions) {}

  async start(context: ChannelStartContext): Promise<void> {
    this.state = "starting";
    this.lastRowid = this.readRowid();
    let first: (error?: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      first = (error) => (error ? reject(error) : resolve());
    });
    const supervisor = new ReconnectSupervisor({
      connect: ({ reportHealthy }) => this.spawnChild(context, () => {
        reportHealthy();
        first();
      }),
      backoff: { initialDelayMs: this.options.reconnect?.initialMs ?? 1_000, maxDelayMs: this.options.reconnect?.maxMs ?? 60_000 },
      maxRestartsPerHour: 60,
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
    const timer = setTimeout(() => first(), 10_000);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
  }

  private readRowid(): number {
    try {
      const saved = JSON.parse(readFileSync(this.options.stateFile, "utf8")) as { lastRowid?: unknown };
      return typeof saved.lastRowid === "number" ? saved.lastRowid : 0;
    } catch {
      return 0;
    }
  }

  /** temp + fsync + rename: a crash leaves the old rowid or the new one. */
  private saveRowid(rowid: number): void {
    this.lastRowid = rowid;
    mkdirSync(dirname(this.options.stateFile), { recursive: true, mode: 0o700 });
    const temp = `${this.options.stateFile}.tmp-${process.pid}-${++this.writes}`;
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify({ lastRowid: rowid }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.options.stateFile);
  }

  private async spawnChild(context: ChannelStartContext, subscribed: () => void): Promise<SupervisedConnection> {
    const args = ["rpc", "--json", ...(this.options.dbPath ? ["--db", this.options.dbPath] : [])];
    const child = spawn(this.options.cliPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    // Writing to a child that already died must not crash the gateway.
    child.stdin?.on("error", (error) => context.logger.warn("imsg stdin closed", { error: describe(error) }));
    const decoder = new StringDecoder("utf8");
    let buffer = "";
    let rows: Promise<void> = Promise.resolve();
    // After one row could not be recorded, nothing later on this child is admitted (its rowid would skip it).
    let stuck = false;
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += decoder.write(chunk);
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === "") continue;
        let message: { id?: number; result?: unknown; error?: { code?: number; message?: string }; method?: string; params?: { message?: Row } };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          context.logger.warn("imsg wrote a line that is not JSON; skipped", { line: line.slice(0, 200) });
          continue;
        }
        if (message.method === "message" && message.params?.message) {
          const row = message.params.message;
          rows = rows.then(async () => {
            if (!stuck && !(await this.admit(row, context))) stuck = true;
          });
        } else if (typeof message.id === "number") {
          const waiter = this.pending.get(message.id);
          if (!waiter) continue;
          this.pending.delete(message.id);
          clearTimeout(waiter.timer);
          if (message.error) waiter.reject(Object.assign(new Error(message.error.message ?? "imsg error"), { rpcCode: message.error.code }));
          else waiter.resolve(message.result);
        }
      }
    });
    const closed = new Promise<void>((_resolve, reject) => {
      // A binary that is not there (or not executable) will not appear by retrying: stop for good.
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT" || error.code === "EACCES"
            ? new TerminalConnectionError(`could not run ${this.options.cliPath}: ${error.message}; set channels.imessage.cliPath to the imsg executable`)
            : new Error(`could not run ${this.options.cliPath}: ${error.message}`),
        ),
      );
      child.once("exit", (code, signal) => {
        if (this.child === child) this.child = undefined;
        const reason = `imsg exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`;
        for (const [id, waiter] of this.pending) {
          clearTimeout(waiter.timer);
          waiter.reject(Object.assign(new Error(reason), { exited: true }));
          this.pending.delete(id);
        }
        reject(new Error(reason));
      });
    });
    closed.catch(() => undefined);
    try {
      await Promise.race([this.request("watch.subscribe", { attachments: this.options.includeAttachments ?? false, since_rowid: this.lastRowid }), closed]);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    this.state = "connected";
    this.lastError = undefined;
    this.reconnectAttempts = 0;
    this.lastConnectedAt = Date.now();
    subscribed();
    return {
      closed: closed.finally(() => rows),
      close: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.stdin?.end();
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
          await exited;
          clearTimeout(timer);
        }
        await rows;
      },
    };
  }

  /** Hands one row to the gateway; false when it could not be recorded (the child is restarted). */
  private async admit(row: Row, context: ChannelStartContext): Promise<boolean> {
    const rowid = typeof row.rowid === "number" ? row.rowid : undefined;
    if (rowid !== undefined && rowid <= this.lastRowid) return true;
    const inbound = toInbound(row, this.options.accountId);
    const maxAge = this.options.backlogMaxAgeMs ?? 15 * 60_000;
    if (inbound && Date.now() - inbound.timestamp > maxAge) {
      context.logger.warn("skipped an old iMessage row (backlog, not news)", { guid: row.guid, ageMs: Date.now() - inbound.timestamp });
    } else if (inbound) {
      try {
        await context.deliver(inbound);
      } catch (error) {
        // Not admitted: the rowid stays, so the next subscription starts before it.
        context.logger.error("could not hand an iMessage to the gateway", { error: describe(error), guid: row.guid });
        this.child?.kill("SIGTERM");
        return false;
      }
    }
    if (rowid !== undefined) this.saveRowid(rowid);
    return true;
  }

  private request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const child = this.child;
    if (!child?.stdin?.writable) return Promise.reject(Object.assign(new Error("imsg is not running"), { exited: true }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(Object.assign(new Error(`imsg did not answer ${method} within ${this.options.requestTimeoutMs ?? 10_000} ms`), { timedOut: true }));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve, reject, timer });
      child.stdin!.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    const work = (async () => {
      await this.limiter.acquire(this.options.accountId, message.chatId);
      let result: { guid?: string; rowid?: number } | undefined;
      try {
        const target = /^\d+$/.test(message.chatId) ? { chat_id: Number(message.chatId) } : { to: message.chatId };
        result = (await this.request("send", { ...target, text: message.text })) as typeof result;
      } catch (error) {
        const failure = error as Error & { exited?: boolean; timedOut?: boolean; rpcCode?: number };
        if (failure.exited) throw new ChannelSendError("transient", `iMessage send failed: ${failure.message}`, { cause: error });
        if (failure.timedOut) throw new ChannelSendError("ambiguous", failure.message, { cause: error });
        const retryAfter = /retry after (\d+)/i.exec(failure.message)?.[1];
        if (/rate limit/i.test(failure.message)) {
          const retryAfterMs = Number(retryAfter ?? 30) * 1000;
          this.limiter.penalize(this.options.accountId, message.chatId, retryAfterMs);
          throw new ChannelSendError("rate_limited", `iMessage: ${failure.message}`, { status: 429, retryAfterMs, cause: error });
        }
        if (failure.rpcCode === -32603) throw new ChannelSendError("transient", `iMessage: ${failure.message}`, { cause: error });
        throw new ChannelSendError("permanent", `iMessage refused: ${failure.message}`, { status: 400, cause: error });
      }
      const id = result?.guid ?? (result?.rowid !== undefined ? String(result.rowid) : undefined);
      if (!id) throw new ChannelSendError("ambiguous", "imsg sent the message but returned no guid");
      if (result?.rowid !== undefined && result.rowid > this.lastRowid) this.saveRowid(result.rowid);
      return { providerMessageIds: [id], sentAtMs: Date.now() };
    })();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** The chats imsg can see (also a probe that the CLI and Messages answer). */
  async listChats(): Promise<unknown[]> {
    const result = (await this.request("chats.list", {})) as { chats?: unknown[] } | undefined;
    return result?.chats ?? [];
  }

  /** The latest messages of a chat, oldest first, as InboundMessages (our own included, marked by sender "me"). */
  async history(chatId: string, limit = 50): Promise<InboundMessage[]> {
    const result = (await this.request("messages.history", { chat_id: Number(chatId), limit })) as { messages?: Row[] } | undefined;
    return (result?.messages ?? []).map((row) => toInbound({ ...row, is_from_me: false }, this.options.accountId)).filter((message): message is InboundMessage => message !== undefined);
  }

  async stop(): Promise<void> {
    this.state = "stopped";
    await Promise.allSettled([...this.inFlight]);
    await this.supervisor?.stop();
    this.supervisor = undefined;
    this.limiter.close();
  }

  identity(): BotIdentity | undefined {
    return undefined;
  }

  status(): ChannelAccountStatus {
    return {
      accountId: this.options.accountId,
      state: this.state,
      connected: this.state === "connected",
      reconnectAttempts: this.reconnectAttempts,
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }
}

export const IMESSAGE_CONFIG_KEYS = ["cliPath", "dbPath", "includeAttachments", "reconnect", "backlogMaxAgeMs"] as const;

export function imessageOptions(account: ChannelAccountContext): ImessageAdapterOptions {
  const path = account.accountId === "default" ? "channels.imessage" : `channels.imessage.accounts.${account.accountId}`;
  const config = account.config;
  const cliPath = config.cliPath ?? "imsg";
  if (typeof cliPath !== "string" || cliPath === "") throw new InvalidOptionError(`${path}.cliPath`, "the imsg executable (or an SSH wrapper)", cliPath);
  if (config.dbPath !== undefined && typeof config.dbPath !== "string") throw new InvalidOptionError(`${path}.dbPath`, "a path to chat.db", config.dbPath);
  if (config.backlogMaxAgeMs !== undefined && (typeof config.backlogMaxAgeMs !== "number" || config.backlogMaxAgeMs < 0)) throw new InvalidOptionError(`${path}.backlogMaxAgeMs`, "milliseconds >= 0", config.backlogMaxAgeMs);
  return {
    accountId: account.accountId,
    cliPath,
    stateFile: join(account.stateDir, "imessage", `${account.accountId}.json`),
    ...(typeof config.dbPath === "string" ? { dbPath: config.dbPath } : {}),
    ...(typeof config.includeAttachments === "boolean" ? { includeAttachments: config.includeAttachments } : {}),
    ...(config.reconnect ? { reconnect: config.reconnect as ImessageAdapterOptions["reconnect"] & object } : {}),
    ...(typeof config.backlogMaxAgeMs === "number" ? { backlogMaxAgeMs: config.backlogMaxAgeMs } : {}),
  };
}
