import { afterEach, describe, expect, it } from "vitest";
import { slackChannel } from "@openclaw/channel-slack";
import { startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { PHOTO, VOICE, startTranscription, startVisionGateway } from "./vision-gateway.js";

const DM = "D0MEDIA001";
const USER = "U0MEDIA001";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(slackSettings: Record<string, unknown> = {}, messages?: Record<string, unknown>) {
  const slack = await startSlackFake();
  cleanups.push(() => slack.close());
  const settings = { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, ...slackSettings };
  return { slack, ...(await startVisionGateway("slack", slackChannel, settings, cleanups, { messages })) };
}

async function nextReply(slack: SlackFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = slack.sent.filter((entry) => entry.channel === DM);
    return sent.length > before && sent;
  });
  return replies[before]!.text;
}

describe("Slack files through the gateway", () => {
  it("an image shared in a DM reaches a vision model as an image, downloaded with the bot token", async () => {
    const { slack, chatRequests } = await start();
    const image = slack.addFile(PHOTO, { name: "screenshot.png", mimetype: "image/png", filetype: "png", original_w: 800, original_h: 600 });
    slack.message({ channel: DM, user: USER, text: "what is this?", files: [image] });
    await nextReply(slack, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.role).toBe("user");
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);
    expect(slack.fileDownloads.map((download) => download.authorization)).toEqual([`Bearer ${slack.botToken}`]);
  });

  it("an audio clip recorded in Slack is transcribed and reaches the model as a voice line with its transcript", async () => {
    const { speech, messages } = await startTranscription("Ship it on Friday.", cleanups);
    const { slack, chatRequests } = await start({}, messages);
    const clip = slack.addFile(VOICE, { name: "audio_message.webm", mimetype: "audio/webm", filetype: "webm", subtype: "slack_audio", duration_ms: 5000 });
    slack.message({ channel: DM, user: USER, text: "", files: [clip] });
    await nextReply(slack, 0);
    expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: '[voice note: audio_message.webm, audio/webm, 12 B, 5 s — transcript: "Ship it on Friday."]',
    });
  });

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never reaches the model", async () => {
    const { slack, chatRequests } = await start({ mediaMaxMb: 0.001 });
    const pdf = slack.addFile(new Uint8Array(4096), { name: "big.pdf", mimetype: "application/pdf", filetype: "pdf" });
    slack.message({ channel: DM, user: USER, text: "", files: [pdf] });
    const reply = await nextReply(slack, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(slack.fileDownloads).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
