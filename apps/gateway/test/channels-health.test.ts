import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { GatewayServer, createLogger, resolveLogFile } from "@openclaw/gateway-core";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { METHODS, serverValueProblems } from "@openclaw/protocol";
import { startWhatsAppFake, waitFor } from "@openclaw/testing";
import { connect } from "@openclaw/client";
import { WebSocket } from "ws";
import { cliFor, tokenAuth } from "./helpers.js";

const TOKEN = "health-test-token-0123456789abcdef";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("channel health tells the truth", () => {
  it(
    "a WhatsApp logout from the phone (401) makes the account terminal, and health says so — per account and overall — with one alert in the log",
    { timeout: 30_000 },
    async () => {
      const home = mkdtempSync(join(tmpdir(), "openclaw-health-"));
      cleanups.push(() => rmSync(home, { recursive: true, force: true }));
      const log = createLogger({ file: resolveLogFile(home), stdout: "off" });
      cleanups.push(() => log.close());
      const fake = startWhatsAppFake({ linked: true });
      const gateway = new GatewayServer({
        port: 0,
        version: "0.0.0-test",
        logger: log.logger,
        auth: tokenAuth(TOKEN),
        agent: { resolveModel: () => ({ provider: createOfflineProvider(), model: "echo" }), listModels: async () => [] },
        channels: {
          loaders: {
            whatsapp: async () => createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
          },
          config: { whatsapp: { authDir: join(home, "wa"), dmPolicy: "allowlist", allowFrom: ["15551230000@s.whatsapp.net"] } },
          env: {},
          stateDir: home,
          // Look at account states often, so the test does not wait 5 s for the watch.
          statusWatchMs: 25,
        },
      });
      await gateway.start();
      cleanups.push(() => gateway.stop());
      const openclaw = cliFor(home, gateway.url, TOKEN);

      // Connected: healthy, and the cached snapshot (no probe) already knows it.
      await waitFor(
        "the account to connect",
        () =>
          (gateway.health.snapshot as { channelHealth?: { degraded: boolean } }).channelHealth?.degraded === false &&
          gateway.channels!.snapshot().channels["whatsapp"]?.accounts[0]?.connected,
      );
      let health = JSON.parse(await openclaw("health", "--json"));
      expect(serverValueProblems(METHODS.health.result, health)).toEqual([]);
      expect(health).toMatchObject({ ok: true, channelHealth: { degraded: false, problems: [] } });
      expect(health.channels.whatsapp.accounts[0].health).toEqual({ transport: "up", inbound: "admitting", terminal: false });

      // A subscriber hears of it from a health event straight away, not at the next maintenance tick (60 s).
      const watcher = await connect({ url: gateway.url, token: TOKEN, WebSocket, reconnect: false });
      cleanups.push(() => watcher.close());
      const degradedEvent = new Promise<unknown>((resolve) =>
        watcher.on("health", (payload) => {
          if ((payload as { channelHealth?: { degraded?: boolean } }).channelHealth?.degraded) resolve(payload);
        }),
      );
      fake.disconnect(401);
      expect(await degradedEvent).toMatchObject({
        channelHealth: { degraded: true, problems: [expect.objectContaining({ channel: "whatsapp", terminal: true })] },
      });
      // Nobody probes: the status watch sees the adapter's own change and refreshes health.
      await waitFor(
        "health to notice the logout",
        () => (gateway.health.snapshot as { channelHealth?: { degraded: boolean } }).channelHealth?.degraded === true,
      );
      health = JSON.parse(await openclaw("health", "--json"));
      expect(serverValueProblems(METHODS.health.result, health)).toEqual([]);
      // `ok` is the gateway's liveness (it answers); the channel problem is the degraded block beside it.
      expect(health.ok).toBe(true);
      expect(health.channelHealth).toEqual({
        degraded: true,
        problems: [
          {
            channel: "whatsapp",
            accountId: "default",
            state: "logged_out",
            terminal: true,
            problem: expect.stringMatching(/^logged_out: logged out from the phone \(401\).*; relink with openclaw channels login --channel whatsapp$/),
          },
        ],
      });
      const account = health.channels.whatsapp.accounts[0];
      expect(account).toMatchObject({
        state: "logged_out",
        connected: false,
        relinkNeeded: true,
        lastError: expect.stringMatching(/logged out from the phone \(401\)/),
      });
      expect(account.health).toEqual({
        transport: "down",
        inbound: "closed",
        inboundReason: "transport is down",
        terminal: true,
        terminalSince: expect.any(Number),
        lastErrorAt: expect.any(Number),
        problem: health.channelHealth.problems[0].problem,
      });

      // channels.status carries the same per-account health, and the human views point at the fix.
      const status = JSON.parse(await openclaw("channels", "status", "--json"));
      expect(serverValueProblems(METHODS["channels.status"].result, status)).toEqual([]);
      expect(status.channels.whatsapp.accounts[0].health).toMatchObject({ transport: "down", inbound: "closed", terminal: true });
      expect(await openclaw("channels", "status")).toMatch(
        /whatsapp\/default needs attention: logged_out: .*relink with openclaw channels login --channel whatsapp/,
      );
      expect(await openclaw("health")).toMatch(/channel whatsapp\/default degraded \(needs the operator\): logged_out: /);

      // Looked at many times, the terminal state is alerted exactly once.
      for (let look = 0; look < 5; look += 1) await openclaw("gateway", "call", "health", "--params", '{"probe":true}', "--json");
      await log.flush();
      const alerts = readFileSync(log.file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((record) => record["alert"] === "channel-terminal");
      expect(alerts).toEqual([expect.objectContaining({ level: "error", channel: "whatsapp", accountId: "default", state: "logged_out", relinkNeeded: true })]);
    },
  );
});
