import { createCipheriv, createDecipheriv, createHash, hkdfSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Curve, WA_CERT_DETAILS, decodeBinaryNode, encodeBinaryNode, proto, type BinaryNode } from "@whiskeysockets/baileys";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A local stand-in for WhatsApp's chat server, enough for the real Baileys socket: the server side
 * of the Noise XX handshake (`Noise_XX_25519_AESGCM_SHA256`, WhatsApp's `WA 6 3` intro header),
 * then binary nodes both ways over the transport keys.
 *
 * Baileys checks the server's certificate chain against WhatsApp's root key, which is hard-coded
 * (`WA_CERT_DETAILS.PUBLIC_KEY`, no socket option). It is an exported object read at handshake
 * time, so `trustFakeRoot()` swaps in this fake's root key while a test runs and puts the real
 * one back after. Nothing else of Baileys is touched.
 */

const NOISE_MODE = Buffer.from("Noise_XX_25519_AESGCM_SHA256\0\0\0\0");
const INTRO = Buffer.from([87, 65, 6, 3]);

interface KeyPair {
  readonly public: Buffer;
  readonly private: Buffer;
}

function keyPair(): KeyPair {
  const pair = Curve.generateKeyPair();
  return { public: Buffer.from(pair.public), private: Buffer.from(pair.private) };
}

const root = keyPair();

/** Makes Baileys accept this fake's certificates; returns the undo. */
export function trustFakeRoot(): () => void {
  const real = WA_CERT_DETAILS.PUBLIC_KEY;
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(root.public);
  return () => {
    WA_CERT_DETAILS.PUBLIC_KEY = real;
  };
}

function gcm(encrypt: boolean, key: Buffer, counter: number, data: Buffer, aad: Buffer): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(counter, 8);
  if (encrypt) {
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad);
    return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  }
  const decipher = createDecipheriv("aes-256-gcm", key, iv).setAAD(aad);
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}

/** The responder's half of Noise XX, mirroring the initiator step for step. */
class NoiseResponder {
  private hash = NOISE_MODE;
  private salt = NOISE_MODE;
  private key = NOISE_MODE;
  private counter = 0;

  mixHash(data: Buffer): void {
    this.hash = createHash("sha256")
      .update(Buffer.concat([this.hash, data]))
      .digest();
  }

  mixKey(input: Buffer): void {
    const out = Buffer.from(hkdfSync("sha256", input, this.salt, Buffer.alloc(0), 64));
    this.salt = out.subarray(0, 32);
    this.key = out.subarray(32);
    this.counter = 0;
  }

  encrypt(plain: Buffer): Buffer {
    const sealed = gcm(true, this.key, this.counter++, plain, this.hash);
    this.mixHash(sealed);
    return sealed;
  }

  decrypt(sealed: Buffer): Buffer {
    const plain = gcm(false, this.key, this.counter++, sealed, this.hash);
    this.mixHash(sealed);
    return plain;
  }

  /** The transport keys: the initiator writes with the first half, so we read with it. */
  split(): { read: Buffer; write: Buffer } {
    const out = Buffer.from(hkdfSync("sha256", Buffer.alloc(0), this.salt, Buffer.alloc(0), 64));
    return { read: out.subarray(0, 32), write: out.subarray(32) };
  }
}

/** How the fake treats a new connection. */
export type ServerMode = "handshake" | "silent" | "drop";

export interface FakeWaConnection {
  readonly index: number;
  /** The bytes before the first frame: `WA 6 3`, or `ED` + routing info + `WA 6 3` once WhatsApp gave routing info. */
  readonly intro: Buffer;
  /** Resolves once the client finished the handshake: its static noise key and its login/registration payload. */
  readonly handshake: Promise<{ clientStatic: Buffer; payload: proto.ClientPayload }>;
  /** Every node the client sent after the handshake. */
  readonly received: BinaryNode[];
  send(node: BinaryNode): void;
  /** Ends the TCP connection without a close frame. */
  drop(): void;
  readonly closed: Promise<void>;
}

export interface FakeWaServer {
  readonly url: string;
  readonly connections: FakeWaConnection[];
  /** The most connections open at once. */
  readonly maxConcurrent: number;
  /** How the next connections are treated (default "handshake"). */
  mode: ServerMode;
  /** Called once each handshake completes; the default answers nothing until the test sends. */
  onReady: (connection: FakeWaConnection) => void;
  waitForConnection(index: number): Promise<FakeWaConnection>;
  close(): Promise<void>;
}

export async function startFakeWaServer(): Promise<FakeWaServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const connections: FakeWaConnection[] = [];
  const waiters: (() => void)[] = [];
  let open = 0;
  let maxConcurrent = 0;

  const server: FakeWaServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/chat`,
    connections,
    get maxConcurrent() {
      return maxConcurrent;
    },
    mode: "handshake",
    onReady: () => undefined,
    waitForConnection: (index) =>
      new Promise((resolve) => {
        const check = () => {
          const found = connections[index];
          if (!found) return waiters.push(check);
          resolve(found);
        };
        check();
      }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };

  wss.on("connection", (ws) => {
    open += 1;
    maxConcurrent = Math.max(maxConcurrent, open);
    const connection = accept(ws, connections.length, server.mode, (ready) => server.onReady(ready));
    void connection.closed.then(() => (open -= 1));
    connections.push(connection);
    for (const wake of waiters.splice(0)) wake();
  });
  return server;
}

function accept(ws: WebSocket, index: number, mode: ServerMode, onReady: (connection: FakeWaConnection) => void): FakeWaConnection {
  const noise = new NoiseResponder();
  const ephemeral = keyPair();
  const serverStatic = keyPair();
  let transport: { read: Buffer; write: Buffer; readCounter: number; writeCounter: number } | undefined;
  let pending = Buffer.alloc(0);
  let intro: Buffer | undefined;
  let settleHandshake: (value: { clientStatic: Buffer; payload: proto.ClientPayload }) => void = () => undefined;
  const handshake = new Promise<{ clientStatic: Buffer; payload: proto.ClientPayload }>((resolve) => (settleHandshake = resolve));
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  let step: "hello" | "finish" | "transport" = "hello";

  const writeFrame = (payload: Buffer) => {
    const header = Buffer.from([(payload.length >> 16) & 0xff, (payload.length >> 8) & 0xff, payload.length & 0xff]);
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([header, payload]));
  };

  const connection: FakeWaConnection = {
    index,
    get intro() {
      return intro ?? Buffer.alloc(0);
    },
    handshake,
    received: [],
    send(node) {
      if (!transport) throw new Error("the handshake is not done");
      const iv = Buffer.alloc(12);
      iv.writeUInt32BE(transport.writeCounter++, 8);
      const cipher = createCipheriv("aes-256-gcm", transport.write, iv).setAAD(Buffer.alloc(0));
      const plain = Buffer.from(encodeBinaryNode(node));
      writeFrame(Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]));
    },
    drop: () => ws.terminate(),
    closed,
  };

  const onFrame = async (frame: Buffer) => {
    if (step === "hello") {
      if (mode === "silent") return;
      if (mode === "drop") return ws.terminate();
      const hello = proto.HandshakeMessage.decode(frame).clientHello!;
      const clientEphemeral = Buffer.from(hello.ephemeral!);
      noise.mixHash(INTRO);
      noise.mixHash(clientEphemeral);
      noise.mixHash(ephemeral.public);
      noise.mixKey(Curve.sharedKey(ephemeral.private, clientEphemeral));
      const staticSealed = noise.encrypt(serverStatic.public);
      noise.mixKey(Curve.sharedKey(serverStatic.private, clientEphemeral));
      const payloadSealed = noise.encrypt(Buffer.from(certificateChain(serverStatic.public)));
      step = "finish";
      writeFrame(
        Buffer.from(proto.HandshakeMessage.encode({ serverHello: { ephemeral: ephemeral.public, static: staticSealed, payload: payloadSealed } }).finish()),
      );
      return;
    }
    if (step === "finish") {
      const finish = proto.HandshakeMessage.decode(frame).clientFinish!;
      const clientStatic = noise.decrypt(Buffer.from(finish.static!));
      noise.mixKey(Curve.sharedKey(ephemeral.private, clientStatic));
      const payload = proto.ClientPayload.decode(noise.decrypt(Buffer.from(finish.payload!)));
      transport = { ...noise.split(), readCounter: 0, writeCounter: 0 };
      step = "transport";
      settleHandshake({ clientStatic, payload });
      onReady(connection);
      return;
    }
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(transport!.readCounter++, 8);
    const decipher = createDecipheriv("aes-256-gcm", transport!.read, iv).setAAD(Buffer.alloc(0));
    decipher.setAuthTag(frame.subarray(frame.length - 16));
    const node = await decodeBinaryNode(Buffer.concat([decipher.update(frame.subarray(0, frame.length - 16)), decipher.final()]));
    connection.received.push(node);
    answerIq(connection, node);
  };

  // Frames are handled one at a time, in order: decryption counters depend on it.
  let chain = Promise.resolve();
  ws.on("message", (data: Buffer) => {
    let bytes = Buffer.concat([pending, data]);
    if (intro === undefined) {
      const start = bytes.subarray(0, 2).toString() === "ED" ? 7 + ((bytes[4]! << 16) | bytes.readUInt16BE(5)) : 0;
      intro = bytes.subarray(0, start + INTRO.length);
      bytes = bytes.subarray(intro.length);
    }
    while (bytes.length >= 3) {
      const size = (bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]!;
      if (bytes.length < size + 3) break;
      const frame = Buffer.from(bytes.subarray(3, size + 3));
      bytes = bytes.subarray(size + 3);
      chain = chain.then(() => onFrame(frame)).catch(() => ws.terminate());
    }
    pending = Buffer.from(bytes);
  });
  return connection;
}

/** The chain Baileys checks: an intermediate signed by the (fake) root, a leaf signed by the intermediate. */
function certificateChain(serverStaticPublic: Buffer): Uint8Array {
  const intermediate = keyPair();
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 1,
    issuerSerial: WA_CERT_DETAILS.SERIAL,
    key: intermediate.public,
  }).finish();
  const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({ serial: 2, issuerSerial: 1, key: serverStaticPublic }).finish();
  return proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: Buffer.from(Curve.sign(root.private, intermediateDetails)) },
    leaf: { details: leafDetails, signature: Buffer.from(Curve.sign(intermediate.private, leafDetails)) },
  }).finish();
}

/** Answers every query so Baileys' post-login queries end at once: an empty result, with a pre-key count. */
function answerIq(connection: FakeWaConnection, node: BinaryNode): void {
  if (node.tag !== "iq" || node.attrs["type"] === "result" || !node.attrs["id"]) return;
  connection.send({
    tag: "iq",
    attrs: { id: node.attrs["id"], type: "result", from: "s.whatsapp.net" },
    content:
      node.attrs["xmlns"] === "encrypt"
        ? [
            { tag: "count", attrs: { value: "812" } },
            { tag: "digest", attrs: {} },
          ]
        : undefined,
  });
}
