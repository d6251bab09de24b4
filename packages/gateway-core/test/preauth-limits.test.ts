import { randomBytes } from "node:crypto";
import { connect as connectTcp, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { GatewayServer } from "../src/index.js";
import { RawClient, connectClient, startGateway, upgradeRequestText } from "./harness.js";

let server: GatewayServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server?.stop();
  server = undefined;
});

/** An upgraded raw TCP socket, to write frame bytes by hand. */
async function rawUpgrade(port: number, localAddress = "127.0.0.1"): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connectTcp({ host: "127.0.0.1", port, localAddress });
  cleanups.push(() => socket.destroy());
  const chunks: Buffer[] = [];
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(upgradeRequestText(port));
  for (let turn = 0; !Buffer.concat(chunks).includes("\r\n\r\n") && turn < 10_000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return { socket, received: () => Buffer.concat(chunks), closed };
}

/** The header of a masked client text frame claiming `length` payload bytes. */
function frameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(header, 10);
  return header;
}

/** The close code and reason in the server's close frame, if one arrived after the 101 response. */
function closeFrame(bytes: Buffer): { code: number; reason: string } | undefined {
  const body = bytes.subarray(bytes.indexOf("\r\n\r\n") + 4);
  for (let at = 0; at + 2 <= body.length;) {
    const opcode = body[at]! & 0x0f;
    let length = body[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = body.readUInt16BE(offset);
      offset += 2;
    }
    if (opcode === 0x8) return { code: body.readUInt16BE(offset), reason: body.subarray(offset + 2, offset + length).toString("utf8") };
    at = offset + length;
  }
  return undefined;
}

describe("pre-auth frame limit", () => {
  it(
    "closes 1009 at the header of an oversized pre-auth frame, before its body arrives, and memory stays flat under 40 such sockets",
    { timeout: 60_000 },
    async () => {
      server = await startGateway();
      const rssBefore = process.memoryUsage().rss;
      const chunk = Buffer.alloc(1 << 20, 0x61);
      // From two addresses, so all 40 stay under the per-address cap of pending handshakes.
      const attacks = await Promise.all(Array.from({ length: 40 }, (_, index) => rawUpgrade(server!.port, index % 2 === 0 ? "127.0.0.1" : "127.0.0.2")));
      for (const attack of attacks) {
        // 24 MB announced, 4 MB sent: a gateway that buffers before checking would keep waiting for the rest.
        attack.socket.write(frameHeader(24 * 1024 * 1024));
        for (let sent = 0; sent < 4; sent += 1) attack.socket.write(chunk);
      }
      await Promise.all(attacks.map((attack) => attack.closed));
      for (const attack of attacks) expect(closeFrame(attack.received())).toEqual({ code: 1009, reason: "preauth payload too large" });
      // 40 sockets × 24 MB would be ~1 GB if the frames were buffered; the bound leaves room for noise only.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * 1024 * 1024);
      for (let turn = 0; server.connectionCount > 0 && turn < 10_000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(server.connectionCount).toBe(0);
    },
  );

  it("raises the frame limit after hello-ok: a 1 MiB request is answered, not closed", async () => {
    server = await startGateway();
    const { client, hello } = await connectClient(server);
    cleanups.push(() => client.close());
    expect(hello.ok).toBe(true);
    expect(hello.payload.policy.maxPayload).toBeGreaterThan(1 << 20);
    const answer = await client.call("health", { padding: "x".repeat(1 << 20) });
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe("INVALID_REQUEST");
    expect(client.closed).toBeUndefined();
  });
});

describe("pending handshake caps", () => {
  async function openRaw(url: string, localAddress = "127.0.0.1"): Promise<RawClient | number> {
    const ws = new WebSocket(url, { localAddress });
    return await new Promise((resolve) => {
      ws.once("open", () => {
        const client = new RawClient(ws);
        cleanups.push(() => client.close());
        resolve(client);
      });
      ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      ws.once("error", () => resolve(-1));
    });
  }

  it("answers HTTP 503 to the 33rd unauthenticated socket of one address, and frees the slot once a handshake completes", async () => {
    server = await startGateway();
    const idle: RawClient[] = [];
    for (let index = 0; index < 32; index += 1) {
      const opened = await openRaw(server.url);
      expect(opened).toBeInstanceOf(RawClient);
      idle.push(opened as RawClient);
    }
    expect(await openRaw(server.url)).toBe(503);
    // Another address still gets in.
    expect(await openRaw(server.url.replace("127.0.0.1", "127.0.0.1"), "127.0.0.2")).toBeInstanceOf(RawClient);

    // One idle socket leaves: its slot is free again.
    idle[0]!.close();
    await idle[0]!.waitClosed();
    // The server sees the close a moment after the client does, so the first retries may still be refused.
    let freed = false;
    for (let turn = 0; turn < 1000 && !freed; turn += 1) {
      const retry = await openRaw(server.url);
      freed = retry instanceof RawClient;
      if (!freed) expect(retry).toBe(503);
    }
    expect(freed).toBe(true);
    expect(await openRaw(server.url)).toBe(503);
  });

  it("a completed handshake gives its slot back, and the total cap holds across addresses", async () => {
    server = await startGateway({ pendingHandshakes: { perAddress: 2, total: 3 } });
    const first = await connectClient(server);
    cleanups.push(() => first.client.close());
    expect(first.hello.ok).toBe(true);
    expect(await openRaw(server.url)).toBeInstanceOf(RawClient);
    expect(await openRaw(server.url)).toBeInstanceOf(RawClient);
    expect(await openRaw(server.url)).toBe(503);
    expect(await openRaw(server.url, "127.0.0.2")).toBeInstanceOf(RawClient);
    expect(await openRaw(server.url, "127.0.0.3")).toBe(503);
  });
});

describe("deeply nested frames", () => {
  it("answers a 100 000-level request with a named frame error, never a stack overflow, and stays open", async () => {
    server = await startGateway({ nodeCommands: { allow: ["x.y"] } });
    const { client, hello } = await connectClient(server);
    cleanups.push(() => client.close());
    expect(hello.ok).toBe(true);
    client.sendRaw(
      `{"type":"req","id":"deep","method":"node.invoke","params":{"nodeId":"n","command":"x.y","idempotencyKey":"k","params":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`,
    );
    const answer = await client.response("deep");
    expect(answer.error).toEqual({ code: "INVALID_REQUEST", message: "invalid request frame: nested deeper than 64 levels" });
    expect(JSON.stringify(answer)).not.toContain("call stack");
    expect((await client.call("health", {})).ok).toBe(true);
  });

  it("closes a deeply nested first frame as an invalid request frame", async () => {
    server = await startGateway();
    const client = await RawClient.open(server.url);
    await client.event("connect.challenge");
    client.sendRaw(`{"type":"req","id":"c1","method":"connect","params":{"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`);
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: "invalid request frame" });
  });
});
