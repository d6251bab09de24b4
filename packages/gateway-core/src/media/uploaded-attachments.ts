// Files a client sends with `chat.send` or `agent` (base64 `content`), stored like channel
// attachments so the run, the transcript and WebChat treat them the same way.
import type { InboundMedia, MediaKind } from "@openclaw/protocol";
import { InvalidInputError } from "../errors.js";
import { mediaKindOfType } from "../channels/inbound-media.js";
import type { MediaStore } from "./media-store.js";

/** One client attachment as the protocol's `Attachment` carries it. */
export interface UploadedAttachment {
  readonly type?: string | undefined;
  readonly mimeType?: string | undefined;
  readonly fileName?: string | undefined;
  readonly content?: string | undefined;
  readonly url?: string | undefined;
}

export interface UploadLimits {
  /** @default 10 MB */
  readonly maxBytesPerFile?: number;
  /** @default 4 */
  readonly maxFiles?: number;
}

const MB = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function kindOf(mime: string | undefined, type: string | undefined): MediaKind {
  const declared = type === "image" || type === "audio" || type === "video" || type === "document" ? type : undefined;
  return declared ?? mediaKindOfType(mime);
}

/** `content` as bytes: plain base64 or a `data:<mime>;base64,` URL; anything else is refused by index. */
function decode(content: string, index: number): { data: Buffer; mime?: string } {
  const dataUrl = /^data:([^;,]+)?;base64,(.*)$/s.exec(content);
  const base64 = (dataUrl ? dataUrl[2]! : content).replace(/\s+/g, "");
  if (base64.length % 4 !== 0 || !BASE64.test(base64))
    throw new InvalidInputError(`attachments[${index}].content: expected base64 (or a data: URL with ;base64)`);
  return { data: Buffer.from(base64, "base64"), ...(dataUrl?.[1] ? { mime: dataUrl[1] } : {}) };
}

/**
 * Stores every attachment and answers their envelopes, or refuses the whole request (nothing stored
 * for a refused one): no content, a URL instead of content, too many, or too large.
 */
export async function storeUploadedAttachments(
  attachments: readonly UploadedAttachment[],
  store: MediaStore | undefined,
  limits: UploadLimits = {},
): Promise<InboundMedia[]> {
  if (attachments.length === 0) return [];
  if (!store) throw new InvalidInputError("attachments: this gateway keeps no files (it runs without a state dir)");
  const maxFiles = limits.maxFiles ?? 4;
  const maxBytes = limits.maxBytesPerFile ?? 10 * MB;
  if (attachments.length > maxFiles) throw new InvalidInputError(`attachments: at most ${maxFiles} files per message, got ${attachments.length}`);
  const decoded = attachments.map((attachment, index) => {
    if (attachment.content === undefined || attachment.content === "") {
      throw new InvalidInputError(
        attachment.url !== undefined
          ? `attachments[${index}]: send the file as base64 content; the gateway does not fetch attachment URLs`
          : `attachments[${index}]: content is missing (the file, base64)`,
      );
    }
    // Checked on the text before decoding, so an oversized upload is never held twice.
    if (Math.floor((attachment.content.length * 3) / 4) > maxBytes + 3)
      throw new InvalidInputError(`attachments[${index}]: larger than the ${maxBytes / MB} MB limit per file`);
    const { data, mime } = decode(attachment.content, index);
    if (data.byteLength > maxBytes) throw new InvalidInputError(`attachments[${index}]: ${data.byteLength} bytes, over the ${maxBytes / MB} MB limit per file`);
    return { attachment, data, mime: attachment.mimeType ?? mime };
  });
  const media: InboundMedia[] = [];
  for (const { attachment, data, mime } of decoded) {
    const sha256 = await store.put(data);
    media.push({
      kind: kindOf(mime, attachment.type),
      ...(mime ? { mime } : {}),
      sizeBytes: data.byteLength,
      ...(attachment.fileName ? { fileName: attachment.fileName } : {}),
      sha256,
    });
  }
  return media;
}
