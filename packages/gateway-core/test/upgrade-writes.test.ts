import { Socket, connect as connectTcp } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { startGateway, upgradeRequestText } from "./harness.js";

let server: GatewayServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server?.stop();
  server = undefined;
});

/** Sends an upgrade request over raw TCP; resolves with each chunk as read, once the server closes or `enough` says so. */
function upgradeRequest(port: number, version: string, enough: (received: Buffer) => boolean): Promise<Buffer[]> {
  const socket = connectTcp({ host: "127.0.0.1", port });
  cleanups.push(() => socket.destroy());
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    socket.on("error", reject);
    socket.on("close", () => resolve(chunks));
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if (enough(Buffer.concat(chunks))) resolve(chunks);
    });
    socket.write(upgradeRequestText(port, version));
  });
}

/** The text of the first (unmasked, unfragmented) frame after the HTTP head, if it is complete. */
function firstFrameText(bytes: Buffer): string | undefined {
  const body = bytes.subarray(bytes.indexOf("\r\n\r\n") + 4);
  if (body.length < 2) return undefined;
  let length = body[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = body.readUInt16BE(2);
    offset = 4;
  }
  return body.length >= offset + length ? body.subarray(offset, offset + length).toString("utf8") : undefined;
}

/**
 * Records what the gateway's side of each TCP connection hands to the kernel, one entry per write
 * (a corked batch is one writev). The spy passes every call through unchanged.
 */
function recordServerWrites(port: number): string[] {
  const writes: string[] = [];
  type WriteGeneric = (this: Socket, writev: boolean, data: unknown, encoding: string, cb: () => void) => unknown;
  const proto = Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
  const original = proto._writeGeneric;
  vi.spyOn(proto, "_writeGeneric").mockImplementation(function (this: Socket, writev, data, encoding, cb) {
    if (this.localPort === port) {
      const parts = writev ? (data as { chunk: Buffer | string }[]).map((entry) => entry.chunk) : [data as Buffer | string];
      writes.push(parts.map((part) => (typeof part === "string" ? part : part.toString("latin1"))).join(""));
    }
    return original.call(this, writev, data, encoding, cb);
  });
  return writes;
}

describe("upgrade writes", () => {
  it("sends the 101 response and connect.challenge in one write, the challenge before any other frame", async () => {
    server = await startGateway();
    const writes = recordServerWrites(server.port);
    const chunks = await upgradeRequest(server.port, "13", (received) => firstFrameText(received) !== undefined);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(JSON.parse(firstFrameText(Buffer.concat(chunks))!)).toMatchObject({
      type: "event",
      event: "connect.challenge",
      payload: { nonce: expect.any(String) },
    });
  });

  it("still answers a refused upgrade with its HTTP error and closes the socket", async () => {
    server = await startGateway();
    // ws refuses an unsupported protocol version with 400 while the socket is corked for the challenge.
    const chunks = await upgradeRequest(server.port, "12", () => false);
    const response = Buffer.concat(chunks).toString("latin1");
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(server.connectionCount).toBe(0);
  });
});
