import { afterEach, describe, expect, it } from "vitest";
import { discordChannel } from "@openclaw/channel-discord";
import { startDiscordFake } from "@openclaw/testing";
import { startSendMediaGateway } from "./send-media-gateway.js";

const CHANNEL = "900000000000000123";
const PDF = Uint8Array.from(Buffer.from("%PDF-1.4\nthe report\n%%EOF\n"));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("send with a file through the gateway to Discord", () => {
  it("a file reaches Discord as a multipart message create: its bytes and name as files[0], the caption as content, the reply as its reference", async () => {
    const discord = await startDiscordFake();
    cleanups.push(() => discord.close());
    const { client, outboundFile } = await startSendMediaGateway("discord", discordChannel, { token: discord.token, apiRoot: `${discord.url}/api` }, cleanups);
    const path = outboundFile("report.pdf", PDF);
    const result = await client.call("send", {
      channel: "discord",
      to: CHANNEL,
      message: "the report",
      mediaUrl: path,
      replyToId: "800000000000000005",
      idempotencyKey: "discord-file-1",
    });
    expect(discord.sent).toHaveLength(1);
    const sent = discord.sent[0]!;
    expect(sent).toMatchObject({ channelId: CHANNEL, content: "the report" });
    expect(sent.body["message_reference"]).toMatchObject({ message_id: "800000000000000005" });
    expect(sent.files.map(({ field, filename, contentType }) => ({ field, filename, contentType }))).toEqual([
      { field: "files[0]", filename: "report.pdf", contentType: "application/pdf" },
    ]);
    expect(Buffer.from(sent.files[0]!.bytes).equals(Buffer.from(PDF))).toBe(true);
    expect(result).toMatchObject({ messageId: sent.messageId, channel: "discord", chatId: CHANNEL });
  });

  it("a file over Discord's 10 MiB default upload limit is refused before anything is posted", async () => {
    const discord = await startDiscordFake();
    cleanups.push(() => discord.close());
    const settings = { token: discord.token, apiRoot: `${discord.url}/api`, mediaMaxMb: 20 };
    const { client, outboundFile } = await startSendMediaGateway("discord", discordChannel, settings, cleanups);
    const path = outboundFile("big.bin", new Uint8Array(10 * 1024 * 1024 + 1));
    await expect(client.call("send", { channel: "discord", to: CHANNEL, mediaUrl: path, idempotencyKey: "discord-big" })).rejects.toThrow(
      /over the 10 MB limit of discord \(the adapter's own limit\)/,
    );
    expect(discord.attempts).toHaveLength(0);
  });
});
