import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayConfigError, GatewayTlsError } from "../src/index.js";
import { connectNode, normalizeFingerprint } from "../src/node.js";
import { FakeGateway } from "./helpers.js";

function openssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const hasOpenssl = openssl();

describe.skipIf(!hasOpenssl)("certificate pinning (wss)", () => {
  let dir: string;
  let server: Server;
  let gateway: FakeGateway;
  let fingerprint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "openclaw-client-tls-"));
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ],
      { stdio: "ignore" },
    );
    fingerprint = new X509Certificate(readFileSync(cert)).fingerprint256;
    server = createServer({ key: readFileSync(key), cert: readFileSync(cert) });
    gateway = await FakeGateway.start({ httpsServer: server });
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("connects when the self-signed certificate matches the pin (hex, no colons, any case)", async () => {
    const pin = fingerprint.replace(/:/g, "").toLowerCase();
    const client = await connectNode({ url: gateway.url, token: "t", tlsFingerprint: pin, reconnect: false });
    try {
      expect(client.status.state).toBe("open");
      const connection = await gateway.connections.next();
      expect(connection.connect?.auth?.token).toBe("t");
      expect(connection.connect?.client.platform).toBe(process.platform);
    } finally {
      await client.close();
    }
  });

  it("fails with GatewayTlsError, and stays closed, when the certificate does not match", async () => {
    const wrong = "AA:".repeat(31) + "AA";
    const error = await connectNode({ url: gateway.url, token: "must-not-leak", tlsFingerprint: wrong }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayTlsError);
    expect((error as GatewayTlsError).message).toBe(`certificate fingerprint mismatch: expected ${wrong}, got ${fingerprint}`);
    expect(error).toMatchObject({ code: "GATEWAY_TLS_ERROR", retryable: false });

    // The refused client never sent connect: the next connect the server sees is a pinned one.
    const pinned = await connectNode({ url: gateway.url, token: "pinned", tlsFingerprint: fingerprint, reconnect: false });
    try {
      expect((await gateway.connections.next()).connect?.auth?.token).toBe("pinned");
    } finally {
      await pinned.close();
    }
  });

  it("refuses an unpinned connect to the self-signed certificate", async () => {
    const error = await connectNode({ url: gateway.url, token: "t" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "GATEWAY_CLOSED" });
    expect(String((error as Error).message)).toMatch(/self[- ]signed/i);
  });
});

describe("fingerprint options", () => {
  it("normalizes hex with or without colons", () => {
    const hex = "ab".repeat(32);
    expect(normalizeFingerprint(hex)).toBe("AB:".repeat(31) + "AB");
    expect(normalizeFingerprint(` ${"Ab:".repeat(31)}aB `)).toBe("AB:".repeat(31) + "AB");
  });

  it("rejects a malformed fingerprint or a ws:// url with GatewayConfigError", async () => {
    expect(() => normalizeFingerprint("abc")).toThrow(GatewayConfigError);
    await expect(connectNode({ url: "ws://127.0.0.1:1", tlsFingerprint: "ab".repeat(32) })).rejects.toThrow(/needs a wss:\/\/ url/);
  });
});
