import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { telegramChannel } from "@openclaw/channel-telegram";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { PHOTO, startVisionGateway, type ChatRequest } from "./vision-gateway.js";

const TOKEN = "telegram-media-token-0123456789";
const USER = 5151;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(telegramSettings: Record<string, unknown> = {}) {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const settings = { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 }, ...telegramSettings };
  return { telegram, ...(await startVisionGateway("telegram", telegramChannel, settings, cleanups)) };
}

async function nextReply(telegram: TelegramFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = telegram.sent.filter((entry) => entry.chatId === String(USER));
    return sent.length > before && sent;
  });
  return replies[before]!.text;
}

describe("Telegram attachments through the gateway", () => {
  it("a photo with a caption reaches a vision model as an image, and chat.history shows it stored", async () => {
    const { telegram, gateway, chatRequests } = await start();
    telegram.inject({ chatId: USER, from: { id: USER, first_name: "Ann" }, text: "what is this?", photo: true, photoBytes: PHOTO });
    await nextReply(telegram, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.role).toBe("user");
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);

    const client = await connectNode({ url: `ws://127.0.0.1:${gateway.port}`, token: TOKEN, identity: createNodeIdentity(), reconnect: false });
    cleanups.push(() => client.close());
    const history = await client.call("chat.history", { sessionKey: "agent:main:main" });
    const asked = history.messages.find((message) => message.role === "user");
    const sha256 = createHash("sha256").update(PHOTO).digest("hex");
    expect(asked?.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "media", media: { kind: "image", mime: "image/jpeg", sizeBytes: PHOTO.byteLength, width: 800, height: 800, sha256 } },
    ]);
  });

  it("a voice note, a location and a contact reach the model as lines describing them", { timeout: 30_000 }, async () => {
    const { telegram, chatRequests } = await start();
    const voice = telegram.addFile(Uint8Array.from([1, 2, 3]), { duration: 7, mime_type: "audio/ogg" });
    telegram.inject({ chatId: USER, from: { id: USER }, text: "", extra: { voice } });
    await nextReply(telegram, 0);
    telegram.inject({ chatId: USER, from: { id: USER }, text: "", extra: { location: { latitude: 48.8566, longitude: 2.3522 } } });
    await nextReply(telegram, 1);
    telegram.inject({ chatId: USER, from: { id: USER }, text: "", extra: { contact: { phone_number: "+15551234567", first_name: "Ada" } } });
    await nextReply(telegram, 2);
    const lastUser = (request: ChatRequest) => request.messages.at(-1)!.content;
    const [first, second, third] = chatRequests().map(lastUser);
    expect(first).toMatch(/^\[voice note: audio\/ogg, 3 B, 7 s\]$/);
    expect(second).toMatch(/^\[location: 48\.8566, 2\.3522\]$/);
    expect(third).toMatch(/^\[contact: Ada, \+15551234567\]$/);
  });

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never reaches the model", async () => {
    const { telegram, chatRequests } = await start({ mediaMaxMb: 0.001 });
    const document = telegram.addFile(new Uint8Array(4096), { mime_type: "application/pdf", file_name: "big.pdf" });
    telegram.inject({ chatId: USER, from: { id: USER }, text: "", extra: { document } });
    const reply = await nextReply(telegram, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(telegram.calls("getFile")).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
