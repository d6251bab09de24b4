import type { InboundMedia } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { MAX_MODEL_IMAGE_BYTES, describeAttachment, formatBytes, prepareAttachments, sniffImageMime, withAttachmentLines } from "./attachments.js";

const SHA = "a".repeat(64);
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3);
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0);
const GIF = new TextEncoder().encode("GIF89a....");
const WEBP = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");

describe("describeAttachment", () => {
  it("an image: file name, type, size, dimensions and caption", () => {
    const image: InboundMedia = { kind: "image", fileName: "photo.jpg", mime: "image/jpeg", sizeBytes: 122_880, width: 800, height: 600, caption: "look" };
    expect(describeAttachment(image)).toBe('[image: photo.jpg, image/jpeg, 120 KB, 800×600 — caption: "look"]');
  });

  it("a sticker with nothing but its kind", () => {
    expect(describeAttachment({ kind: "sticker" })).toBe("[sticker]");
  });

  it("a voice note: duration and transcript", () => {
    expect(describeAttachment({ kind: "voice", durationSec: 12.4, transcript: "call me back" })).toBe('[voice note: 12 s — transcript: "call me back"]');
  });

  it("an audio file", () => {
    expect(describeAttachment({ kind: "audio", fileName: "song.mp3", mime: "audio/mpeg", sizeBytes: 3_500_000, durationSec: 201 })).toBe(
      "[audio: song.mp3, audio/mpeg, 3.3 MB, 201 s]",
    );
  });

  it("a video: dimensions and duration", () => {
    expect(describeAttachment({ kind: "video", mime: "video/mp4", sizeBytes: 900, width: 1280, height: 720, durationSec: 7 })).toBe(
      "[video: video/mp4, 900 B, 1280×720, 7 s]",
    );
  });

  it("a document that was not stored says why", () => {
    const document: InboundMedia = {
      kind: "document",
      fileName: "report.pdf",
      mime: "application/pdf",
      sizeBytes: 2_200_000,
      unavailable: "larger than the 5 MB limit",
    };
    expect(describeAttachment(document)).toBe("[document: report.pdf, application/pdf, 2.1 MB — not stored: larger than the 5 MB limit]");
  });

  it("a location with its place name and address", () => {
    expect(describeAttachment({ kind: "location", location: { latitude: 48.8566, longitude: 2.3522, name: "Louvre" } })).toBe(
      "[location: 48.8566, 2.3522 (Louvre)]",
    );
    expect(describeAttachment({ kind: "location", location: { latitude: -33.9, longitude: 151.2, name: "Opera", address: "Bennelong Point" } })).toBe(
      "[location: -33.9, 151.2 (Opera, Bennelong Point)]",
    );
  });

  it("a contact with its phone numbers", () => {
    expect(describeAttachment({ kind: "contact", contact: { name: "Ada", phones: ["+15551234567", "+15557654321"] } })).toBe(
      "[contact: Ada, +15551234567, +15557654321]",
    );
  });

  it("quotes captions and transcripts so their quotes and newlines stay inside the line", () => {
    expect(describeAttachment({ kind: "image", caption: 'say "hi"\nthen go' })).toBe('[image — caption: "say \\"hi\\"\\nthen go"]');
  });
});

describe("formatBytes and withAttachmentLines", () => {
  it("bytes under 1 KB, whole KB under 1 MB, one decimal above", () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1024), formatBytes(1_048_575), formatBytes(1_048_576)]).toEqual([
      "0 B",
      "1023 B",
      "1 KB",
      "1024 KB",
      "1.0 MB",
    ]);
  });

  it("puts the lines under the text, or alone when there is no text", () => {
    expect(withAttachmentLines("hi", ["[a]", "[b]"])).toBe("hi\n[a]\n[b]");
    expect(withAttachmentLines("", ["[a]"])).toBe("[a]");
    expect(withAttachmentLines("hi", [])).toBe("hi");
  });
});

describe("sniffImageMime", () => {
  it("knows JPEG, PNG, GIF and WebP by their first bytes and nothing else", () => {
    expect([JPEG, PNG, GIF, WEBP].map(sniffImageMime)).toEqual(["image/jpeg", "image/png", "image/gif", "image/webp"]);
    expect(sniffImageMime(new TextEncoder().encode("%PDF-1.7"))).toBeUndefined();
    expect(sniffImageMime(new Uint8Array())).toBeUndefined();
  });
});

describe("prepareAttachments", () => {
  const files = new Map<string, Uint8Array>([[SHA, PNG]]);
  const loadMedia = (sha256: string) => Promise.resolve(files.get(sha256));

  it("sends a stored image as an image, typed by its bytes, and describes the rest", async () => {
    const prepared = await prepareAttachments(
      [
        { kind: "image", mime: "image/jpeg", sha256: SHA },
        { kind: "voice", durationSec: 3 },
      ],
      { sendImages: true, loadMedia },
    );
    expect(prepared).toEqual({ images: [{ mime: "image/png", data: PNG }], lines: ["[voice note: 3 s]"] });
  });

  it("describes every image when the model takes none", async () => {
    const prepared = await prepareAttachments([{ kind: "image", fileName: "a.png", sha256: SHA }], { sendImages: false, loadMedia });
    expect(prepared).toEqual({ images: [], lines: ["[image: a.png]"] });
  });

  it("falls back to a text line for an image that is missing, unreadable, not an image, too large, or not stored", async () => {
    const big = new Uint8Array(MAX_MODEL_IMAGE_BYTES + 1);
    big.set(JPEG);
    const stored = new Map<string, Uint8Array>([
      ["b".repeat(64), new TextEncoder().encode("%PDF-1.7")],
      ["c".repeat(64), big],
    ]);
    const load = (sha256: string) => (sha256 === "d".repeat(64) ? Promise.reject(new Error("disk gone")) : Promise.resolve(stored.get(sha256)));
    const attachments: InboundMedia[] = [
      { kind: "image", fileName: "missing.jpg", sha256: "e".repeat(64) },
      { kind: "image", fileName: "broken.jpg", sha256: "d".repeat(64) },
      { kind: "sticker", fileName: "doc.webp", sha256: "b".repeat(64) },
      { kind: "image", fileName: "huge.jpg", sha256: "c".repeat(64) },
      { kind: "image", fileName: "capped.jpg", unavailable: "too large" },
    ];
    const prepared = await prepareAttachments(attachments, { sendImages: true, loadMedia: load });
    expect(prepared.images).toEqual([]);
    expect(prepared.lines).toEqual([
      "[image: missing.jpg]",
      "[image: broken.jpg]",
      "[sticker: doc.webp]",
      "[image: huge.jpg]",
      "[image: capped.jpg — not stored: too large]",
    ]);
  });

  it("describes images when there is no way to load them", async () => {
    expect(await prepareAttachments([{ kind: "image", sha256: SHA }], { sendImages: true })).toEqual({ images: [], lines: ["[image]"] });
  });
});
