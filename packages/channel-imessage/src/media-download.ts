// Reading an inbound attachment: imsg names the file by its path on the Mac it runs on, so the
// file is read from this machine's disk, inside the allowed roots and never more than the cap.
import { constants, createReadStream } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
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
 * it is checked against `roots`, so nothing outside them is read; and the file opened must be the one
 * the checked path still names, so swapping a folder or the file for a symlink in between reads nothing.
 */
export async function readImessageAttachment(
  media: InboundMediaFact,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
  roots: readonly string[],
): Promise<DownloadedMedia> {
  if (media.path === undefined) throw new ImessageAttachmentError("the attachment has no file path");
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
  const given = expandHome(media.path);
  const real = await resolveInside(given, roots);
  const handle = await openNoFollow(real, given);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ImessageAttachmentError(`${real} is not a file`);
    if (info.size > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, info.size);
    const now = await stat(await resolveInside(given, roots));
    if (now.dev !== info.dev || now.ino !== info.ino) throw new ImessageAttachmentError(`refused to read ${given}: it was replaced while being opened`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  // The stream owns the handle from here and closes it when done, failed or aborted.
  const stream = createReadStream("", { fd: handle, ...(options.signal ? { signal: options.signal } : {}) });
  const data = await readCapped(Readable.toWeb(stream) as ReadableStream<Uint8Array>, options.maxBytes);
  return { data, ...(media.contentType ? { contentType: media.contentType } : {}) };
}

/** `given` with symlinks and `..` resolved, refused unless it is inside `roots`. */
async function resolveInside(given: string, roots: readonly string[]): Promise<string> {
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
  return real;
}

/** Open `real` for reading, refusing a symlink in its last segment (it was resolved, so one appeared since). */
async function openNoFollow(real: string, given: string): Promise<FileHandle> {
  try {
    return await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP" || code === "EMLINK") throw new ImessageAttachmentError(`refused to read ${given}: it was replaced by a symlink while being opened`);
    throw new ImessageAttachmentError(`could not read ${given}: ${(error as Error).message}`);
  }
}
