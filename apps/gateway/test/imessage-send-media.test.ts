import { afterEach, describe, expect, it } from "vitest";
import { imessageChannel } from "@openclaw/channel-imessage";
import { startImessageFake } from "@openclaw/testing";
import { PHOTO } from "./vision-gateway.js";
import { startSendMediaGateway } from "./send-media-gateway.js";

const RECIPIENT = "+15550006666";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("send with a file through the gateway to iMessage", () => {
  it("the media store's copy reaches imsg as `file`, named as sent, with the caption as `text`", async () => {
    const imessage = await startImessageFake();
    cleanups.push(() => imessage.close());
    const { client, outboundFile } = await startSendMediaGateway("imessage", imessageChannel, { cliPath: imessage.cliPath }, cleanups);
    const path = outboundFile("chart.png", PHOTO);
    const result = await client.call("send", { channel: "imessage", to: RECIPIENT, message: "this week", mediaUrl: path, idempotencyKey: "imessage-file-1" });
    expect(imessage.sent).toHaveLength(1);
    const sent = imessage.sent[0]!;
    expect(sent).toMatchObject({ chatId: RECIPIENT, text: "this week", file: expect.stringMatching(/\/imessage\/outbound\/default\/[^/]+\/chart\.png$/) });
    expect(sent.file).not.toBe(path);
    expect([...sent.fileBytes!]).toEqual([...PHOTO]);
    expect(result).toMatchObject({ messageId: sent.guid, channel: "imessage", chatId: RECIPIENT });
  });
});
