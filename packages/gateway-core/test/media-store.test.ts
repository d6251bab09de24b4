import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MediaStore } from "../src/media/media-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeAt(now: () => number = Date.now): MediaStore {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-media-"));
  dirs.push(dir);
  return new MediaStore(join(dir, "media"), now);
}

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const DAY = 86_400_000;

describe("the content-addressed media store", () => {
  it("stores a file under its SHA-256 once, and reads it back", async () => {
    const store = storeAt();
    const data = Uint8Array.from([1, 2, 3]);
    const first = await store.put(data);
    expect(first).toBe(sha(data));
    expect(await store.put(Uint8Array.from([1, 2, 3]))).toBe(first);
    expect(await store.read(first)).toEqual(data);
    expect(readdirSync(join(store.dir, first.slice(0, 2)))).toEqual([first]);
  });

  it("answers undefined for a file it does not have, and never reads a name that is not a SHA-256", async () => {
    const store = storeAt();
    await store.put(Uint8Array.from([9]));
    expect(await store.read("0".repeat(64))).toBeUndefined();
    expect(await store.read("../../etc/passwd")).toBeUndefined();
    expect(await store.read("A".repeat(64))).toBeUndefined();
  });

  it("prunes files older than the age limit, then the least recently used until the rest fit, and leftover temp files", async () => {
    let now = 100 * DAY;
    const store = storeAt(() => now);
    const old = await store.put(new Uint8Array(10).fill(1));
    now += 20 * DAY;
    const middle = await store.put(new Uint8Array(10).fill(2));
    now += 1 * DAY;
    const recent = await store.put(new Uint8Array(10).fill(3));
    writeFileSync(join(store.dir, recent.slice(0, 2), `${recent}.abc.tmp`), "partial");
    // Using a file again renews it: `middle` becomes the most recent.
    now += 1 * DAY;
    await store.put(new Uint8Array(10).fill(2));
    const result = await store.prune({ maxAgeMs: 10 * DAY, maxTotalBytes: 10 });
    expect(await store.read(old)).toBeUndefined();
    expect(await store.read(recent)).toBeUndefined();
    expect(await store.read(middle)).toEqual(new Uint8Array(10).fill(2));
    expect(result).toEqual({ removed: 3, freedBytes: 10 + 10 + "partial".length, keptBytes: 10 });
  });

  it("keeps everything within both limits", async () => {
    const store = storeAt();
    const kept = await store.put(new Uint8Array(5));
    const path = join(store.dir, kept.slice(0, 2), kept);
    utimesSync(path, new Date(), new Date());
    expect(await store.prune({ maxAgeMs: DAY, maxTotalBytes: 100 })).toEqual({ removed: 0, freedBytes: 0, keptBytes: 5 });
    expect(await store.read(kept)).toEqual(new Uint8Array(5));
  });
});
