import { inboundMediaFact, type InboundMessage } from "@openclaw/channel-kit";

/** The parts of a Slack message event this channel reads. */
export interface SlackMessageEvent {
  readonly type: string;
  readonly subtype?: string;
  readonly channel?: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly files?: readonly { readonly url_private?: string; readonly mimetype?: string; readonly size?: number; readonly name?: string }[];
}

const HANDLED_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

/** A message event as an InboundMessage, or `undefined` for edits, joins and other non-messages. */
export function toInbound(event: SlackMessageEvent, accountId: string): InboundMessage | undefined {
  if (event.type !== "message" || !HANDLED_SUBTYPES.has(event.subtype) || !event.channel || !event.ts) return undefined;
  const sender = event.user ?? event.bot_id;
  if (!sender) return undefined;
  const text = event.text ?? "";
  const media = (event.files ?? []).map((file) =>
    inboundMediaFact({ url: file.url_private, contentType: file.mimetype, sizeBytes: file.size, fileName: file.name }),
  );
  if (text === "" && media.length === 0) return undefined;
  return {
    channel: "slack",
    accountId,
    chat: { kind: event.channel_type === "im" ? "dm" : "group", id: event.channel },
    sender: { id: sender, ...(event.bot_id ? { isBot: true } : {}) },
    text,
    mentions: [...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((match) => match[1]!),
    ...(event.thread_ts && event.thread_ts !== event.ts ? { thread: { id: event.thread_ts } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: event.ts,
    timestamp: Math.round(Number(event.ts) * 1000),
  };
}
