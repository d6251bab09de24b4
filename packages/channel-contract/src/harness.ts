import type { ChannelDefinition } from "@openclaw/channel-kit";

/** One message the fake provider accepted from the bot. */
export interface FakeSentMessage {
  readonly chatId: string;
  readonly text: string;
  /** The id the fake assigned (what the adapter must return in its receipt). */
  readonly messageId: string;
  readonly atMs: number;
}

/** One send attempt as the fake saw it, refused or not. */
export interface FakeSendAttempt {
  readonly chatId: string;
  readonly status: number;
  readonly atMs: number;
}

/** A refusal the fake applies to the next send attempts. */
export interface FakeSendFailure {
  /** HTTP status to answer with (429 carries `retryAfterSeconds`). */
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** How many attempts to refuse. @default 1 */
  readonly count?: number;
}

/**
 * A provider fake as the contract suite drives it. Each adapter package implements one over its
 * fake from `@openclaw/testing`; the suite never looks at provider-specific shapes.
 */
export interface ContractFake {
  /** The account settings (`channels.<id>` for the `default` account) that point the adapter at this fake. */
  readonly accountConfig: Readonly<Record<string, unknown>>;
  /** Makes the provider deliver a direct message from `senderId`; resolves with its chat and provider message id. */
  injectDm(input: { senderId: string; text: string }): Promise<{ chatId: string; messageId: string }>;
  /** Delivers the same provider event again, as a provider does after a lost ack or a reconnect. */
  redeliver(messageId: string): Promise<void>;
  /** Delivers, as inbound, the bot's own message `messageId` in `chatId` (what providers do with our own sends). */
  injectEcho(chatId: string, messageId: string): Promise<void>;
  /** Messages the fake accepted, in order. */
  sent(chatId?: string): readonly FakeSentMessage[];
  /** Every send attempt, in order. */
  attempts(chatId?: string): readonly FakeSendAttempt[];
  failSends(failure: FakeSendFailure): void;
  /** Holds send responses (the fake has the message, the adapter waits) until the returned function is called. */
  holdSends(): () => void;
  /** Cuts the inbound transport from the provider side (long poll, socket, gateway connection). */
  dropConnection(): void;
  /** Inbound transport connections opened so far (Telegram: getUpdates calls; Slack/Discord: WebSocket connections). */
  connectionsOpened(): number;
  /** The most inbound transport connections that were open at the same time. */
  maxConcurrentConnections(): number;
  /** Inbound transport connections open now. */
  openConnections(): number;
  close(): Promise<void>;
}

/** What an adapter package hands to `runAdapterContract`. */
export interface ContractHarness {
  readonly definition: ChannelDefinition;
  /** A fresh fake per test. */
  startFake(): Promise<ContractFake>;
  /** Extra settings merged over `accountConfig`. */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}
