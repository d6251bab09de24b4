import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayServer, loadTlsMaterial, type TlsMaterial } from "@openclaw/gateway-core";
import { runCli } from "../src/index.js";
import { TOKEN, tokenAuth } from "./helpers.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, { answerTimeoutMs: 2000 });
  return { code, out, err };
}

describe("--tls-fingerprint against our GatewayServer on wss://", () => {
  let server: GatewayServer;
  let tls: TlsMaterial;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "conformance-tls-"));
    // A fresh self-signed certificate, as the gateway makes for gateway.tls.autoGenerate.
    const loaded = await loadTlsMaterial({ stateDir: dir, tls: { enabled: true, autoGenerate: true } });
    if (!loaded) throw new Error("loadTlsMaterial made no certificate although TLS is enabled");
    tls = loaded;
    server = new GatewayServer({ port: 0, auth: tokenAuth(), version: "0.0.0-test", authDelay: async () => undefined, tls });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the right pin (any case, colons or not) runs the checks over wss", async () => {
    expect(server.url.startsWith("wss://")).toBe(true);
    const bare = tls.fingerprint256.replace(/:/g, "").toLowerCase();
    for (const pin of [tls.fingerprint256, bare]) {
      const { code, out } = await cli("--url", server.url, "--token", TOKEN, "--tls-fingerprint", pin, "--only", "handshake.challenge-first");
      expect(code).toBe(0);
      expect(out).toMatch(/\[1\/1\] PASS MUST\s+handshake\.challenge-first/);
    }
  });

  it("a wrong pin exits 2 before any check runs, naming the expected and the presented fingerprint", async () => {
    const wrong = "AB".repeat(32);
    const { code, out, err } = await cli("--url", server.url, "--token", TOKEN, "--tls-fingerprint", wrong, "--only", "handshake.challenge-first");
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("cannot open a WebSocket");
    expect(err).toContain(wrong.match(/.{2}/g)!.join(":"));
    expect(err.replace(/:/g, "").toUpperCase()).toContain(tls.fingerprint256.replace(/:/g, ""));
  });

  it("a malformed pin is a usage error (exit 2) that says what a pin looks like", async () => {
    const { code, err } = await cli("--url", server.url, "--token", TOKEN, "--tls-fingerprint", "not-a-fingerprint");
    expect(code).toBe(2);
    expect(err).toContain("expected a SHA-256 fingerprint (64 hex digits, colons optional)");
    expect(err).toContain("usage: openclaw-conformance");
  });

  it("without a pin, the self-signed certificate is refused (exit 2): pinning is what lets the kit in", async () => {
    const { code, err } = await cli("--url", server.url, "--token", TOKEN, "--only", "handshake.challenge-first");
    expect(code).toBe(2);
    expect(err).toContain("cannot open a WebSocket");
  });
});
