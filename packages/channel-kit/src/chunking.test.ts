import { describe, expect, it } from "vitest";
import { chunkText, countChunkLines, planChunks, type ChunkOptions, type ChunkSpan } from "./chunking.js";
import { InvalidOptionError } from "./errors.js";

/** Deterministic PRNG (mulberry32) so property loops are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["alpha", "beta", "γάμμα", "😀", "👩‍💻", "x", "longerwordwithoutanyspaces", "🦞🦞", "", "  "];

function randomDocument(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const parts: string[] = [];
  const blocks = 1 + Math.floor(random() * 8);
  for (let block = 0; block < blocks; block += 1) {
    const kind = random();
    if (kind < 0.3) {
      const marker = pick(["```", "~~~", "````"]);
      const body = Array.from({ length: Math.floor(random() * 12) }, () => Array.from({ length: Math.floor(random() * 8) }, () => pick(WORDS)).join(" "));
      parts.push([`${marker}${pick(["", "ts", "python title=x"])}`, ...body, marker].join("\n"));
    } else {
      const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        Array.from({ length: Math.floor(random() * 30) }, () => pick(WORDS)).join(pick([" ", "  ", "\t"])),
      );
      parts.push(lines.join("\n"));
    }
  }
  return parts.join(pick(["\n\n", "\n", "\n\n\n"])) + pick(["", "\n"]);
}

function checkInvariants(text: string, spans: ChunkSpan[], options: ChunkOptions): void {
  expect(spans.map((span) => text.slice(span.start, span.end)).join("")).toBe(text);
  let expectedStart = 0;
  spans.forEach((span, index) => {
    expect(span.start).toBe(expectedStart);
    expect(span.end).toBeGreaterThan(span.start);
    expectedStart = span.end;
    expect(span.text).toBe(span.reopen + text.slice(span.start, span.end) + span.close);
    expect(span.text.length).toBeLessThanOrEqual(options.limit);
    if (options.maxLines !== undefined) expect(countChunkLines(span.text)).toBeLessThanOrEqual(options.maxLines);
    // No lone surrogate at either edge of a slice.
    const code = text.charCodeAt(span.end - 1);
    if (span.end < text.length) expect(code >= 0xd800 && code <= 0xdbff).toBe(false);
    // With room for the fence lines, a closer is always followed by a reopen of the same fence.
    const roomForFences = options.limit >= 40 && (options.maxLines ?? Number.POSITIVE_INFINITY) >= 3;
    if (roomForFences && span.close !== "") {
      const next = spans[index + 1];
      expect(next?.reopen.startsWith(span.close.trim())).toBe(true);
    }
  });
}

describe("chunkText", () => {
  it("returns one chunk when the text fits, and none for empty text", () => {
    expect(chunkText("hello", { limit: 10 })).toEqual(["hello"]);
    expect(chunkText("", { limit: 10 })).toEqual([]);
  });

  it("breaks at the last line boundary, then at whitespace, then hard", () => {
    expect(chunkText("aaaa\nbbbb\ncccc", { limit: 10 })).toEqual(["aaaa\nbbbb\n", "cccc"]);
    expect(chunkText("one two three four", { limit: 9 })).toEqual(["one two ", "three ", "four"]);
    expect(chunkText("abcdefghij", { limit: 4 })).toEqual(["abcd", "efgh", "ij"]);
  });

  it("prefers blank lines in paragraph mode", () => {
    const text = "para one\n\npara two line a\npara two line b";
    expect(chunkText(text, { limit: 32, mode: "paragraph" })).toEqual(["para one\n\n", "para two line a\npara two line b"]);
    expect(chunkText(text, { limit: 32, mode: "length" })).toEqual(["para one\n\npara two line a\n", "para two line b"]);
  });

  it("moves a whole code block to the next chunk rather than splitting it", () => {
    const text = "intro line\n```ts\nconst a = 1;\nconst b = 2;\n```\nafter";
    const chunks = chunkText(text, { limit: 45 });
    expect(chunks[0]).toBe("intro line\n");
    expect(chunks[1]).toBe("```ts\nconst a = 1;\nconst b = 2;\n```\nafter");
  });

  it("closes and reopens a code block that cannot fit, keeping its info string", () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n");
    const text = "```python title=x\n" + body + "\n```";
    const spans = planChunks(text, { limit: 40 });
    expect(spans.length).toBeGreaterThan(1);
    for (const [index, span] of spans.entries()) {
      if (index > 0) expect(span.text.startsWith("```python title=x\n")).toBe(true);
      if (index < spans.length - 1) expect(span.text.endsWith("\n```")).toBe(true);
    }
    checkInvariants(text, spans, { limit: 40 });
  });

  it("reopens tilde fences with the same marker length", () => {
    const text = "~~~~\n" + "x\n".repeat(20) + "~~~~";
    const spans = planChunks(text, { limit: 16 });
    expect(spans[1]?.reopen).toBe("~~~~\n");
    expect(spans[0]?.close).toBe("~~~~");
  });

  it("never splits a surrogate pair on a hard cut", () => {
    const text = "😀".repeat(5);
    const chunks = chunkText(text, { limit: 3 });
    expect(chunks).toEqual(["😀", "😀", "😀", "😀", "😀"]);
  });

  it("honours a line cap (Discord: 17 lines)", () => {
    const text = Array.from({ length: 40 }, (_, i) => `l${i}`).join("\n");
    const chunks = chunkText(text, { limit: 2000, maxLines: 17 });
    expect(chunks.map(countChunkLines)).toEqual([17, 17, 6]);
    expect(chunks.join("")).toBe(text);
  });

  it("counts inserted fence lines against the line cap", () => {
    const text = "```\n" + Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n") + "\n```";
    const spans = planChunks(text, { limit: 2000, maxLines: 17 });
    for (const span of spans) expect(countChunkLines(span.text)).toBeLessThanOrEqual(17);
    checkInvariants(text, spans, { limit: 2000, maxLines: 17 });
  });

  it("falls back to raw slices when the fence lines alone do not fit", () => {
    const text = "```averyveryverylonginfostring\n" + "abcdefgh\n".repeat(4) + "```";
    const spans = planChunks(text, { limit: 12 });
    checkInvariants(text, spans, { limit: 12 });
  });

  it("rejects nonsensical options with the option named", () => {
    expect(() => chunkText("x", { limit: 1 })).toThrow(InvalidOptionError);
    expect(() => chunkText("x", { limit: 1.5 })).toThrow(/option limit: expected an integer >= 2, got 1.5/);
    expect(() => chunkText("x", { limit: 10, maxLines: 0 })).toThrow(/option maxLines/);
    expect(() => chunkText("x", { limit: 10, mode: "newline" as never })).toThrow(/option mode/);
  });

  // 600 random documents: seconds on a loaded 2-core machine, so the default 5 s timeout is too tight.
  it("keeps every invariant over many random documents and limits", { timeout: 60_000 }, () => {
    const random = seeded(8);
    for (let round = 0; round < 600; round += 1) {
      const text = randomDocument(random);
      const options: ChunkOptions = {
        limit: 2 + Math.floor(random() * 120),
        mode: random() < 0.5 ? "length" : "paragraph",
        ...(random() < 0.4 ? { maxLines: 1 + Math.floor(random() * 20) } : {}),
      };
      const spans = planChunks(text, options);
      checkInvariants(text, spans, options);
    }
  });

  it("only splits a fence when the block is bigger than a chunk", () => {
    const random = seeded(99);
    for (let round = 0; round < 200; round += 1) {
      const text = randomDocument(random);
      const limit = 200 + Math.floor(random() * 400);
      const spans = planChunks(text, { limit });
      const longestFence = Math.max(0, ...[...text.matchAll(/^(```+|~~~+)[^\n]*\n[\s\S]*?\n\1$/gm)].map((match) => match[0].length));
      if (longestFence + 1 < limit) expect(spans.every((span) => span.close === "")).toBe(true);
    }
  });
});

describe("chunkText whitespace", () => {
  it("never emits a whitespace-only chunk when a cut lands next to a space", () => {
    const word = "y".repeat(20);
    expect(chunkText(`${word} ${word}`, { limit: 20 })).toEqual([word, word]);
  });
});
