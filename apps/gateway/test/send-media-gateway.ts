// One channel behind a real GatewayServer with a connected client, and a folder `send` may read
// files from: what the tests of sending files to each channel share.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelDefinition } from "@openclaw/channel-kit";
import { GatewayServer, openMemoryStore } from "@openclaw/gateway-core";
import type { GatewayClient } from "@openclaw/client";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import { waitFor } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

export interface SendMediaGateway {
  readonly gateway: GatewayServer;
  readonly client: GatewayClient;
  /** Writes `bytes` as `<stateDir>/outbound/<name>` (a folder `send` may read) and answers its path. */
  outboundFile(name: string, bytes: Uint8Array): string;
}

/** A gateway running one channel account (`settings` are its `channels.<id>` section); stopped by `cleanups`, in reverse order. */
export async function startSendMediaGateway(
  channel: string,
  definition: ChannelDefinition,
  settings: Record<string, unknown>,
  cleanups: (() => Promise<void> | void)[],
): Promise<SendMediaGateway> {
  const token = `${channel}-send-media-token-0123456789`;
  const home = mkdtempSync(join(tmpdir(), `openclaw-${channel}-send-media-`));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, "outbound"));
  const store = openMemoryStore();
  cleanups.push(() => store.close());
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(token),
    channels: { loaders: { [channel]: async () => definition }, config: { [channel]: settings }, env: {}, stateDir: home },
  });
  await gateway.start();
  cleanups.push(() => gateway.stop());
  await waitFor(`the ${channel} account to connect`, () => gateway.channels!.snapshot().channels[channel]?.accounts[0]?.connected);
  const client = await connectNode({ url: `ws://127.0.0.1:${gateway.port}`, token, identity: createNodeIdentity(), reconnect: false });
  cleanups.push(() => client.close());
  return {
    gateway,
    client,
    outboundFile(name, bytes) {
      const path = join(home, "outbound", name);
      writeFileSync(path, bytes);
      return path;
    },
  };
}
