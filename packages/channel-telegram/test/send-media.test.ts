import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelStartContext } from "@openclaw/channel-kit";
import { startTelegramFake, type TelegramFake } from "@openclaw/testing";
import { TelegramAdapter } from "../src/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<{ fake: TelegramFake; adapter: TelegramAdapter; dir: string }> {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  const adapter = new TelegramAdapter({ accountId: "default", token: fake.token, apiRoot: fake.apiRoot, polling: { timeoutSeconds: 1 } });
  cleanups.push(() => adapter.stop());
  const noop = () => undefined;
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async () => undefined,
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  const dir = mkdtempSync(join(tmpdir(), "telegram-send-media-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { fake, adapter, dir };
}

const base = { channel: "telegram", accountId: "default", chatId: "42", idempotencyKey: "k" };

describe("Telegram sendMedia", () => {
  it("uploads a local file with the method its content type calls for, with caption, reply and topic", async () => {
    const { fake, adapter, dir } = await started();
    const cases = [
      { contentType: "image/png", method: "sendPhoto", fileName: "chart.png" },
      { contentType: "audio/ogg", method: "sendVoice", fileName: "note.ogg" },
      { contentType: "audio/mpeg", method: "sendAudio", fileName: "song.mp3" },
      { contentType: "video/mp4", method: "sendVideo", fileName: "clip.mp4" },
      { contentType: "application/pdf", method: "sendDocument", fileName: "report.pdf" },
    ] as const;
    for (const [index, entry] of cases.entries()) {
      const path = join(dir, `file-${index}`);
      writeFileSync(path, Uint8Array.from([index, 1, 2, 3]));
      const receipt = await adapter.sendMedia({
        ...base,
        source: path,
        contentType: entry.contentType,
        fileName: entry.fileName,
        caption: `caption ${index}`,
        replyTo: "7",
        thread: "99",
      });
      expect(receipt.providerMessageIds).toEqual([String(fake.sentMedia[index]!.messageId)]);
    }
    expect(
      fake.sentMedia.map(({ method, chatId, caption, replyTo, threadId, bytes, fileName }) => ({
        method,
        chatId,
        caption,
        replyTo,
        threadId,
        bytes: [...bytes!],
        fileName,
      })),
    ).toEqual(
      cases.map((entry, index) => ({
        method: entry.method,
        chatId: "42",
        caption: `caption ${index}`,
        replyTo: 7,
        threadId: 99,
        bytes: [index, 1, 2, 3],
        fileName: entry.fileName,
      })),
    );
  });

  it("passes an http(s) URL for Telegram to fetch, and sends no caption when there is none", async () => {
    const { fake, adapter } = await started();
    await adapter.sendMedia({ ...base, source: "https://example.com/cat.jpg", contentType: "image/jpeg" });
    expect(fake.sentMedia).toHaveLength(1);
    expect(fake.sentMedia[0]).toMatchObject({ method: "sendPhoto", url: "https://example.com/cat.jpg" });
    expect(fake.sentMedia[0]!.caption).toBeUndefined();
    expect(fake.sentMedia[0]!.bytes).toBeUndefined();
  });

  it("classifies a refused upload like a refused text: 403 is permanent", async () => {
    const { fake, adapter, dir } = await started();
    const path = join(dir, "doc.txt");
    writeFileSync(path, "hello");
    fake.failSends({ status: 403 });
    const error = await adapter.sendMedia({ ...base, source: path, contentType: "text/plain" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).kind).toBe("permanent");
    expect(fake.sentMedia).toHaveLength(0);
  });
});
