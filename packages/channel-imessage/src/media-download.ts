// Reading an inbound attachment: imsg names the file by its path on the Mac it runs on, so the
// file is read from this machine's disk, inside the allowed roots and never more than the cap.
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { MediaTooLargeError, readCapped, type DownloadedMedia, type InboundMediaFact } from "@openclaw/channel-kit";
import { expandHome, insideRoots } from "./attachment-roots.js";

/** The file is not on this machine, or not one the account may read. */
export class ImessageAttachmentError extends Error {
  override readonly name = "ImessageAttachmentError";
}

/**
 * One attachment's bytes, at most `maxBytes`: imsg's declared size is checked first, then the file's
 * size on disk, then the running total while reading. The path is resolved (symlinks, `..`) before
 * it is checked against `roots`, so nothing outside them is read.
 */
export async function readImessageAttachment(
  media: InboundMediaFact,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
  roots: readonly string[],
): Promise<DownloadedMedia> {
  if (media.path === undefined) throw new ImessageAttachmentError("the attachment has no file path");
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
  const given = expandHome(media.path);
  let real: string;
  try {
    real = await realpath(given);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new ImessageAttachmentError(
        `the file ${given} is not on the machine running the gateway (imsg reads it on the Mac it runs on; with an SSH-wrapper cliPath the file stays on that Mac)`,
      );
    throw new ImessageAttachmentError(`could not read ${given}: ${(error as Error).message}`);
  }
  if (!insideRoots(real, roots))
    throw new ImessageAttachmentError(
      `refused to read ${given}${real === given ? "" : ` (really ${real})`}: it is outside the attachment folders; add its folder to channels.imessage.attachmentRoots to allow it`,
    );
  const info = await stat(real);
  if (!info.isFile()) throw new ImessageAttachmentError(`${real} is not a file`);
  if (info.size > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, info.size);
  const stream = createReadStream(real, options.signal ? { signal: options.signal } : {});
  const data = await readCapped(Readable.toWeb(stream) as ReadableStream<Uint8Array>, options.maxBytes);
  return { data, ...(media.contentType ? { contentType: media.contentType } : {}) };
}
