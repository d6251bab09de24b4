/**
 * A fake WhatsApp socket factory. WhatsApp's servers cannot be faked (Baileys pins their
 * certificate and Signal-encrypts every message), so the seam is the socket itself: this fake has
 * the shape the channel uses (`ev`, `user`, `sendMessage`, `readMessages`, `sendPresenceUpdate`,
 * `requestPairingCode`, `end`) and replays realistic `connection.update`, `creds.update` and
 * `messages.upsert` sequences: QR codes while unlinked, a 515 restart after linking, open, close
 * with any disconnect code, inbound text/extended text/media/group messages, and Boom-shaped send
 * errors (429 with a retry delay, 403, …).
 */
import { EventEmitter } from "node:events";

/** The auth state the channel hands to its socket factory (only `creds` is touched here). */
export interface FakeAuthState {
  readonly creds: Record<string, unknown>;
}

export interface FakeWhatsAppSocket {
  readonly ev: EventEmitter;
  user: { id: string; name?: string } | undefined;
  ended: boolean;
  sendMessage(jid: string, content: Record<string, unknown>): Promise<{ key: { id: string; remoteJid: string; fromMe: true }; message: Record<string, unknown> }>;
  readMessages(keys: unknown[]): Promise<void>;
  sendPresenceUpdate(type: string, jid?: string): Promise<void>;
  requestPairingCode(phone: string): Promise<string>;
  end(error: Error | undefined): void;
}

export interface WhatsAppFakeSent {
  readonly jid: string;
  readonly content: Record<string, unknown>;
  readonly id: string;
  readonly atMs: number;
}

export interface WhatsAppFakeOptions {
  /** Our own number's JID once linked. @default "15550000000@s.whatsapp.net" */
  readonly selfJid?: string;
  /** Start already linked (creds registered). @default true */
  readonly linked?: boolean;
}

/** A Boom-like error as Baileys throws and reports in `lastDisconnect.error`. */
export function boomError(statusCode: number, message = `status ${statusCode}`, data?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode, message } }, ...(data ? { data } : {}) });
}

export function startWhatsAppFake(options: WhatsAppFakeOptions = {}) {
  const selfJid = options.selfJid ?? "15550000000@s.whatsapp.net";
  const sockets: FakeWhatsAppSocket[] = [];
  const sent: WhatsAppFakeSent[] = [];
  const attempts: { jid: string; status: number; atMs: number }[] = [];
  const reads: unknown[] = [];
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  let linkedAtStart = options.linked ?? true;
  let nextId = 1;
  let maxConcurrent = 0;
  let qrCount = 0;
  /** Upserts made while no socket was open; WhatsApp's server keeps them and delivers on the next open. */
  const offline: { messages: unknown[]; type: string }[] = [];

  const live = () => sockets.filter((socket) => !socket.ended);
  const current = () => {
    const socket = live().at(-1);
    if (!socket) throw new Error("no live WhatsApp fake socket");
    return socket;
  };

  function factory({ auth }: { auth: FakeAuthState }): FakeWhatsAppSocket {
    const ev = new EventEmitter();
    const socket: FakeWhatsAppSocket = {
      ev,
      user: undefined,
      ended: false,
      async sendMessage(jid, content) {
        if (socket.ended) throw boomError(428, "Connection Closed");
        const failure = failures.shift();
        attempts.push({ jid, status: failure?.status ?? 200, atMs: Date.now() });
        if (failure) throw boomError(failure.status, `fake refusal ${failure.status}`, failure.retryAfterSeconds !== undefined ? { retryAfter: failure.retryAfterSeconds } : undefined);
        const id = `3EB0${String(nextId++).padStart(8, "0")}`;
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        sent.push({ jid, content, id, atMs: Date.now() });
        return { key: { id, remoteJid: jid, fromMe: true }, message: content };
      },
      async readMessages(keys) {
        reads.push(...keys);
      },
      async sendPresenceUpdate() {},
      async requestPairingCode(phone) {
        if (!/^\d{6,15}$/.test(phone)) throw boomError(400, "invalid phone number");
        return "ABCD1234";
      },
      end() {
        if (socket.ended) return;
        socket.ended = true;
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
        qrCount += 1;
        socket.ev.emit("connection.update", { qr: `2@fake-qr-${qrCount},fake-key,fake-identity,fake-adv` });
        return;
      }
      socket.user = { id: selfJid.replace("@", ":7@"), name: "OpenClaw" };
      socket.ev.emit("connection.update", { connection: "open" });
      for (const upsert of offline.splice(0)) socket.ev.emit("messages.upsert", upsert);
    });
    return socket;
  }

  function message(input: { from: string; text?: string; id?: string; group?: string; mentions?: string[]; fromMe?: boolean; image?: { caption?: string; mimetype?: string; fileLength?: number } }) {
    const id = input.id ?? `MSG${String(nextId++).padStart(10, "0")}`;
    const remoteJid = input.group ?? input.from;
    const content: Record<string, unknown> = input.image
      ? { imageMessage: { caption: input.image.caption, mimetype: input.image.mimetype ?? "image/jpeg", fileLength: input.image.fileLength ?? 1024 } }
      : input.mentions
        ? { extendedTextMessage: { text: input.text ?? "", contextInfo: { mentionedJid: input.mentions } } }
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
    get qrCount() {
      return qrCount;
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
      socket.ended = true;
      socket.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(code, `Stream Errored (${code})`) } });
    },
    /** The phone scanned the QR: creds become registered, then WhatsApp asks for a restart (515). */
    link(auth?: FakeAuthState) {
      linkedAtStart = true;
      if (auth) Object.assign(auth.creds, { registered: true, me: { id: selfJid, name: "OpenClaw" } });
      const socket = current();
      socket.ev.emit("creds.update", { registered: true });
      socket.ended = true;
      socket.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: boomError(515, "Stream Errored (restart required)") } });
    },
    /** A burst of `creds.update` events, as key rotation produces. */
    credsBurst(count: number) {
      const socket = current();
      for (let index = 0; index < count; index += 1) socket.ev.emit("creds.update", { nextPreKeyId: index });
    },
    failSends(failure: { status: number; retryAfterSeconds?: number; count?: number }) {
      for (let index = 0; index < (failure.count ?? 1); index += 1) failures.push({ status: failure.status, ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) });
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
