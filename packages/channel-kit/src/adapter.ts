import type { TObject } from "@sinclair/typebox";
import type { MethodResult } from "@openclaw/protocol";
import type { BotIdentity } from "./group-policy.js";

/** Per-account state of one channel, as `channels.status` reports it (the protocol schema is the source). */
export type ChannelAccountStatus = MethodResult<"channels.status">["channels"][string]["accounts"][number];

/** Where a conversation happens: a direct message, a group chat, or a broadcast-style channel/room. */
export type ChatKind = "dm" | "group" | "channel";

/** What an attachment is; the protocol's `InboundMedia.kind`. */
export type InboundMediaKind = "image" | "sticker" | "voice" | "audio" | "video" | "document" | "location" | "contact";

/**
 * One attachment as facts; array position is the attachment's identity. `url` or `path` is the
 * adapter's own reference to the file (e.g. `tg-file:<file_id>`), which its `downloadMedia` reads.
 */
export interface InboundMediaFact {
  readonly kind?: InboundMediaKind;
  readonly url?: string;
  readonly path?: string;
  readonly contentType?: string;
  readonly sizeBytes?: number;
  readonly fileName?: string;
  readonly durationSec?: number;
  readonly width?: number;
  readonly height?: number;
  readonly location?: { readonly latitude: number; readonly longitude: number; readonly name?: string; readonly address?: string };
  readonly contact?: { readonly name: string; readonly phones?: readonly string[] };
  /** Why the adapter will not fetch this file (a sticker, a file the provider withholds); the gateway then does not ask. */
  readonly unavailable?: string;
}

/** A provider event normalized by an adapter before it reaches the router. */
export interface InboundMessage {
  readonly channel: string;
  readonly accountId: string;
  /**
   * `parentId`: the channel a thread chat belongs to (a Discord thread has its own channel id), whose
   * `groups.<id>` settings and allowlist entry apply when the thread has none of its own.
   */
  readonly chat: { readonly kind: ChatKind; readonly id: string; readonly parentId?: string };
  readonly sender: { readonly id: string; readonly name?: string; readonly username?: string; readonly isBot?: boolean };
  /** Empty for media-only messages. */
  readonly text: string;
  /** Ids or usernames the provider marked as mentioned. */
  readonly mentions: readonly string[];
  /** `senderId` lets mention gating count a reply to the bot as a mention. */
  readonly replyTo?: { readonly messageId: string; readonly senderId?: string };
  readonly thread?: { readonly id: string };
  readonly media?: readonly InboundMediaFact[];
  /** The provider's id for this message; the router dedupes on (channel, account, chat, id). */
  readonly providerMessageId: string;
  /** Milliseconds since the epoch, from the provider when it has one. */
  readonly timestamp: number;
}

/** One text message to send; the core chunks before calling `send`, so `text` fits the provider limit. */
export interface OutboundMessage {
  readonly channel: string;
  readonly accountId: string;
  readonly chatId: string;
  readonly text: string;
  readonly replyTo?: string;
  readonly thread?: string;
  /** Stable per logical message, so a retried send can be reconciled instead of duplicated. */
  readonly idempotencyKey: string;
  /**
   * Which chunk of the logical message this is (0-based), when the outbox sends it: with
   * `idempotencyKey` it names this one provider message, for adapters that tag or id their sends.
   */
  readonly chunkIndex?: number;
}

/** What a provider confirmed; every id goes into the echo registry. */
export interface Receipt {
  readonly providerMessageIds: string[];
  readonly sentAtMs: number;
}

/** Structured logging, compatible with pino-style and console-style loggers. */
export interface ChannelLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Given to `start`. */
export interface ChannelStartContext {
  readonly accountId: string;
  /** Hands one inbound message to the router; resolves once it is durably recorded, so ack the provider after. */
  deliver(inbound: InboundMessage): Promise<void>;
  readonly logger: ChannelLogger;
  /** Aborted when the gateway stops the account. */
  readonly signal: AbortSignal;
}

/** The contract every channel adapter implements, one instance per account. */
export interface ChannelAdapter {
  readonly id: string;
  start(context: ChannelStartContext): Promise<void>;
  /** Resolves after in-flight work has settled and every socket and timer is closed. */
  stop(): Promise<void>;
  /** Sends one chunk (the core chunks); throws `ChannelSendError` with a classified `kind` on failure. */
  send(message: OutboundMessage): Promise<Receipt>;
  status(): ChannelAccountStatus;
  /** Who the bot is on this account (known after `start`), for mention gating in groups. */
  identity?(): BotIdentity | undefined;
  /** Deletes the account's stored login (WhatsApp auth state); token-based channels need none. */
  logout?(): Promise<void>;
}

/** A chat, optionally narrowed to a thread. */
export interface ChatTarget {
  readonly chatId: string;
  readonly thread?: string;
}

/** One message already on the provider. */
export interface MessageTarget extends ChatTarget {
  readonly providerMessageId: string;
  /**
   * Who wrote the message, when the gateway knows (an inbound message's `sender.id`): Signal and
   * WhatsApp address a message in a group by its author as well as its id.
   */
  readonly senderId?: string;
}

/** Typing/busy indicators. */
export interface SupportsTyping {
  /** Shows (`on`) or clears the indicator; where the provider has no way to clear it, `false` does nothing and it expires. */
  setTyping(target: ChatTarget, on: boolean): Promise<void>;
  /**
   * How often the gateway repeats `setTyping(on)` while a reply is being written, a little under
   * the time the provider shows one indicator for (Telegram about 5 s, Discord about 10 s).
   * @default 4000 (the gateway's default when absent)
   */
  readonly typingRefreshMs?: number;
}

/** Adding and removing reactions. */
export interface SupportsReactions {
  react(target: MessageTarget, emoji: string, options?: { remove?: boolean }): Promise<void>;
}

/** Telling the sender their message was read (the provider's blue ticks or read receipts). */
export interface SupportsReadReceipts {
  /** Marks one inbound message read; the gateway calls it only when the account's `readReceipts` is on. */
  markRead(target: MessageTarget): Promise<void>;
}

/** Editing a message we sent. */
export interface SupportsEdits {
  edit(target: MessageTarget, text: string): Promise<void>;
}

/** One media item to send; `source` is an http(s) URL or a local path inside the allowed roots. */
export interface OutboundMedia extends Omit<OutboundMessage, "text"> {
  readonly source: string;
  readonly contentType?: string;
  readonly fileName?: string;
  readonly caption?: string;
}

/** Sending media. */
export interface SupportsMedia {
  readonly mediaMaxBytes: number;
  sendMedia(media: OutboundMedia): Promise<Receipt>;
}

/** A downloaded attachment. */
export interface DownloadedMedia {
  readonly data: Uint8Array;
  /** The content type the provider gave for the file, when it gave one. */
  readonly contentType?: string;
}

/**
 * Fetching an inbound attachment's bytes from the provider, at most `maxBytes` of them: a file that
 * is larger (by the provider's word or while reading) rejects with `MediaTooLargeError`, never
 * with a truncated file.
 */
export interface SupportsMediaDownload {
  downloadMedia(media: InboundMediaFact, options: { readonly maxBytes: number; readonly signal?: AbortSignal }): Promise<DownloadedMedia>;
}

/** A raw HTTP request, independent of the server library. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Uint8Array;
}

export interface WebhookResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Receiving provider events over HTTP; the adapter verifies the signature or secret itself. */
export interface SupportsWebhook {
  readonly webhookPath: string;
  handleWebhook(request: WebhookRequest): Promise<WebhookResponse>;
}

/** One chunk whose send failed ambiguously, to look up on the provider. */
export interface ReconcileRequest extends OutboundMessage {
  /** Which chunk of the logical message this is (0-based); earlier chunks are known to be delivered. */
  readonly chunkIndex: number;
  /** When the ambiguous attempt started: the message, if it landed, is no older than this. */
  readonly attemptStartedAtMs: number;
}

/**
 * What the provider says about an ambiguous send: `delivered` (with the ids it has, so echoes are
 * recognized), `not-delivered` (provably absent: safe to send again), or `unknown` (it cannot tell).
 */
export type ReconcileOutcome =
  | { readonly status: "delivered"; readonly providerMessageIds: readonly string[] }
  | { readonly status: "not-delivered" }
  | { readonly status: "unknown"; readonly reason?: string };

/**
 * Checking whether a message landed after an ambiguous failure (a timeout or reset after the
 * request was written), so the outbox can mark it delivered or send it again instead of
 * dead-lettering it. Implement it only where the provider can be asked
 * (chat history, a client message id); without it an ambiguous send is dead-lettered for the
 * operator to check and retry. Throwing counts as "could not ask now" and is retried later.
 */
export interface SupportsReconcile {
  reconcile(request: ReconcileRequest): Promise<ReconcileOutcome>;
}

/** Linking an account by a code typed on the phone instead of scanning a QR (WhatsApp). */
export interface SupportsPhonePairing {
  /** A pairing code for `phoneNumber` (digits, with or without `+`); rejects while the account cannot ask yet. */
  requestPairingCode(phoneNumber: string): Promise<string>;
}

function hasMethod(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === "function";
}

export function supportsTyping(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsTyping {
  return hasMethod(adapter, "setTyping");
}

export function supportsReactions(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsReactions {
  return hasMethod(adapter, "react");
}

export function supportsReadReceipts(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsReadReceipts {
  return hasMethod(adapter, "markRead");
}

export function supportsEdits(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsEdits {
  return hasMethod(adapter, "edit");
}

export function supportsMedia(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsMedia {
  const maxBytes = (adapter as Partial<SupportsMedia>).mediaMaxBytes;
  return hasMethod(adapter, "sendMedia") && typeof maxBytes === "number" && maxBytes > 0;
}

export function supportsWebhook(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsWebhook {
  return hasMethod(adapter, "handleWebhook") && typeof (adapter as Partial<SupportsWebhook>).webhookPath === "string";
}

export function supportsMediaDownload(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsMediaDownload {
  return hasMethod(adapter, "downloadMedia");
}

export function supportsReconcile(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsReconcile {
  return hasMethod(adapter, "reconcile");
}

export function supportsPhonePairing(adapter: ChannelAdapter): adapter is ChannelAdapter & SupportsPhonePairing {
  return hasMethod(adapter, "requestPairingCode");
}

/** The optional capabilities an adapter implements, detected once at registration. */
export interface ChannelCapabilities {
  readonly typing: boolean;
  readonly reactions: boolean;
  readonly readReceipts: boolean;
  readonly edits: boolean;
  readonly media: boolean;
  readonly webhook: boolean;
  readonly reconcile: boolean;
  readonly phonePairing: boolean;
}

export function detectCapabilities(adapter: ChannelAdapter): ChannelCapabilities {
  return {
    typing: supportsTyping(adapter),
    reactions: supportsReactions(adapter),
    readReceipts: supportsReadReceipts(adapter),
    edits: supportsEdits(adapter),
    media: supportsMedia(adapter),
    webhook: supportsWebhook(adapter),
    reconcile: supportsReconcile(adapter),
    phonePairing: supportsPhonePairing(adapter),
  };
}

/** What `ChannelDefinition.create` gets for one account. */
export interface ChannelAccountContext {
  readonly accountId: string;
  /**
   * The account's settings: `channels.<id>` merged with `channels.<id>.accounts.<accountId>`.
   * The core consumes the policy keys (`dmPolicy`, `allowFrom`, `groupPolicy`, `groups`,
   * `textChunkLimit`, …); the adapter reads its own (`botToken`, `apiRoot`, …) and ignores the rest.
   */
  readonly config: Readonly<Record<string, unknown>>;
  /** Environment for secrets such as `TELEGRAM_BOT_TOKEN`; adapters read env tokens only for the `default` account. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The gateway's state directory, for anything the adapter must persist (auth state, offsets). */
  readonly stateDir: string;
}

/**
 * One channel kind, registered with the gateway. The gateway imports a definition only when the
 * channel is configured, so provider libraries stay off the start-up path.
 */
export interface ChannelDefinition {
  /** `telegram`, `slack`, `discord`, … */
  readonly id: string;
  /** Shown in status output. */
  readonly label: string;
  /** Default maximum characters per message (overridable per account with `textChunkLimit`). */
  readonly textChunkLimit: number;
  /** Hard provider maximum; a configured `textChunkLimit` above it is refused. */
  readonly maxTextLength: number;
  /** Default line cap per message (Discord: 17). */
  readonly maxLinesPerMessage?: number;
  /**
   * The settings keys this adapter reads from an account (`botToken`, `apiRoot`, …). With it the
   * gateway refuses any other key in `channels.<id>` besides its own policy keys. Derived from
   * `configSchema` by `defineChannel`.
   */
  readonly configKeys?: readonly string[];
  /**
   * The adapter's own settings of one account as a closed TypeBox object: the options type, the
   * validation and the gateway's config schema for `channels.<id>` all come from it.
   */
  readonly configSchema?: TObject;
  /**
   * Builds the adapter for one account. Throws `InvalidOptionError` naming the key
   * (`channels.telegram.accounts.work.botToken`) when the account's config is unusable.
   */
  create(account: ChannelAccountContext): ChannelAdapter;
  /**
   * Asks the provider whether an account's credentials work, with one read-only request (Telegram
   * `getMe`, Slack `auth.test`, Discord `GET /users/@me`), before setup writes them. Absent for
   * channels that link another way (a QR code, a local daemon).
   */
  checkCredentials?(account: ChannelAccountContext, options: { readonly signal: AbortSignal }): Promise<CredentialCheck>;
}

/** What the provider said of an account's credentials. */
export type CredentialCheck =
  | { readonly ok: true; /** Who the credentials act as: `@my_bot`, `my-bot in Acme`. */ readonly identity: string }
  | { readonly ok: false; /** What is wrong, naming the setting: "the bot token was refused (401 Unauthorized); check botToken". */ readonly problem: string };
