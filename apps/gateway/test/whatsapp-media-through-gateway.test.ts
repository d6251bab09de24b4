import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startWhatsAppFake, startWhatsAppMediaFake, waitFor, type WhatsAppFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

/**
 * The WhatsApp adapter on its fake socket through GatewayServer: files come from a local stand-in
 * for WhatsApp's media CDN, encrypted as WhatsApp encrypts them and decrypted by Baileys.
 */

const SENDER = "15557654321@s.whatsapp.net";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A PNG header and a few bytes: the agent sends images by their first bytes. */
const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

async function start(settings: Record<string, unknown> = {}) {
  const whatsapp = startWhatsAppFake();
  const cdn = await startWhatsAppMediaFake();
  cleanups.push(() => cdn.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-whatsapp-media-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const channel = createWhatsAppChannel({ socketFactory: whatsapp.factory as unknown as SocketFactory });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("whatsapp-media-token-0123456789"),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { whatsapp: async () => channel },
      config: { whatsapp: { authDir: join(home, "auth"), dmPolicy: "open", allowFrom: ["*"], ...settings } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the WhatsApp account to connect", () => gateway.channels!.snapshot().channels["whatsapp"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { whatsapp, cdn, chatRequests };
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
