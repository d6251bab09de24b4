import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { Connection } from "../src/transport/connection.js";
import { GatewaySocket } from "../src/transport/gateway-socket.js";
import { textFrameHeader } from "../src/transport/text-frame.js";

let wss: WebSocketServer | undefined;
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  if (wss) await new Promise((resolve) => wss!.close(resolve));
  wss = undefined;
});

/** A ws server that makes GatewaySockets, as the gateway's transport does (or plain ws sockets), and one client of it. */
async function pair<S extends WebSocket = GatewaySocket>(
  socketClass: typeof WebSocket = GatewaySocket,
): Promise<{ server: S; client: WebSocket; messages: { text: string; binary: boolean }[] }> {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false, WebSocket: socketClass });
  await once(wss, "listening");
  const accepted = once(wss, "connection");
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  clients.push(client);
  const messages: { text: string; binary: boolean }[] = [];
  client.on("message", (data, binary) => messages.push({ text: data.toString("utf8"), binary }));
  await once(client, "open");
  const [server] = (await accepted) as [S];
  return { server, client, messages };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("a text frame written in parts", () => {
  it("encodes the payload length in 7, 16 or 64 bits as RFC 6455 lays out", () => {
    expect([...textFrameHeader(0)]).toEqual([0x81, 0]);
    expect([...textFrameHeader(125)]).toEqual([0x81, 125]);
    expect([...textFrameHeader(126)]).toEqual([0x81, 126, 0, 126]);
    expect([...textFrameHeader(65_535)]).toEqual([0x81, 126, 0xff, 0xff]);
    expect([...textFrameHeader(65_536)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...textFrameHeader(2 ** 32 + 5)]).toEqual([0x81, 127, 0, 0, 0, 1, 0, 0, 0, 5]);
  });

  it("a ws client reads each part-written frame as one text message, at every length encoding", async () => {
    const { server, messages } = await pair();
    const texts = ["é".repeat(10), "ü".repeat(100), "你".repeat(30_000)];
    for (const text of texts) {
      const shared = Buffer.from(`{"text":"${text}","seq":`);
      expect(server.sendTextInParts(shared, Buffer.from("7}", "latin1"))).toBe(true);
    }
    await until(() => messages.length === texts.length);
    expect(messages.map((message) => message.binary)).toEqual([false, false, false]);
    expect(messages.map((message) => JSON.parse(message.text))).toEqual(texts.map((text) => ({ text, seq: 7 })));
  });

  it("keeps its place among the frames ws sends before and after it", async () => {
    const { server, messages } = await pair();
    server.send("first");
    expect(server.sendTextInParts(Buffer.from("sec"), Buffer.from("ond"))).toBe(true);
    server.send(Buffer.from("third"), { binary: false });
    await until(() => messages.length === 3);
    expect(messages.map((message) => message.text)).toEqual(["first", "second", "third"]);
  });

  it("writes nothing, so that ws sends a joined copy instead, once the socket is closing or ws's sender is not idle", async () => {
    const busy = await pair();
    const sender = (busy.server as unknown as { _sender: { _state: number } })._sender;
    sender._state = 1; // as while ws compresses a frame: what it sends next is queued behind it
    expect(busy.server.sendTextInParts(Buffer.from("a"), Buffer.from("b"))).toBe(false);
    sender._state = 0;
    expect(busy.server.sendTextInParts(Buffer.from("c"), Buffer.from("d"))).toBe(true);
    await until(() => busy.messages.length === 1);
    expect(busy.messages[0]!.text).toBe("cd");

    busy.server.close(1000);
    expect(busy.server.sendTextInParts(Buffer.from("e"), Buffer.from("f"))).toBe(false);
  });

  it("a broadcast on a socket that cannot take parts goes out through ws as one joined text frame", async () => {
    const { server, messages } = await pair<WebSocket>(WebSocket);
    const connection = new Connection(server, "127.0.0.1", {}, true);
    connection.sendBroadcast(Buffer.from('{"text":"grüße","seq":'), "5}");
    await until(() => messages.length === 1);
    expect(messages[0]).toEqual({ text: '{"text":"grüße","seq":5}', binary: false });
  });
});
