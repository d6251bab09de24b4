import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { TelegramAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<{ fake: TelegramFake; adapter: TelegramAdapter; delivered: InboundMessage[] }> {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  const adapter = new TelegramAdapter({
    accountId: "default",
    token: fake.token,
    apiRoot: fake.apiRoot,
    polling: { timeoutSeconds: 1, clientTimeoutSeconds: 5, watchdogMs: 120_000 },
    reconnect: { initialMs: 100, maxMs: 400 },
  });
  cleanups.push(() => adapter.stop());
  const delivered: InboundMessage[] = [];
  const noop = () => undefined;
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered };
}

const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill);

describe("Telegram attachments in the gateway's envelope", () => {
  it("maps a photo, a voice note, an audio file, a document, a sticker, a location, a venue and a contact", async () => {
    const { fake, delivered } = await started();
    fake.inject({ chatId: 7, from: { id: 7 }, text: "look", photo: true, photoBytes: bytes(10) });
    fake.inject({ chatId: 7, from: { id: 7 }, text: "", extra: { voice: fake.addFile(bytes(5), { duration: 12, mime_type: "audio/ogg" }) } });
    fake.inject({
      chatId: 7,
      from: { id: 7 },
      text: "the report",
      extra: {
        audio: fake.addFile(bytes(6), { duration: 200, mime_type: "audio/mpeg", file_name: "song.mp3" }),
        document: fake.addFile(bytes(4), { mime_type: "application/pdf", file_name: "report.pdf" }),
      },
    });
    fake.inject({ chatId: 7, from: { id: 7 }, text: "", extra: { sticker: fake.addFile(bytes(3), { width: 512, height: 512 }) } });
    fake.inject({ chatId: 7, from: { id: 7 }, text: "", extra: { location: { latitude: 48.8566, longitude: 2.3522 } } });
    fake.inject({
      chatId: 7,
      from: { id: 7 },
      text: "",
      extra: { venue: { location: { latitude: 48.8606, longitude: 2.3376 }, title: "Louvre", address: "Rue de Rivoli" } },
    });
    fake.inject({ chatId: 7, from: { id: 7 }, text: "", extra: { contact: { phone_number: "+15551234567", first_name: "Ada", last_name: "L" } } });
    await waitFor("seven messages", () => delivered.length === 7);
    expect(delivered.map((message) => [message.text, message.media])).toEqual([
      ["look", [{ kind: "image", url: expect.stringMatching(/^tg-file:file-\d+$/), contentType: "image/jpeg", sizeBytes: 10, width: 800, height: 800 }]],
      ["", [{ kind: "voice", url: expect.stringMatching(/^tg-file:/), contentType: "audio/ogg", sizeBytes: 5, durationSec: 12 }]],
      [
        "the report",
        [
          { kind: "audio", url: expect.stringMatching(/^tg-file:/), contentType: "audio/mpeg", sizeBytes: 6, fileName: "song.mp3", durationSec: 200 },
          { kind: "document", url: expect.stringMatching(/^tg-file:/), contentType: "application/pdf", sizeBytes: 4, fileName: "report.pdf" },
        ],
      ],
      ["", [{ kind: "sticker", url: expect.stringMatching(/^tg-file:/), contentType: "image/webp", sizeBytes: 3, width: 512, height: 512 }]],
      ["", [{ kind: "location", location: { latitude: 48.8566, longitude: 2.3522 } }]],
      ["", [{ kind: "location", location: { latitude: 48.8606, longitude: 2.3376, name: "Louvre", address: "Rue de Rivoli" } }]],
      ["", [{ kind: "contact", contact: { name: "Ada L", phones: ["+15551234567"] } }]],
    ]);
  });

  it("downloads a file through getFile and the file URL, with the message's content type", async () => {
    const { fake, adapter, delivered } = await started();
    const photo = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.inject({ chatId: 7, from: { id: 7 }, text: "look", photo: true, photoBytes: photo });
    await waitFor("the photo", () => delivered.length === 1);
    const downloaded = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 });
    expect(downloaded).toEqual({ data: photo, contentType: "image/jpeg" });
    expect(fake.calls("getFile")).toHaveLength(1);
  });

  it("refuses a file over the cap without downloading it, by Telegram's declared size", async () => {
    const { fake, adapter, delivered } = await started();
    fake.inject({ chatId: 7, from: { id: 7 }, text: "", extra: { document: fake.addFile(bytes(2048), { file_name: "big.bin" }) } });
    await waitFor("the document", () => delivered.length === 1);
    const error = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(fake.calls("getFile")).toHaveLength(0);
  });

  it("says what went wrong for a file Telegram no longer has", async () => {
    const { adapter } = await started();
    await expect(adapter.downloadMedia({ kind: "document", url: "tg-file:gone" }, { maxBytes: 1024 })).rejects.toThrow("invalid file_id");
    await expect(adapter.downloadMedia({ kind: "document", url: "https://elsewhere/x" }, { maxBytes: 1024 })).rejects.toThrow("tg-file:");
  });
});
