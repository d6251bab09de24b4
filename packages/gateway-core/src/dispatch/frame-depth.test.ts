import { describe, expect, it } from "vitest";
import { MAX_FRAME_DEPTH, nestsDeeperThan } from "./frame-depth.js";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("nestsDeeperThan", () => {
  it("accepts frames up to the limit and refuses one level more", () => {
    expect(nestsDeeperThan(nested(MAX_FRAME_DEPTH))).toBe(false);
    expect(nestsDeeperThan(nested(MAX_FRAME_DEPTH + 1))).toBe(true);
    expect(nestsDeeperThan(`{"a":${nested(100_000)}}`)).toBe(true);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ text: "[".repeat(500) + '\\"' + "{".repeat(500), more: ['"]]]'] });
    expect(nestsDeeperThan(text)).toBe(false);
  });
});
