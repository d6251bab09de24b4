import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { startWhatsAppFake, startWhatsAppMediaFake, waitFor, type WhatsAppFake } from "@openclaw/testing";
import { PHOTO, VOICE, startTranscription, startVisionGateway } from "./vision-gateway.js";

/**
 * The WhatsApp adapter on its fake socket through GatewayServer: files come from a local stand-in
 * for WhatsApp's media CDN, encrypted as WhatsApp encrypts them and decrypted by Baileys.
 */

const SENDER = "15557654321@s.whatsapp.net";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(settings: Record<string, unknown> = {}, messages?: Record<string, unknown>) {
  const whatsapp = startWhatsAppFake();
  const cdn = await startWhatsAppMediaFake();
  cleanups.push(() => cdn.close());
  const auth = mkdtempSync(join(tmpdir(), "openclaw-whatsapp-auth-"));
  cleanups.push(() => rmSync(auth, { recursive: true, force: true }));
  const channel = createWhatsAppChannel({ socketFactory: whatsapp.factory as unknown as SocketFactory });
  return { whatsapp, cdn, ...(await startVisionGateway("whatsapp", channel, { authDir: auth, ...settings }, cleanups, { messages })) };
}

async function nextReply(whatsapp: WhatsAppFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = whatsapp.sent.filter((entry) => entry.jid === SENDER);
    return sent.length > before && sent;
  });
  return String(replies[before]!.content["text"]);
}

describe("WhatsApp attachments through the gateway", () => {
  it("a photo with a caption reaches a vision model as an image", async () => {
    const { whatsapp, cdn, chatRequests } = await start();
    const imageMessage = { ...cdn.addMedia(PHOTO, "image"), mimetype: "image/jpeg", caption: "what is this?", width: 64, height: 64 };
    whatsapp.upsert([whatsapp.message({ from: SENDER, content: { imageMessage } })]);
    await nextReply(whatsapp, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);
    expect(cdn.fetches(imageMessage.url)).toBe(1);
  });

  it("a voice note is decrypted, transcribed, and reaches the model as a line with its transcript", async () => {
    const { speech, messages } = await startTranscription("Call the plumber at nine.", cleanups);
    const { whatsapp, cdn, chatRequests } = await start({}, messages);
    const audioMessage = { ...cdn.addMedia(VOICE, "audio"), mimetype: "audio/ogg; codecs=opus", ptt: true, seconds: 3 };
    whatsapp.upsert([whatsapp.message({ from: SENDER, content: { audioMessage } })]);
    await nextReply(whatsapp, 0);
    expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: '[voice note: audio/ogg; codecs=opus, 12 B, 3 s — transcript: "Call the plumber at nine."]',
    });
  });

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never fetched", async () => {
    const { whatsapp, cdn, chatRequests } = await start({ mediaMaxMb: 0.001 });
    const documentMessage = { ...cdn.addMedia(new Uint8Array(4096), "document"), mimetype: "application/pdf", fileName: "big.pdf" };
    whatsapp.upsert([whatsapp.message({ from: SENDER, content: { documentMessage } })]);
    const reply = await nextReply(whatsapp, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(cdn.fetches(documentMessage.url)).toBe(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
