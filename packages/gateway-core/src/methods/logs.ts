import { open, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import type { LogsTailParams, LogsTailResult } from "@openclaw/protocol";
import type { MethodHandler } from "./types.js";

/** @default 200 */
export const LOGS_TAIL_DEFAULT_LIMIT = 200;
/** @default 250000 */
export const LOGS_TAIL_DEFAULT_MAX_BYTES = 250_000;
const MAX_LIMIT = 5000;
const MAX_BYTES = 1_000_000;
// Chunk size for the rare scans past a line longer than `maxBytes`.
const SCAN_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogsTailOptions {
  /** The JSON-lines log file, normally `resolveLogFile(stateDir)`. */
  readonly file: string;
}

/** The `logs.tail` handler: pages of complete lines from the gateway's log file. */
export function createLogsTailHandler(options: LogsTailOptions): MethodHandler<"logs.tail"> {
  return (params) => readLogTail(options.file, params);
}

/**
 * Read one page of complete lines from a JSON-lines file, by byte offset.
 *
 * Without a cursor: the last `limit` complete lines within `maxBytes` of the end.
 * With a cursor: complete lines from it forward. The returned cursor is the byte
 * offset just after the last complete line returned (or seen, in tail mode), so
 * polling with it never repeats or skips a line, and a half-written last line
 * waits until it is complete. A cursor past the end means the file was truncated
 * or rotated: reading restarts at 0 with `reset: true`. Only the window is read.
 */
export async function readLogTail(file: string, params: LogsTailParams = {}): Promise<LogsTailResult> {
  const path = resolve(file);
  const limit = clamp(params.limit ?? LOGS_TAIL_DEFAULT_LIMIT, 1, MAX_LIMIT);
  const maxBytes = clamp(params.maxBytes ?? LOGS_TAIL_DEFAULT_MAX_BYTES, 1, MAX_BYTES);

  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (isNotFound(error)) return { file: path, cursor: 0, size: 0, lines: [], ...(params.cursor ? { reset: true } : {}) };
    throw error;
  }
  try {
    // Size from the open handle, so a rotation between stat and read cannot mix two files.
    const { size } = await handle.stat();
    const page =
      params.cursor === undefined
        ? await readLast(handle, size, limit, maxBytes)
        : params.cursor > size
          ? { ...(await readForward(handle, 0, size, limit, maxBytes)), reset: true as const }
          : await readForward(handle, params.cursor, size, limit, maxBytes);
    return { file: path, size, ...page };
  } finally {
    await handle.close();
  }
}

interface Page {
  cursor: number;
  lines: string[];
  truncated?: true;
  reset?: true;
}

async function readLast(handle: FileHandle, size: number, limit: number, maxBytes: number): Promise<Page> {
  const end = await endOfLastCompleteLine(handle, size);
  const windowStart = Math.max(0, end - maxBytes);
  // One byte before the window tells whether the window starts on a line boundary.
  const readFrom = Math.max(0, windowStart - 1);
  const buffer = await readRange(handle, readFrom, end);
  const skip = readFrom === 0 ? 0 : buffer.indexOf(NEWLINE) + 1;
  const all = splitLines(buffer, skip, buffer.length);
  const kept = all.slice(-limit);
  const firstOffset = kept[0] === undefined ? end : readFrom + kept[0].start;
  return { cursor: end, lines: kept.map((line) => line.text), ...(firstOffset > 0 ? { truncated: true as const } : {}) };
}

async function readForward(handle: FileHandle, start: number, size: number, limit: number, maxBytes: number): Promise<Page> {
  const windowEnd = Math.min(size, start + maxBytes);
  const buffer = await readRange(handle, start, windowEnd);
  const lastNewline = buffer.lastIndexOf(NEWLINE);
  if (lastNewline === -1) {
    if (windowEnd === size) return { cursor: start, lines: [] };
    // One line longer than maxBytes: skip it, or a poller would be stuck on it forever.
    const next = await nextLineStart(handle, windowEnd, size);
    return { cursor: next ?? start, lines: [], truncated: true };
  }
  const all = splitLines(buffer, 0, lastNewline + 1);
  const kept = all.slice(0, limit);
  const last = kept[kept.length - 1];
  const cursor = last === undefined ? start + lastNewline + 1 : start + last.next;
  const truncated = kept.length < all.length || windowEnd < size;
  return { cursor, lines: kept.map((line) => line.text), ...(truncated ? { truncated: true as const } : {}) };
}

interface Line {
  readonly text: string;
  /** Byte offset of the line's first byte within the buffer. */
  readonly start: number;
  /** Byte offset just after its newline. */
  readonly next: number;
}

// Splitting bytes, not characters: 0x0a never occurs inside a multi-byte UTF-8 sequence,
// and byte offsets are what cursors are made of.
function splitLines(buffer: Buffer, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < to) {
    const newline = buffer.indexOf(NEWLINE, start);
    if (newline === -1 || newline >= to) break;
    const text = buffer.toString("utf8", start, newline).replace(/\r$/, "");
    if (text.length > 0) lines.push({ text, start, next: newline + 1 });
    start = newline + 1;
  }
  return lines;
}

/** Offset just after the file's last newline, or 0; a half-written last line is excluded. */
async function endOfLastCompleteLine(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  while (end > 0) {
    const from = Math.max(0, end - SCAN_CHUNK);
    const chunk = await readRange(handle, from, end);
    const newline = chunk.lastIndexOf(NEWLINE);
    if (newline !== -1) return from + newline + 1;
    end = from;
  }
  return 0;
}

/** Offset just after the first newline at or after `from`, or undefined if the line is still being written. */
async function nextLineStart(handle: FileHandle, from: number, size: number): Promise<number | undefined> {
  for (let position = from; position < size; position += SCAN_CHUNK) {
    const chunk = await readRange(handle, position, Math.min(size, position + SCAN_CHUNK));
    const newline = chunk.indexOf(NEWLINE);
    if (newline !== -1) return position + newline + 1;
  }
  return undefined;
}

async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, to - from));
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, from + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === buffer.length ? buffer : buffer.subarray(0, filled);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
