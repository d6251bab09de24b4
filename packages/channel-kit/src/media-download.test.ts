import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, downloadOutboundSource, readCapped } from "./media-download.js";

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

describe("downloadOutboundSource", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  /** A server answering every path with `status` and `body` (and `headers`). */
  async function serve(status: number, body: Uint8Array, headers: Record<string, string> = {}): Promise<string> {
    const server = createServer((_request, response) => {
      response.writeHead(status, { "content-type": "image/png; charset=binary", ...headers });
      response.end(body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("returns the bytes, the content type without parameters and the file name of the URL", async () => {
    const url = await serve(200, Uint8Array.from([1, 2, 3]));
    expect(await downloadOutboundSource(`${url}/charts/q3.png?v=2`, 10)).toEqual({
      data: Uint8Array.from([1, 2, 3]),
      contentType: "image/png",
      fileName: "q3.png",
    });
  });

  it("refuses a file over the cap by its declared length and while reading, with MediaTooLargeError", async () => {
    const url = await serve(200, new Uint8Array(64), { "content-length": "64" });
    await expect(downloadOutboundSource(`${url}/big.bin`, 16)).rejects.toMatchObject({ name: "MediaTooLargeError", sizeBytes: 64 });
    const chunked = await serve(200, new Uint8Array(64), { "transfer-encoding": "chunked" });
    await expect(downloadOutboundSource(`${chunked}/big.bin`, 16)).rejects.toBeInstanceOf(MediaTooLargeError);
  });

  it("classifies failures for the outbox: a 404 is permanent, a 503 and an unreachable host transient", async () => {
    await expect(downloadOutboundSource(`${await serve(404, new Uint8Array(0))}/gone.png`, 16)).rejects.toMatchObject({
      kind: "permanent",
      status: 404,
      message: expect.stringContaining("HTTP 404") as unknown,
    });
    await expect(downloadOutboundSource(`${await serve(503, new Uint8Array(0))}/later.png`, 16)).rejects.toMatchObject({ kind: "transient", status: 503 });
    await expect(downloadOutboundSource("http://127.0.0.1:9/nothing.png", 16)).rejects.toMatchObject({
      kind: "transient",
      message: expect.stringContaining("could not download attachment http://127.0.0.1:9/nothing.png") as unknown,
    });
  });
});
