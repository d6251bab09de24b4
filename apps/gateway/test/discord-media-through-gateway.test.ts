import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { discordChannel } from "@openclaw/channel-discord";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startDiscordFake, startOpenAiFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const DM = "900000000000000077";
const USER = "700000000000000077";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A PNG header and a few bytes: the agent sends images by their first bytes, not the channel's word. */
const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 5, 6, 7, 8]);

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

async function start(discordSettings: Record<string, unknown> = {}) {
  const discord = await startDiscordFake();
  cleanups.push(() => discord.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-discord-media-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("discord-media-token-0123456789"),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { discord: async () => discordChannel },
      config: { discord: { token: discord.token, apiRoot: `${discord.url}/api`, dmPolicy: "open", allowFrom: ["*"], ...discordSettings } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Discord account to connect", () => gateway.channels!.snapshot().channels["discord"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { discord, chatRequests };
}

async function nextReply(discord: DiscordFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = discord.sent.filter((entry) => entry.channelId === DM);
    return sent.length > before && sent;
  });
  return replies[before]!.content;
}

describe("Discord attachments through the gateway", () => {
  it("an image attachment reaches a vision model as an image; a sticker as a line saying it was not downloaded", async () => {
    const { discord, chatRequests } = await start();
    const image = discord.addAttachment(PHOTO, { filename: "screenshot.png", content_type: "image/png", width: 800, height: 600 }, { channelId: DM });
    discord.message({ channelId: DM, authorId: USER, content: "what is this?", attachments: [image] });
    await nextReply(discord, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.role).toBe("user");
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);
    expect(discord.attachmentDownloads.map((download) => download.authorization)).toEqual([undefined]);

    discord.message({ channelId: DM, authorId: USER, content: "", stickers: [{ id: "800000000000000002", name: "wave", format_type: 1 }] });
    await nextReply(discord, 1);
    expect(chatRequests()[1]!.messages.at(-1)!.content).toBe("[sticker: wave, image/png — not stored: stickers are not downloaded]");
  });

  it("an attachment over the chat's mediaMaxMb is refused with a reply naming the limit, and never reaches the model", async () => {
    const { discord, chatRequests } = await start({ mediaMaxMb: 0.001 });
    const pdf = discord.addAttachment(new Uint8Array(4096), { filename: "big.pdf", content_type: "application/pdf" }, { channelId: DM });
    discord.message({ channelId: DM, authorId: USER, content: "", attachments: [pdf] });
    const reply = await nextReply(discord, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(discord.attachmentDownloads).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
