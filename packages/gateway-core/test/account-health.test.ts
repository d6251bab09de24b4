import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { Value } from "@sinclair/typebox/value";
import { ChannelAccountHealth, ChannelHealthSummary, registerProtocolKinds } from "@openclaw/protocol";
import type { ChannelAccountStatus } from "@openclaw/channel-kit";
import { evaluateAccountHealth } from "../src/channels/account-health.js";
import { ChannelService } from "../src/channels/channel-service.js";
import { openMemoryStore } from "../src/store/index.js";
import { MemoryProvider, waitFor } from "./memory-channel.js";

registerProtocolKinds();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

const health = (status: Partial<ChannelAccountStatus>, config: Record<string, unknown> = {}, channel = "whatsapp") =>
  evaluateAccountHealth({ channel, status: { accountId: "default", state: "connected", enabled: true, connected: true, ...status }, config, groups: [] });

describe("account health rules", () => {
  it("a connected account is up and admitting", () => {
    expect(health({})).toEqual({ transport: "up", inbound: "admitting", terminal: false });
  });

  it("logged out, replaced or failed for good is terminal, with what to do", () => {
    const loggedOut = health({ state: "logged_out", connected: false, relinkNeeded: true, lastError: "logged out from the phone (401)" });
    expect(loggedOut).toEqual({
      transport: "down",
      inbound: "closed",
      inboundReason: "transport is down",
      terminal: true,
      problem: "logged_out: logged out from the phone (401); relink with openclaw channels login --channel whatsapp",
    });
    expect(health({ state: "replaced", connected: false, relinkNeeded: true }, {}, "whatsapp").terminal).toBe(true);
    expect(health({ accountId: "work", state: "failed", connected: false, lastError: "401 Unauthorized" }, {}, "telegram")).toMatchObject({
      terminal: true,
      problem: "failed: 401 Unauthorized; it will not recover on its own: fix the cause, then run openclaw channels start telegram --account work",
    });
  });

  it("reconnecting is down but not terminal; starting is connecting; stopped and disabled are no problem", () => {
    expect(health({ state: "reconnecting", connected: false, lastError: "socket closed" })).toEqual({
      transport: "down",
      inbound: "closed",
      inboundReason: "transport is down",
      terminal: false,
      problem: "reconnecting: socket closed",
    });
    expect(health({ state: "starting", connected: false })).toMatchObject({ transport: "connecting", terminal: false });
    expect(health({ state: "starting", connected: false })).not.toHaveProperty("problem");
    expect(health({ state: "stopped", connected: false })).toEqual({
      transport: "stopped",
      inbound: "closed",
      inboundReason: "transport is stopped",
      terminal: false,
    });
    expect(health({ state: "disabled", enabled: false, connected: false })).toEqual({
      transport: "stopped",
      inbound: "closed",
      inboundReason: "transport is stopped",
      terminal: false,
    });
  });

  it("connected but deaf: inbound is closed when no DM and no group can get in, and says why", () => {
    expect(health({}, { dmPolicy: "disabled", groupPolicy: "disabled" })).toEqual({
      transport: "up",
      inbound: "closed",
      inboundReason: "no sender can reach the agent: DMs dm-disabled, groups groups-disabled",
      terminal: false,
    });
    expect(health({}, { dmPolicy: "allowlist", allowFrom: [] })).toMatchObject({ inbound: "closed" });
    expect(health({}, { dmPolicy: "allowlist", allowFrom: ["+1555"] })).toMatchObject({ inbound: "admitting" });
    // Pairing (the default) lets strangers ask, so it admits.
    expect(health({}, {})).toMatchObject({ inbound: "admitting" });
  });

  it("the shapes are valid against their schemas", () => {
    expect(Value.Check(ChannelAccountHealth, health({ state: "logged_out", connected: false, relinkNeeded: true }))).toBe(true);
    expect(
      Value.Check(ChannelHealthSummary, {
        degraded: true,
        problems: [{ channel: "whatsapp", accountId: "default", state: "logged_out", terminal: true, problem: "x" }],
      }),
    ).toBe(true);
  });
});

describe("terminal-state alerts in the channel service", () => {
  function capture() {
    const lines: Record<string, any>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, any>);
        done();
      },
    });
    return { logger: pino({ level: "info", messageKey: "message" }, stream), lines };
  }

  it("alerts once when an account becomes terminal, and again only after it recovered and failed anew", async () => {
    const provider = new MemoryProvider();
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    const { logger, lines } = capture();
    let loggedOut = false;
    const definition = provider.definition();
    const service = new ChannelService({
      db: store.db,
      loaders: {
        memory: async () => ({
          ...definition,
          create: (account) => {
            const adapter = definition.create(account);
            return {
              ...adapter,
              status: () =>
                loggedOut
                  ? { accountId: account.accountId, state: "logged_out", connected: false, relinkNeeded: true, lastError: "logged out from the phone" }
                  : adapter.status(),
            };
          },
        }),
      },
      config: { memory: { accounts: { good: { token: "ok" }, broken: { token: "bad" } } } },
      logger,
    });
    cleanups.push(() => service.stop());
    await service.start();
    const alerts = () => lines.filter((line) => line.alert === "channel-terminal").map((line) => [line.level, line.accountId, line.message]);
    const look = (times = 3) => {
      for (let index = 0; index < times; index += 1) service.snapshot();
    };
    look();
    // A start that failed is terminal: nothing retries it.
    expect(alerts()).toEqual([
      [50, "broken", "channel account memory/broken is failed and will not recover on its own: 401 unauthorized: the token was refused"],
    ]);
    const snapshot = service.snapshot();
    expect(snapshot.summary).toEqual({
      degraded: true,
      problems: [
        {
          channel: "memory",
          accountId: "broken",
          state: "failed",
          terminal: true,
          problem: expect.stringMatching(/^failed: 401 unauthorized: the token was refused; it will not recover on its own/),
        },
      ],
    });
    expect(snapshot.channels["memory"]!.accounts.find((account) => account.accountId === "broken")!.health).toMatchObject({
      terminal: true,
      terminalSince: expect.any(Number),
      lastErrorAt: expect.any(Number),
    });

    loggedOut = true;
    look();
    expect(alerts().map((alert) => alert[1])).toEqual(["broken", "good"]);
    loggedOut = false;
    look();
    expect(service.snapshot().channels["memory"]!.accounts.find((account) => account.accountId === "good")!.health).toEqual({
      transport: "up",
      inbound: "admitting",
      terminal: false,
    });
    loggedOut = true;
    look();
    expect(alerts().map((alert) => alert[1])).toEqual(["broken", "good", "good"]);
  });

  it("the status watch notices a change the adapter made on its own and refreshes health", async () => {
    const provider = new MemoryProvider();
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    let changes = 0;
    let dropped = false;
    const definition = provider.definition();
    const service = new ChannelService({
      db: store.db,
      loaders: {
        memory: async () => ({
          ...definition,
          create: (account) => {
            const adapter = definition.create(account);
            // The provider ends the session without the gateway asking (a logout on the phone).
            return {
              ...adapter,
              status: () =>
                dropped
                  ? { accountId: account.accountId, state: "logged_out", connected: false, relinkNeeded: true, lastError: "logged out" }
                  : adapter.status(),
            };
          },
        }),
      },
      config: { memory: {} },
      statusWatchMs: 10,
      onChange: () => (changes += 1),
    });
    cleanups.push(() => service.stop());
    await service.start();
    const settled = changes;
    dropped = true;
    await waitFor("the watch to report the change", () => changes > settled);
    expect(service.snapshot().summary.degraded).toBe(true);
  });

  it("leaves no timer behind after stop", async () => {
    vi.useFakeTimers();
    const provider = new MemoryProvider();
    const store = openMemoryStore();
    cleanups.push(() => store.close());
    const service = new ChannelService({
      db: store.db,
      loaders: { memory: async () => provider.definition() },
      config: { memory: { dmPolicy: "open", allowFrom: ["*"] } },
    });
    await service.start();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await service.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
