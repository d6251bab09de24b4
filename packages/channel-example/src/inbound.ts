import type { InboundMessage } from "@openclaw/channel-kit";

/** The parts of a provider event this channel reads (typed structurally, only what is used). */
export interface ExampleEvent {
  readonly id: number;
  readonly chatId: string;
  readonly senderId: string;
  readonly messageId: string;
  readonly text: string;
  readonly fromBot?: boolean;
  readonly sentAtMs?: number;
}

/** A provider event as an InboundMessage, or `undefined` for what is not a message. */
export function toInbound(event: ExampleEvent, accountId: string): InboundMessage | undefined {
  if (!event.chatId || !event.messageId || event.text === "") return undefined;
  return {
    channel: "example",
    accountId,
    chat: { kind: "dm", id: event.chatId },
    sender: { id: event.senderId, ...(event.fromBot ? { isBot: true } : {}) },
    text: event.text,
    mentions: [],
    providerMessageId: event.messageId,
    timestamp: event.sentAtMs ?? Date.now(),
  };
}
