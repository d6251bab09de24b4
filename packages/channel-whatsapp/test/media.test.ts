import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startWhatsAppFake, startWhatsAppMediaFake, waitFor, type WhatsAppFake, type WhatsAppMediaFake } from "@openclaw/testing";
import { WhatsAppAdapter, WhatsAppMediaUnavailableError, type SocketFactory } from "../src/index.js";

/**
 * Inbound media on the fake socket, downloaded by Baileys' real `downloadMediaMessage` from a local
 * stand-in for WhatsApp's CDN that serves genuinely encrypted files.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SENDER = "15551234567@s.whatsapp.net";

async function setup(options: { now?: () => number; recentMedia?: { maxMessages?: number; maxAgeMs?: number } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-wa-media-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const cdn = await startWhatsAppMediaFake();
  cleanups.push(() => cdn.close());
  const fake = startWhatsAppFake();
  const delivered: InboundMessage[] = [];
  const start = async (fakeSocket: WhatsAppFake = fake) => {
    const adapter = new WhatsAppAdapter({
      accountId: "default",
      authDir: join(dir, "auth"),
      stateDir: dir,
      reconnect: { initialMs: 50, maxMs: 200 },
      socketFactory: fakeSocket.factory as unknown as SocketFactory,
      ...(options.now ? { now: options.now } : {}),
      ...(options.recentMedia ? { recentMedia: options.recentMedia } : {}),
    });
    cleanups.push(() => adapter.stop());
    const context: ChannelStartContext = {
      accountId: "default",
      deliver: async (message) => void delivered.push(message),
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      signal: new AbortController().signal,
    };
    await adapter.start(context);
    return adapter;
  };
  return { fake, cdn, delivered, start };
}

/** Sends one message with this content and waits until the adapter delivered it. */
async function receive(fake: WhatsAppFake, delivered: InboundMessage[], content: Record<string, unknown>): Promise<InboundMessage> {
  const message = fake.message({ from: SENDER, content });
  fake.upsert([message]);
  await waitFor("the message delivered", () => delivered.some((entry) => entry.providerMessageId === message.key.id));
  return delivered.find((entry) => entry.providerMessageId === message.key.id)!;
}

function bytes(length: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * seed + 3) % 251);
}

function imageContent(cdn: WhatsAppMediaFake, plain: Uint8Array, extra: Record<string, unknown> = {}) {
  return { imageMessage: { ...cdn.addMedia(plain, "image"), mimetype: "image/png", width: 640, height: 480, caption: "look", ...extra } };
}

describe("WhatsApp attachments as media facts", () => {
  it("maps every kind with its size, duration, dimensions, type and name; a caption becomes the text", async () => {
    const { fake, cdn, delivered, start } = await setup();
    await start();
    const image = await receive(fake, delivered, imageContent(cdn, bytes(100)));
    expect(image.text).toBe("look");
    expect(image.media).toEqual([
      { kind: "image", url: `wa-media:${SENDER}/${image.providerMessageId}`, contentType: "image/png", sizeBytes: 100, width: 640, height: 480 },
    ]);
    const video = await receive(fake, delivered, {
      videoMessage: { ...cdn.addMedia(bytes(10), "video"), mimetype: "video/mp4", seconds: 12, width: 320, height: 240 },
    });
    expect(video.media).toEqual([
      expect.objectContaining({ kind: "video", contentType: "video/mp4", sizeBytes: 10, durationSec: 12, width: 320, height: 240 }),
    ]);
    const voice = await receive(fake, delivered, {
      audioMessage: { ...cdn.addMedia(bytes(10), "ptt"), mimetype: "audio/ogg; codecs=opus", seconds: 4, ptt: true },
    });
    expect(voice.text).toBe("");
    expect(voice.media).toEqual([expect.objectContaining({ kind: "voice", contentType: "audio/ogg; codecs=opus", durationSec: 4 })]);
    const audio = await receive(fake, delivered, { audioMessage: { ...cdn.addMedia(bytes(10), "audio"), mimetype: "audio/mpeg", seconds: 200 } });
    expect(audio.media).toEqual([expect.objectContaining({ kind: "audio", contentType: "audio/mpeg", durationSec: 200 })]);
    const document = await receive(fake, delivered, {
      documentWithCaptionMessage: {
        message: { documentMessage: { ...cdn.addMedia(bytes(10), "document"), mimetype: "application/pdf", fileName: "report.pdf", caption: "the report" } },
      },
    });
    expect(document.text).toBe("the report");
    expect(document.media).toEqual([expect.objectContaining({ kind: "document", contentType: "application/pdf", fileName: "report.pdf", sizeBytes: 10 })]);
    const sticker = await receive(fake, delivered, {
      stickerMessage: { ...cdn.addMedia(bytes(10), "sticker"), mimetype: "image/webp", width: 512, height: 512 },
    });
    expect(sticker.media).toEqual([expect.objectContaining({ kind: "sticker", contentType: "image/webp", width: 512, height: 512 })]);
  });

  it("maps places and shared contacts (vCard name and phone numbers) without a file reference", async () => {
    const { fake, delivered, start } = await setup();
    await start();
    const place = await receive(fake, delivered, {
      locationMessage: { degreesLatitude: 52.52, degreesLongitude: 13.405, name: "Brandenburger Tor", address: "Pariser Platz" },
    });
    expect(place.media).toEqual([{ kind: "location", location: { latitude: 52.52, longitude: 13.405, name: "Brandenburger Tor", address: "Pariser Platz" } }]);
    const live = await receive(fake, delivered, { liveLocationMessage: { degreesLatitude: -33.86, degreesLongitude: 151.21, caption: "on my way" } });
    expect(live.text).toBe("on my way");
    expect(live.media).toEqual([{ kind: "location", location: { latitude: -33.86, longitude: 151.21 } }]);
    const vcard = [
      "BEGIN:VCARD",
      "VERSION:3.0",
      "N:Lovelace;Ada;;;",
      "FN:Ada Lovelace",
      "TEL;type=CELL;waid=15557654321:+1 555 765 4321",
      "item1.TEL:+44 20 7946 0000",
      "END:VCARD",
    ].join("\n");
    const contact = await receive(fake, delivered, { contactMessage: { displayName: "Ada", vcard } });
    expect(contact.media).toEqual([{ kind: "contact", contact: { name: "Ada", phones: ["+1 555 765 4321", "+44 20 7946 0000"] } }]);
    const several = await receive(fake, delivered, {
      contactsArrayMessage: {
        displayName: "2 contacts",
        contacts: [
          { vcard: "BEGIN:VCARD\nFN:Grace Hopper\nTEL:+1 555 000 1111\nEND:VCARD" },
          { displayName: "Alan", vcard: "BEGIN:VCARD\nN:Turing;Alan\nEND:VCARD" },
        ],
      },
    });
    expect(several.media).toEqual([
      { kind: "contact", contact: { name: "Grace Hopper", phones: ["+1 555 000 1111"] } },
      { kind: "contact", contact: { name: "Alan" } },
    ]);
  });
});

describe("downloadMedia", () => {
  it("decrypts a file from WhatsApp's CDN with the message's media key", async () => {
    const { fake, cdn, delivered, start } = await setup();
    const adapter = await start();
    const plain = bytes(70_000);
    const message = await receive(fake, delivered, imageContent(cdn, plain));
    const downloaded = await adapter.downloadMedia(message.media![0]!, { maxBytes: 100_000 });
    expect(Buffer.from(downloaded.data).equals(Buffer.from(plain))).toBe(true);
    expect(downloaded.contentType).toBe("image/png");
  });

  it("refuses a file whose declared size is over the cap without fetching it", async () => {
    const { fake, cdn, delivered, start } = await setup();
    const adapter = await start();
    const content = imageContent(cdn, bytes(5_000));
    const message = await receive(fake, delivered, content);
    const error = await adapter.downloadMedia(message.media![0]!, { maxBytes: 4_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ maxBytes: 4_000, sizeBytes: 5_000 });
    expect(cdn.fetches(content.imageMessage.url)).toBe(0);
  });

  it("refuses a file that passes the cap while it is read, when its declared size was wrong", async () => {
    const { fake, cdn, delivered, start } = await setup();
    const adapter = await start();
    const content = imageContent(cdn, bytes(200_000), { fileLength: 1_000 });
    const message = await receive(fake, delivered, content);
    expect(message.media![0]!.sizeBytes).toBe(1_000);
    const error = await adapter.downloadMedia(message.media![0]!, { maxBytes: 50_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ maxBytes: 50_000, sizeBytes: undefined });
    expect(cdn.fetches(content.imageMessage.url)).toBe(1);
  });

  it("asks the sender's phone to upload a file again when the CDN no longer has it", async () => {
    const { fake, cdn, delivered, start } = await setup();
    const adapter = await start();
    const plain = bytes(3_000);
    const content = imageContent(cdn, plain);
    const message = await receive(fake, delivered, content);
    cdn.expire(content.imageMessage.url);
    fake.answerMediaRetries((retried) => {
      const image = retried.message!["imageMessage"] as Record<string, unknown>;
      return { ...retried, message: { imageMessage: { ...image, url: cdn.reupload(String(image["url"])) } } };
    });
    const downloaded = await adapter.downloadMedia(message.media![0]!, { maxBytes: 10_000 });
    expect(Buffer.from(downloaded.data).equals(Buffer.from(plain))).toBe(true);
    expect(fake.mediaRetries).toHaveLength(1);
    expect(fake.mediaRetries[0]!.key.id).toBe(message.providerMessageId);
  });

  it("after a restart, says the file is no longer available instead of fetching it", async () => {
    const { fake, cdn, delivered, start } = await setup();
    const first = await start();
    const content = imageContent(cdn, bytes(100));
    const message = await receive(fake, delivered, content);
    await first.stop();
    const second = await start(startWhatsAppFake());
    const error = await second.downloadMedia(message.media![0]!, { maxBytes: 10_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WhatsAppMediaUnavailableError);
    expect((error as Error).message).toMatch(/no longer available.*restart.*ask the sender to send it again/);
    expect(cdn.fetches(content.imageMessage.url)).toBe(0);
  });

  it("keeps media messages bounded in count and in age", async () => {
    let nowMs = 1_000_000;
    const { fake, cdn, delivered, start } = await setup({ now: () => nowMs, recentMedia: { maxMessages: 2, maxAgeMs: 60_000 } });
    const adapter = await start();
    const [oldest, middle, newest] = [
      await receive(fake, delivered, imageContent(cdn, bytes(10, 1))),
      await receive(fake, delivered, imageContent(cdn, bytes(10, 2))),
      await receive(fake, delivered, imageContent(cdn, bytes(10, 3))),
    ];
    await expect(adapter.downloadMedia(oldest!.media![0]!, { maxBytes: 100 })).rejects.toBeInstanceOf(WhatsAppMediaUnavailableError);
    expect((await adapter.downloadMedia(middle!.media![0]!, { maxBytes: 100 })).data).toEqual(bytes(10, 2));
    nowMs += 60_001;
    await expect(adapter.downloadMedia(newest!.media![0]!, { maxBytes: 100 })).rejects.toBeInstanceOf(WhatsAppMediaUnavailableError);
  });
});
