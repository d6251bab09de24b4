import type { AnyMessageContent, AuthenticationState, WAMessage, WAMessageKey } from "@whiskeysockets/baileys";

/** The events of a WhatsApp socket this channel listens to. */
export interface WhatsAppSocketEvents {
  "connection.update": { connection?: "open" | "connecting" | "close"; qr?: string; lastDisconnect?: { error?: unknown } };
  "creds.update": unknown;
  "messages.upsert": { messages: WAMessage[]; type: "notify" | "append" | string };
}

/**
 * The part of a Baileys socket the channel uses. Every socket is made by one factory, so tests
 * inject a fake with the same shape; the real socket runs in tests against a local stand-in
 * (`test/fake-wa-server.ts`), which needs Baileys' hard-coded WhatsApp root key swapped.
 */
export interface WhatsAppSocket {
  readonly ev: {
    on<E extends keyof WhatsAppSocketEvents>(event: E, listener: (payload: WhatsAppSocketEvents[E]) => void): void;
    removeAllListeners(event: keyof WhatsAppSocketEvents): void;
  };
  readonly user?: { readonly id: string; readonly name?: string | undefined } | undefined;
  /** `messageId` chooses the message's id (Baileys generates one otherwise). */
  sendMessage(jid: string, content: AnyMessageContent, options?: { messageId?: string; quoted?: WAMessage }): Promise<WAMessage | undefined>;
  readMessages?(keys: WAMessageKey[]): Promise<void>;
  sendPresenceUpdate?(type: "composing" | "paused", jid?: string): Promise<void>;
  requestPairingCode?(phoneNumber: string): Promise<string>;
  /** Asks the sender's phone to upload a media message's file again; answers the message with its new URL. */
  updateMediaMessage?(message: WAMessage): Promise<WAMessage>;
  end(error: Error | undefined): void;
}

/** What the factory gets: the account's auth state and a logger Baileys can call. */
export interface SocketFactoryOptions {
  readonly auth: AuthenticationState;
  readonly logger: BaileysLogger;
}

export type SocketFactory = (options: SocketFactoryOptions) => WhatsAppSocket | Promise<WhatsAppSocket>;

/** The pino-shaped logger Baileys expects. */
export interface BaileysLogger {
  level: string;
  child(bindings: Record<string, unknown>): BaileysLogger;
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
}

/**
 * Where and how fast the real socket talks. Tests point it at a local server; nothing else needs it.
 * `waWebSocketUrl` defaults to WhatsApp's, `connectTimeoutMs` (per handshake step) to 20 s.
 */
export interface BaileysSocketOverrides {
  readonly waWebSocketUrl?: string;
  readonly connectTimeoutMs?: number;
  readonly keepAliveIntervalMs?: number;
  readonly defaultQueryTimeoutMs?: number;
}

/**
 * The real factory: Baileys' `makeWASocket`, imported on first use, given its bundled WhatsApp Web
 * `version` explicitly so nothing is fetched from the network, and never printing a QR itself.
 */
export function createBaileysSocketFactory(overrides: BaileysSocketOverrides = {}): SocketFactory {
  return async ({ auth, logger }) => {
    const baileys = await import("@whiskeysockets/baileys");
    const socket = baileys.makeWASocket({
      auth,
      logger: logger as never,
      version: baileys.DEFAULT_CONNECTION_CONFIG.version,
      browser: baileys.Browsers.ubuntu("OpenClaw"),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...overrides,
    });
    return socket as unknown as WhatsAppSocket;
  };
}

/** The real factory with WhatsApp's own servers and timeouts. */
export const baileysSocketFactory: SocketFactory = createBaileysSocketFactory();
