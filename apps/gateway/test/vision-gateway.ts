// One channel and a vision model behind a real GatewayServer: what the channel media tests share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAiCompatibleProvider } from "@openclaw/agent";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { startOpenAiFake, waitFor, type FakeServer } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

/** A PNG header and a few bytes: the agent sends images by their first bytes, not the channel's word. */
export const PHOTO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);

/** A `/chat/completions` body as the fake model received it. */
export interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
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
 * Everything it starts is stopped by `cleanups`, in reverse order.
 */
export async function startVisionGateway(
  channel: string,
  definition: ChannelDefinition,
  settings: Record<string, unknown>,
  cleanups: (() => Promise<void> | void)[],
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
