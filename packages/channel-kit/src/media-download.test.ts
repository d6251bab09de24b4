import { describe, expect, it } from "vitest";
import { MediaTooLargeError, readCapped } from "./media-download.js";

const streamOf = (...chunks: number[]) => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = chunks.shift();
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(7));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
};

describe("reading a download under a byte cap", () => {
  it("returns the whole body when it fits", async () => {
    const { stream } = streamOf(3, 4);
    const data = await readCapped(stream, 7);
    expect(data).toEqual(new Uint8Array(7).fill(7));
  });

  it("refuses a declared size over the cap before reading, and cancels the body", async () => {
    const { stream, cancelled } = streamOf(1);
    const error = await readCapped(stream, 10, 11).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).message).toBe("the file is 11 bytes, over the 10-byte limit");
    expect(cancelled()).toBe(true);
  });

  it("refuses a body that grows past the cap while reading, whatever size was declared", async () => {
    const { stream, cancelled } = streamOf(6, 6, 6);
    const error = await readCapped(stream, 10, 5).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).message).toBe("the file is larger than the 10-byte limit");
    expect(cancelled()).toBe(true);
  });
});
