import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import { telegramChannel } from "@openclaw/channel-telegram";
import { GatewayServer, createLogger, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startTelegramFake, startTranscriptionFake, waitFor, type TelegramFake, type TranscriptionFakeStep } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const TOKEN = "telegram-voice-token-0123456789";
const USER = 6161;
const API_KEY = "sk-transcribe-secret-0123456789";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The start of an Ogg page and a few bytes: what the fake must receive untouched. */
const VOICE = Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44, 0xfe, 0xff]);

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
}

async function start(
  transcriptionScript: readonly TranscriptionFakeStep[],
  telegramSettings: Record<string, unknown> = {},
  options: { readonly transcriptionAtStart?: boolean; readonly maxMb?: number } = {},
) {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const speech = await startTranscriptionFake({ script: transcriptionScript, apiKey: API_KEY });
  cleanups.push(() => speech.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-telegram-voice-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    file: join(home, "gateway.log"),
    stdout: "json",
    stdoutStream: { write: (chunk) => lines.push(JSON.parse(chunk) as Record<string, unknown>) },
  });
  cleanups.push(() => log.close());
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url });
  const channels = {
    telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 }, dmPolicy: "open", allowFrom: ["*"], ...telegramSettings },
  };
  const transcription = { baseUrl: `${speech.url}/v1`, model: "whisper-1", apiKey: API_KEY, ...(options.maxMb !== undefined ? { maxMb: options.maxMb } : {}) };
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    logger: log.logger,
    auth: tokenAuth(TOKEN),
    agent: { resolveModel: () => ({ provider, model: "text-model" }), listModels: async () => [] },
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: channels,
      messages: options.transcriptionAtStart === false ? {} : { transcription },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  const chatRequests = () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest);
  return { telegram, speech, chatRequests, lines, gateway, channels, transcription };
}

async function nextReply(telegram: TelegramFake, before: number): Promise<string> {
  const replies = await waitFor("a reply", () => {
    const sent = telegram.sent.filter((entry) => entry.chatId === String(USER));
    return sent.length > before && sent;
  });
  return replies[before]!.text;
}

function sendVoice(telegram: TelegramFake): void {
  const voice = telegram.addFile(VOICE, { duration: 4, mime_type: "audio/ogg" });
  telegram.inject({ chatId: USER, from: { id: USER, first_name: "Ann" }, text: "", extra: { voice } });
}

describe("Telegram voice notes are transcribed through the gateway", () => {
  it("the transcription server gets exactly the voice bytes, and the model reads the transcript on the voice line", { timeout: 30_000 }, async () => {
    const { telegram, speech, chatRequests } = await start([{ kind: "text", text: "Remind me to buy milk." }]);
    sendVoice(telegram);
    await nextReply(telegram, 0);

    expect(speech.uploads).toHaveLength(1);
    const upload = speech.uploads[0]!;
    expect(upload.file).toEqual(VOICE);
    expect(upload.fileName).toBe("audio.ogg");
    expect(upload.fields["model"]).toBe("whisper-1");
    expect(upload.authorization).toBe(`Bearer ${API_KEY}`);
    const [request] = chatRequests();
    expect(request!.messages.at(-1)).toEqual({ role: "user", content: '[voice note: audio/ogg, 12 B, 4 s — transcript: "Remind me to buy milk."]' });
  });

  it(
    "a failing transcription server leaves the voice line without a transcript, the run still happens, and the gateway warns",
    { timeout: 30_000 },
    async () => {
      const { telegram, speech, chatRequests, lines } = await start([{ kind: "error", status: 500, message: "decoder crashed" }]);
      sendVoice(telegram);
      await nextReply(telegram, 0);

      expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
      expect(chatRequests()[0]!.messages.at(-1)).toEqual({ role: "user", content: "[voice note: audio/ogg, 12 B, 4 s]" });
      const warning = lines.find((line) => line["message"] === "voice note not transcribed; the agent gets it without a transcript");
      expect(warning).toMatchObject({
        level: "warn",
        channel: "telegram",
        kind: "voice",
        reason: expect.stringContaining("answered HTTP 500: decoder crashed") as unknown,
      });
      expect(JSON.stringify(lines)).not.toContain(API_KEY);
    },
  );

  it("a voice note over maxMb is not sent; the agent gets it without a transcript and the gateway says why", { timeout: 30_000 }, async () => {
    // 10 bytes: the 12-byte voice note is over it.
    const { telegram, speech, chatRequests, lines } = await start([{ kind: "text", text: "never asked" }], {}, { maxMb: 10 / (1024 * 1024) });
    sendVoice(telegram);
    await nextReply(telegram, 0);

    expect(speech.requests).toHaveLength(0);
    expect(chatRequests()[0]!.messages.at(-1)).toEqual({ role: "user", content: "[voice note: audio/ogg, 12 B, 4 s]" });
    const warning = lines.find((line) => line["message"] === "voice note not transcribed; the agent gets it without a transcript");
    expect(warning).toMatchObject({ level: "warn", reason: "the file is 12 B, over the 10 B transcription limit" });
  });

  it("turning transcription on in a running gateway applies to the next voice note, without reconnecting", { timeout: 30_000 }, async () => {
    const { telegram, speech, chatRequests, gateway, channels, transcription } = await start(
      [{ kind: "text", text: "now it works" }],
      {},
      { transcriptionAtStart: false },
    );
    sendVoice(telegram);
    await nextReply(telegram, 0);
    expect(speech.requests).toHaveLength(0);

    const applied = await gateway.reconfigure({ channels: { config: channels, dmScope: "main", messages: { transcription } } });
    expect(applied.channels).toMatchObject({ restarted: [] });
    sendVoice(telegram);
    await nextReply(telegram, 1);
    expect(speech.uploads.map((upload) => upload.file)).toEqual([VOICE]);
    expect(chatRequests().map((request) => request.messages.at(-1)!.content)).toEqual([
      "[voice note: audio/ogg, 12 B, 4 s]",
      '[voice note: audio/ogg, 12 B, 4 s — transcript: "now it works"]',
    ]);
  });

  it("a voice note from a sender the DM policy has not approved is never transcribed", { timeout: 30_000 }, async () => {
    const { telegram, speech, chatRequests } = await start([{ kind: "text", text: "should not be asked" }], { dmPolicy: "pairing", allowFrom: [] });
    sendVoice(telegram);
    const reply = await nextReply(telegram, 0);

    expect(reply).toMatch(/pairing code/);
    expect(speech.requests).toHaveLength(0);
    expect(chatRequests()).toHaveLength(0);
  });
});
