import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferJSON, type BinaryNode } from "@whiskeysockets/baileys";
import type { ChannelStartContext } from "@openclaw/channel-kit";
import { waitFor } from "@openclaw/testing";
import { AuthStore, WhatsAppAdapter, createBaileysSocketFactory } from "../src/index.js";
import { startFakeWaServer, trustFakeRoot, type FakeWaConnection, type FakeWaServer } from "./fake-wa-server.js";

/**
 * The adapter on Baileys' real `makeWASocket` (through `createBaileysSocketFactory`), talking to a
 * local WhatsApp stand-in that completes the real Noise handshake. Everything WhatsApp would do
 * after that is a node the test sends.
 */

interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

const cleanups: (() => Promise<void> | void)[] = [];
let server: FakeWaServer;
let dir: string;

beforeEach(async () => {
  cleanups.push(trustFakeRoot());
  server = await startFakeWaServer();
  cleanups.push(() => server.close());
  dir = mkdtempSync(join(tmpdir(), "openclaw-wa-real-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function realAdapter(options: { reconnect?: { initialMs: number; maxMs: number; maxRestartsPerHour?: number }; connectTimeoutMs?: number } = {}) {
  const logs: LogLine[] = [];
  const adapter = new WhatsAppAdapter({
    accountId: "default",
    authDir: join(dir, "auth"),
    stateDir: dir,
    reconnect: options.reconnect ?? { initialMs: 150, maxMs: 300 },
    socketFactory: createBaileysSocketFactory({ waWebSocketUrl: server.url, connectTimeoutMs: options.connectTimeoutMs ?? 5_000 }),
  });
  cleanups.push(() => adapter.stop());
  const log =
    (level: LogLine["level"]) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void logs.push({ level, message, fields });
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async () => undefined,
    logger: { debug: () => undefined, info: log("info"), warn: log("warn"), error: log("error") },
    signal: new AbortController().signal,
  };
  return { adapter, logs, start: () => adapter.start(context) };
}

const iq = (id: string, child: BinaryNode): BinaryNode => ({ tag: "iq", attrs: { id, type: "set", from: "s.whatsapp.net", xmlns: "md" }, content: [child] });
const pairDevice = iq("pair-1", { tag: "pair-device", attrs: {}, content: [{ tag: "ref", attrs: {}, content: Buffer.from("2@fake-ref-1") }] });
const success: BinaryNode = { tag: "success", attrs: { t: "1764000000", lid: "99990000000001@lid" } };
const edgeRouting = (routing: Buffer): BinaryNode => ({
  tag: "ib",
  attrs: {},
  content: [{ tag: "edge_routing", attrs: {}, content: [{ tag: "routing_info", attrs: {}, content: routing }] }],
});

/** An account linked earlier: creds with our number, written through our store as a link would leave them. */
async function linkedAccount(): Promise<void> {
  const store = new AuthStore(join(dir, "auth"));
  const state = store.load();
  state.creds.me = { id: "15551234567:3@s.whatsapp.net", name: "OpenClaw" };
  state.creds.registered = true;
  await store.saveCreds();
}

const readCreds = () => JSON.parse(readFileSync(join(dir, "auth", "creds.json"), "utf8"), BufferJSON.reviver) as Record<string, any>;
const tempFiles = () => readdirSync(join(dir, "auth")).filter((name) => name.includes(".tmp-"));

describe("auth state through our store, on the real socket", () => {
  it("a fresh account registers with the keys our store made, its QR reaches the status, and WhatsApp's routing info is written by our writer and used on the next start", async () => {
    server.onReady = (connection) => connection.send(pairDevice);
    const first = realAdapter();
    await first.start();
    const hello = await server.connections[0]!.handshake;
    // Registration, not login: our store had no account.
    expect(hello.payload.devicePairingData).toBeTruthy();
    expect(hello.payload.username).toBeFalsy();
    const status = first.adapter.status();
    expect(status).toMatchObject({ state: "awaiting_link", linked: false, connected: false });
    // The QR carries the static noise key Baileys just used in the handshake.
    expect(status.qr?.split(",")).toContain(hello.clientStatic.toString("base64"));

    const routing = Buffer.from("fake-edge-route");
    server.connections[0]!.send(edgeRouting(routing));
    await waitFor("creds.json with the routing info", () => existsSync(join(dir, "auth", "creds.json")) && readCreds()["routingInfo"]);
    expect(Buffer.from(readCreds()["routingInfo"]).equals(routing)).toBe(true);
    expect(Buffer.from(readCreds()["noiseKey"].public).equals(hello.clientStatic)).toBe(true);
    expect(first.adapter.store.completedWrites).toBeGreaterThanOrEqual(1);
    expect(tempFiles()).toEqual([]);
    await first.adapter.stop();

    const second = realAdapter();
    await second.start();
    const again = await server.connections[1]!.handshake;
    // The stored creds were read back: the same noise key, and the routing info in the intro header.
    expect(again.clientStatic.equals(hello.clientStatic)).toBe(true);
    expect(server.connections[1]!.intro.subarray(0, 2).toString()).toBe("ED");
    expect(server.connections[1]!.intro.includes(routing)).toBe(true);
    expect(server.connections[0]!.intro.toString("hex")).toBe("57410603");
  });

  it("a pairing code request is saved through our writer, and the next start logs in as that number and opens on WhatsApp's success", async () => {
    server.onReady = (connection) => connection.send(pairDevice);
    const first = realAdapter();
    await first.start();
    await server.connections[0]!.handshake;
    const code = await first.adapter.requestPairingCode("+1 555 123 4567");
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    await waitFor("the companion hello", () => server.connections[0]!.received.find((node) => JSON.stringify(node).includes("link_code_companion_reg")));
    await first.adapter.store.flush();
    expect(readCreds()).toMatchObject({ pairingCode: code, me: { id: "15551234567@s.whatsapp.net" } });
    expect(tempFiles()).toEqual([]);
    await first.adapter.stop();

    server.onReady = (connection) => connection.send(success);
    const second = realAdapter();
    await second.start();
    const login = await server.connections[1]!.handshake;
    expect(String(login.payload.username)).toBe("15551234567");
    expect(login.payload.devicePairingData).toBeFalsy();
    expect(second.adapter.status()).toMatchObject({ state: "connected", connected: true, linked: true });
    expect(second.adapter.identity()).toEqual({ id: "15551234567@s.whatsapp.net", username: "~" });
    // Baileys records our LID on success; that creds.update went through our writer too.
    await waitFor("the LID in creds.json", () => readCreds()["me"]?.lid === "99990000000001@lid");
  });
});

/** What WhatsApp sends (or does) for each close code; `null` node means the connection is cut. */
const streamError = (attrs: Record<string, string>, child?: BinaryNode): BinaryNode => ({ tag: "stream:error", attrs, ...(child ? { content: [child] } : {}) });
const cases: { code: number; how: string; act: (connection: FakeWaConnection) => void }[] = [
  {
    code: 401,
    how: "stream error 401 (device removed from the phone)",
    act: (c) => c.send(streamError({ code: "401" }, { tag: "conflict", attrs: { type: "device_removed" } })),
  },
  { code: 440, how: "stream error conflict/replaced", act: (c) => c.send(streamError({}, { tag: "conflict", attrs: { type: "replaced" } })) },
  { code: 515, how: "stream error 515", act: (c) => c.send(streamError({ code: "515" })) },
  { code: 500, how: "stream error without a code (bad session)", act: (c) => c.send(streamError({}, { tag: "bad-session", attrs: {} })) },
  { code: 503, how: "stream error 503", act: (c) => c.send(streamError({ code: "503" })) },
  { code: 403, how: "failure 403", act: (c) => c.send({ tag: "failure", attrs: { reason: "403" } }) },
  {
    code: 411,
    how: "ib downgrade_webclient (multi-device mismatch)",
    act: (c) => c.send({ tag: "ib", attrs: {}, content: [{ tag: "downgrade_webclient", attrs: {} }] }),
  },
  { code: 428, how: "the server cutting the TCP connection", act: (c) => c.drop() },
];

describe("close codes as Baileys emits them, through our connection.update handler", () => {
  it.each(cases.filter((entry) => entry.code === 401 || entry.code === 440))(
    "$code ($how) stops for good: one connection, relink needed, creds kept",
    async ({ code, act }) => {
      await linkedAccount();
      server.onReady = (connection) => connection.send(success);
      const { adapter, logs, start } = realAdapter();
      await start();
      expect(adapter.status()).toMatchObject({ state: "connected", connected: true });
      act(server.connections[0]!);
      await waitFor("the supervisor giving up", () => logs.find((line) => line.message === "whatsapp socket stopped for good"));
      expect(adapter.status()).toMatchObject({
        state: code === 401 ? "logged_out" : "replaced",
        connected: false,
        linked: false,
        relinkNeeded: true,
        lastError: expect.stringContaining(`(${code})`),
      });
      expect(server.connections).toHaveLength(1);
      expect(logs.filter((line) => line.message.includes("reconnecting after a backoff"))).toEqual([]);
      // Only an explicit logout deletes the auth state.
      await adapter.stop();
      expect(readCreds()["noiseKey"]).toBeDefined();
    },
  );

  it("515 (stream error after linking) opens a fresh socket at once, without a backoff", async () => {
    await linkedAccount();
    server.onReady = (connection) => connection.send(success);
    const { adapter, logs, start } = realAdapter();
    await start();
    cases.find((entry) => entry.code === 515)!.act(server.connections[0]!);
    await waitFor("the second socket open", () => server.connections.length === 2 && adapter.status().connected);
    expect(logs.map((line) => line.message)).toContain("WhatsApp asked for a restart (515); reconnecting now");
    expect(logs.filter((line) => line.message.includes("reconnecting after a backoff"))).toEqual([]);
    expect(adapter.status()).toMatchObject({ state: "connected", reconnectAttempts: 0 });
    expect(server.maxConcurrent).toBe(1);
  });

  it.each(cases.filter((entry) => ![401, 440, 515].includes(entry.code)))(
    "$code ($how) backs off within the configured bounds and reconnects, one socket at a time",
    async ({ code, act }) => {
      await linkedAccount();
      server.onReady = (connection) => connection.send(success);
      const { adapter, logs, start } = realAdapter({ reconnect: { initialMs: 150, maxMs: 300 } });
      await start();
      act(server.connections[0]!);
      const backoff = await waitFor("a backoff", () => logs.find((line) => line.message === "whatsapp socket failed; reconnecting after a backoff"));
      expect(backoff.fields).toMatchObject({ attempt: 1, error: expect.stringContaining(`WhatsApp connection closed (${code})`) });
      expect(backoff.fields["delayMs"]).toBeGreaterThanOrEqual(100);
      expect(backoff.fields["delayMs"]).toBeLessThanOrEqual(150);
      await waitFor("the reconnect", () => server.connections.length === 2 && adapter.status().connected);
      expect(server.maxConcurrent).toBe(1);
    },
  );

  it("a server that never answers the hello times out (408) after connectTimeoutMs, and the account reconnects", async () => {
    server.mode = "silent";
    await linkedAccount();
    server.onReady = (connection) => connection.send(success);
    const { adapter, logs, start } = realAdapter({ connectTimeoutMs: 200 });
    const started = start();
    await server.waitForConnection(0);
    server.mode = "handshake";
    const backoff = await waitFor("a backoff", () => logs.find((line) => line.message === "whatsapp socket failed; reconnecting after a backoff"));
    expect(backoff.fields["error"]).toMatch(/WhatsApp connection closed \(408\): .*Timed Out/);
    await started;
    await waitFor("connected on the second socket", () => adapter.status().connected);
    expect(server.connections).toHaveLength(2);
  });
});

describe("reconnect policy on the real socket", () => {
  it("a server that cuts every connection gets bounded, jittered backoffs and no storm: the hourly budget stops the account", async () => {
    await linkedAccount();
    server.onReady = (connection) => connection.send(success);
    const { adapter, logs, start } = realAdapter({ reconnect: { initialMs: 200, maxMs: 400, maxRestartsPerHour: 3 } });
    await start();
    server.mode = "drop";
    server.connections[0]!.drop();
    await waitFor("the budget spent", () => adapter.status().state === "failed");
    const delays = logs.filter((line) => line.message.includes("reconnecting after a backoff")).map((line) => line.fields);
    expect(delays.map((fields) => fields["attempt"])).toEqual([1, 2, 3]);
    // Full jitter between the 100 ms floor and a ceiling that doubles from initialMs up to maxMs.
    delays.forEach((fields, index) => {
      expect(fields["delayMs"]).toBeGreaterThanOrEqual(100);
      expect(fields["delayMs"]).toBeLessThanOrEqual(Math.min(400, 200 * 2 ** index));
    });
    expect(adapter.status().lastError).toMatch(/restart budget exhausted: 3 restarts in the last hour \(last error: WhatsApp connection closed \(428\)/);
    expect(logs.map((line) => line.message)).toContain("whatsapp socket stopped for good");
    expect(server.connections).toHaveLength(4);
    expect(server.maxConcurrent).toBe(1);
  });
});
