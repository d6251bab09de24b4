import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { runCli, startGatewayIn } from "./helpers.js";

const TOKEN = "conformance-cmd-token-0123456789";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function homeWithToken(): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-conformance-cmd-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { auth: { token: TOKEN } } }), { mode: 0o600 });
  return home;
}

/** A WebSocket server that accepts upgrades and never speaks: no challenge, no answers. */
async function silentServer(): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  wss.on("connection", (socket) => socket.on("message", () => undefined));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

describe("openclaw conformance", () => {
  it("finds the running local gateway and its token from the config, and every handshake and dispatch check passes", async () => {
    const home = homeWithToken();
    const running = await startGatewayIn(home);
    cleanups.push(() => running.stop());
    const { out, error } = await runCli(home, "conformance", "--only", "handshake", "--only", "dispatch", "--json");
    expect(error).toBeUndefined();
    const report = JSON.parse(out) as { results: { id: string; status: string }[]; summary: { failed: number } };
    expect(report.results.map((result) => result.id)).toContain("handshake.challenge-first");
    expect(report.results.map((result) => result.id)).toContain("dispatch.unknown-method");
    expect(report.results.filter((result) => result.status === "fail")).toEqual([]);
    expect(out).not.toContain(TOKEN);
  });

  it("exits 1 with the failed check reported when the gateway does not conform", async () => {
    const home = homeWithToken();
    const url = await silentServer();
    const { out, error } = await runCli(home, "conformance", "--url", url, "--token", TOKEN, "--only", "handshake.challenge-first", "--timeout", "300");
    expect(out).toMatch(/FAIL.*handshake\.challenge-first|handshake\.challenge-first.*FAIL/i);
    expect(out).toContain("no frame within 300 ms");
    expect(error?.exitCode).toBe(1);
    expect(error?.code).toBe("CONFORMANCE_FAILED");
  });

  it("exits 2 when nothing listens at the address", async () => {
    const home = homeWithToken();
    const url = await silentServer();
    await Promise.all(
      cleanups
        .splice(0)
        .reverse()
        .map((cleanup) => cleanup()),
    );
    const { error } = await runCli(home, "conformance", "--url", url, "--token", TOKEN, "--only", "handshake.challenge-first");
    expect(error?.exitCode).toBe(2);
  });

  it("lists the kit's checks without a gateway", async () => {
    const { out, error } = await runCli(homeWithToken(), "conformance", "--list", "--only", "dispatch.");
    expect(error).toBeUndefined();
    expect(out).toContain("dispatch.scope-before-lookup");
    expect(out).not.toContain("handshake.challenge-first");
  });

  it("passes serve's flags to the kit's checking gateway: --list names the client checks, a missing token is a usage error", async () => {
    const home = homeWithToken();
    const listed = await runCli(home, "conformance", "serve", "--list");
    expect(listed.error).toBeUndefined();
    expect(listed.out).toContain("client.signature");
    expect(listed.out).not.toContain("handshake.challenge-first");
    const refused = await runCli(home, "conformance", "serve", "--clients", "1");
    expect(refused.error?.exitCode).toBe(2);
    expect(refused.error?.code).toBe("CONFORMANCE_USAGE");
  });
});
