import { afterEach, describe, expect, it } from "vitest";
import { signalChannel } from "@openclaw/channel-signal";
import { startSignalFake, waitFor, type SignalFake } from "@openclaw/testing";
import { PHOTO, VOICE, startTranscription, startVisionGateway } from "./vision-gateway.js";

/** The Signal adapter against the fake signal-cli daemon through GatewayServer. */

const SENDER = "+15550004444";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(settings: Record<string, unknown> = {}, messages?: Record<string, unknown>) {
  const signal = await startSignalFake();
  cleanups.push(() => signal.close());
  return {
    signal,
    ...(await startVisionGateway("signal", signalChannel, { account: signal.account, transport: { url: signal.url }, ...settings }, cleanups, { messages })),
  };
}

async function nextReply(signal: SignalFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = signal.sent.filter((entry) => entry.recipient === SENDER);
    return sent.length > before && sent;
  });
  return replies[before]!.message;
}

describe("Signal attachments through the gateway", () => {
  it("a photo with a message reaches a vision model as an image", async () => {
    const { signal, chatRequests } = await start();
    signal.message({ from: SENDER, text: "what is this?", attachments: [{ data: PHOTO, contentType: "image/jpeg", width: 64, height: 64 }] });
    await nextReply(signal, 0);
    const user = chatRequests()[0]!.messages.at(-1)!;
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO).toString("base64")}` } },
    ]);
    expect(signal.mediaReads.map((read) => read.method)).toEqual(["getAttachment"]);
  });

  it("a recorded voice message (audio to signal-cli, which has no voice flag) is transcribed and reaches the model with its transcript", async () => {
    const { speech, messages } = await startTranscription("Running ten minutes late.", cleanups);
    const { signal, chatRequests } = await start({}, messages);
    signal.message({ from: SENDER, text: "", attachments: [{ data: VOICE, contentType: "audio/aac" }] });
    await nextReply(signal, 0);
    expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({ role: "user", content: '[audio: audio/aac, 12 B — transcript: "Running ten minutes late."]' });
  });

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never fetched", async () => {
    const { signal, chatRequests } = await start({ mediaMaxMb: 0.001 });
    signal.message({ from: SENDER, text: "", attachments: [{ data: new Uint8Array(4096), contentType: "application/pdf", filename: "big.pdf" }] });
    const reply = await nextReply(signal, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(signal.mediaReads).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
