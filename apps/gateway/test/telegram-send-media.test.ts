import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { telegramChannel } from "@openclaw/channel-telegram";
import { GatewayServer, openStore } from "@openclaw/gateway-core";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { tokenAuth } from "./helpers.js";

const TOKEN = "telegram-send-media-token-0123456789";
const CHAT = "6161";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 9, 8, 7, 6]);

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A gateway with one Telegram account on the fake, its state (SQLite and media) in `home`. */
async function startGateway(telegram: TelegramFake, home: string, settings: Record<string, unknown> = {}, sendWaitMs = 5_000) {
  const store = openStore(join(home, "state.sqlite"));
  const gateway = new GatewayServer({
    port: 0,
    version: "0.0.0-test",
    store,
    auth: tokenAuth(TOKEN),
    channels: {
      loaders: { telegram: async () => telegramChannel },
      config: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 }, ...settings } },
      env: {},
      stateDir: home,
      sendWaitMs,
    },
  });
  await gateway.start();
  const stop = async () => {
    await gateway.stop();
    store.close();
  };
  cleanups.push(stop);
  await waitFor("the Telegram account to connect", () => gateway.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
  const client = await connectNode({ url: `ws://127.0.0.1:${gateway.port}`, token: TOKEN, identity: createNodeIdentity(), reconnect: false });
  cleanups.push(() => client.close());
  return { gateway, client, stop };
}

async function setup(settings: Record<string, unknown> = {}, sendWaitMs?: number) {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const home = tempDir("openclaw-send-media-");
  const outbound = join(home, "outbound");
  mkdirSync(outbound);
  return { telegram, home, outbound, ...(await startGateway(telegram, home, settings, sendWaitMs)) };
}

/** A local HTTP server that serves `bytes` at /cat.png. */
async function serveFile(bytes: Uint8Array, type = "image/png"): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url !== "/cat.png") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": type, "content-length": bytes.byteLength }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cat.png`;
}

describe("send with a file through the gateway to Telegram", () => {
  it("a URL is downloaded and reaches Telegram as an uploaded photo with the message as its caption", async () => {
    const { telegram, client } = await setup();
    const url = await serveFile(PNG);
    const result = await client.call("send", { to: CHAT, message: "a cat", mediaUrl: url, idempotencyKey: "url-1" });
    expect(telegram.sentMedia).toHaveLength(1);
    const sent = telegram.sentMedia[0]!;
    expect(sent).toMatchObject({ method: "sendPhoto", chatId: CHAT, caption: "a cat", fileName: "cat.png" });
    expect([...sent.bytes!]).toEqual([...PNG]);
    expect(result).toMatchObject({ runId: "url-1", messageId: String(sent.messageId), channel: "telegram", chatId: CHAT });
    expect(telegram.sent).toHaveLength(0);
  });

  it("a file in <stateDir>/outbound is sent as a photo, replying to the message named by replyToId", async () => {
    const { telegram, client, outbound } = await setup();
    writeFileSync(join(outbound, "chart.png"), PNG);
    await client.call("send", { to: CHAT, message: "the chart", mediaUrl: join(outbound, "chart.png"), replyToId: "77", idempotencyKey: "path-1" });
    expect(telegram.sentMedia.map(({ method, caption, replyTo, fileName }) => ({ method, caption, replyTo, fileName }))).toEqual([
      { method: "sendPhoto", caption: "the chart", replyTo: 77, fileName: "chart.png" },
    ]);
    expect([...telegram.sentMedia[0]!.bytes!]).toEqual([...PNG]);
  });

  it("paths outside the allowed folders are refused: elsewhere, through ../ and through a symlink", async () => {
    const { telegram, client, outbound, home } = await setup();
    const elsewhere = tempDir("openclaw-send-media-elsewhere-");
    writeFileSync(join(elsewhere, "secret.png"), PNG);
    writeFileSync(join(home, "beside.png"), PNG);
    symlinkSync(join(elsewhere, "secret.png"), join(outbound, "link.png"));
    const attempts = [join(elsewhere, "secret.png"), `${outbound}/../beside.png`, join(outbound, "link.png")];
    for (const [index, path] of attempts.entries()) {
      await expect(client.call("send", { to: CHAT, message: "x", mediaUrl: path, idempotencyKey: `outside-${index}` })).rejects.toThrow(
        /is outside the folders send may read from/,
      );
    }
    await expect(client.call("send", { to: CHAT, message: "x", mediaUrl: "relative/file.png", idempotencyKey: "relative" })).rejects.toThrow(
      /must be absolute/,
    );
    expect(telegram.sentMedia).toHaveLength(0);
    expect(telegram.attempts).toHaveLength(0);
  });

  it("a file over the account's mediaMaxMb is refused before anything is sent, naming the limit", async () => {
    const { telegram, client, outbound } = await setup({ mediaMaxMb: 0.001 });
    writeFileSync(join(outbound, "big.png"), new Uint8Array(4096));
    await expect(client.call("send", { to: CHAT, message: "big", mediaUrl: join(outbound, "big.png"), idempotencyKey: "big-path" })).rejects.toThrow(
      /is 4 KB, over the 1 KB limit of telegram account default \(channels\.telegram\.mediaMaxMb\)/,
    );
    const url = await serveFile(new Uint8Array(4096));
    await expect(client.call("send", { to: CHAT, message: "big", mediaUrl: url, idempotencyKey: "big-url" })).rejects.toThrow(/over the 1 KB limit/);
    await expect(client.call("send", { to: CHAT, buffer: Buffer.from(new Uint8Array(4096)).toString("base64"), idempotencyKey: "big-buffer" })).rejects.toThrow(
      /over the 1 KB limit/,
    );
    expect(telegram.attempts).toHaveLength(0);
  });

  it("bytes sent as base64 are stored, and a stored file can be sent again by sha256:<hex>", async () => {
    const { telegram, client } = await setup();
    await client.call("send", { to: CHAT, buffer: Buffer.from(PNG).toString("base64"), filename: "dot.png", idempotencyKey: "buffer-1" });
    const sha256 = createHash("sha256").update(PNG).digest("hex");
    await client.call("send", { to: CHAT, message: "again", mediaUrl: `sha256:${sha256}`, idempotencyKey: "sha-1" });
    await expect(client.call("send", { to: CHAT, mediaUrl: `sha256:${"0".repeat(64)}`, idempotencyKey: "sha-2" })).rejects.toThrow(
      /no file with sha256 0{64} in the gateway's media store/,
    );
    expect(telegram.sentMedia.map(({ method, caption, fileName }) => ({ method, caption, fileName }))).toEqual([
      { method: "sendPhoto", caption: undefined, fileName: "dot.png" },
      { method: "sendPhoto", caption: "again", fileName: "file.png" },
    ]);
    expect(telegram.sentMedia.map((entry) => [...entry.bytes!])).toEqual([[...PNG], [...PNG]]);
  });

  it("a file accepted while the account is stopped is sent exactly once after a restart, from the stored copy", async () => {
    // `send` answers "queued" quickly while the account is stopped.
    const { telegram, client, outbound, home, stop, gateway } = await setup({}, 200);
    const accounts = gateway.channels!.accounts;
    await accounts.stop(accounts.find("telegram")[0]!);
    writeFileSync(join(outbound, "later.png"), PNG);
    const call = client.call("send", { to: CHAT, message: "later", mediaUrl: join(outbound, "later.png"), idempotencyKey: "restart-1" });
    await expect(call).rejects.toThrow(/not delivered yet/);
    await stop();
    // The original is gone: the restarted gateway must send the media store's copy.
    rmSync(join(outbound, "later.png"));
    const restarted = await startGateway(telegram, home);
    await waitFor("the photo after the restart", () => telegram.sentMedia.length === 1);
    const again = await restarted.client.call("send", { to: CHAT, message: "later", mediaUrl: join(outbound, "later.png"), idempotencyKey: "restart-1" });
    expect(again.messageId).toBe(String(telegram.sentMedia[0]!.messageId));
    expect(telegram.sentMedia).toHaveLength(1);
    expect(telegram.sentMedia[0]).toMatchObject({ method: "sendPhoto", caption: "later", fileName: "later.png" });
    expect([...telegram.sentMedia[0]!.bytes!]).toEqual([...PNG]);
  });
});
