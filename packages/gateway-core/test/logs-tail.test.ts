import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogsTailHandler, readLogTail } from "../src/methods/logs.js";
import { requestContext } from "./request-context.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "openclaw-logs-tail-"));
  file = join(dir, "gateway.log");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const line = (n: number) => JSON.stringify({ level: 30, time: n, msg: `line ${n}` });
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => line(from + index));
const bytes = (text: string) => Buffer.byteLength(text);

describe("logs.tail handler", () => {
  it("answers through the MethodHandler signature", async () => {
    writeFileSync(file, `${line(1)}\n`);
    const context = requestContext({ connId: "c1", scopes: ["operator.read"] });
    const result = await createLogsTailHandler({ file })({}, context);
    expect(result).toEqual({ file, cursor: bytes(`${line(1)}\n`), size: bytes(`${line(1)}\n`), lines: [line(1)] });
  });

  it("returns nothing for a missing file", async () => {
    expect(await readLogTail(file)).toEqual({ file, cursor: 0, size: 0, lines: [] });
    expect(await readLogTail(file, { cursor: 10 })).toEqual({ file, cursor: 0, size: 0, lines: [], reset: true });
  });
});

describe("readLogTail without a cursor", () => {
  it("returns the last lines of a large file, reading only the window", async () => {
    const all = lines(0, 50_000);
    const text = `${all.join("\n")}\n`;
    writeFileSync(file, text);
    expect(bytes(text)).toBeGreaterThan(1_000_000);

    const result = await readLogTail(file);
    expect(result.size).toBe(bytes(text));
    expect(result.cursor).toBe(result.size);
    expect(result.lines).toEqual(all.slice(-200));
    expect(result.truncated).toBe(true);
  });

  it("returns the whole file without truncated when it fits", async () => {
    writeFileSync(file, `${lines(0, 3).join("\n")}\n`);
    const result = await readLogTail(file);
    expect(result.lines).toEqual(lines(0, 3));
    expect(result.truncated).toBeUndefined();
  });

  it("keeps only whole lines inside maxBytes", async () => {
    writeFileSync(file, `${lines(0, 10).join("\n")}\n`);
    const oneLine = bytes(`${line(0)}\n`);
    // 2.5 lines of budget: the half line at the start of the window is dropped.
    const result = await readLogTail(file, { maxBytes: Math.floor(oneLine * 2.5) });
    expect(result.lines).toEqual(lines(8, 10));
    expect(result.truncated).toBe(true);
    // Exactly three lines of budget starts on a line boundary.
    expect((await readLogTail(file, { maxBytes: oneLine * 3 })).lines).toEqual(lines(7, 10));
  });

  it("leaves a half-written last line for the next poll", async () => {
    const complete = `${lines(0, 2).join("\n")}\n`;
    writeFileSync(file, `${complete}{"level":30,"msg":"hal`);
    const result = await readLogTail(file);
    expect(result.lines).toEqual(lines(0, 2));
    expect(result.cursor).toBe(bytes(complete));
    appendFileSync(file, 'f"}\n');
    expect((await readLogTail(file, { cursor: result.cursor })).lines).toEqual(['{"level":30,"msg":"half"}']);
  });
});

describe("readLogTail with a cursor", () => {
  it("polls appended lines without repeats or gaps, waiting for half-written ones", async () => {
    writeFileSync(file, `${lines(0, 3).join("\n")}\n`);
    const seen: string[] = [];
    let cursor = 0;

    const poll = async () => {
      const result = await readLogTail(file, { cursor });
      expect(result.reset).toBeUndefined();
      seen.push(...result.lines);
      cursor = result.cursor;
      return result;
    };

    await poll();
    expect(seen).toEqual(lines(0, 3));
    expect((await poll()).lines).toEqual([]);

    appendFileSync(file, `${line(3)}\n${line(4).slice(0, 10)}`);
    expect((await poll()).lines).toEqual([line(3)]);
    expect((await poll()).lines).toEqual([]);

    appendFileSync(file, `${line(4).slice(10)}\n${line(5)}\n`);
    await poll();
    expect(seen).toEqual(lines(0, 6));
  });

  it("pages through with limit, flagging truncated until caught up", async () => {
    writeFileSync(file, `${lines(0, 25).join("\n")}\n`);
    const seen: string[] = [];
    let cursor = 0;
    let pages = 0;
    for (let truncated = true; truncated && pages < 10; pages++) {
      const result = await readLogTail(file, { cursor, limit: 10 });
      seen.push(...result.lines);
      cursor = result.cursor;
      truncated = result.truncated === true;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(lines(0, 25));
  });

  it("pages through with maxBytes", async () => {
    writeFileSync(file, `${lines(0, 25).join("\n")}\n`);
    const first = await readLogTail(file, { cursor: 0, maxBytes: bytes(`${line(0)}\n`) * 4 + 5 });
    expect(first.lines).toEqual(lines(0, 4));
    expect(first.truncated).toBe(true);
    const rest = await readLogTail(file, { cursor: first.cursor });
    expect(rest.lines).toEqual(lines(4, 25));
    expect(rest.truncated).toBeUndefined();
  });

  it("skips a single line longer than maxBytes instead of getting stuck", async () => {
    const huge = JSON.stringify({ msg: "x".repeat(5000) });
    writeFileSync(file, `${huge}\n${line(1)}\n`);
    const first = await readLogTail(file, { cursor: 0, maxBytes: 100 });
    expect(first).toMatchObject({ cursor: bytes(`${huge}\n`), lines: [], truncated: true });
    expect((await readLogTail(file, { cursor: first.cursor, maxBytes: 100 })).lines).toEqual([line(1)]);
  });

  it("restarts from 0 with reset when the file was truncated or rotated", async () => {
    writeFileSync(file, `${lines(0, 5).join("\n")}\n`);
    const before = await readLogTail(file);
    truncateSync(file, 0);
    appendFileSync(file, `${line(100)}\n`);
    const after = await readLogTail(file, { cursor: before.cursor });
    expect(after).toMatchObject({ lines: [line(100)], reset: true, cursor: bytes(`${line(100)}\n`) });
  });

  it("counts cursors in bytes for multi-byte UTF-8 lines", async () => {
    const wide = [JSON.stringify({ msg: "héllo wörld ✓" }), JSON.stringify({ msg: "日本語のログ 🎉" }), JSON.stringify({ msg: "plain" })];
    writeFileSync(file, `${wide[0]}\n${wide[1]}\n`);
    const first = await readLogTail(file, { cursor: 0 });
    expect(first.lines).toEqual(wide.slice(0, 2));
    expect(first.cursor).toBe(bytes(`${wide[0]}\n${wide[1]}\n`));
    expect(first.cursor).toBeGreaterThan(`${wide[0]}\n${wide[1]}\n`.length);

    appendFileSync(file, `${wide[2]}\n`);
    expect((await readLogTail(file, { cursor: first.cursor })).lines).toEqual([wide[2]]);
    // A window starting inside a multi-byte character still yields only whole, valid lines.
    const tail = await readLogTail(file, { maxBytes: bytes(`${wide[1]}\n${wide[2]}\n`) - 3 });
    expect(tail.lines).toEqual([wide[2]]);
  });
});
