// Fetching an inbound WhatsApp file: the CDN holds it encrypted with a key that only the message
// carries, so the adapter keeps recent media messages in memory and hands one to Baileys to decrypt.
import { Readable } from "node:stream";
import { InvalidOptionError, MediaTooLargeError, readCapped, type DownloadedMedia, type InboundMediaFact } from "@openclaw/channel-kit";
import type { WAMessage } from "@whiskeysockets/baileys";
import { WhatsAppMediaUnavailableError } from "./errors.js";
import { WHATSAPP_MEDIA_PREFIX, mediaRefKey } from "./inbound-media.js";
import type { BaileysLogger } from "./socket.js";

/** How many media messages, and for how long, the adapter keeps for `downloadMedia`. */
export interface RecentMediaLimits {
  /** @default 500 */
  readonly maxMessages?: number;
  /** @default 6 hours */
  readonly maxAgeMs?: number;
}

/**
 * The most recent media messages by `<jid>/<id>`, bounded in count (the oldest goes first) and in
 * age (checked on every read and write, so no timer runs).
 */
export class RecentMediaMessages {
  readonly maxMessages: number;
  readonly maxAgeMs: number;
  private readonly entries = new Map<string, { message: WAMessage; atMs: number }>();

  constructor(
    limits: RecentMediaLimits = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxMessages = limits.maxMessages ?? 500;
    this.maxAgeMs = limits.maxAgeMs ?? 6 * 60 * 60 * 1000;
  }

  get size(): number {
    return this.entries.size;
  }

  put(key: string, message: WAMessage): void {
    this.prune();
    this.entries.delete(key);
    this.entries.set(key, { message, atMs: this.now() });
    while (this.entries.size > this.maxMessages) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Replaces a message (after a re-upload gave it a fresh URL) without renewing its age. */
  replace(key: string, message: WAMessage): void {
    const entry = this.entries.get(key);
    if (entry) entry.message = message;
  }

  get(key: string): WAMessage | undefined {
    this.prune();
    return this.entries.get(key)?.message;
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(): void {
    const oldest = this.now() - this.maxAgeMs;
    for (const [key, entry] of this.entries) {
      if (entry.atMs >= oldest) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Baileys pipes the CDN response into its decrypt stream and listens to neither for errors. A read
 * stopped part-way (over the cap, aborted) leaves that response to end in an unheard `terminated`
 * error, an uncaught exception on Node 24. Destroying the decrypt stream unpipes the response and
 * hands it to this listener, which hears its error and stops it too.
 */
function stopSource(stream: Readable): void {
  stream.once("unpipe", (source: Readable) => {
    source.on("error", () => undefined);
    source.destroy();
  });
}

const silentLogger: BaileysLogger = {
  level: "silent",
  child: () => silentLogger,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};

/** WhatsApp answers these when a file left its CDN; the sender's phone can upload it again. */
const REUPLOAD_STATUSES = new Set([404, 410]);

function httpStatus(error: unknown): number | undefined {
  const status = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof status === "number" ? status : undefined;
}

export interface WhatsAppDownloadContext {
  readonly cache: RecentMediaMessages;
  /** Baileys' logger for the re-upload request. @default silent */
  readonly logger?: BaileysLogger;
  /** The live socket's media re-upload request (Baileys' `updateMediaMessage`), when connected. */
  readonly reupload: ((message: WAMessage) => Promise<WAMessage>) | undefined;
}

/**
 * One inbound file, decrypted by Baileys' `downloadMediaMessage` as a stream and read under
 * `maxBytes` (WhatsApp's declared `fileLength` first, then the bytes as they come). A file gone from
 * the CDN (404/410) is asked for again from the sender's phone once.
 */
export async function downloadWhatsAppMedia(
  media: InboundMediaFact,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
  context: WhatsAppDownloadContext,
): Promise<DownloadedMedia> {
  const key = mediaRefKey(media.url);
  if (key === undefined) throw new InvalidOptionError("media.url", `a ${WHATSAPP_MEDIA_PREFIX}<jid>/<message id> reference`, media.url);
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
  let message = context.cache.get(key);
  if (!message) throw new WhatsAppMediaUnavailableError(context.cache);
  options.signal?.throwIfAborted();
  const { downloadMediaMessage } = await import("@whiskeysockets/baileys");
  const ctx = context.reupload ? { reuploadRequest: context.reupload, logger: (context.logger ?? silentLogger) as never } : undefined;
  let stream: Readable;
  try {
    stream = await downloadMediaMessage(message, "stream", {}, ctx);
  } catch (error) {
    const status = httpStatus(error);
    if (!context.reupload || status === undefined || !REUPLOAD_STATUSES.has(status)) throw error;
    // Baileys only retries on an error's `status`; its own HTTP errors carry `output.statusCode`.
    message = await context.reupload(message);
    context.cache.replace(key, message);
    stream = await downloadMediaMessage(message, "stream", {}, ctx);
  }
  const abort = () => stream.destroy(options.signal?.reason instanceof Error ? options.signal.reason : new Error("download aborted"));
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    const data = await readCapped(Readable.toWeb(stream) as ReadableStream<Uint8Array>, options.maxBytes, media.sizeBytes);
    return { data, ...(media.contentType ? { contentType: media.contentType } : {}) };
  } finally {
    options.signal?.removeEventListener("abort", abort);
    if (!stream.readableEnded) stopSource(stream);
    stream.destroy();
  }
}
