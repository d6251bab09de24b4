import { afterEach, describe, expect, it } from "vitest";
import { slackChannel } from "@openclaw/channel-slack";
import { startSlackFake } from "@openclaw/testing";
import { startSendMediaGateway } from "./send-media-gateway.js";

const CHANNEL = "C0SENDMEDIA1";
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 5, 6, 7, 8]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("send with a file through the gateway to Slack", () => {
  it("a file is uploaded in three steps and shared into the thread, the caption as its initial comment", async () => {
    const slack = await startSlackFake();
    cleanups.push(() => slack.close());
    const settings = { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl };
    const { client, outboundFile } = await startSendMediaGateway("slack", slackChannel, settings, cleanups);
    const path = outboundFile("chart.png", PNG);
    const result = await client.call("send", {
      channel: "slack",
      to: CHANNEL,
      message: "the chart",
      mediaUrl: path,
      threadId: "1700000000.000100",
      idempotencyKey: "slack-file-1",
    });
    expect(slack.uploads).toHaveLength(1);
    const upload = slack.uploads[0]!;
    expect(upload).toMatchObject({
      filename: "chart.png",
      length: PNG.byteLength,
      channel: CHANNEL,
      initialComment: "the chart",
      threadTs: "1700000000.000100",
    });
    expect([...upload.bytes]).toEqual([...PNG]);
    expect(result).toMatchObject({ messageId: upload.ts, channel: "slack", chatId: CHANNEL });
    expect(slack.sent).toHaveLength(0);
  });

  it("a file without a caption is shared with no initial comment", async () => {
    const slack = await startSlackFake();
    cleanups.push(() => slack.close());
    const settings = { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl };
    const { client } = await startSendMediaGateway("slack", slackChannel, settings, cleanups);
    await client.call("send", {
      channel: "slack",
      to: "D0SENDMEDIA2",
      buffer: Buffer.from(PNG).toString("base64"),
      filename: "dot.png",
      idempotencyKey: "slack-file-2",
    });
    expect(slack.uploads.map(({ filename, channel, initialComment, threadTs }) => ({ filename, channel, initialComment, threadTs }))).toEqual([
      { filename: "dot.png", channel: "D0SENDMEDIA2", initialComment: undefined, threadTs: undefined },
    ]);
    expect([...slack.uploads[0]!.bytes]).toEqual([...PNG]);
  });
});
