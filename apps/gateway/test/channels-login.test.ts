import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer } from "@openclaw/gateway-core";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { startWhatsAppFake } from "@openclaw/testing";
import { runCli, tokenAuth } from "./helpers.js";

const TOKEN = "login-test-token-0123456789abcdef";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const openclaw = runCli;

describe("openclaw channels login (WhatsApp, on a fake socket)", () => {
  it("prints the QR through the gateway, and reports success once the phone links", { timeout: 30_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-login-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const fake = startWhatsAppFake({ linked: false });
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

    const login = openclaw(home, "channels", "login", "--channel", "whatsapp", "--url", gateway.url, "--token", TOKEN);
    // The phone scans once the QR is up; WhatsApp then restarts the socket (515) and it opens linked.
    for (let waited = 0; fake.qrCount === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    fake.link();
    const result = await login;
    expect(result.error).toBeUndefined();
    expect(result.out.startsWith("Scan with WhatsApp > Linked devices > Link a device:\n")).toBe(true);
    expect(result.out).toMatch(/[▀▄█]{4}/);
    expect(result.out).toContain("Linked: whatsapp account default is connected.");
    const status = gateway.channels!.snapshot().channels["whatsapp"]!.accounts[0]!;
    expect(status).toMatchObject({ connected: true, state: "connected" });
  });

  it("a pairing code by phone number instead of the QR", async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-login-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const fake = startWhatsAppFake({ linked: false });
    const gateway = new GatewayServer({
      port: 0,
      version: "0.0.0-test",
      auth: tokenAuth(TOKEN),
      channels: {
        loaders: {
          whatsapp: async () => createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
        },
        config: { whatsapp: { authDir: join(home, "wa") } },
        env: {},
        stateDir: home,
      },
    });
    await gateway.start();
    cleanups.push(() => gateway.stop());
    for (let waited = 0; fake.qrCount === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await openclaw(
      home,
      "channels",
      "login",
      "--channel",
      "whatsapp",
      "--phone",
      "+1 555 000 1234",
      "--url",
      gateway.url,
      "--token",
      TOKEN,
      "--json",
    );
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, channel: "whatsapp", accountId: "default", pairingCode: "ABCD1234", linked: false });
  });

  it(
    "a DM from an allowed sender is answered by the agent; a logout from the phone shows as relink needed in channels.status",
    { timeout: 30_000 },
    async () => {
      const home = mkdtempSync(join(tmpdir(), "openclaw-wa-gateway-"));
      cleanups.push(() => rmSync(home, { recursive: true, force: true }));
      const fake = startWhatsAppFake({ linked: true });
      const gateway = new GatewayServer({
        port: 0,
        version: "0.0.0-test",
        auth: tokenAuth(TOKEN),
        agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
        channels: {
          loaders: {
            whatsapp: async () => createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
          },
          config: { whatsapp: { authDir: join(home, "wa"), dmPolicy: "allowlist", allowFrom: ["15551230000@s.whatsapp.net"] } },
          env: {},
          stateDir: home,
        },
      });
      await gateway.start();
      cleanups.push(() => gateway.stop());
      for (let waited = 0; !gateway.channels!.snapshot().channels["whatsapp"]?.accounts[0]?.connected && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      fake.upsert([
        fake.message({ from: "15551230000@s.whatsapp.net", text: "hello whatsapp" }),
        fake.message({ from: "15559990000@s.whatsapp.net", text: "stranger, allowlist" }),
      ]);
      for (let waited = 0; fake.sent.length === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fake.sent.map((sent) => [sent.jid, sent.content["text"]])).toEqual([["15551230000@s.whatsapp.net", "Echo: hello whatsapp"]]);

      fake.disconnect(401);
      const result = await openclaw(home, "channels", "status", "--url", gateway.url, "--token", TOKEN, "--json");
      const account = JSON.parse(result.out).channels.whatsapp.accounts[0];
      expect(account).toMatchObject({
        state: "logged_out",
        connected: false,
        relinkNeeded: true,
        lastError: expect.stringMatching(/logged out from the phone \(401\): relink needed/),
      });
      const human = await openclaw(home, "channels", "status", "--url", gateway.url, "--token", TOKEN);
      expect(human.out).toMatch(/whatsapp\s+default\s+logged_out/);
    },
  );
});
