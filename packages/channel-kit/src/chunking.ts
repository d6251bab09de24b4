import { InvalidOptionError } from "./errors.js";

/** `length` breaks at the last line or word boundary that fits; `paragraph` prefers blank lines first. */
export type ChunkMode = "length" | "paragraph";

export interface ChunkOptions {
  /** Maximum UTF-16 length of one chunk (what providers count). */
  readonly limit: number;
  /** @default "length" */
  readonly mode?: ChunkMode;
  /** Maximum lines per chunk, e.g. 17 for Discord. @default Infinity */
  readonly maxLines?: number;
}

/** One planned chunk: `text` is `reopen + original.slice(start, end) + close`. */
export interface ChunkSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Fence line inserted at the start because the previous chunk split a code block; "" if none. */
  readonly reopen: string;
  /** Fence closer inserted at the end because this chunk splits a code block; "" if none. */
  readonly close: string;
}

interface Fence {
  readonly marker: string;
  readonly info: string;
}

interface Line {
  readonly start: number;
  /** Just past the line's "\n", or the text's end. */
  readonly end: number;
  /** The code fence open where this line starts. */
  readonly fence: Fence | undefined;
  readonly blank: boolean;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let fence: Fence | undefined;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    const content = text.slice(start, newline === -1 ? text.length : newline).replace(/\r$/, "");
    lines.push({ start, end, fence, blank: content.trim() === "" });
    const match = FENCE_LINE.exec(content);
    if (match) {
      const marker = match[1] ?? "";
      const rest = match[2] ?? "";
      if (fence === undefined) {
        // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
        if (!(marker.startsWith("`") && rest.includes("`"))) fence = { marker, info: rest.trim() };
      } else if (marker[0] === fence.marker[0] && marker.length >= fence.marker.length && rest.trim() === "") {
        fence = undefined;
      }
    }
    start = end;
  }
  return lines;
}

const countLines = (text: string): number => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

interface Plan {
  readonly end: number;
  readonly close: string;
}

/**
 * Split `text` into chunks no longer than `limit` (and no more than `maxLines` lines).
 * Chunks are verbatim slices, so joining them gives back the input, except that a fenced code
 * block that cannot fit in one chunk is closed at the end of one chunk and reopened, with the
 * same info string, at the start of the next. Surrogate pairs are never split.
 */
export function planChunks(text: string, options: ChunkOptions): ChunkSpan[] {
  const { limit } = options;
  const mode = options.mode ?? "length";
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 2) throw new InvalidOptionError("limit", "an integer >= 2", limit);
  if (mode !== "length" && mode !== "paragraph") throw new InvalidOptionError("mode", '"length" or "paragraph"', mode);
  if (maxLines !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxLines) || maxLines < 1)) {
    throw new InvalidOptionError("maxLines", "an integer >= 1", maxLines);
  }

  const lines = scanLines(text);
  const fenceAtLine = (index: number): Fence | undefined => lines[index]?.fence;
  const spans: ChunkSpan[] = [];
  let pos = 0;
  let lineIndex = 0;
  let openFence: Fence | undefined;

  while (pos < text.length) {
    while ((lines[lineIndex]?.end ?? text.length) <= pos) lineIndex += 1;
    const firstLine = lineIndex;

    const plan = (wrap: boolean): { plan: Plan; reopen: string } | undefined => {
      const reopen = wrap && openFence ? `${openFence.marker}${openFence.info}\n` : "";
      const reopenLines = reopen === "" ? 0 : 1;
      const fits = (length: number, lineCount: number) => length <= limit && lineCount <= maxLines;

      // Line boundaries, best tier first: blank line outside a fence, line outside a fence, line inside a fence.
      let paragraphBreak: Plan | undefined;
      let lineBreak: Plan | undefined;
      let fencedBreak: Plan | undefined;
      let stopLine = firstLine;
      for (let next = firstLine + 1; next <= lines.length; next += 1) {
        const end = next === lines.length ? text.length : (lines[next]?.start ?? text.length);
        const bodyLines = next - firstLine;
        if (!fits(reopen.length + end - pos, reopenLines + bodyLines)) break;
        stopLine = next;
        const fence = end === text.length || !wrap ? undefined : fenceAtLine(next);
        const close = fence ? fence.marker : "";
        if (!fits(reopen.length + end - pos + close.length, reopenLines + bodyLines + (close === "" ? 0 : 1))) continue;
        if (end === text.length) return { plan: { end, close }, reopen };
        if (fence) fencedBreak = { end, close };
        else {
          lineBreak = { end, close };
          if (lines[next - 1]?.blank === true && next - 1 > firstLine) paragraphBreak = { end, close };
        }
      }
      const best = (mode === "paragraph" ? paragraphBreak : undefined) ?? lineBreak ?? fencedBreak;
      if (best) return { plan: best, reopen };

      // No whole line fits: cut inside the furthest line that can take part of its text.
      for (let index = Math.min(stopLine, lines.length - 1); index >= firstLine; index -= 1) {
        const line = lines[index];
        if (!line) continue;
        const fence = wrap ? line.fence : undefined;
        const close = fence ? `\n${fence.marker}` : "";
        const lineCount = reopenLines + (index - firstLine) + 1 + (close === "" ? 0 : 1);
        if (lineCount > maxLines) continue;
        const lower = Math.max(pos, line.start);
        let end = Math.min(line.end - 1, pos + limit - reopen.length - close.length);
        if (end <= lower) continue;
        let space = end;
        while (space > lower && !/\s/.test(text[space - 1] ?? "")) space -= 1;
        if (space > lower) end = space;
        else if (isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end -= 1;
        if (end <= lower) continue;
        return { plan: { end, close }, reopen };
      }
      return undefined;
    };

    // Fence wrapping costs a few characters and lines; if even that cannot fit, emit the raw slice.
    const chosen = plan(true) ?? plan(false);
    if (!chosen) throw new InvalidOptionError("limit", "room for at least one character per chunk", limit);
    const { end, close } = chosen.plan;
    spans.push({ text: chosen.reopen + text.slice(pos, end) + close, start: pos, end, reopen: chosen.reopen, close });
    pos = end;
    while ((lines[lineIndex]?.end ?? text.length) <= pos && lineIndex < lines.length) lineIndex += 1;
    const atLineStart = lines[lineIndex]?.start === pos;
    openFence = pos >= text.length ? undefined : atLineStart ? fenceAtLine(lineIndex) : lines[lineIndex]?.fence;
  }
  return spans;
}

/**
 * `planChunks` without the bookkeeping: the strings to send, in order. Empty text gives no chunks,
 * and a whitespace-only piece (a space left at a cut) is skipped, since providers refuse empty messages.
 */
export function chunkText(text: string, options: ChunkOptions): string[] {
  return planChunks(text, options)
    .map((span) => span.text)
    .filter((chunk) => chunk.trim() !== "");
}

/** Lines a provider counts in `text` (a trailing newline does not start a new line). */
export { countLines as countChunkLines };
