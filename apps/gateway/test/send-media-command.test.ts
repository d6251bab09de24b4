import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { runCli, startGatewayIn } from "./helpers.js";

const TOKEN = "send-media-cmd-token-0123456789";
const USER = 7171;
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 5, 5]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A home whose gateway runs the Telegram fake's bot, running. */
async function gatewayWithTelegram(): Promise<{ home: string; telegram: TelegramFake }> {
  const telegram = await startTelegramFake();
  cleanups.push(() => telegram.close());
  const home = mkdtempSync(join(tmpdir(), "openclaw-send-media-cmd-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  const config = {
    gateway: { auth: { token: TOKEN } },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 } } },
  };
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  const running = await startGatewayIn(home);
  cleanups.push(() => running.stop());
  await waitFor("the Telegram account to connect", () => running.server.channels?.snapshot().channels["telegram"]?.accounts[0]?.connected);
  return { home, telegram };
}

describe("openclaw send --media", () => {
  it("uploads a file from this machine, and it reaches the chat as a photo with the message as its caption", async () => {
    const { home, telegram } = await gatewayWithTelegram();
    writeFileSync(join(home, "photo.jpg"), JPEG);
    const { out, error } = await runCli(home, "send", "--channel", "telegram", "--to", String(USER), "--media", "photo.jpg", "--message", "from the CLI");
    expect(error).toBeUndefined();
    expect(out).toMatch(/^Sent \S+ via telegram\n$/);
    expect(telegram.sentMedia).toHaveLength(1);
    expect(telegram.sentMedia[0]).toMatchObject({ method: "sendPhoto", chatId: String(USER), caption: "from the CLI", fileName: "photo.jpg" });
    expect([...telegram.sentMedia[0]!.bytes!]).toEqual([...JPEG]);
  });

  it("says what is wrong with a missing file, or with neither a message nor a file, and sends nothing", async () => {
    const { home, telegram } = await gatewayWithTelegram();
    const missing = await runCli(home, "send", "--to", String(USER), "--media", "nope.jpg");
    expect(missing.error?.message).toBe("--media nope.jpg: no such file");
    const empty = await runCli(home, "send", "--to", String(USER));
    expect(empty.error?.message).toBe("send needs --message, --media or both");
    expect(telegram.sentMedia).toHaveLength(0);
    expect(telegram.sent).toHaveLength(0);
  });
});
