// Attachments of the fake `imsg` as the real one describes them: a chat.db row's file, resolved to
// its path on "the Mac" (here, a file the test wrote), and what a `send` with a `file` carried.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";

/** One attachment in imsg's `message` payload (`AttachmentMeta`, snake_case). */
export interface ImessageAttachment {
  readonly filename: string;
  readonly transfer_name: string;
  readonly mime_type: string;
  readonly total_bytes: number;
  readonly original_path: string;
  readonly missing: boolean;
  /** imsg's converted copy (a CAF voice memo as m4a, a GIF as PNG), when it made one. */
  readonly converted_path?: string;
  readonly converted_mime_type?: string;
}

/**
 * The attachment imsg would report for the file at `path`: `total_bytes` is its size (unless
 * `totalBytes` declares another), `missing` whether it exists. `converted` is a copy imsg made.
 */
export function imsgAttachment(
  path: string,
  fields: {
    readonly mimeType: string;
    readonly transferName?: string;
    readonly totalBytes?: number;
    readonly converted?: { readonly path: string; readonly mimeType: string };
  },
): ImessageAttachment {
  const missing = !existsSync(path);
  return {
    filename: path,
    transfer_name: fields.transferName ?? basename(path),
    mime_type: fields.mimeType,
    total_bytes: fields.totalBytes ?? (missing ? 0 : statSync(path).size),
    original_path: path,
    missing,
    ...(fields.converted ? { converted_path: fields.converted.path, converted_mime_type: fields.converted.mimeType } : {}),
  };
}

/**
 * What Messages would send for `send`'s `file`: its bytes, read when the request arrives, or the
 * AppleScript failure imsg answers when the file is not there (as on a Mac that lacks it).
 */
export function readSentFile(path: string): { readonly data: Uint8Array } | { readonly error: string } {
  try {
    return { data: new Uint8Array(readFileSync(path)) };
  } catch {
    return { error: `AppleScript failed: Can’t make file "${path}" into type alias. (-1700)` };
  }
}
