import { afterEach, describe, expect, it } from "vitest";
import { discordChannel } from "@openclaw/channel-discord";
import { startDiscordFake, waitFor, type DiscordFake } from "@openclaw/testing";
import { PHOTO, VOICE, startTranscription, startVisionGateway } from "./vision-gateway.js";

const DM = "900000000000000077";
const USER = "700000000000000077";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(discordSettings: Record<string, unknown> = {}, messages?: Record<string, unknown>) {
  const discord = await startDiscordFake();
  cleanups.push(() => discord.close());
  const settings = { token: discord.token, apiRoot: `${discord.url}/api`, ...discordSettings };
  return { discord, ...(await startVisionGateway("discord", discordChannel, settings, cleanups, { messages })) };
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

  it("a recorded voice message is transcribed and reaches the model as a voice line with its transcript", async () => {
    const { speech, messages } = await startTranscription("Meet at the north entrance.", cleanups);
    const { discord, chatRequests } = await start({}, messages);
    const voice = discord.addAttachment(
      VOICE,
      { filename: "voice-message.ogg", content_type: "audio/ogg", duration_secs: 2.5, waveform: "AAAA" },
      { channelId: DM },
    );
    discord.message({ channelId: DM, authorId: USER, content: "", attachments: [voice], flags: 1 << 13 });
    await nextReply(discord, 0);
    expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: '[voice note: voice-message.ogg, audio/ogg, 12 B, 3 s — transcript: "Meet at the north entrance."]',
    });
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
