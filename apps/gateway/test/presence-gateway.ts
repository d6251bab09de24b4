import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import { GatedProvider, lastUser, waitFor } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

/** A gateway for chat-presence tests: one channel, a model the test holds, and typing timers it can count. */

export const PRESENCE_TOKEN = "presence-gateway-token-0123456789";

export type Cleanups = (() => Promise<void> | void)[];

/** setInterval/clearInterval that keep the set of intervals still live, so a test can prove none is left. */
export function countingTimers() {
  const live = new Set<NodeJS.Timeout>();
  return {
    live,
    setInterval: (callback: () => void, ms: number) => {
      const timer = setInterval(callback, ms);
      live.add(timer);
      return timer;
    },
    clearInterval: (timer: NodeJS.Timeout) => {
      live.delete(timer);
      clearInterval(timer);
    },
  };
}

export interface PresenceSetup {
  readonly channel: string;
  readonly definition: ChannelDefinition;
  readonly config: Record<string, unknown>;
  readonly messages?: { ackReaction?: string; ackReactionScope?: "all" | "direct" | "group-all" | "group-mentions" };
}

/** Starts the gateway and waits for the channel's account to connect; everything it opens goes on `cleanups`. */
export async function startPresenceGateway(setup: PresenceSetup, cleanups: Cleanups) {
  const home = mkdtempSync(join(tmpdir(), "openclaw-presence-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const provider = new GatedProvider((request) => [`Echo: ${lastUser(request)}`]);
  const timers = countingTimers();
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(PRESENCE_TOKEN),
    agent: { resolveModel: () => ({ provider, model: "test-model" }), listModels: async () => [] },
    channels: {
      loaders: { [setup.channel]: async () => setup.definition },
      config: { [setup.channel]: setup.config },
      ...(setup.messages ? { messages: setup.messages } : {}),
      presence: { typingRefreshMs: 25, timers },
      env: {},
      stateDir: home,
    },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor(`the ${setup.channel} account to connect`, () => gateway.channels!.snapshot().channels[setup.channel]?.accounts[0]?.connected);
  return { gateway, provider, timers };
}
