import type { InboundMedia } from "@openclaw/protocol";
import type { ModelImage } from "./providers/types.js";
import type { Run } from "./run.js";

/** Reads a stored file of the gateway's media store by its SHA-256; undefined when it is not there. */
export type LoadMedia = (sha256: string) => Promise<Uint8Array | undefined>;

/** The largest image sent to a model; Anthropic's Messages API refuses images over 5 MB. */
export const MAX_MODEL_IMAGE_BYTES = 5 * 1024 * 1024;

/** A message's attachments as a model turn gets them: images it sees, and a text line for each other one. */
export interface PreparedAttachments {
  readonly images: readonly ModelImage[];
  readonly lines: readonly string[];
}

const LABELS: Record<InboundMedia["kind"], string> = {
  image: "image",
  sticker: "sticker",
  voice: "voice note",
  audio: "audio",
  video: "video",
  document: "document",
  location: "location",
  contact: "contact",
};

/** `120 KB`, `2.1 MB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const quoted = (text: string) => JSON.stringify(text);

/**
 * One attachment as a line of text the model reads, e.g.
 * `[image: photo.jpg, image/jpeg, 120 KB — caption: "look"]`, `[voice note: 12 s — transcript: "hi"]`,
 * `[location: 48.8566, 2.3522 (Louvre)]`, `[contact: Ada, +15551234567]`,
 * `[document: report.pdf, application/pdf, 2.1 MB — not stored: too large]`.
 */
export function describeAttachment(media: InboundMedia): string {
  const details: string[] = [];
  if (media.kind === "location" && media.location) {
    const { latitude, longitude, name, address } = media.location;
    const place = [name, address].filter((part): part is string => part !== undefined && part !== "").join(", ");
    details.push(`${latitude}, ${longitude}${place ? ` (${place})` : ""}`);
  } else if (media.kind === "contact" && media.contact) {
    details.push(media.contact.name, ...(media.contact.phones ?? []));
  }
  if (media.fileName) details.push(media.fileName);
  if (media.mime) details.push(media.mime);
  if (media.sizeBytes !== undefined) details.push(formatBytes(media.sizeBytes));
  if (media.width !== undefined && media.height !== undefined) details.push(`${media.width}×${media.height}`);
  if (media.durationSec !== undefined) details.push(`${Math.round(media.durationSec)} s`);
  const notes: string[] = [];
  if (media.caption) notes.push(`caption: ${quoted(media.caption)}`);
  if (media.transcript) notes.push(`transcript: ${quoted(media.transcript)}`);
  if (media.unavailable) notes.push(`not stored: ${media.unavailable}`);
  const head = details.length > 0 ? `${LABELS[media.kind]}: ${details.join(", ")}` : LABELS[media.kind];
  return `[${[head, ...notes].join(" — ")}]`;
}

/** A run's attachments as transcript entry fields: none when it has none. */
export const attachmentsOf = (run: Pick<Run, "attachments">) => (run.attachments.length > 0 ? { attachments: run.attachments } : {});

/** A message's text with a line per attachment under it. */
export function withAttachmentLines(text: string, lines: readonly string[]): string {
  if (lines.length === 0) return text;
  return text === "" ? lines.join("\n") : `${text}\n${lines.join("\n")}`;
}

/**
 * The content type of an image the model APIs take (JPEG, PNG, GIF, WebP), read from the file's
 * first bytes rather than trusted from the channel; undefined for anything else.
 */
export function sniffImageMime(data: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => data[index] === byte);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  if (data.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

/**
 * Prepare the attachments of a run's own message. With `sendImages`, each image or sticker that
 * is stored (`sha256`), loads, is a JPEG, PNG, GIF or WebP and is at most
 * {@link MAX_MODEL_IMAGE_BYTES} goes as an image; everything else, and every image that fails one
 * of those, becomes a text line. A `loadMedia` that throws counts as a file that did not load.
 */
export async function prepareAttachments(
  attachments: readonly InboundMedia[],
  options: { readonly sendImages: boolean; readonly loadMedia?: LoadMedia | undefined },
): Promise<PreparedAttachments> {
  const images: ModelImage[] = [];
  const lines: string[] = [];
  for (const media of attachments) {
    const image = options.sendImages ? await loadImage(media, options.loadMedia) : undefined;
    if (image) images.push(image);
    else lines.push(describeAttachment(media));
  }
  return { images, lines };
}

async function loadImage(media: InboundMedia, loadMedia: LoadMedia | undefined): Promise<ModelImage | undefined> {
  if ((media.kind !== "image" && media.kind !== "sticker") || !media.sha256 || !loadMedia) return undefined;
  let data: Uint8Array | undefined;
  try {
    data = await loadMedia(media.sha256);
  } catch {
    return undefined;
  }
  if (!data || data.byteLength === 0 || data.byteLength > MAX_MODEL_IMAGE_BYTES) return undefined;
  const mime = sniffImageMime(data);
  return mime ? { mime, data } : undefined;
}
