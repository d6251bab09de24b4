import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { telegramChannel } from "@openclaw/channel-telegram";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import { startOpenAiFake, startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const TOKEN = "telegram-media-token-0123456789";
const USER = 5151;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A PNG header and a few bytes: the agent sends images by their first bytes, not the channel's word. */
const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

async function start(telegramSettings: Record<string, unknown> = {}) {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-telegram-media-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(TOKEN),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: {
        telegram: {
          botToken: telegram.token,
          apiRoot: telegram.apiRoot,
          polling: { timeoutSeconds: 1 },
          dmPolicy: "open",
          allowFrom: ["*"],
          ...telegramSettings,
        },
      },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { telegram, gateway, chatRequests, home };
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
