import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startDiscordFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { DiscordAdapter, IS_VOICE_MESSAGE } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<{ fake: DiscordFake; adapter: DiscordAdapter; delivered: InboundMessage[] }> {
  const fake = await startDiscordFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const adapter = new DiscordAdapter({ accountId: "default", token: fake.token, apiRoot: `${fake.url}/api` });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered };
}

const bytes = (size: number, fill = 3) => new Uint8Array(size).fill(fill);
const DM = "900000000000000001";
const USER = "700000000000000001";

describe("Discord attachments in the gateway's envelope", () => {
  it("maps an image, a voice message, an audio file, a video, a document and a sticker", async () => {
    const { fake, delivered } = await started();
    const image = fake.addAttachment(bytes(10), { filename: "cat.png", content_type: "image/png", width: 640, height: 480 });
    const voice = fake.addAttachment(bytes(5), { filename: "voice-message.ogg", content_type: "audio/ogg", duration_secs: 4.5, waveform: "AAAA" });
    const song = fake.addAttachment(bytes(6), { filename: "song.mp3", content_type: "audio/mpeg" });
    const video = fake.addAttachment(bytes(8), { filename: "clip.mp4", content_type: "video/mp4", width: 1280, height: 720 });
    const pdf = fake.addAttachment(bytes(4), { filename: "report.pdf", content_type: "application/pdf" });
    fake.message({ channelId: DM, authorId: USER, content: "look", attachments: [image] });
    fake.message({ channelId: DM, authorId: USER, content: "", attachments: [voice], flags: IS_VOICE_MESSAGE });
    fake.message({ channelId: DM, authorId: USER, content: "all of these", attachments: [song, video, pdf] });
    fake.message({ channelId: DM, authorId: USER, content: "", stickers: [{ id: "800000000000000001", name: "wave", format_type: 1 }] });
    await waitFor("four messages", () => delivered.length === 4);
    expect(delivered.map((message) => [message.text, message.media])).toEqual([
      ["look", [{ kind: "image", url: image.url, contentType: "image/png", sizeBytes: 10, fileName: "cat.png", width: 640, height: 480 }]],
      ["", [{ kind: "voice", url: voice.url, contentType: "audio/ogg", sizeBytes: 5, fileName: "voice-message.ogg", durationSec: 4.5 }]],
      [
        "all of these",
        [
          { kind: "audio", url: song.url, contentType: "audio/mpeg", sizeBytes: 6, fileName: "song.mp3" },
          { kind: "video", url: video.url, contentType: "video/mp4", sizeBytes: 8, fileName: "clip.mp4", width: 1280, height: 720 },
          { kind: "document", url: pdf.url, contentType: "application/pdf", sizeBytes: 4, fileName: "report.pdf" },
        ],
      ],
      ["", [{ kind: "sticker", fileName: "wave", contentType: "image/png", unavailable: "stickers are not downloaded" }]],
    ]);
  });
});

describe("downloading a Discord attachment", () => {
  it("fetches the CDN link without the bot token and keeps the attachment's content type", async () => {
    const { fake, adapter, delivered } = await started();
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    fake.message({ channelId: DM, authorId: USER, content: "", attachments: [fake.addAttachment(png, { filename: "a.png", content_type: "image/png" })] });
    await waitFor("the message", () => delivered.length === 1);
    const downloaded = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 });
    expect(downloaded).toEqual({ data: png, contentType: "image/png" });
    expect(fake.attachmentDownloads.map((download) => download.authorization)).toEqual([undefined]);
  });

  it("refuses an attachment over the cap by Discord's declared size, without requesting it", async () => {
    const { fake, adapter, delivered } = await started();
    fake.message({ channelId: DM, authorId: USER, content: "", attachments: [fake.addAttachment(bytes(2048), { filename: "big.bin" })] });
    await waitFor("the message", () => delivered.length === 1);
    const error = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).sizeBytes).toBe(2048);
    expect(fake.attachmentDownloads).toHaveLength(0);
  });

  it("stops reading an attachment whose declared size was too small once the bytes pass the cap", async () => {
    const { fake, adapter, delivered } = await started();
    const liar = fake.addAttachment(bytes(4096), { filename: "liar.bin" }, { declaredSize: 100 });
    fake.message({ channelId: DM, authorId: USER, content: "", attachments: [liar] });
    await waitFor("the message", () => delivered.length === 1);
    expect(delivered[0]!.media![0]!.sizeBytes).toBe(100);
    const error = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(fake.attachmentDownloads).toHaveLength(1);
  });

  it("says the link has expired when the CDN no longer has the attachment", async () => {
    const { fake, adapter } = await started();
    const gone = { kind: "document" as const, fileName: "old.pdf", url: `${fake.url}/attachments/1/2/old.pdf?ex=0` };
    await expect(adapter.downloadMedia(gone, { maxBytes: 1024 })).rejects.toThrow(
      "Discord's CDN answered HTTP 404 for old.pdf (attachment links expire about a day after the message)",
    );
    await expect(adapter.downloadMedia({ kind: "document", url: "file:///etc/passwd" }, { maxBytes: 1024 })).rejects.toThrow(/http\(s\)/);
  });
});
