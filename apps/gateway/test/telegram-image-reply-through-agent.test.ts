import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { telegramChannel } from "@openclaw/channel-telegram";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startTelegramFake, waitFor, type OpenAiFakeStep } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const USER = 5252;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PHOTO_IN = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 1, 1, 1]);
const PHOTO_OUT = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 2, 2, 2, 2]);

interface ChatRequest {
  messages: { role: string; content: unknown; tool_call_id?: string }[];
}

const sendCall = (args: Record<string, unknown>): OpenAiFakeStep => ({
  kind: "tool_calls",
  calls: [{ id: "call-send", name: "send", argumentChunks: [JSON.stringify(args)] }],
});

async function start(script: OpenAiFakeStep[]) {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const model = await startOpenAiFake({ script });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-image-reply-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth("image-reply-token-0123456789"),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 }, dmPolicy: "open", allowFrom: ["*"] } },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { telegram, chatRequests, home };
}

describe("an agent answering a Telegram photo with a photo", () => {
  it("the model's send tool call with a media URL reaches the chat as a photo with its caption, then the model's text", async () => {
    const server = createServer((_request, response) => response.writeHead(200, { "content-type": "image/jpeg" }).end(PHOTO_OUT));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/drawn.jpg`;
    const { telegram, chatRequests } = await start([
      sendCall({ to: String(USER), message: "here is one drawn for you", media: url }),
      { kind: "text", chunks: ["Sent you a picture."] },
    ]);
    telegram.inject({ chatId: USER, from: { id: USER, first_name: "Ann" }, text: "draw me one like this", photo: true, photoBytes: PHOTO_IN });
    await waitFor("the text reply after the photo", () => telegram.sent.length === 1);
    expect(chatRequests()[0]!.messages.at(-1)!.content).toEqual([
      { type: "text", text: "draw me one like this" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO_IN).toString("base64")}` } },
    ]);
    expect(telegram.sentMedia).toHaveLength(1);
    expect(telegram.sentMedia[0]).toMatchObject({ method: "sendPhoto", chatId: String(USER), caption: "here is one drawn for you", fileName: "drawn.jpg" });
    expect([...telegram.sentMedia[0]!.bytes!]).toEqual([...PHOTO_OUT]);
    expect(telegram.sent[0]!.text).toBe("Sent you a picture.");
    const toolResult = chatRequests()[1]!.messages.find((message) => message.role === "tool");
    expect(toolResult?.content).toBe(`sent on telegram to ${USER} (message id ${telegram.sentMedia[0]!.messageId})`);
  });

  it("a tool call naming a file outside the allowed folders is refused, and the model is told why", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "openclaw-image-reply-elsewhere-"));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    writeFileSync(join(elsewhere, "private.jpg"), PHOTO_OUT);
    const { telegram, chatRequests } = await start([
      sendCall({ to: String(USER), message: "look", media: join(elsewhere, "private.jpg") }),
      { kind: "text", chunks: ["I could not send that file."] },
    ]);
    telegram.inject({ chatId: USER, from: { id: USER }, text: "send me the private picture" });
    await waitFor("the text reply", () => telegram.sent.length === 1);
    expect(telegram.sentMedia).toHaveLength(0);
    const toolResult = chatRequests()[1]!.messages.find((message) => message.role === "tool");
    expect(toolResult?.content).toMatch(/^send failed: media path .*private\.jpg is outside the folders send may read from/);
  });
});
