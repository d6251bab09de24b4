// One channel and a vision model behind a real GatewayServer: what the channel media tests share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, startTranscriptionFake, waitFor, type FakeServer } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

/** A PNG header and a few bytes: the agent sends images by their first bytes, not the channel's word. */
export const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);

/** A `/chat/completions` body as the fake model received it. */
export interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

/** The start of an Ogg page and a few bytes: a voice note the transcription fake must receive untouched. */
export const VOICE = Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44, 0xfe, 0xff]);

/**
 * A transcription fake that answers `transcript` once, and the `messages` section that points a
 * gateway at it. Stopped by `cleanups`.
 */
export async function startTranscription(transcript: string, cleanups: (() => Promise<void> | void)[]) {
  const apiKey = "sk-transcribe-secret-0123456789";
  const speech = await startTranscriptionFake({ script: [{ kind: "text", text: transcript }], apiKey });
  cleanups.push(() => speech.close());
  return { speech, messages: { transcription: { baseUrl: `${speech.url}/v1`, model: "whisper-1", apiKey } } };
}

export interface VisionGateway {
  readonly gateway: GatewayServer;
  readonly model: FakeServer;
  /** The state dir (the media store is under it). */
  readonly home: string;
  /** Every chat completion the model was asked for, oldest first. */
  chatRequests(): ChatRequest[];
}

/**
 * A gateway running one channel (`settings` are its `channels.<id>` section, open to every DM) whose
 * model is an OpenAI fake echoing the last user message, as `vision-model`, which takes images.
 * `options.messages` is the config's `messages` section (transcription, for one).
 * Everything it starts is stopped by `cleanups`, in reverse order.
 */
export async function startVisionGateway(
  channel: string,
  definition: ChannelDefinition,
  settings: Record<string, unknown>,
  cleanups: (() => Promise<void> | void)[],
  options: { readonly messages?: Record<string, unknown> } = {},
): Promise<VisionGateway> {
  const model = await startOpenAiFake({ script: [], afterScript: "echo" });
  cleanups.push(() => model.close());
  const home = mkdtempSync(join(tmpdir(), `openclaw-${channel}-media-`));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = createOpenAiCompatibleProvider({ baseUrl: model.url, modelInput: { "vision-model": ["text", "image"] } });
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(`${channel}-media-token-0123456789`),
    agent: { resolveModel: () => ({ provider, model: "vision-model" }), listModels: async () => [] },
    channels: {
      loaders: { [channel]: async () => definition },
      config: { [channel]: { dmPolicy: "open", allowFrom: ["*"], ...settings } },
      ...(options.messages ? { messages: options.messages } : {}),
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor(`the ${channel} account to connect`, () => gateway.channels!.snapshot().channels[channel]?.accounts[0]?.connected);
  return {
    gateway,
    model,
    home,
    chatRequests: () => model.requests.filter((request) => request.path.endsWith("/chat/completions")).map((request) => request.body as ChatRequest),
  };
}
