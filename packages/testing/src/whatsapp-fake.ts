/**
 * A fake WhatsApp socket factory. WhatsApp's servers cannot be faked (Baileys pins their
 * certificate and Signal-encrypts every message), so the seam is the socket itself: this fake has
 * the shape the channel uses (`ev`, `user`, `sendMessage`, `readMessages`, `sendPresenceUpdate`,
 * `requestPairingCode`, `end`) and replays realistic `connection.update`, `creds.update` and
 * `messages.upsert` sequences: QR codes while unlinked, rotated on the same socket as Baileys does
 * (a new ref after `firstQrMs`, then every `qrRotateMs`, and after `qrRefs` of them the socket
 * closes with 408 "QR refs attempts ended"), a 515 restart after linking, open, close with any
 * disconnect code, inbound text/extended text/media/group messages and replies, and send errors:
 * Boom-shaped ones (429 with a retry delay, 403, …) and plain ones with no status.
 * `sendMessage` takes Baileys' `messageId` option; a send under an id this chat already has is the
 * same message to WhatsApp, so it is answered with that message and shown once (`sent` holds what
 * the chat shows, `attempts` every call). `loseSends` fails the next sends with no status after
 * the message was delivered, or before: what an ambiguous failure looks like to the adapter.
 * `updateMediaMessage` is a media retry: answered by `answerMediaRetries`, else 404. Read
 * receipts (`readMessages` keys) and presence updates are recorded in `reads` and `presence`;
 * a reaction is a `sendMessage` with `{ react: { text, key } }`, recorded in `sent` like WhatsApp shows it.
 */
import { readFileSync } from "node:fs";
import { EventEmitter } from "node:events";

/** The auth state the channel hands to its socket factory (only `creds` is touched here). */
export interface FakeAuthState {
  readonly creds: Record<string, unknown>;
}

export interface FakeWhatsAppSocket {
  readonly ev: EventEmitter;
  user: { id: string; name?: string } | undefined;
  ended: boolean;
  sendMessage(
    jid: string,
    content: Record<string, unknown>,
    options?: { messageId?: string; quoted?: { key?: { id?: string | null } } },
  ): Promise<{ key: { id: string; remoteJid: string; fromMe: true }; message: Record<string, unknown> }>;
  readMessages(keys: unknown[]): Promise<void>;
  sendPresenceUpdate(type: string, jid?: string): Promise<void>;
  requestPairingCode(phone: string): Promise<string>;
  /** A media retry: the sender's phone re-uploads the file (see `answerMediaRetries`). */
  updateMediaMessage(message: FakeMediaMessage): Promise<FakeMediaMessage>;
  end(error: Error | undefined): void;
}

/** A received message as `updateMediaMessage` gets and returns it. */
export interface FakeMediaMessage {
  readonly key: { readonly remoteJid?: string | null; readonly id?: string | null };
  readonly message?: Record<string, unknown> | null;
}

export interface WhatsAppFakeSent {
  readonly jid: string;
  readonly content: Record<string, unknown>;
  readonly id: string;
  readonly atMs: number;
  /** A media message's kind and bytes, read at send time from its `{ url }` (a local path) or buffer, as Baileys uploads them. */
  readonly media?: { readonly kind: string; readonly bytes: Uint8Array };
  /** The id of the message `quoted` named. */
  readonly quotedId?: string;
}

/** The media of a `sendMessage` content, read as Baileys reads it for the upload. */
function mediaOf(content: Record<string, unknown>): WhatsAppFakeSent["media"] {
  for (const kind of ["image", "video", "audio", "document", "sticker"]) {
    const value = content[kind] as { url?: unknown } | Uint8Array | undefined;
    if (value === undefined) continue;
    if (value instanceof Uint8Array) return { kind, bytes: new Uint8Array(value) };
    const url = String(value.url ?? "");
    // A remote URL is fetched by Baileys' upload; only local files are read here.
    if (!url.startsWith("/") && !url.startsWith("file:")) return undefined;
    return { kind, bytes: new Uint8Array(readFileSync(url.startsWith("file:") ? new URL(url) : url)) };
  }
  return undefined;
}

export interface WhatsAppFakeOptions {
  /** Our own number's JID once linked. @default "15550000000@s.whatsapp.net" */
  readonly selfJid?: string;
  /** Start already linked (creds registered). @default true */
  readonly linked?: boolean;
  /** How long the first QR of a socket lives before the next ref. @default 60 000 (Baileys) */
  readonly firstQrMs?: number;
  /** How long each later QR lives. @default 20 000 (Baileys) */
  readonly qrRotateMs?: number;
  /** QR refs per socket before it closes with 408. @default 6 */
  readonly qrRefs?: number;
}

/** A Boom-like error as Baileys throws and reports in `lastDisconnect.error`. */
export function boomError(statusCode: number, message = `status ${statusCode}`, data?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode, message } }, ...(data ? { data } : {}) });
}

export function startWhatsAppFake(options: WhatsAppFakeOptions = {}) {
  const selfJid = options.selfJid ?? "15550000000@s.whatsapp.net";
  const sockets: FakeWhatsAppSocket[] = [];
  const sent: WhatsAppFakeSent[] = [];
  /** Every `sendMessage`, with the `messageId` it asked for. */
  const attempts: { jid: string; status: number; atMs: number; messageId?: string }[] = [];
  const reads: unknown[] = [];
  /** Every `sendPresenceUpdate` (`composing`, `paused`, …) with the chat it was for. */
  const presence: { type: string; jid?: string; atMs: number }[] = [];
  /** Media retry requests the sockets received, and how the phone answers them. */
  const mediaRetries: FakeMediaMessage[] = [];
  let answerMediaRetry: ((message: FakeMediaMessage) => FakeMediaMessage) | undefined;
  const failures: { status: number; retryAfterSeconds?: number; plain?: string }[] = [];
  const losses: ("delivered" | "not-delivered")[] = [];
  /** Every QR shown, oldest first. */
  const qrs: string[] = [];
  const qrTimers = new Map<FakeWhatsAppSocket, ReturnType<typeof setTimeout>>();
  const held: (() => void)[] = [];
  let holding = false;
  let linkedAtStart = options.linked ?? true;
  let nextId = 1;
  let maxConcurrent = 0;
  let qrCount = 0;
  const refsShown = new Map<FakeWhatsAppSocket, number>();
  /** Upserts made while no socket was open; WhatsApp's server keeps them and delivers on the next open. */
  const offline: { messages: unknown[]; type: string }[] = [];

  const live = () => sockets.filter((socket) => !socket.ended);
  const current = () => {
    const socket = live().at(-1);
    if (!socket) throw new Error("no live WhatsApp fake socket");
    return socket;
  };

  function endSocket(socket: FakeWhatsAppSocket): void {
    socket.ended = true;
    clearTimeout(qrTimers.get(socket));
    qrTimers.delete(socket);
  }

  /** Shows the socket's next QR ref and schedules the one after it, as Baileys' pairing flow does. */
  function showQr(socket: FakeWhatsAppSocket): void {
    clearTimeout(qrTimers.get(socket));
    const shown = (refsShown.get(socket) ?? 0) + 1;
    refsShown.set(socket, shown);
    qrCount += 1;
    const qr = `2@fake-qr-${qrCount},fake-key,fake-identity,fake-adv`;
    qrs.push(qr);
    socket.ev.emit("connection.update", { qr });
    const lifetime = shown === 1 ? (options.firstQrMs ?? 60_000) : (options.qrRotateMs ?? 20_000);
    qrTimers.set(
      socket,
      setTimeout(() => nextRef(socket), lifetime),
    );
  }

  /** The current QR expired: the next ref, or after the last one a close with 408. */
  function nextRef(socket: FakeWhatsAppSocket): void {
    if (socket.ended) return;
    if ((refsShown.get(socket) ?? 0) < (options.qrRefs ?? 6)) return showQr(socket);
    endSocket(socket);
    socket.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(408, "QR refs attempts ended") } });
  }

  function factory({ auth }: { auth: FakeAuthState }): FakeWhatsAppSocket {
    const ev = new EventEmitter();
    const socket: FakeWhatsAppSocket = {
      ev,
      user: undefined,
      ended: false,
      async sendMessage(jid, content, options) {
        if (socket.ended) throw boomError(428, "Connection Closed");
        const loss = losses.shift();
        const failure = loss ? undefined : failures.shift();
        attempts.push({
          jid,
          status: loss ? 0 : (failure?.status ?? 200),
          atMs: Date.now(),
          ...(options?.messageId !== undefined ? { messageId: options.messageId } : {}),
        });
        if (loss === "not-delivered") throw new Error("socket reset before the message left");
        // No Boom status: what an upload or encode failure after the request left looks like.
        if (failure?.plain !== undefined) throw new Error(failure.plain);
        if (failure)
          throw boomError(
            failure.status,
            `fake refusal ${failure.status}`,
            failure.retryAfterSeconds !== undefined ? { retryAfter: failure.retryAfterSeconds } : undefined,
          );
        const id = options?.messageId ?? `3EB0${String(nextId++).padStart(8, "0")}`;
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        const existing = sent.find((entry) => entry.jid === jid && entry.id === id);
        const media = mediaOf(content);
        const quotedId = options?.quoted?.key?.id ?? undefined;
        if (!existing) sent.push({ jid, content, id, atMs: Date.now(), ...(media ? { media } : {}), ...(quotedId ? { quotedId } : {}) });
        if (loss === "delivered") throw new Error("socket reset before the server ack");
        return { key: { id, remoteJid: jid, fromMe: true }, message: existing?.content ?? content };
      },
      async readMessages(keys) {
        if (socket.ended) throw boomError(428, "Connection Closed");
        reads.push(...keys);
      },
      async sendPresenceUpdate(type, jid) {
        if (socket.ended) throw boomError(428, "Connection Closed");
        presence.push({ type, ...(jid !== undefined ? { jid } : {}), atMs: Date.now() });
      },
      async updateMediaMessage(message) {
        mediaRetries.push(message);
        if (!answerMediaRetry) throw boomError(404, "Media not found on the phone");
        return answerMediaRetry(message);
      },
      async requestPairingCode(phone) {
        if (!/^\d{6,15}$/.test(phone)) throw boomError(400, "invalid phone number");
        return "ABCD1234";
      },
      end() {
        if (socket.ended) return;
        endSocket(socket);
        ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(428, "Connection Closed") } });
      },
    };
    sockets.push(socket);
    maxConcurrent = Math.max(maxConcurrent, live().length);
    const registered = auth.creds["registered"] === true || linkedAtStart;
    setImmediate(() => {
      if (socket.ended) return;
      socket.ev.emit("connection.update", { connection: "connecting" });
      if (!registered) {
        showQr(socket);
        return;
      }
      socket.user = { id: selfJid.replace("@", ":7@"), name: "OpenClaw" };
      // On open Baileys stores who we are in the creds, as a linked session's creds always say.
      if (auth.creds["me"] === undefined) {
        Object.assign(auth.creds, { registered: true, me: { id: socket.user.id, name: "OpenClaw" } });
        socket.ev.emit("creds.update", { me: auth.creds["me"] });
      }
      socket.ev.emit("connection.update", { connection: "open" });
      for (const upsert of offline.splice(0)) socket.ev.emit("messages.upsert", upsert);
    });
    return socket;
  }

  function message(input: {
    from: string;
    text?: string;
    id?: string;
    group?: string;
    mentions?: string[];
    fromMe?: boolean;
    image?: { caption?: string; mimetype?: string; fileLength?: number };
    /** The message content as WhatsApp sends it (`documentMessage`, `locationMessage`, …), used as is. */
    content?: Record<string, unknown>;
    /** A reply: WhatsApp sends it as an extended text with the quoted message's id and author. */
    replyTo?: { id: string; participant: string; text?: string };
  }) {
    const id = input.id ?? `MSG${String(nextId++).padStart(10, "0")}`;
    const remoteJid = input.group ?? input.from;
    const contextInfo = {
      ...(input.mentions ? { mentionedJid: input.mentions } : {}),
      ...(input.replyTo
        ? { stanzaId: input.replyTo.id, participant: input.replyTo.participant, quotedMessage: { conversation: input.replyTo.text ?? "" } }
        : {}),
    };
    const content: Record<string, unknown> = input.content
      ? input.content
      : input.image
        ? { imageMessage: { caption: input.image.caption, mimetype: input.image.mimetype ?? "image/jpeg", fileLength: input.image.fileLength ?? 1024 } }
        : input.mentions || input.replyTo
          ? { extendedTextMessage: { text: input.text ?? "", contextInfo } }
          : { conversation: input.text ?? "" };
    return {
      key: { remoteJid, id, fromMe: input.fromMe ?? false, ...(input.group ? { participant: input.from } : {}) },
      message: content,
      messageTimestamp: Math.floor(Date.now() / 1000),
      pushName: "Fake Sender",
    };
  }

  return {
    factory,
    selfJid,
    sockets,
    sent,
    attempts,
    reads,
    presence,
    qrs,
    mediaRetries,
    /** How the sender's phone answers media retry requests; without one they fail with 404. */
    answerMediaRetries(answer: (message: FakeMediaMessage) => FakeMediaMessage) {
      answerMediaRetry = answer;
    },
    get qrCount() {
      return qrCount;
    },
    /** The live, still unlinked socket's QR expires now: the next ref, or past the last one a close with 408. */
    rotateQr() {
      const socket = current();
      if (socket.user) throw new Error("the live WhatsApp fake socket is linked; it shows no QR");
      nextRef(socket);
    },
    /** Sockets opened so far; the most live at once; live now. */
    connectionsOpened: () => sockets.length,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => live().length,
    /** Delivers messages as WhatsApp does (`messages.upsert`, type notify). */
    upsert(messages: ReturnType<typeof message>[], type: "notify" | "append" = "notify") {
      const socket = live().at(-1);
      if (!socket?.user) offline.push({ messages, type });
      else socket.ev.emit("messages.upsert", { messages, type });
    },
    message,
    /** Closes the live socket with a WhatsApp disconnect code (401, 440, 515, 428, 500, …). */
    disconnect(code: number) {
      const socket = current();
      endSocket(socket);
      socket.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(code, `Stream Errored (${code})`) } });
    },
    /** The phone scanned the QR: creds become registered, then WhatsApp asks for a restart (515). */
    link(auth?: FakeAuthState) {
      linkedAtStart = true;
      if (auth) Object.assign(auth.creds, { registered: true, me: { id: selfJid, name: "OpenClaw" } });
      const socket = current();
      socket.ev.emit("creds.update", { registered: true });
      endSocket(socket);
      socket.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(515, "Stream Errored (restart required)") } });
    },
    /** A burst of `creds.update` events, as key rotation produces. */
    credsBurst(count: number) {
      const socket = current();
      for (let index = 0; index < count; index += 1) socket.ev.emit("creds.update", { nextPreKeyId: index });
    },
    /** The next `count` sends fail with no status, after the message was delivered or before it left. */
    loseSends(outcome: "delivered" | "not-delivered", count = 1) {
      for (let index = 0; index < count; index += 1) losses.push(outcome);
    },
    /** Refuse the next `count` sends: Boom-shaped with `status`, or `plain` (an Error with no status at all). */
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number; plain?: string }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) {
        failures.push({
          status: failure.status,
          ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
          ...(failure.plain !== undefined ? { plain: failure.plain } : {}),
        });
      }
    },
    holdSends(): () => void {
      holding = true;
      return () => {
        holding = false;
        for (const release of held.splice(0)) release();
      };
    },
  };
}

export type WhatsAppFake = ReturnType<typeof startWhatsAppFake>;
