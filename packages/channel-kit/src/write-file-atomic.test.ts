import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./write-file-atomic.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("replaces the file whole, owner-only by default, and leaves no temp file", () => {
    const dir = mkdtempSync(join(tmpdir(), "channel-kit-atomic-"));
    dirs.push(dir);
    const path = join(dir, "state.json");
    writeFileSync(path, "old");
    writeFileAtomic(path, '{"new":true}');
    expect(readFileSync(path, "utf8")).toBe('{"new":true}');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("leaves what was there and no temp file when the rename fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "channel-kit-atomic-"));
    dirs.push(dir);
    // A non-empty directory cannot be replaced by a file.
    const target = join(dir, "occupied");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "x");
    expect(() => writeFileAtomic(target, "data")).toThrow();
    expect(readdirSync(dir)).toEqual(["occupied"]);
    expect(readFileSync(join(target, "keep"), "utf8")).toBe("x");
  });
});
