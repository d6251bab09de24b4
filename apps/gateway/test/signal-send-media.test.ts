import { afterEach, describe, expect, it } from "vitest";
import { signalChannel } from "@openclaw/channel-signal";
import { startSignalFake } from "@openclaw/testing";
import { startSendMediaGateway } from "./send-media-gateway.js";

const RECIPIENT = "+15550007777";
const OGG = Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("send with a file through the gateway to Signal", () => {
  it("the media store's copy reaches signal-cli inline as base64, with its name, type and the caption as the message", async () => {
    const signal = await startSignalFake();
    cleanups.push(() => signal.close());
    const { client, outboundFile } = await startSendMediaGateway(
      "signal",
      signalChannel,
      { account: signal.account, transport: { url: signal.url } },
      cleanups,
    );
    const path = outboundFile("note.ogg", OGG);
    const result = await client.call("send", { channel: "signal", to: RECIPIENT, message: "listen", mediaUrl: path, idempotencyKey: "signal-file-1" });
    expect(signal.sent).toHaveLength(1);
    const sent = signal.sent[0]!;
    expect(sent).toMatchObject({ recipient: RECIPIENT, message: "listen" });
    expect(sent.attachments.map(({ contentType, filename, size, path: given }) => ({ contentType, filename, size, given }))).toEqual([
      { contentType: "audio/ogg", filename: "note.ogg", size: OGG.byteLength, given: undefined },
    ]);
    expect([...sent.attachments[0]!.data!]).toEqual([...OGG]);
    expect(result).toMatchObject({ messageId: String(sent.timestamp), channel: "signal", chatId: RECIPIENT });
  });
});
