import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startOpenAiFake, startTelegramFake, waitFor } from "@openclaw/testing";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const USER = 6161;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PHOTO_IN = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 7, 7, 7, 7]);
const PHOTO_OUT = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 9, 9, 9, 9]);

describe("a photo conversation with the real gateway binary on the Telegram fake", () => {
  it("a photo in reaches the vision model as an image, and the reply carries a photo out, then text", { timeout: 60_000 }, async () => {
    const telegram = await startTelegramFake();
    cleanups.push(() => telegram.close());
    const images = createServer((_request, response) => response.writeHead(200, { "content-type": "image/jpeg" }).end(PHOTO_OUT));
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => images.close(() => resolve())));
    const drawn = `http://127.0.0.1:${(images.address() as AddressInfo).port}/drawn.jpg`;
    const model = await startOpenAiFake({
      script: [
        {
          kind: "tool_calls",
          calls: [{ id: "call-1", name: "send", argumentChunks: [JSON.stringify({ to: String(USER), message: "one like yours", media: drawn })] }],
        },
        { kind: "text", chunks: ["Sent you a drawing."] },
      ],
    });
    cleanups.push(() => model.close());

    const home = mkdtempSync(join(tmpdir(), "openclaw-photo-e2e-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    mkdirSync(join(home, ".openclaw"), { recursive: true });
    const config = {
      gateway: { mode: "local", port: await freePort(), auth: { mode: "token", token: "photo-e2e-token-0123456789abcdef" } },
      agents: { defaults: { model: "vision/eyes", heartbeat: { enabled: false } } },
      models: {
        providers: { vision: { api: "openai-compatible", baseUrl: `${model.url}/v1`, apiKey: "sk-test", models: [{ id: "eyes", input: ["text", "image"] }] } },
      },
      channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, polling: { timeoutSeconds: 1 }, dmPolicy: "open", allowFrom: ["*"] } },
    };
    writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
    const child = spawn(process.execPath, [CLI, "gateway", "run", "--log-format", "off"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    await printed(child, () => output, "listening on ws://127.0.0.1:");

    telegram.inject({ chatId: USER, from: { id: USER, first_name: "Ann" }, text: "draw me one like this", photo: true, photoBytes: PHOTO_IN });
    await waitFor(
      "the text after the photo",
      () => telegram.sent.find((sent) => sent.chatId === String(USER)),
      30_000,
      () => output,
    );

    const asked = (model.requests.find((request) => request.path.endsWith("/chat/completions"))!.body as { messages: { content: unknown }[] }).messages.at(-1);
    expect(asked?.content).toEqual([
      { type: "text", text: "draw me one like this" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PHOTO_IN).toString("base64")}` } },
    ]);
    expect(telegram.sentMedia).toHaveLength(1);
    expect(telegram.sentMedia[0]).toMatchObject({ method: "sendPhoto", chatId: String(USER), caption: "one like yours" });
    expect([...telegram.sentMedia[0]!.bytes!]).toEqual([...PHOTO_OUT]);
    expect(telegram.sent.map((sent) => sent.text)).toEqual(["Sent you a drawing."]);
  });
});
