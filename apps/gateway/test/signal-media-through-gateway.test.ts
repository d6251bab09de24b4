import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { signalChannel } from "@openclaw/channel-signal";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startSignalFake, waitFor, type SignalFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

/** The Signal adapter against the fake signal-cli daemon through GatewayServer. */

const SENDER = "+15550004444";
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
  const signal = await startSignalFake();
  cleanups.push(() => signal.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-signal-media-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("signal-media-token-0123456789"),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { signal: async () => signalChannel },
      config: { signal: { account: signal.account, transport: { url: signal.url }, dmPolicy: "open", allowFrom: ["*"], ...settings } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Signal account to connect", () => gateway.channels!.snapshot().channels["signal"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { signal, chatRequests };
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

  it("a file over the chat's mediaMaxMb is refused with a reply naming the limit, and never fetched", async () => {
    const { signal, chatRequests } = await start({ mediaMaxMb: 0.001 });
    signal.message({ from: SENDER, text: "", attachments: [{ data: new Uint8Array(4096), contentType: "application/pdf", filename: "big.pdf" }] });
    const reply = await nextReply(signal, 0);
    expect(reply).toBe("I can't open big.pdf (4 KB): files in this chat can be at most 1 KB.");
    expect(signal.mediaReads).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
