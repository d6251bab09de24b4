import { join } from "node:path";
import {
  AccountRuntime,
  ChannelSendError,
  ProviderConnectionError,
  ProviderNotReadyError,
  ProviderStateError,
  TerminalConnectionError,
  describeError,
  type AdapterAccountStatus,
  type BotIdentity,
  type ChannelAdapter,
  type ChannelLogger,
  type ChannelStartContext,
  type ChatTarget,
  type DownloadedMedia,
  type InboundMediaFact,
  type MessageTarget,
  type OutboundMedia,
  type OutboundMessage,
  type Receipt,
  type ReconcileOutcome,
  type ReconcileRequest,
  type SupervisedConnection,
  type SupportsMedia,
  type SupportsMediaDownload,
  type SupportsPhonePairing,
  type SupportsReactions,
  type SupportsReadReceipts,
  type SupportsReconcile,
  type SupportsTyping,
} from "@openclaw/channel-kit";
import type { AnyMessageContent, WAMessage } from "@whiskeysockets/baileys";
import { AuthStore } from "./auth-store.js";
import { bareJid, toInbound, toJid } from "./inbound.js";
import { mediaRefKey } from "./inbound-media.js";
import { RecentMediaMessages, downloadWhatsAppMedia } from "./media-download.js";
import type { WhatsAppAdapterOptions } from "./options.js";
import { mediaContent, messageKey, quotedMessage } from "./outbound-content.js";
import { reconcileByResend, whatsAppMessageId } from "./reconcile.js";
import { AUTH_DIR_OWNER_FILE, acquireSessionLock } from "./session-lock.js";
import { baileysSocketFactory, type BaileysLogger, type SocketFactory, type WhatsAppSocket } from "./socket.js";
import { CONNECTION_REPLACED, LOGGED_OUT, RESTART_REQUIRED, classifySendFailure, disconnectCode } from "./status-codes.js";

/** Baileys logs through this: its warnings and errors reach the channel log, the rest is dropped. */
function baileysLogger(log: ChannelLogger): BaileysLogger {
  const logger: BaileysLogger = {
    level: "warn",
    child: () => logger,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (...args) => log.warn("baileys warning", { detail: args.map((arg) => (typeof arg === "string" ? arg : describeError(arg))).join(" ") }),
    error: (...args) => log.error("baileys error", { detail: args.map((arg) => (typeof arg === "string" ? arg : describeError(arg))).join(" ") }),
    fatal: (...args) => log.error("baileys fatal", { detail: args.map((arg) => (typeof arg === "string" ? arg : describeError(arg))).join(" ") }),
  };
  return logger;
}

/**
 * One WhatsApp account on Baileys. It holds the host-wide session lock, keeps the auth state
 * through one serialized writer, and classifies disconnects: 401 and 440 stop for good (relink
 * needed), 515 reconnects at once, anything else backs off through the supervisor.
 */
export class WhatsAppAdapter
  implements
    ChannelAdapter,
    SupportsTyping,
    SupportsReactions,
    SupportsReadReceipts,
    SupportsMedia,
    SupportsMediaDownload,
    SupportsPhonePairing,
    SupportsReconcile
{
  readonly id = "whatsapp";
  /** "composing" lapses on the phone after several seconds without a refresh. */
  readonly typingRefreshMs = 8_000;
  readonly mediaMaxBytes: number;
  readonly store: AuthStore;
  private readonly factory: SocketFactory;
  private releaseLock: (() => void) | undefined;
  private socket: WhatsAppSocket | undefined;
  private open = false;
  private me: BotIdentity | undefined;
  private stopping: Promise<void> | undefined;
  private readonly account: AccountRuntime;
  /** Inbound media messages by `<jid>/<id>`: their media keys are what decrypts the files. */
  private readonly recentMedia: RecentMediaMessages;
  private baileysLog: BaileysLogger | undefined;

  constructor(private readonly options: WhatsAppAdapterOptions) {
    this.store = new AuthStore(options.authDir);
    this.factory = options.socketFactory ?? baileysSocketFactory;
    this.mediaMaxBytes = options.mediaMaxBytes ?? 50 * 1024 * 1024;
    this.recentMedia = new RecentMediaMessages(options.recentMedia, options.now);
    this.account = new AccountRuntime({ channel: "whatsapp", accountId: options.accountId, rateLimitFallbackMs: 5_000 });
  }

  /** The provider ended the session (logged out, replaced): only a relink helps. */
  private get ended(): boolean {
    return this.account.tracker.state === "logged_out" || this.account.tracker.state === "replaced";
  }

  async start(context: ChannelStartContext): Promise<void> {
    this.account.begin();
    this.stopping = undefined;
    try {
      this.releaseLock = acquireSessionLock({
        stateDir: this.options.stateDir,
        authDir: this.options.authDir,
        owner: `whatsapp account ${this.options.accountId}`,
      });
      const auth = this.store.load();
      await this.account.supervise({
        label: "whatsapp socket",
        logger: context.logger,
        reconnect: this.options.reconnect,
        // WhatsApp is wary of frequent reconnects: slower backoff and a smaller budget.
        reconnectDefaults: { initialMs: 2_000, maxMs: 120_000, maxRestartsPerHour: 20 },
        firstConnectionTimeoutMs: this.options.startTimeoutMs ?? 20_000,
        // A logout or replacement already says why; the supervisor's own reason would hide it.
        failedState: () => (this.ended ? undefined : "failed"),
        connect: ({ reportHealthy, signal, settleStart }) => this.connect(auth, context, signal, reportHealthy, settleStart),
      });
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
      this.baileysLog ??= baileysLogger(context.logger);
      const socket = await this.factory({ auth, logger: this.baileysLog });
      this.socket = socket;
      socket.ev.on("creds.update", () => {
        void this.store.saveCreds().catch((error: unknown) => context.logger.error("could not save WhatsApp credentials", { error: describeError(error) }));
      });
      socket.ev.on("connection.update", (update) => {
        if (update.qr) {
          this.account.tracker.qr = update.qr;
          this.account.tracker.state = "awaiting_link";
          settleStart();
        }
        if (update.connection === "open") {
          this.open = true;
          this.account.tracker.qr = undefined;
          this.account.tracker.connected();
          if (socket.user?.id) this.me = { id: bareJid(socket.user.id), ...(socket.user.name ? { username: socket.user.name } : {}) };
          reportHealthy();
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
            this.account.tracker.failed(
              code === LOGGED_OUT
                ? "logged out from the phone (401): relink needed: openclaw channels logout --channel whatsapp, then openclaw channels login --channel whatsapp"
                : "replaced by another WhatsApp Web session (440): relink needed, and close the other session",
              code === LOGGED_OUT ? "logged_out" : "replaced",
            );
            const terminal = new TerminalConnectionError(this.account.tracker.lastError!);
            settleStart(terminal);
            finish(terminal);
            return;
          }
          finish(new ProviderConnectionError(`WhatsApp connection closed (${code ?? "no code"}): ${describeError(update.lastDisconnect?.error ?? "closed")}`));
        }
      });
      socket.ev.on("messages.upsert", (upsert) => {
        if (upsert.type !== "notify") return;
        // One chain per socket keeps delivery in order.
        inbound = inbound.then(async () => {
          for (const message of upsert.messages) {
            const converted = toInbound(message, this.options.accountId);
            if (!converted) continue;
            if (this.me && converted.sender.id === this.me.id) continue;
            const fileKey = mediaRefKey(converted.media?.find((fact) => fact.url !== undefined)?.url);
            if (fileKey !== undefined) this.recentMedia.put(fileKey, message);
            try {
              await context.deliver(converted);
            } catch (error) {
              context.logger.error("could not hand a WhatsApp message to the gateway", { error: describeError(error) });
            }
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

  /** Sends one chunk; an outbox chunk goes under an id fixed by its key and index, so a resend is the same message. */
  async send(message: OutboundMessage): Promise<Receipt> {
    const messageId = message.chunkIndex !== undefined ? whatsAppMessageId(message.idempotencyKey, message.chunkIndex) : undefined;
    const sent = await this.sendContent(message.chatId, { text: message.text }, messageId);
    return { providerMessageIds: [sent], sentAtMs: Date.now() };
  }

  /** After an ambiguous send: send again, under the same id (see `reconcileByResend`). */
  async reconcile(_request: ReconcileRequest): Promise<ReconcileOutcome> {
    return reconcileByResend();
  }

  /**
   * Sends one media item by content type: image, video, audio (an Ogg/Opus file as a voice note;
   * other local audio converted to one by ffmpeg, or sent as a document without it), or document,
   * quoting the message it replies to, with the caption on the first item WhatsApp shows. Audio cannot carry a caption,
   * so its caption goes first as a text, then the audio. If the media cannot be sent, a short text
   * notice goes out instead, so the message is never silently lost.
   */
  sendMedia(media: OutboundMedia): Promise<Receipt> {
    // Tracked whole: an audio with a caption is two sends, and stop() waits for both.
    return this.account.gate.track(this.sendMediaItems(media));
  }

  private async sendMediaItems(media: OutboundMedia): Promise<Receipt> {
    const caption = media.caption ?? "";
    const ids: string[] = [];
    const content = await mediaContent(media, this.options.ffmpegPath);
    const quoted = media.replyTo ? quotedMessage(media.chatId, media.replyTo) : undefined;
    try {
      if ("audio" in content && caption !== "") ids.push(await this.sendContent(media.chatId, { text: caption }));
      ids.push(await this.sendContent(media.chatId, content, undefined, quoted));
      return { providerMessageIds: ids, sentAtMs: Date.now() };
    } catch (error) {
      if (error instanceof ChannelSendError && error.kind === "rate_limited") throw error;
      // The caption already went out with an audio's text: the notice names only the file.
      const notice = `${media.caption && ids.length === 0 ? `${media.caption}\n` : ""}[could not attach ${media.fileName ?? "a file"}: ${describeError(error)}]`;
      ids.push(await this.sendContent(media.chatId, { text: notice }));
      return { providerMessageIds: ids, sentAtMs: Date.now() };
    }
  }

  /**
   * An inbound file, decrypted by Baileys from WhatsApp's CDN under `maxBytes`. Only messages this
   * process received recently can be fetched (see `recentMedia`); others reject with
   * `WhatsAppMediaUnavailableError`.
   */
  downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia> {
    const socket = this.socket;
    const reupload =
      this.open && socket?.updateMediaMessage
        ? (message: Parameters<NonNullable<WhatsAppSocket["updateMediaMessage"]>>[0]) => socket.updateMediaMessage!(message)
        : undefined;
    return downloadWhatsAppMedia(media, options, {
      cache: this.recentMedia,
      ...(this.baileysLog ? { logger: this.baileysLog } : {}),
      reupload,
    });
  }

  async setTyping(target: ChatTarget, on: boolean): Promise<void> {
    await this.socket?.sendPresenceUpdate?.(on ? "composing" : "paused", toJid(target.chatId));
  }

  /** A reaction message on `target` (an empty emoji with `remove`, as WhatsApp removes one). */
  async react(target: MessageTarget, emoji: string, options: { remove?: boolean } = {}): Promise<void> {
    await this.sendContent(target.chatId, { react: { text: options.remove ? "" : emoji, key: messageKey(target) } });
  }

  /** Blue ticks for one inbound message (Baileys `readMessages`). */
  async markRead(target: MessageTarget): Promise<void> {
    const socket = this.socket;
    if (!socket?.readMessages || !this.open) throw new ProviderNotReadyError(`WhatsApp account ${this.options.accountId} is not connected`);
    await socket.readMessages([messageKey(target)]);
  }

  /** A pairing code for linking by phone number instead of a QR. */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    const socket = this.socket;
    if (!socket?.requestPairingCode) throw new ProviderNotReadyError("the WhatsApp socket is not ready for a pairing code yet; retry in a moment");
    return socket.requestPairingCode(phoneNumber.replace(/[^\d]/g, ""));
  }

  /** Sends one message through the gate (per-chat and per-account buckets; a 429 blocks the chat for its delay). */
  private async sendContent(chatId: string, content: AnyMessageContent, messageId?: string, quoted?: WAMessage): Promise<string> {
    let jid: string;
    try {
      jid = toJid(chatId);
    } catch (error) {
      throw new ChannelSendError("permanent", describeError(error));
    }
    const sent = await this.account.gate.run(
      jid,
      async () => {
        const socket = this.socket;
        if (!socket || !this.open) throw new ChannelSendError("transient", `WhatsApp account ${this.options.accountId} is not connected`);
        const options = { ...(messageId !== undefined ? { messageId } : {}), ...(quoted ? { quoted } : {}) };
        return socket.sendMessage(jid, content, Object.keys(options).length > 0 ? options : undefined);
      },
      classifySendFailure,
    );
    const id = sent?.key?.id;
    if (!id) throw new ChannelSendError("ambiguous", "WhatsApp accepted the message but returned no id");
    return id;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.account.gate.settle();
      await this.account.stopConnection();
      this.socket = undefined;
      this.open = false;
      await this.store.flush();
      await this.account.end(["logged_out", "replaced"]);
      this.releaseLock?.();
      this.releaseLock = undefined;
      this.recentMedia.clear();
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
      throw new ProviderStateError(
        `could not back up the WhatsApp auth state ${this.options.authDir} to ${this.backupDir} before logout (${describeError(error)}); nothing was deleted`,
        { cause: error },
      );
    }
    await this.store.remove();
    this.account.tracker.state = "stopped";
    this.account.tracker.qr = undefined;
  }

  identity(): BotIdentity | undefined {
    return this.me;
  }

  status(): AdapterAccountStatus {
    return this.account.status({
      connected: this.open,
      ...(this.ended ? { relinkNeeded: true } : {}),
      // Stored creds say nothing once WhatsApp ended the session: a relink is not a link.
      linked: this.store.linked && !this.ended,
    });
  }
}
