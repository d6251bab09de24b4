// A file to send, taken into the media store before it is queued: the outbox then holds only its
// SHA-256, so a restart sends the same bytes again and no source is read twice. Local paths are
// read only inside the allowed folders (resolved through symlinks), and every file is checked
// against the account's size limit before anything is stored.
import { open, realpath } from "node:fs/promises";
import { basename, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { MediaTooLargeError, describeError, readCapped } from "@openclaw/channel-kit";
import { sizeText } from "../channels/inbound-media.js";
import type { OutboxMediaRef } from "../channels/outbox-store.js";
import { InvalidInputError, UnavailableError } from "../errors.js";
import type { MediaStore } from "./media-store.js";

/** A `send`'s file: `source` (http(s) URL, local path or `file:` URL, or `sha256:<hex>` of a stored file) or the bytes themselves. */
export interface OutboundMediaInput {
  readonly source?: string | undefined;
  readonly data?: Uint8Array | undefined;
  readonly contentType?: string | undefined;
  readonly fileName?: string | undefined;
}

export interface OutboundMediaOptions {
  readonly store: MediaStore;
  /** Folders local paths may be read from; everything else is refused. */
  readonly allowedRoots: readonly string[];
  readonly maxBytes: number;
  /** Who sets `maxBytes`, for the error: `telegram account default (mediaMaxMb)`. */
  readonly limitOwner: string;
  /** How long a URL may take to download. @default 30 s */
  readonly downloadTimeoutMs?: number;
}

const SHA256_REF = /^sha256:([0-9a-f]{64})$/i;

const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".mp4": "video/mp4",
  ".mov": "video/quicktime",
  ".webm": "video/webm",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".wav": "audio/wav",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".zip": "application/zip",
};

/** The type a file's first bytes say, for the formats chats show inline. */
function sniffType(data: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => data[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && data[8] === 0x57 && data[9] === 0x45 && data[10] === 0x42 && data[11] === 0x50) return "image/webp";
  if (starts(0x4f, 0x67, 0x67, 0x53)) return "audio/ogg";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "application/pdf";
  return undefined;
}

const baseType = (type: string | null | undefined) => type?.split(";")[0]?.trim().toLowerCase() || undefined;

/** Whether `path` lies inside `root` (both already resolved through symlinks). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Reads `input` under the size limit, stores it and answers the reference the outbox keeps.
 * Throws INVALID_REQUEST naming the problem (a path outside the allowed folders, a file over the
 * limit, an unknown SHA-256, a URL that answered an error) and UNAVAILABLE when a URL could not be
 * reached at all.
 */
export async function storeOutboundMedia(input: OutboundMediaInput, options: OutboundMediaOptions): Promise<OutboxMediaRef> {
  const tooLarge = (size: number | undefined, what: string) =>
    new InvalidInputError(
      `${what} is ${size === undefined ? "larger than" : `${sizeText(size)}, over`} the ${sizeText(options.maxBytes)} limit of ${options.limitOwner}; send a smaller file`,
      { details: { reason: "media-too-large", maxBytes: options.maxBytes, ...(size !== undefined ? { sizeBytes: size } : {}) } },
    );
  let data: Uint8Array;
  let contentType = baseType(input.contentType);
  let fileName = input.fileName;
  const source = input.source?.trim();
  if (input.data !== undefined) {
    if (input.data.byteLength > options.maxBytes) throw tooLarge(input.data.byteLength, "the file");
    data = input.data;
  } else if (source === undefined || source === "") {
    throw new InvalidInputError("invalid send params: the media source is empty");
  } else if (/^https?:\/\//i.test(source)) {
    const fetched = await download(source, options.maxBytes, options.downloadTimeoutMs ?? 30_000).catch((error: unknown) => {
      if (error instanceof MediaTooLargeError) throw tooLarge(error.sizeBytes, source);
      throw error;
    });
    data = fetched.data;
    contentType ??= fetched.contentType;
    fileName ??= basename(new URL(source).pathname) || undefined;
  } else if (SHA256_REF.test(source)) {
    const sha256 = SHA256_REF.exec(source)![1]!.toLowerCase();
    const stored = await options.store.read(sha256);
    if (!stored) throw new InvalidInputError(`no file with sha256 ${sha256} in the gateway's media store (it may have been pruned); send the file again`);
    if (stored.byteLength > options.maxBytes) throw tooLarge(stored.byteLength, `the stored file ${sha256}`);
    data = stored;
  } else {
    const path = await allowedPath(source, options.allowedRoots);
    data = await readLocal(path, options.maxBytes, (size) => tooLarge(size, source));
    fileName ??= basename(path);
  }
  const sha256 = await options.store.put(data);
  // A server's "application/octet-stream" says nothing; the bytes or the name may.
  if (contentType === undefined || contentType === "application/octet-stream")
    contentType = sniffType(data) ?? (fileName ? TYPES_BY_EXTENSION[extname(fileName).toLowerCase()] : undefined) ?? contentType;
  return {
    sha256,
    sizeBytes: data.byteLength,
    ...(contentType ? { contentType } : {}),
    ...(fileName ? { fileName } : {}),
  };
}

/** The real path of `source` when it is a file inside one of `roots`; refuses everything else. */
async function allowedPath(source: string, roots: readonly string[]): Promise<string> {
  let path: string;
  try {
    path = source.startsWith("file:") ? fileURLToPath(source) : source;
  } catch {
    throw new InvalidInputError(`invalid send params: ${source} is not a valid file URL`);
  }
  if (!isAbsolute(path)) throw new InvalidInputError(`invalid send params: media path ${source} must be absolute (or an http(s) URL)`);
  const outside = () =>
    new InvalidInputError(
      `media path ${source} is outside the folders send may read from (${roots.join(", ") || "none configured"}); copy the file into one of them, or pass an http(s) URL`,
      { details: { reason: "media-path-not-allowed" } },
    );
  // Lexically first, so `..` never reaches the file system; then through symlinks.
  if (!roots.some((root) => isInside(resolve(root), resolve(path)))) throw outside();
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw new InvalidInputError(`cannot read media file ${source}: ${describeError(error)}`);
  }
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  if (!realRoots.some((root) => root !== undefined && isInside(root, real))) throw outside();
  return real;
}

async function readLocal(path: string, maxBytes: number, tooLarge: (size: number) => Error): Promise<Uint8Array> {
  const handle = await open(path, "r").catch((error: unknown) => {
    throw new InvalidInputError(`cannot read media file ${path}: ${describeError(error)}`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InvalidInputError(`media path ${path} is not a regular file`);
    if (info.size > maxBytes) throw tooLarge(info.size);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

async function download(url: string, maxBytes: number, timeoutMs: number): Promise<{ data: Uint8Array; contentType?: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new UnavailableError(`could not download ${url}: ${describeError((error as { cause?: unknown }).cause ?? error)}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new InvalidInputError(`could not download ${url}: it answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length")) || undefined;
  const data = await readCapped(response.body, maxBytes, declared);
  const contentType = baseType(response.headers.get("content-type"));
  return { data, ...(contentType ? { contentType } : {}) };
}
