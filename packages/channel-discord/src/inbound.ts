import { inboundMediaFact, type InboundMessage } from "@openclaw/channel-kit";

/** The parts of a raw MESSAGE_CREATE dispatch this channel reads. */
export interface RawMessage {
  readonly id: string;
  readonly channel_id: string;
  readonly guild_id?: string;
  readonly author?: { readonly id: string; readonly username?: string; readonly global_name?: string | null; readonly bot?: boolean };
  readonly content?: string;
  readonly timestamp?: string;
  readonly mentions?: readonly { readonly id: string }[];
  readonly message_reference?: { readonly message_id?: string };
  readonly referenced_message?: { readonly author?: { readonly id: string } } | null;
  readonly attachments?: readonly { readonly url?: string; readonly filename?: string; readonly content_type?: string; readonly size?: number }[];
  readonly thread?: { readonly id: string };
  readonly position?: number;
}

/** A raw MESSAGE_CREATE as an InboundMessage (DMs have no guild id). */
export function toInbound(data: RawMessage, accountId: string, channelKinds: ReadonlyMap<string, "thread">): InboundMessage | undefined {
  if (!data.id || !data.channel_id || !data.author?.id) return undefined;
  const text = data.content ?? "";
  const media = (data.attachments ?? []).map((attachment) =>
    inboundMediaFact({ url: attachment.url, contentType: attachment.content_type, sizeBytes: attachment.size, fileName: attachment.filename }),
  );
  if (text === "" && media.length === 0) return undefined;
  const isThread = channelKinds.get(data.channel_id) === "thread";
  return {
    channel: "discord",
    accountId,
    chat: { kind: data.guild_id ? "group" : "dm", id: data.channel_id },
    sender: {
      id: data.author.id,
      ...(data.author.global_name ? { name: data.author.global_name } : {}),
      ...(data.author.username ? { username: data.author.username } : {}),
      ...(data.author.bot ? { isBot: true } : {}),
    },
    text,
    mentions: (data.mentions ?? []).map((user) => user.id),
    ...(data.message_reference?.message_id
      ? {
          replyTo: {
            messageId: data.message_reference.message_id,
            ...(data.referenced_message?.author ? { senderId: data.referenced_message.author.id } : {}),
          },
        }
      : {}),
    ...(isThread ? { thread: { id: data.channel_id } } : {}),
    ...(media.length > 0 ? { media } : {}),
    providerMessageId: data.id,
    timestamp: data.timestamp ? Date.parse(data.timestamp) : Date.now(),
  };
}
