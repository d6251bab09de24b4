import { inboundMediaFact, type InboundMediaFact, type InboundMediaKind, type InboundMessage } from "@openclaw/channel-kit";

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
  readonly files?: readonly SlackFile[];
}

/** The fields of a Slack file object (as a message event carries it) this channel reads. */
export interface SlackFile {
  readonly id?: string;
  readonly name?: string;
  readonly mimetype?: string;
  readonly filetype?: string;
  readonly size?: number;
  readonly url_private?: string;
  readonly url_private_download?: string;
  readonly original_w?: number;
  readonly original_h?: number;
  readonly duration_ms?: number;
  /** `slack_audio` for a clip recorded in Slack, `slack_video` for a video clip. */
  readonly subtype?: string;
  /** `hosted` (the usual), `external` (a link to Drive, Dropbox…), `tombstone` (deleted), `hidden_by_limit`. */
  readonly mode?: string;
  readonly is_external?: boolean;
  readonly external_type?: string;
}

function fileKind(file: SlackFile): InboundMediaKind {
  const type = file.mimetype ?? "";
  if (file.subtype === "slack_audio") return "voice";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  return "document";
}

/** Why a file cannot be fetched with the bot token, when Slack says so in the event. */
function withheld(file: SlackFile): string | undefined {
  if (file.mode === "tombstone") return "the file was deleted";
  if (file.mode === "hidden_by_limit") return "Slack hides this file (the workspace is over its plan's file history limit)";
  if (file.mode === "external" || file.is_external) return `an external file${file.external_type ? ` (${file.external_type})` : ""}, not stored on Slack`;
  return undefined;
}

/** One Slack file as facts; `url` is the private download URL that `downloadMedia` fetches with the bot token. */
export function fileFact(file: SlackFile): InboundMediaFact {
  const fact = inboundMediaFact({
    kind: fileKind(file),
    url: file.url_private_download ?? file.url_private,
    contentType: file.mimetype,
    sizeBytes: file.size,
    fileName: file.name,
    durationSec: typeof file.duration_ms === "number" ? file.duration_ms / 1000 : undefined,
    width: file.original_w,
    height: file.original_h,
  });
  const reason = withheld(file);
  return reason ? { ...fact, unavailable: reason } : fact;
}

const HANDLED_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

/** A message event as an InboundMessage, or `undefined` for edits, joins and other non-messages. */
export function toInbound(event: SlackMessageEvent, accountId: string): InboundMessage | undefined {
  if (event.type !== "message" || !HANDLED_SUBTYPES.has(event.subtype) || !event.channel || !event.ts) return undefined;
  const sender = event.user ?? event.bot_id;
  if (!sender) return undefined;
  const text = event.text ?? "";
  const media = (event.files ?? []).map(fileFact);
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
