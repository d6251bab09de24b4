import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startHttpFake, startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { SlackAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<{ fake: SlackFake; adapter: SlackAdapter; delivered: InboundMessage[] }> {
  const fake = await startSlackFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const adapter = new SlackAdapter({ accountId: "default", botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, pingTimeoutMs: 500 });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered };
}

const bytes = (size: number, fill = 7) => new Uint8Array(size).fill(fill);

describe("Slack files in the gateway's envelope", () => {
  it("maps an image, a recorded voice clip, an audio file, a video and a document, with sizes, dimensions and durations", async () => {
    const { fake, delivered } = await started();
    const image = fake.addFile(bytes(10), { name: "cat.png", mimetype: "image/png", filetype: "png", original_w: 640, original_h: 480 });
    const clip = fake.addFile(bytes(5), { name: "audio_message.webm", mimetype: "audio/webm", filetype: "webm", subtype: "slack_audio", duration_ms: 4200 });
    const song = fake.addFile(bytes(6), { name: "song.mp3", mimetype: "audio/mpeg", filetype: "mp3", duration_ms: 200_000 });
    const video = fake.addFile(bytes(8), { name: "clip.mp4", mimetype: "video/mp4", filetype: "mp4", original_w: 1280, original_h: 720, duration_ms: 3000 });
    const pdf = fake.addFile(bytes(4), { name: "report.pdf", mimetype: "application/pdf", filetype: "pdf" });
    fake.message({ channel: "D1", user: "U1", text: "look", files: [image] });
    fake.message({ channel: "D1", user: "U1", text: "", files: [clip] });
    fake.message({ channel: "D1", user: "U1", text: "all of these", files: [song, video, pdf] });
    await waitFor("three messages", () => delivered.length === 3);
    expect(delivered.map((message) => [message.text, message.media])).toEqual([
      ["look", [{ kind: "image", url: image.url_private_download, contentType: "image/png", sizeBytes: 10, fileName: "cat.png", width: 640, height: 480 }]],
      ["", [{ kind: "voice", url: clip.url_private_download, contentType: "audio/webm", sizeBytes: 5, fileName: "audio_message.webm", durationSec: 4.2 }]],
      [
        "all of these",
        [
          { kind: "audio", url: song.url_private_download, contentType: "audio/mpeg", sizeBytes: 6, fileName: "song.mp3", durationSec: 200 },
          {
            kind: "video",
            url: video.url_private_download,
            contentType: "video/mp4",
            sizeBytes: 8,
            fileName: "clip.mp4",
            durationSec: 3,
            width: 1280,
            height: 720,
          },
          { kind: "document", url: pdf.url_private_download, contentType: "application/pdf", sizeBytes: 4, fileName: "report.pdf" },
        ],
      ],
    ]);
  });

  it("keeps a deleted or external file in the envelope with the reason it cannot be fetched", async () => {
    const { fake, delivered } = await started();
    const gone = fake.addFile(bytes(3), { name: "old.txt", mode: "tombstone" });
    const linked = fake.addFile(bytes(3), { name: "Plan", mode: "external", is_external: true, external_type: "gdrive" });
    fake.message({ channel: "D1", user: "U1", text: "", files: [gone, linked] });
    await waitFor("the message", () => delivered.length === 1);
    expect(delivered[0]!.media!.map((fact) => [fact.fileName, fact.unavailable])).toEqual([
      ["old.txt", "the file was deleted"],
      ["Plan", "an external file (gdrive), not stored on Slack"],
    ]);
  });
});

describe("downloading a Slack file", () => {
  it("fetches the private URL with the bot token and keeps the file's own content type", async () => {
    const { fake, adapter, delivered } = await started();
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    fake.message({ channel: "D1", user: "U1", text: "", files: [fake.addFile(png, { name: "a.png", mimetype: "image/png" })] });
    await waitFor("the message", () => delivered.length === 1);
    const downloaded = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 });
    expect(downloaded).toEqual({ data: png, contentType: "image/png" });
    expect(fake.fileDownloads.map((download) => download.authorization)).toEqual([`Bearer ${fake.botToken}`]);
  });

  it("refuses a file over the cap by Slack's declared size, without requesting it", async () => {
    const { fake, adapter, delivered } = await started();
    fake.message({ channel: "D1", user: "U1", text: "", files: [fake.addFile(bytes(2048), { name: "big.bin" })] });
    await waitFor("the message", () => delivered.length === 1);
    const error = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).sizeBytes).toBe(2048);
    expect(fake.fileDownloads).toHaveLength(0);
  });

  it("stops reading a file whose declared size was too small once the bytes pass the cap", async () => {
    const { fake, adapter, delivered } = await started();
    fake.message({ channel: "D1", user: "U1", text: "", files: [fake.addFile(bytes(4096), { name: "liar.bin" }, { declaredSize: 100 })] });
    await waitFor("the message", () => delivered.length === 1);
    expect(delivered[0]!.media![0]!.sizeBytes).toBe(100);
    const error = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(fake.fileDownloads).toHaveLength(1);
  });

  it("never sends the bot token to another host a download is redirected to", async () => {
    const elsewhere = await startHttpFake(async (_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(Buffer.from("foreign bytes"));
    });
    cleanups.push(() => elsewhere.close());
    const { fake, adapter, delivered } = await started();
    fake.message({
      channel: "D1",
      user: "U1",
      text: "",
      files: [fake.addFile(bytes(3), { name: "moved.bin" }, { redirectTo: `${elsewhere.url}/cdn/moved.bin` })],
    });
    await waitFor("the message", () => delivered.length === 1);
    const downloaded = await adapter.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 });
    expect(Buffer.from(downloaded.data).toString()).toBe("foreign bytes");
    expect(fake.fileDownloads.map((download) => download.authorization)).toEqual([`Bearer ${fake.botToken}`]);
    expect(elsewhere.requests.map((request) => [request.path, request.headers.authorization])).toEqual([["/cdn/moved.bin", undefined]]);
  });

  it("refuses a file URL that is not on a Slack host before sending anything", async () => {
    const elsewhere = await startHttpFake(async (_request, response) => void response.end("x"));
    cleanups.push(() => elsewhere.close());
    const { adapter } = await started();
    await expect(adapter.downloadMedia({ kind: "document", url: `${elsewhere.url}/files-pri/x` }, { maxBytes: 1024 })).rejects.toThrow(/Slack host/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("says the token was not accepted when Slack answers with its sign-in page, and names a file Slack does not have", async () => {
    const { fake, adapter, delivered } = await started();
    fake.message({ channel: "D1", user: "U1", text: "", files: [fake.addFile(bytes(3), { name: "secret.txt", mimetype: "text/plain" })] });
    await waitFor("the message", () => delivered.length === 1);
    // Another app's token: Slack does not refuse it with an error status, it serves its sign-in page.
    const stranger = new SlackAdapter({ accountId: "other", botToken: "xoxb-another-app", appToken: fake.appToken, apiUrl: fake.apiUrl });
    await expect(stranger.downloadMedia(delivered[0]!.media![0]!, { maxBytes: 1024 })).rejects.toThrow(
      "Slack sent a sign-in page instead of secret.txt: the bot token was not accepted for it (check the app has the files:read scope)",
    );
    const missing = { kind: "document" as const, fileName: "gone.bin", url: `${fake.url}/files-pri/T0FAKE-F0NOPE/download/gone.bin` };
    await expect(adapter.downloadMedia(missing, { maxBytes: 1024 })).rejects.toThrow(
      "Slack answered HTTP 404 for gone.bin (check the app has the files:read scope)",
    );
  });
});
