import { describe, expect, it } from "vitest";
import { attachmentLabel, hasThumbnail, mediaOfMessage } from "./attachments.js";
import { ChatTranscript } from "./transcript.js";

const SHA = "a".repeat(64);

describe("attachments in WebChat", () => {
  it("reads a history message's media parts, leaving text parts to the text", () => {
    const message = {
      role: "user",
      content: [
        { type: "text", text: "look" },
        { type: "media", media: { kind: "image", mime: "image/png", sha256: SHA } },
        { type: "media", media: null },
      ],
    };
    expect(mediaOfMessage(message)).toEqual([{ kind: "image", mime: "image/png", sha256: SHA }]);
    expect(mediaOfMessage({ role: "user", content: "plain" })).toEqual([]);
  });

  it("describes each kind in one line", () => {
    expect(attachmentLabel({ kind: "document", fileName: "report.pdf", mime: "application/pdf", sizeBytes: 2_200_000 })).toBe(
      "📄 report.pdf · application/pdf · 2.1 MB",
    );
    expect(attachmentLabel({ kind: "voice", sizeBytes: 900, durationSec: 7.4, transcript: "call me" })).toBe("🎤 voice note · 900 B · 7 s · “call me”");
    expect(attachmentLabel({ kind: "location", location: { latitude: 48.8606, longitude: 2.3376, name: "Louvre" } })).toBe("📍 48.8606, 2.3376 (Louvre)");
    expect(attachmentLabel({ kind: "contact", contact: { name: "Ada", phones: ["+15551234567"] } })).toBe("👤 Ada · +15551234567");
    expect(attachmentLabel({ kind: "image", fileName: "big.jpg", unavailable: "larger than this chat's 1 KB limit" })).toBe(
      "🖼 big.jpg · not stored: larger than this chat's 1 KB limit",
    );
  });

  it("draws thumbnails only for stored images in a type browsers show", () => {
    expect(hasThumbnail({ kind: "image", mime: "image/jpeg", sha256: SHA })).toBe(true);
    expect(hasThumbnail({ kind: "sticker", mime: "image/webp", sha256: SHA })).toBe(true);
    expect(hasThumbnail({ kind: "image", mime: "image/jpeg" })).toBe(false);
    expect(hasThumbnail({ kind: "image", mime: "image/tiff", sha256: SHA })).toBe(false);
    expect(hasThumbnail({ kind: "document", mime: "image/png", sha256: SHA })).toBe(false);
  });

  it("keeps history's attachments on the entries, and knows when a sent file is not stored yet", () => {
    const transcript = new ChatTranscript();
    transcript.addUserMessage("run-1", "", 1, [{ kind: "image", mime: "image/png", fileName: "dot.png", sizeBytes: 9 }]);
    expect(transcript.hasUnstoredMedia("run-1")).toBe(true);
    transcript.replaceHistory({
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "" }, { type: "media", media: { kind: "image", mime: "image/png", sha256: SHA } } as never],
          id: "1",
          runId: "run-1",
        } as never,
      ],
    });
    expect(transcript.entries[0]?.media).toEqual([{ kind: "image", mime: "image/png", sha256: SHA }]);
    expect(transcript.hasUnstoredMedia("run-1")).toBe(false);
  });
});
