/** The public shapes of the Telegram fake: what it records and the controls it offers. */
import type { FakeServer, RecordedRequest } from "./http-fake.js";

export interface TelegramFakeOptions {
  readonly token?: string;
  readonly botId?: number;
  readonly username?: string;
  /** The server's keep-alive timeout for idle connections (announced in `Keep-Alive: timeout=<s>`). @default Node's 5000 */
  readonly keepAliveTimeoutMs?: number;
}

export interface TelegramUpdate {
  readonly update_id: number;
  readonly message?: Record<string, unknown>;
  readonly channel_post?: Record<string, unknown>;
}

export interface TelegramSent {
  readonly chatId: string;
  readonly text: string;
  readonly messageId: number;
  readonly atMs: number;
  readonly params: Record<string, unknown>;
}

/** A file the bot sent: uploaded (`bytes`, `fileName`) or by URL (`url`). */
export interface TelegramSentMedia {
  readonly method: "sendPhoto" | "sendVoice" | "sendAudio" | "sendVideo" | "sendDocument";
  readonly chatId: string;
  readonly messageId: number;
  readonly caption?: string;
  /** `reply_parameters.message_id`. */
  readonly replyTo?: number;
  readonly threadId?: number;
  readonly bytes?: Uint8Array;
  readonly fileName?: string;
  readonly url?: string;
  readonly params: Record<string, unknown>;
}

export interface TelegramFake {
  readonly apiRoot: string;
  readonly token: string;
  readonly botId: number;
  readonly username: string;
  readonly server: FakeServer;
  readonly sent: TelegramSent[];
  /** Files sent with sendPhoto, sendVoice, sendAudio, sendVideo or sendDocument, in order. */
  readonly sentMedia: TelegramSentMedia[];
  readonly attempts: { chatId: string; status: number; atMs: number }[];
  readonly commandSets: unknown[];
  readonly calls: (method: string) => RecordedRequest[];
  /** Queues a message from `from` in `chat`; returns the update. */
  inject(input: {
    chatId: number;
    from: { id: number; first_name?: string; username?: string; is_bot?: boolean };
    text: string;
    chatType?: "private" | "group" | "supergroup";
    entities?: unknown[];
    replyTo?: Record<string, unknown>;
    threadId?: number;
    /** A photo with `text` as its caption: two sizes, the larger backed by `photoBytes` (served by getFile) when given. */
    photo?: boolean;
    photoBytes?: Uint8Array;
    /** Extra message fields (voice, document, location, …), e.g. from {@link TelegramFake.addFile}. */
    extra?: Record<string, unknown>;
  }): TelegramUpdate;
  /** Stores a file the bot can download (getFile, then `${apiRoot}/file/bot<token>/<path>`); returns its Bot API file object. */
  addFile(bytes: Uint8Array, fields?: Record<string, unknown>): { file_id: string; file_unique_id: string; file_size: number } & Record<string, unknown>;
  /** Queues the same message again under a new update id (a redelivery). */
  redeliver(messageId: number): TelegramUpdate;
  /** Queues an arbitrary update body (for malformed or unusual updates). */
  injectRaw(update: Omit<TelegramUpdate, "update_id">): TelegramUpdate;
  /** Updates not yet confirmed by an offset. */
  pending(): TelegramUpdate[];
  failSends(failure: { status: number; retryAfterSeconds?: number; count?: number; description?: string }): void;
  /** Forgets refusals not used yet. */
  clearFailures(): void;
  holdSends(): () => void;
  /** 409 Conflict for every getUpdates while on (another poller has the token). */
  setConflict(on: boolean): void;
  /** getUpdates requests are accepted and never answered while on. */
  setWedged(on: boolean): void;
  /** Every getUpdates is answered with this HTTP error (502, 500, …) until called with `false`. */
  failPolls(status: number | false): void;
  /** When each getUpdates arrived (ms since the epoch), oldest first. */
  pollTimes(): number[];
  /** Destroys every pending long poll (a dropped connection). */
  dropPolls(): void;
  pollsOpened(): number;
  maxConcurrentPolls(): number;
  openPolls(): number;
  close(): Promise<void>;
}
