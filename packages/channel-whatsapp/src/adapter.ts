import { join } from "node:path";
import {
  ChannelSendError,
  InvalidOptionError,
  RateLimiter,
  ReconnectSupervisor,
  TerminalConnectionError,
  sendFailureKindForStatus,
  supervisorPolicy,
  type BotIdentity,
  type ChannelAccountContext,
  type ReconnectConfig,
  type ChannelAccountStatus,
  type ChannelAdapter,
  type ChannelLogger,
  type ChannelStartContext,
  type ChatTarget,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type SupervisedConnection,
  type SupportsMedia,
  type SupportsTyping,
} from "@openclaw/channel-kit";
import type { AnyMessageContent } from "@whiskeysockets/baileys";
import { AuthStore } from "./auth-store.js";
import { bareJid, toInbound, toJid } from "./inbound.js";
import { AUTH_DIR_OWNER_FILE, acquireSessionLock } from "./session-lock.js";
import { baileysSocketFactory, type BaileysLogger, type SocketFactory, type WhatsAppSocket } from "./socket.js";

/** WhatsApp's disconnect codes that decide what happens next. */
export const LOGGED_OUT = 401;
export const CONNECTION_REPLACED = 440;
export const RESTART_REQUIRED = 515;

export interface WhatsAppAdapterOptions {
  readonly accountId: string;
  /** Where the auth state lives. @default <stateDir>/credentials/whatsapp/<accountId> */
  readonly authDir: string;
  /** The gateway's state dir: the session lock lives under it (`locks/whatsapp/`). */
  readonly stateDir: string;
  /** Where logout keeps the one backup of the auth state it deletes. @default <stateDir>/backups/whatsapp/<accountId> */
  readonly backupDir?: string;
  readonly sendReadReceipts?: boolean;
  readonly reconnect?: ReconnectConfig;
  /** How long `start` waits for the first open or QR before returning with the account still connecting. @default 20 s */
  readonly startTimeoutMs?: number;
  /** Media larger than this is refused before sending. @default 50 MB */
  readonly mediaMaxBytes?: number;
  /** The socket factory; tests inject a fake. @default Baileys' makeWASocket */
  readonly socketFactory?: SocketFactory;
}

type State = "stopped" | "starting" | "awaiting_link" | "connected" | "reconnecting" | "logged_out" | "replaced" | "failed";

function disconnectCode(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof output?.statusCode === "number" ? output.statusCode : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Baileys logs through this: its warnings and errors reach the channel log, the rest is dropped. */
function baileysLogger(log: ChannelLogger): BaileysLogger {
  const logger: BaileysLogger = {
    level: "warn",
    child: () => logger,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (...args) => log.warn("baileys warning", { detail: args.map((arg) => (typeof arg === "string" ? arg : describe(arg))).join(" ") }),
    error: (...args) => log.error("baileys error", { detail: args.map((arg) => (typeof arg === "string" ? arg : describe(arg))).join(" ") }),
    fatal: (...args) => log.error("baileys fatal", { detail: args.map((arg) => (typeof arg === "string" ? arg : describe(arg))).join(" ") }),
  };
  return logger;
}

/**
 * One WhatsApp account on Baileys. It holds the host-wide session lock, keeps the auth state
 * through one serialized writer, and classifies disconnects: 401 and 440 stop for good (relink
 * needed), 515 reconnects at once, anything else backs off through the supervisor.
 */
export class WhatsAppAdapter implements ChannelAdapter, SupportsTyping, SupportsMedia {
  readonly id = "whatsapp";
  readonly mediaMaxBytes: number;
  readonly store: AuthStore;
  private readonly factory: SocketFactory;
  private supervisor: ReconnectSupervisor | undefined;
  private releaseLock: (() => void) | undefined;
  private socket: WhatsAppSocket | undefined;
  private open = false;
  private state: State = "stopped";
  private qr: string | undefined;
  private lastError: string | undefined;
  private reconnectAttempts = 0;
  private lastConnectedAt: number | undefined;
  private me: BotIdentity | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping: Promise<void> | undefined;
  private limiter = new RateLimiter();

  constructor(private readonly options: WhatsAppAdapterOptions) {
    this.store = new AuthStore(options.authDir);
    this.factory = options.socketFactory ?? baileysSocketFactory;
    this.mediaMaxBytes = options.mediaMaxBytes ?? 50 * 1024 * 1024;
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.stopping = undefined;
    this.limiter = new RateLimiter();
    this.releaseLock = acquireSessionLock({ stateDir: this.options.stateDir, authDir: this.options.authDir, owner: `whatsapp account ${this.options.accountId}` });
    try {
      const auth = this.store.load();
      this.state = "starting";
      let settle: ((error?: Error) => void) | undefined;
      const first = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      const supervisor = new ReconnectSupervisor({
        connect: ({ reportHealthy, signal }) => this.connect(auth, context, signal, reportHealthy, (error) => settle?.(error)),
        // WhatsApp is wary of frequent reconnects: slower backoff and a smaller budget.
        ...supervisorPolicy(this.options.reconnect, { initialMs: 2_000, maxMs: 120_000, maxRestartsPerHour: 20 }),
      });
      this.supervisor = supervisor;
      supervisor.onStatus((status) => {
        if (status.state === "backing-off") {
          this.reconnectAttempts = status.attempt;
          this.lastError = status.lastError;
          this.state = "reconnecting";
        } else if (status.state === "failed" && this.state !== "logged_out" && this.state !== "replaced") {
          this.state = "failed";
          this.lastError = status.reason;
        }
      });
      await supervisor.start();
      const timer = setTimeout(() => settle?.(), this.options.startTimeoutMs ?? 20_000);
      try {
        await first;
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async connect(
    auth: ReturnType<AuthStore["load"]>,
    context: ChannelStartContext,
    signal: AbortSignal,
    reportHealthy: () => void,
    settleStart: (error?: Error) => void,
  ): Promise<SupervisedConnection> {
    let finish: (error?: unknown) => void = () => undefined;
    const closed = new Promise<void>((resolve, reject) => {
      finish = (error) => (error === undefined ? resolve() : reject(error));
    });
    let inbound: Promise<void> = Promise.resolve();

    const openSocket = async (): Promise<void> => {
      const socket = await this.factory({ auth, logger: baileysLogger(context.logger) });
      this.socket = socket;
      socket.ev.on("creds.update", () => {
        void this.store.saveCreds().catch((error: unknown) => context.logger.error("could not save WhatsApp credentials", { error: describe(error) }));
      });
      socket.ev.on("connection.update", (update) => {
        if (update.qr) {
          this.qr = update.qr;
          this.state = "awaiting_link";
          settleStart();
        }
        if (update.connection === "open") {
          this.open = true;
          this.qr = undefined;
          this.state = "connected";
          this.lastError = undefined;
          this.reconnectAttempts = 0;
          this.lastConnectedAt = Date.now();
          if (socket.user?.id) this.me = { id: bareJid(socket.user.id), ...(socket.user.name ? { username: socket.user.name } : {}) };
          reportHealthy();
          settleStart();
        }
        if (update.connection === "close") {
          this.open = false;
          const code = disconnectCode(update.lastDisconnect?.error);
          socket.ev.removeAllListeners("messages.upsert");
          socket.ev.removeAllListeners("connection.update");
          socket.ev.removeAllListeners("creds.update");
          if (code === RESTART_REQUIRED && !signal.aborted) {
            // WhatsApp asks for a fresh socket right after linking; that is not a failure.
            context.logger.info("WhatsApp asked for a restart (515); reconnecting now");
            openSocket().catch((error: unknown) => finish(error));
            return;
          }
          if (code === LOGGED_OUT || code === CONNECTION_REPLACED) {
            this.state = code === LOGGED_OUT ? "logged_out" : "replaced";
            this.lastError =
              code === LOGGED_OUT
                ? "logged out from the phone (401): relink needed: openclaw channels logout --channel whatsapp, then openclaw channels login --channel whatsapp"
                : "replaced by another WhatsApp Web session (440): relink needed, and close the other session";
            const terminal = new TerminalConnectionError(this.lastError);
            settleStart(terminal);
            finish(terminal);
            return;
          }
          finish(new Error(`WhatsApp connection closed (${code ?? "no code"}): ${describe(update.lastDisconnect?.error ?? "closed")}`));
        }
      });
      socket.ev.on("messages.upsert", (upsert) => {
        if (upsert.type !== "notify") return;
        // One chain per socket keeps delivery in order; the core records each before we read-receipt it.
        inbound = inbound.then(async () => {
          for (const message of upsert.messages) {
            const converted = toInbound(message, this.options.accountId);
            if (!converted) continue;
            if (this.me && converted.sender.id === this.me.id) continue;
            try {
              await context.deliver(converted);
            } catch (error) {
              context.logger.error("could not hand a WhatsApp message to the gateway", { error: describe(error) });
              continue;
            }
            if (this.options.sendReadReceipts !== false) await socket.readMessages?.([message.key]).catch(() => undefined);
          }
        });
      });
    };

    await openSocket();
    return {
      closed,
      close: async () => {
        const socket = this.socket;
        this.open = false;
        socket?.ev.removeAllListeners("connection.update");
        socket?.ev.removeAllListeners("messages.upsert");
        socket?.end(undefined);
        await inbound.catch(() => undefined);
        finish();
      },
    };
  }

  async send(message: OutboundMessage): Promise<Receipt> {
    return this.track(async () => {
      const sent = await this.sendContent(message.chatId, { text: message.text });
      return { providerMessageIds: [sent], sentAtMs: Date.now() };
    });
  }

  /**
   * Sends one media item by content type: image, video, audio (an Ogg/Opus file as a voice note),
   * or document, with the caption on the first item WhatsApp shows. Audio cannot carry a caption,
   * so its caption goes first as a text, then the audio. If the media cannot be sent, a short text
   * notice goes out instead, so the message is never silently lost.
   */
  async sendMedia(media: OutboundMedia): Promise<Receipt> {
    return this.track(async () => {
      const type = media.contentType ?? "application/octet-stream";
      const source = { url: media.source };
      const caption = media.caption ?? "";
      const ids: string[] = [];
      let content: AnyMessageContent;
      if (type.startsWith("image/")) content = { image: source, caption };
      else if (type.startsWith("video/")) content = { video: source, caption };
      else if (type.startsWith("audio/")) content = { audio: source, mimetype: type, ...(/^audio\/ogg\b/.test(type) ? { ptt: true } : {}) };
      else content = { document: source, mimetype: type, fileName: media.fileName ?? "file", caption };
      try {
        if ("audio" in content && caption !== "") ids.push(await this.sendContent(media.chatId, { text: caption }));
        ids.push(await this.sendContent(media.chatId, content));
        return { providerMessageIds: ids, sentAtMs: Date.now() };
      } catch (error) {
        if (error instanceof ChannelSendError && error.kind === "rate_limited") throw error;
        // The caption already went out with an audio's text: the notice names only the file.
        const notice = `${media.caption && ids.length === 0 ? `${media.caption}\n` : ""}[could not attach ${media.fileName ?? "a file"}: ${describe(error)}]`;
        ids.push(await this.sendContent(media.chatId, { text: notice }));
        return { providerMessageIds: ids, sentAtMs: Date.now() };
      }
    });
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    await this.socket?.sendPresenceUpdate?.(on ? "composing" : "paused", toJid(target.chatId));
  }

  /** A pairing code for linking by phone number instead of a QR. */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    const socket = this.socket;
    if (!socket?.requestPairingCode) throw new Error("the WhatsApp socket is not ready for a pairing code yet; retry in a moment");
    return socket.requestPairingCode(phoneNumber.replace(/[^\d]/g, ""));
  }

  private async sendContent(chatId: string, content: AnyMessageContent): Promise<string> {
    let jid: string;
    try {
      jid = toJid(chatId);
    } catch (error) {
      throw new ChannelSendError("permanent", describe(error));
    }
    // Per-chat and per-account buckets; a 429 blocks the chat for its retry delay (field failure #10).
    await this.limiter.acquire(this.options.accountId, jid).catch((error: unknown) => {
      throw new ChannelSendError("transient", `WhatsApp account ${this.options.accountId} is stopping`, { cause: error });
    });
    const socket = this.socket;
    if (!socket || !this.open) throw new ChannelSendError("transient", `WhatsApp account ${this.options.accountId} is not connected`);
    let sent;
    try {
      sent = await socket.sendMessage(jid, content);
    } catch (error) {
      const status = disconnectCode(error);
      if (status === undefined) throw new ChannelSendError("ambiguous", `WhatsApp send failed: ${describe(error)}`, { cause: error });
      const retryAfter = Number((error as { data?: { retryAfter?: unknown } }).data?.retryAfter);
      const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 5_000;
      if (status === 429) this.limiter.penalize(this.options.accountId, jid, retryAfterMs);
      throw new ChannelSendError(status === 428 || status === 408 ? "transient" : sendFailureKindForStatus(status), `WhatsApp send failed (${status}): ${describe(error)}`, {
        status,
        ...(status === 429 ? { retryAfterMs } : {}),
        cause: error,
      });
    }
    const id = sent?.key?.id;
    if (!id) throw new ChannelSendError("ambiguous", "WhatsApp accepted the message but returned no id");
    return id;
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.inFlight.add(promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(promise);
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await this.supervisor?.stop();
      this.supervisor = undefined;
      this.socket = undefined;
      this.open = false;
      await this.store.flush();
      this.limiter.close();
      this.releaseLock?.();
      this.releaseLock = undefined;
      if (this.state !== "logged_out" && this.state !== "replaced") this.state = "stopped";
    })();
    return this.stopping;
  }

  /** Where logout keeps its backup of the auth state. */
  get backupDir(): string {
    return this.options.backupDir ?? join(this.options.stateDir, "backups", "whatsapp", this.options.accountId);
  }

  /**
   * Only an explicit logout deletes the auth state; reconnects and updates never do. It is backed
   * up first (one backup, the newest, in `backupDir`), and nothing is deleted when that fails.
   */
  async logout(): Promise<void> {
    await this.stop();
    try {
      await this.store.backup(this.backupDir, [AUTH_DIR_OWNER_FILE]);
    } catch (error) {
      throw new Error(`could not back up the WhatsApp auth state ${this.options.authDir} to ${this.backupDir} before logout (${describe(error)}); nothing was deleted`, { cause: error });
    }
    await this.store.remove();
    this.state = "stopped";
    this.qr = undefined;
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): ChannelAccountStatus {
    return {
      accountId: this.options.accountId,
      state: this.state,
      connected: this.open,
      reconnectAttempts: this.reconnectAttempts,
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.state === "logged_out" || this.state === "replaced" ? { relinkNeeded: true } : {}),
      ...(this.qr !== undefined ? { qr: this.qr } : {}),
      // Stored creds say nothing once WhatsApp ended the session: a relink is not a link.
      linked: this.store.linked && this.state !== "logged_out" && this.state !== "replaced",
    };
  }
}

/** Reads an account's settings; unknown keys are refused by the gateway before this runs. */
export function whatsappOptions(account: ChannelAccountContext): WhatsAppAdapterOptions {
  const path = account.accountId === "default" ? "channels.whatsapp" : `channels.whatsapp.accounts.${account.accountId}`;
  const config = account.config;
  const authDir = config.authDir ?? join(account.stateDir, "credentials", "whatsapp", account.accountId);
  if (typeof authDir !== "string" || authDir === "") throw new InvalidOptionError(`${path}.authDir`, "a directory path", authDir);
  if (config.sendReadReceipts !== undefined && typeof config.sendReadReceipts !== "boolean") throw new InvalidOptionError(`${path}.sendReadReceipts`, "true or false", config.sendReadReceipts);
  const reconnect = config.reconnect as WhatsAppAdapterOptions["reconnect"] | undefined;
  if (reconnect !== undefined && (typeof reconnect !== "object" || reconnect === null)) throw new InvalidOptionError(`${path}.reconnect`, "{ initialMs, maxMs }", reconnect);
  return {
    accountId: account.accountId,
    authDir,
    stateDir: account.stateDir,
    ...(config.sendReadReceipts !== undefined ? { sendReadReceipts: config.sendReadReceipts as boolean } : {}),
    ...(reconnect ? { reconnect } : {}),
  };
}
