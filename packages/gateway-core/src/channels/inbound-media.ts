// A channel message's attachments as the agent gets them: each provider fact becomes the protocol's
// InboundMedia envelope, and each file is downloaded (under the account's cap) into the media store.
import { MediaTooLargeError, describeError, supportsMediaDownload, type ChannelAdapter, type InboundMediaFact } from "@openclaw/channel-kit";
import type { InboundMedia, MediaKind } from "@openclaw/protocol";
import type { MediaStore } from "../media/media-store.js";
import type { TranscriptionProvider } from "../media/transcription.js";

const MB = 1024 * 1024;

/** `mediaMaxMb` by channel when the config sets none: the channels' documented defaults. */
export const DEFAULT_MEDIA_MAX_MB: Readonly<Record<string, number>> = { whatsapp: 50, telegram: 100, slack: 20, discord: 100, signal: 8, imessage: 16 };
export const FALLBACK_MEDIA_MAX_MB = 20;

export interface ResolvedAttachments {
  /** Every attachment, in the message's order; a file not stored says why in `unavailable`. */
  readonly media: InboundMedia[];
  /** The attachments refused for their size. */
  readonly tooLarge: InboundMedia[];
}

/** Speech to text for the voice notes and audio files among the attachments. */
export interface AttachmentTranscription {
  readonly provider: TranscriptionProvider;
  /** Stored files larger than this are not sent, and say so through `onError`. */
  readonly maxBytes: number;
  /** A file that could not be transcribed; it reaches the agent without a transcript. */
  readonly onError: (media: InboundMedia, error: unknown) => void;
}

/** A file's kind from its content type: image, audio, video, or else a document. */
export function mediaKindOfType(contentType: string | undefined): MediaKind {
  const type = contentType ?? "";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  return "document";
}

/** The kind a provider did not name: a place, a contact, or by the content type. */
function kindOf(fact: InboundMediaFact): MediaKind {
  if (fact.kind) return fact.kind;
  if (fact.location) return "location";
  if (fact.contact) return "contact";
  return mediaKindOfType(fact.contentType);
}

/** The envelope for one fact, without the file itself. */
export function envelopeOf(fact: InboundMediaFact): InboundMedia {
  return {
    kind: kindOf(fact),
    ...(fact.contentType ? { mime: fact.contentType } : {}),
    ...(fact.sizeBytes !== undefined && Number.isInteger(fact.sizeBytes) && fact.sizeBytes >= 0 ? { sizeBytes: fact.sizeBytes } : {}),
    ...(fact.fileName ? { fileName: fact.fileName } : {}),
    ...(fact.durationSec !== undefined ? { durationSec: fact.durationSec } : {}),
    ...(fact.width !== undefined && Number.isInteger(fact.width) ? { width: fact.width } : {}),
    ...(fact.height !== undefined && Number.isInteger(fact.height) ? { height: fact.height } : {}),
    ...(fact.location ? { location: { ...fact.location } } : {}),
    ...(fact.contact ? { contact: { name: fact.contact.name, ...(fact.contact.phones ? { phones: [...fact.contact.phones] } : {}) } } : {}),
    ...(fact.unavailable ? { unavailable: fact.unavailable } : {}),
  };
}

/** `512 B`, `4 KB`, `1.5 MB`: a size in words a sender reads. */
export const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < MB ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / MB) * 10) / 10} MB`;

/** The stored voice note or audio file with its transcript; without one when transcription fails. */
async function withTranscript(media: InboundMedia, data: Uint8Array, transcription: AttachmentTranscription, signal?: AbortSignal): Promise<InboundMedia> {
  if (data.byteLength > transcription.maxBytes) {
    transcription.onError(media, new Error(`the file is ${sizeText(data.byteLength)}, over the ${sizeText(transcription.maxBytes)} transcription limit`));
    return media;
  }
  try {
    const { text } = await transcription.provider.transcribe({ data, mime: media.mime, fileName: media.fileName, ...(signal ? { signal } : {}) });
    return text === "" ? media : { ...media, transcript: text };
  } catch (error) {
    transcription.onError(media, error);
    return media;
  }
}

/**
 * Downloads every file of `facts` that the adapter can fetch, at most `maxBytes` each, into `store`.
 * A file over the cap, a failed download and an adapter that cannot download are all kept as
 * attachments with `unavailable` saying why: nothing the sender sent is dropped silently. With
 * `transcription`, each stored voice note and audio file gets its `transcript`.
 */
export async function resolveAttachments(
  adapter: ChannelAdapter | undefined,
  facts: readonly InboundMediaFact[],
  options: {
    readonly maxBytes: number;
    readonly store: MediaStore;
    readonly signal?: AbortSignal;
    readonly transcription?: AttachmentTranscription | undefined;
  },
): Promise<ResolvedAttachments> {
  const media: InboundMedia[] = [];
  const tooLarge: InboundMedia[] = [];
  for (const fact of facts) {
    const envelope = envelopeOf(fact);
    if (envelope.kind === "location" || envelope.kind === "contact" || fact.unavailable || (fact.url === undefined && fact.path === undefined)) {
      media.push(envelope);
      continue;
    }
    if (!adapter || !supportsMediaDownload(adapter)) {
      media.push({ ...envelope, unavailable: "this channel's files are not downloaded" });
      continue;
    }
    try {
      const downloaded = await adapter.downloadMedia(fact, { maxBytes: options.maxBytes, ...(options.signal ? { signal: options.signal } : {}) });
      const sha256 = await options.store.put(downloaded.data);
      const mime = envelope.mime ?? downloaded.contentType;
      const stored: InboundMedia = { ...envelope, ...(mime ? { mime } : {}), sizeBytes: downloaded.data.byteLength, sha256 };
      const audible = stored.kind === "voice" || stored.kind === "audio";
      media.push(audible && options.transcription ? await withTranscript(stored, downloaded.data, options.transcription, options.signal) : stored);
    } catch (error) {
      if (error instanceof MediaTooLargeError) {
        const refused = { ...envelope, unavailable: `larger than this chat's ${sizeText(options.maxBytes)} limit` };
        media.push(refused);
        tooLarge.push(refused);
      } else media.push({ ...envelope, unavailable: `download failed: ${describeError(error)}` });
    }
  }
  return { media, tooLarge };
}

/** What the sender is told when files were refused for their size. */
export function tooLargeReply(refused: readonly InboundMedia[], maxBytes: number): string {
  const names = refused.map((item) => `${item.fileName ?? `the ${item.kind}`}${item.sizeBytes !== undefined ? ` (${sizeText(item.sizeBytes)})` : ""}`);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
  return `I can't open ${list}: files in this chat can be at most ${sizeText(maxBytes)}.`;
}
