import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { imessageChannel } from "@openclaw/channel-imessage";
import { imsgAttachment, startImessageFake, waitFor, type ImessageFake } from "@openclaw/testing";
import { PHOTO, startTranscription, startVisionGateway } from "./vision-gateway.js";

/** The iMessage adapter against the fake imsg through GatewayServer; "the Mac's" attachment files are in a temp folder. */

const SENDER = "+15550005555";
const CHAT = 21;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(settings: Record<string, unknown> = {}, messages?: Record<string, unknown>) {
  const imessage = await startImessageFake();
  cleanups.push(() => imessage.close());
  const attachments = mkdtempSync(join(tmpdir(), "openclaw-imsg-attachments-"));
  cleanups.push(() => rmSync(attachments, { recursive: true, force: true }));
  const settingsWithFake = { cliPath: imessage.cliPath, includeAttachments: true, attachmentRoots: [attachments], ...settings };
  /** Writes a file where Messages would keep it, and answers its path. */
  const file = (relative: string, bytes: Uint8Array) => {
    const path = join(attachments, relative);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  return { imessage, file, ...(await startVisionGateway("imessage", imessageChannel, settingsWithFake, cleanups, { messages })) };
}

async function nextReply(imessage: ImessageFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = imessage.sent.filter((entry) => entry.chatId === String(CHAT));
    return sent.length > before && sent;
  });
  return replies[before]!.text;
}

describe("iMessage attachments through the gateway", () => {
  it("a photo with a message reaches a vision model as an image, read from the Messages attachments folder", async () => {
    const { imessage, file, chatRequests } = await start();
    const path = file("ab/01/GUID-PHOTO/IMG_0042.png", PHOTO);
    imessage.message({ chatId: CHAT, sender: SENDER, text: "what is this?", attachments: [imsgAttachment(path, { mimeType: "image/png" })] });
    await nextReply(imessage, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);
  });

  it("a voice memo imsg converted to m4a is transcribed as audio/mp4 under an .m4a name and reaches the model with its transcript", async () => {
    const { speech, messages } = await startTranscription("Bring the blue folder.", cleanups);
    const { imessage, file, chatRequests } = await start({}, messages);
    const caf = file("cd/02/GUID-VOICE/Audio Message.caf", Uint8Array.from([0x63, 0x61, 0x66, 0x66, 0, 1]));
    const m4a = Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x4d, 0x34, 0x41, 0x20]);
    const converted = { path: file("converted/Audio-Message-0123456789abcdef.m4a", m4a), mimeType: "audio/mp4" };
    imessage.message({ chatId: CHAT, sender: SENDER, text: "", attachments: [imsgAttachment(caf, { mimeType: "audio/x-caf", converted })] });
    await nextReply(imessage, 0);
    expect(speech.uploads.map((upload) => ({ file: [...upload.file], fileName: upload.fileName }))).toEqual([
      { file: [...m4a], fileName: "Audio Message.m4a" },
    ]);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: '[audio: Audio Message.m4a, audio/mp4, 12 B — transcript: "Bring the blue folder."]',
    });
  });

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never reaches the model", async () => {
    const { imessage, file, chatRequests } = await start({ mediaMaxMb: 0.001 });
    const path = file("ef/03/GUID-BIG/big.pdf", new Uint8Array(4096));
    imessage.message({ chatId: CHAT, sender: SENDER, text: "", attachments: [imsgAttachment(path, { mimeType: "application/pdf" })] });
    const reply = await nextReply(imessage, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(chatRequests()).toHaveLength(0);
  });

  it("a file outside attachmentRoots reaches the model as not stored, with the reason", async () => {
    const { imessage, chatRequests } = await start();
    const elsewhere = mkdtempSync(join(tmpdir(), "openclaw-imsg-elsewhere-"));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const path = join(elsewhere, "notes.txt");
    writeFileSync(path, "private");
    imessage.message({ chatId: CHAT, sender: SENDER, text: "read this", attachments: [imsgAttachment(path, { mimeType: "text/plain" })] });
    await nextReply(imessage, 0);
    expect(chatRequests()[0]!.messages.at(-1)!.content).toMatch(
      /^read this\n\[document: notes\.txt, text\/plain, 7 B — not stored: download failed: refused to read .*notes\.txt: it is outside the attachment folders; add its folder to channels\.imessage\.attachmentRoots to allow it\]$/,
    );
  });
});
