// A file to send, staged under the name the recipient sees: imsg hands Messages a path, and
// Messages shows that file's name (the media store names files by hash, without an extension).
import { randomUUID } from "node:crypto";
import { copyFile, link, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChannelSendError, MediaTooLargeError, describeError, downloadOutboundSource, type OutboundMedia } from "@openclaw/channel-kit";
import { extensionOf, extensionOfType } from "./media-types.js";

/** Staged files are kept this long (Messages copies a file when it sends it), then removed by a later send. */
const STAGED_FOR_MS = 60 * 60_000;

/** The name the recipient sees: the file's own (with an extension for its type), or `attachment.<ext>`. */
export function sendName(media: OutboundMedia, fallback?: string): string {
  const given = (media.fileName ?? fallback ?? "").replace(/[/\\\0-\x1f]/g, "_").trim();
  const name = given === "" || given === "." || given === ".." ? "attachment" : given;
  const extension = extensionOfType(media.contentType);
  return extensionOf(name) === undefined && extension !== undefined ? `${name}.${extension}` : name;
}

/** Removes staged folders older than an hour; a failure only leaves them for the next send. */
async function prune(dir: string, nowMs: number): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const path = join(dir, entry);
    const info = await stat(path).catch(() => undefined);
    if (info && nowMs - info.mtimeMs > STAGED_FOR_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * `media.source` (a local path, a `file:` URL, or an http(s) URL downloaded here) as a file named
 * for the recipient in a fresh folder under `dir`, at most `maxBytes`. What cannot work on a retry
 * either fails as permanent; a download that failed on the way may work later and is transient.
 */
export async function stageOutboundFile(media: OutboundMedia, options: { readonly dir: string; readonly maxBytes: number }): Promise<string> {
  const tooBig = (size: number | undefined) =>
    new ChannelSendError(
      "permanent",
      `attachment ${media.source} is ${size === undefined ? "larger than" : `${size} bytes, over`} the ${options.maxBytes}-byte limit (mediaMaxMb)`,
      { status: 413 },
    );
  await prune(options.dir, Date.now());
  const folder = join(options.dir, randomUUID());
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if (/^https?:\/\//i.test(media.source)) {
    const downloaded = await downloadOutboundSource(media.source, options.maxBytes).catch((error: unknown) => {
      throw error instanceof MediaTooLargeError ? tooBig(error.sizeBytes) : error;
    });
    const type = media.contentType ?? downloaded.contentType;
    const path = join(folder, sendName({ ...media, ...(type ? { contentType: type } : {}) }, downloaded.fileName));
    await writeFile(path, downloaded.data);
    return path;
  }
  const source = media.source.startsWith("file:") ? fileURLToPath(media.source) : media.source;
  const path = join(folder, sendName(media, extensionOf(source) === undefined ? undefined : basename(source)));
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new ChannelSendError("permanent", `attachment ${source} is not a file`);
    if (info.size > options.maxBytes) throw tooBig(info.size);
    // A link costs nothing; another file system needs a copy.
    await link(source, path).catch(() => copyFile(source, path));
  } catch (error) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof ChannelSendError) throw error;
    throw new ChannelSendError("permanent", `could not read attachment ${source}: ${describeError(error)}`, { cause: error });
  }
  return path;
}
