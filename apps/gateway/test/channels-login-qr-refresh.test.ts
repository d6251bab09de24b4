import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayServer } from "@openclaw/gateway-core";
import { createWhatsAppChannel, renderQr, type SocketFactory } from "@openclaw/channel-whatsapp";
import { startWhatsAppFake } from "@openclaw/testing";
import { buildProgram, CliError, type CommandIo } from "../src/index.js";
import { tokenAuth } from "./helpers.js";

const TOKEN = "login-qr-test-token-0123456789abcdef";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves once `check` holds, re-checking whenever the CLI writes (the output is the event here). */
function onOutput(subscribe: (listener: () => void) => () => void, what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

describe("openclaw channels login redraws the QR as WhatsApp rotates it", () => {
  it("channels.status carries the newest QR, and the CLI draws each new one once, then reports the link", { timeout: 30_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-login-qr-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    // Rotation is driven by the test (rotateQr), so nothing depends on Baileys' 60 s / 20 s timings.
    const fake = startWhatsAppFake({ linked: false, firstQrMs: 600_000, qrRotateMs: 600_000 });
    const gateway = new GatewayServer({
      port: 0,
      version: "0.0.0-test",
      auth: tokenAuth(TOKEN),
      channels: {
        loaders: {
          whatsapp: async () => createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
        },
        config: { whatsapp: { authDir: join(home, "wa"), reconnect: { initialMs: 50, maxMs: 100 } } },
        env: {},
        stateDir: home,
      },
    });
    await gateway.start();
    cleanups.push(() => gateway.stop());

    let out = "";
    const listeners = new Set<() => void>();
    const subscribe = (listener: () => void) => {
      listeners.add(listener);
      listener();
      return () => void listeners.delete(listener);
    };
    const io: CommandIo = {
      stdout: {
        write: (text: string) => {
          out += text;
          for (const listener of [...listeners]) listener();
        },
      },
      stderr: { write: () => undefined },
      env: {},
      homedir: home,
      cwd: home,
    };
    const login = buildProgram(io, { onGatewayStarted: () => undefined })
      .parseAsync(["node", "openclaw", "channels", "login", "--channel", "whatsapp", "--url", gateway.url, "--token", TOKEN])
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof CliError) return error;
          throw error;
        },
      );

    const status = () => gateway.channels!.snapshot().channels["whatsapp"]!.accounts[0]!;
    await onOutput(subscribe, "the first QR", () => out.includes("Link a device:\n"));
    const first = fake.qrs[0]!;
    expect(fake.qrs).toHaveLength(1);
    const firstDrawing = await renderQr(first);
    expect(out).toContain(firstDrawing);
    expect(status().qr).toBe(first);

    fake.rotateQr();
    const second = fake.qrs[1]!;
    expect(second).not.toBe(first);
    expect(status().qr).toBe(second);
    const secondDrawing = await renderQr(second);
    await onOutput(subscribe, "the rotated QR", () => out.includes(secondDrawing));
    expect(out).toContain("Scan with WhatsApp > Linked devices > Link a device (new code):\n");
    // Each QR is drawn once, however many times the CLI polled in between.
    expect(out.split(firstDrawing)).toHaveLength(2);
    expect(out.split(secondDrawing)).toHaveLength(2);

    fake.link();
    expect(await login).toBeUndefined();
    expect(out).toContain("Linked: whatsapp account default is connected.");
    expect(status()).toMatchObject({ connected: true, state: "connected" });
    expect(status().qr).toBeUndefined();
  });
});
