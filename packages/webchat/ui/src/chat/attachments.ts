// Attachments in the chat: read from history messages, described in a line, files picked in the
// composer turned into `chat.send` attachments, and image thumbnails drawn from `media.get`.
import type { ChatMessage, InboundMedia } from "@openclaw/protocol";

/** The attachments of a history message: its `{ type: "media", media }` parts. */
export function mediaOfMessage(message: ChatMessage): InboundMedia[] {
  if (typeof message.content === "string") return [];
  const media: InboundMedia[] = [];
  for (const part of message.content as readonly { type: string; media?: unknown }[]) {
    if (part.type === "media" && typeof part.media === "object" && part.media !== null) media.push(part.media as InboundMedia);
  }
  return media;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const ICONS: Record<InboundMedia["kind"], string> = {
  image: "🖼",
  sticker: "🏷",
  voice: "🎤",
  audio: "🎵",
  video: "🎬",
  document: "📄",
  location: "📍",
  contact: "👤",
};

const NAMES: Record<InboundMedia["kind"], string> = {
  image: "image",
  sticker: "sticker",
  voice: "voice note",
  audio: "audio",
  video: "video",
  document: "file",
  location: "location",
  contact: "contact",
};

/** One line for an attachment: `📄 report.pdf · application/pdf · 2.1 MB`, `📍 48.8566, 2.3522 (Louvre)`. */
export function attachmentLabel(media: InboundMedia): string {
  const parts: string[] = [];
  if (media.kind === "location" && media.location) {
    const { latitude, longitude, name } = media.location;
    parts.push(`${latitude}, ${longitude}${name ? ` (${name})` : ""}`);
  } else if (media.kind === "contact" && media.contact) {
    parts.push([media.contact.name, ...(media.contact.phones ?? [])].join(" · "));
  } else {
    parts.push(media.fileName ?? NAMES[media.kind]);
    if (media.mime && media.kind === "document") parts.push(media.mime);
    if (media.sizeBytes !== undefined) parts.push(sizeText(media.sizeBytes));
    if (media.durationSec !== undefined) parts.push(`${Math.round(media.durationSec)} s`);
  }
  if (media.transcript) parts.push(`“${media.transcript}”`);
  if (media.unavailable) parts.push(`not stored: ${media.unavailable}`);
  return `${ICONS[media.kind]} ${parts.join(" · ")}`;
}

/** Whether the attachment can be drawn as a thumbnail: a stored image in a type browsers show. */
export function hasThumbnail(media: InboundMedia): boolean {
  return (media.kind === "image" || media.kind === "sticker") && media.sha256 !== undefined && /^image\/(png|jpeg|gif|webp)$/.test(media.mime ?? "");
}

/** A picked file as a `chat.send` attachment (its bytes as a `data:` URL). */
export interface PickedFile {
  readonly type: "image" | "audio" | "video" | "document";
  readonly mimeType: string;
  readonly fileName: string;
  readonly content: string;
  readonly sizeBytes: number;
}

export function readPickedFile(file: File): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.onload = () => {
      const mimeType = file.type || "application/octet-stream";
      const type = mimeType.startsWith("image/") ? "image" : mimeType.startsWith("audio/") ? "audio" : mimeType.startsWith("video/") ? "video" : "document";
      resolve({ type, mimeType, fileName: file.name, content: String(reader.result), sizeBytes: file.size });
    };
    reader.readAsDataURL(file);
  });
}

/**
 * Image thumbnails as `data:` URLs by SHA-256, each fetched once; `changed` is called when one
 * arrives so the view draws it.
 */
export class ThumbnailCache {
  private readonly urls = new Map<string, string>();
  private readonly loading = new Set<string>();
  /** Thumbnails that could not be fetched (pruned, too large): asked once, then shown as a line. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly load: (sha256: string) => Promise<{ data: string }>,
    private readonly changed: () => void,
  ) {}

  /** Whether fetching this thumbnail failed; the attachment is then shown as its line. */
  failedFor(media: InboundMedia): boolean {
    return media.sha256 !== undefined && this.failed.has(media.sha256);
  }

  /** The thumbnail's URL, or undefined while it loads (it starts loading on the first ask). */
  url(media: InboundMedia): string | undefined {
    const sha256 = media.sha256;
    if (sha256 === undefined) return undefined;
    const known = this.urls.get(sha256);
    if (known !== undefined || this.loading.has(sha256) || this.failed.has(sha256)) return known;
    this.loading.add(sha256);
    void this.load(sha256).then(
      ({ data }) => {
        // A data: URL: the page's Content-Security-Policy allows images from 'self' and data: only.
        this.urls.set(sha256, `data:${media.mime ?? "application/octet-stream"};base64,${data}`);
        this.loading.delete(sha256);
        this.changed();
      },
      () => {
        this.loading.delete(sha256);
        this.failed.add(sha256);
        this.changed();
      },
    );
    return undefined;
  }

  /** Forgets every thumbnail (the view left the page). */
  clear(): void {
    this.urls.clear();
    this.failed.clear();
  }
}
