import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { slackChannel } from "@openclaw/channel-slack";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startSlackFake, waitFor, type SlackFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const DM = "D0MEDIA001";
const USER = "U0MEDIA001";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A PNG header and a few bytes: the agent sends images by their first bytes, not the channel's word. */
const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

async function start(slackSettings: Record<string, unknown> = {}) {
  const slack = await startSlackFake();
  cleanups.push(() => slack.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-slack-media-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("slack-media-token-0123456789"),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { slack: async () => slackChannel },
      config: {
        slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, dmPolicy: "open", allowFrom: ["*"], ...slackSettings },
      },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Slack account to connect", () => gateway.channels!.snapshot().channels["slack"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { slack, chatRequests };
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
