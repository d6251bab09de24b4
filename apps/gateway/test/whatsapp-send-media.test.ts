import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { startWhatsAppFake } from "@openclaw/testing";
import { startSendMediaGateway } from "./send-media-gateway.js";

const CHAT = "15557650000@s.whatsapp.net";
const PDF = Uint8Array.from(Buffer.from("%PDF-1.4\nminutes\n%%EOF\n"));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One second of a 440 Hz tone as 16-bit mono PCM WAV: audio ffmpeg can decode. */
function toneWav(): Uint8Array {
  const rate = 8000;
  const samples = Buffer.alloc(rate * 2);
  for (let index = 0; index < rate; index += 1) samples.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * index) / rate) * 8000), index * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length, 40);
  return new Uint8Array(Buffer.concat([header, samples]));
}

async function start(ffmpegPath?: string) {
  const whatsapp = startWhatsAppFake();
  const auth = mkdtempSync(join(tmpdir(), "openclaw-whatsapp-send-auth-"));
  cleanups.push(() => rmSync(auth, { recursive: true, force: true }));
  const channel = createWhatsAppChannel({ socketFactory: whatsapp.factory as unknown as SocketFactory, ...(ffmpegPath !== undefined ? { ffmpegPath } : {}) });
  return { whatsapp, ...(await startSendMediaGateway("whatsapp", channel, { authDir: auth }, cleanups)) };
}

describe("send with a file through the gateway to WhatsApp", () => {
  it("a PDF goes as a document with its bytes, name, type and caption, quoting the message named by replyToId", async () => {
    const { whatsapp, client, outboundFile } = await start();
    const path = outboundFile("minutes.pdf", PDF);
    const result = await client.call("send", {
      channel: "whatsapp",
      to: CHAT,
      message: "the minutes",
      mediaUrl: path,
      replyToId: "3EB0QUOTED01",
      idempotencyKey: "wa-file-1",
    });
    expect(whatsapp.sent).toHaveLength(1);
    const sent = whatsapp.sent[0]!;
    expect(sent).toMatchObject({
      jid: CHAT,
      quotedId: "3EB0QUOTED01",
      content: { mimetype: "application/pdf", fileName: "minutes.pdf", caption: "the minutes" },
    });
    expect(sent.media?.kind).toBe("document");
    expect([...sent.media!.bytes]).toEqual([...PDF]);
    expect(result).toMatchObject({ messageId: sent.id, channel: "whatsapp", chatId: CHAT });
  });

  it("audio that is not Ogg/Opus goes as a document when ffmpeg is missing", async () => {
    const { whatsapp, client, outboundFile } = await start("/nonexistent/bin/ffmpeg");
    const wav = toneWav();
    await client.call("send", { channel: "whatsapp", to: CHAT, message: "a tone", mediaUrl: outboundFile("tone.wav", wav), idempotencyKey: "wa-audio-1" });
    expect(whatsapp.sent).toHaveLength(1);
    const sent = whatsapp.sent[0]!;
    expect(sent.content).toMatchObject({ mimetype: "audio/wav", fileName: "tone.wav", caption: "a tone" });
    expect(sent.content["ptt"]).toBeUndefined();
    expect(sent.media?.kind).toBe("document");
    expect([...sent.media!.bytes]).toEqual([...wav]);
  });

  // ffmpeg is one of the test packages (tooling/system/ensure-test-packages.sh): without it this fails, never skips.
  describe("with ffmpeg on PATH", () => {
    it("audio that is not Ogg/Opus is converted to an Ogg/Opus voice note and sent with ptt, the caption as a text before it", async () => {
      const { whatsapp, client, outboundFile } = await start();
      await client.call("send", {
        channel: "whatsapp",
        to: CHAT,
        message: "a tone",
        mediaUrl: outboundFile("tone.wav", toneWav()),
        idempotencyKey: "wa-voice-1",
      });
      expect(whatsapp.sent.map((entry) => entry.content["text"])).toEqual(["a tone", undefined]);
      const voice = whatsapp.sent[1]!;
      expect(voice.content).toMatchObject({ mimetype: "audio/ogg; codecs=opus", ptt: true });
      expect(voice.media?.kind).toBe("audio");
      const bytes = Buffer.from(voice.media!.bytes);
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("OggS");
      expect(bytes.includes(Buffer.from("OpusHead"))).toBe(true);
    });
  });
});
