/**
 * A fake of WhatsApp's media CDN (`mmg.whatsapp.net`): a real HTTP server on 127.0.0.1 that serves
 * files encrypted the way WhatsApp encrypts them, so Baileys' own `downloadMediaMessage` fetches
 * and decrypts them. Baileys fetches a message's `url` as is when the message has no `directPath`
 * (with a `directPath` it would build `https://mmg.whatsapp.net<directPath>`), so the fields
 * `addMedia` returns point it here.
 *
 * The encryption (WhatsApp's media spec): a random 32-byte media key, expanded with HKDF-SHA256
 * (no salt, info `WhatsApp <Image|Video|Audio|Document> Keys`) to 112 bytes: IV (16), cipher key
 * (32), MAC key (32). The file is AES-256-CBC with PKCS#7 padding, followed by the first 10 bytes
 * of HMAC-SHA256(IV ‖ ciphertext).
 *
 * Controls: `expire` answers 410 for a file (gone from the CDN, as after a few weeks), `reupload`
 * serves it again under a new URL (what the sender's phone does on a media retry request).
 */
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type WhatsAppMediaType = "image" | "video" | "audio" | "document" | "sticker" | "ptt";

const HKDF_INFO: Readonly<Record<WhatsAppMediaType, string>> = {
  image: "WhatsApp Image Keys",
  sticker: "WhatsApp Image Keys",
  video: "WhatsApp Video Keys",
  audio: "WhatsApp Audio Keys",
  ptt: "WhatsApp Audio Keys",
  document: "WhatsApp Document Keys",
};

/** The media fields of a WhatsApp file message (`imageMessage`, `documentMessage`, …) for one stored file. */
export interface WhatsAppMediaFields {
  readonly url: string;
  readonly mediaKey: Buffer;
  readonly fileSha256: Buffer;
  readonly fileEncSha256: Buffer;
  readonly fileLength: number;
}

/** WhatsApp's encryption of one file. */
export function encryptWhatsAppMedia(plain: Uint8Array, type: WhatsAppMediaType, mediaKey: Buffer = randomBytes(32)) {
  const expanded = Buffer.from(hkdfSync("sha256", mediaKey, Buffer.alloc(0), HKDF_INFO[type], 112));
  const iv = expanded.subarray(0, 16);
  const cipherKey = expanded.subarray(16, 48);
  const macKey = expanded.subarray(48, 80);
  const cipher = createCipheriv("aes-256-cbc", cipherKey, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac("sha256", macKey).update(iv).update(encrypted).digest().subarray(0, 10);
  const file = Buffer.concat([encrypted, mac]);
  return {
    file,
    mediaKey,
    fileSha256: createHash("sha256").update(plain).digest(),
    fileEncSha256: createHash("sha256").update(file).digest(),
  };
}

export async function startWhatsAppMediaFake() {
  const files = new Map<string, Buffer>();
  const expired = new Set<string>();
  /** Every GET path, in order. */
  const requests: string[] = [];
  let nextId = 1;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requests.push(path);
    const file = files.get(path);
    if (req.method !== "GET" || !file || expired.has(path)) {
      res.writeHead(file && expired.has(path) ? 410 : 404).end();
      return;
    }
    // Streamed in pieces, as a CDN does, so a reader can stop part-way.
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(file.byteLength) });
    const piece = 16 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < file.byteLength) {
        const chunk = file.subarray(offset, offset + piece);
        offset += chunk.byteLength;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function store(file: Buffer): string {
    const path = `/v/t62.7118-24/fake-${nextId++}.enc`;
    files.set(path, file);
    return path;
  }

  return {
    url: base,
    requests,
    /** Encrypts and stores a file; returns the fields its message carries. */
    addMedia(plain: Uint8Array, type: WhatsAppMediaType): WhatsAppMediaFields {
      const encrypted = encryptWhatsAppMedia(plain, type);
      return {
        url: `${base}${store(encrypted.file)}`,
        mediaKey: encrypted.mediaKey,
        fileSha256: encrypted.fileSha256,
        fileEncSha256: encrypted.fileEncSha256,
        fileLength: plain.byteLength,
      };
    },
    /** The file at this URL answers 410 Gone from now on. */
    expire(url: string): void {
      expired.add(new URL(url).pathname);
    },
    /** The sender's phone uploaded the file again: the same bytes under a new URL. */
    reupload(url: string): string {
      const file = files.get(new URL(url).pathname);
      if (!file) throw new Error(`no fake WhatsApp media at ${url}`);
      return `${base}${store(file)}`;
    },
    /** How many requests asked for this URL's file. */
    fetches: (url: string) => requests.filter((path) => path === new URL(url).pathname).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type WhatsAppMediaFake = Awaited<ReturnType<typeof startWhatsAppMediaFake>>;
