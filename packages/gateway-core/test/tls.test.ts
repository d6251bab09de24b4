import { X509Certificate } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import {
  GENERATED_CERT_FILE,
  GENERATED_KEY_FILE,
  type TlsMaterial,
  fingerprintsEqual,
  generateSelfSignedCertificate,
  loadTlsMaterial,
} from "../src/tls/index.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const AUTO = { enabled: true, autoGenerate: true } as const;

let root: string;
let stateDir: string;
const servers: Server[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "openclaw-tls-"));
  stateDir = join(root, "state");
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  rmSync(root, { recursive: true, force: true });
});

async function serve(material: TlsMaterial): Promise<number> {
  const server = createServer({ cert: material.cert, key: material.key }, (_request, response) => {
    response.end("ok");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

type PinnedResult = { outcome: "accepted"; peerFingerprint: string; body: string } | { outcome: "refused"; peerFingerprint: string };

/**
 * What a pinning client does with a self-signed gateway: skip CA validation, compare the
 * leaf's SHA-256 with the pin before sending anything, and hang up on a mismatch.
 */
function connectPinned(port: number, pin: string): Promise<PinnedResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false });
    socket.once("error", reject);
    socket.once("secureConnect", () => {
      const peerFingerprint = socket.getPeerCertificate().fingerprint256;
      if (!fingerprintsEqual(peerFingerprint, pin)) {
        socket.destroy();
        resolve({ outcome: "refused", peerFingerprint });
        return;
      }
      let raw = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (raw += chunk));
      socket.once("end", () => resolve({ outcome: "accepted", peerFingerprint, body: raw.slice(raw.indexOf("\r\n\r\n") + 4) }));
      socket.end("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
  });
}

async function expectConfigError(promise: Promise<unknown>, key: string): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.message).toContain(`config key ${key}:`);
  expect(configError.issues.map((issue) => issue.path)).toEqual([key]);
  return configError;
}

/** A cert/key pair as an operator would configure it, in files outside the state dir. */
async function writePair(name: string): Promise<{ certPath: string; keyPath: string; cert: string; key: string }> {
  const { cert, key } = await generateSelfSignedCertificate({ hostnames: ["gateway.example.test"] });
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, cert);
  writeFileSync(keyPath, key, { mode: 0o600 });
  return { certPath, keyPath, cert, key };
}

describe("disabled", () => {
  it("returns undefined and writes nothing", async () => {
    expect(await loadTlsMaterial({ stateDir, tls: { enabled: false, autoGenerate: true } })).toBeUndefined();
    expect(() => statSync(stateDir)).toThrow(/ENOENT/);
  });
});

describe("auto-generated certificate", () => {
  it("writes a 0600 key into a 0700 dir, atomically, and reuses the pair on the next start", async () => {
    const first = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(first).toBeDefined();
    if (first === undefined) return;
    const tlsDir = join(stateDir, "tls");
    expect(first.generated).toBe(true);
    expect(first.certPath).toBe(join(tlsDir, GENERATED_CERT_FILE));
    expect(first.keyPath).toBe(join(tlsDir, GENERATED_KEY_FILE));
    expect(statSync(first.keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(tlsDir).mode & 0o777).toBe(0o700);
    // No temp files left behind by the atomic writes.
    expect(readdirSync(tlsDir).sort()).toEqual([GENERATED_CERT_FILE, GENERATED_KEY_FILE].sort());

    const second = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(second?.generated).toBe(false);
    expect(second?.fingerprint256).toBe(first.fingerprint256);
    expect(second?.cert).toBe(first.cert);
    expect(second?.key).toBe(first.key);
  });

  it("reports the fingerprint Node computes for the leaf", async () => {
    const material = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(material?.fingerprint256).toBe(new X509Certificate(material?.cert ?? "").fingerprint256);
    expect(material?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("names openclaw-gateway, covers loopback and the given hostnames, and lasts about 825 days", async () => {
    const before = Date.now();
    const material = await loadTlsMaterial({ stateDir, tls: AUTO, hostnames: ["gw.example.test", "192.168.1.20", "[fd00::5]", "0.0.0.0"] });
    const x509 = new X509Certificate(material?.cert ?? "");
    expect(x509.subject).toBe("CN=openclaw-gateway");
    const sans = (x509.subjectAltName ?? "").split(", ");
    expect(sans).toEqual([
      "DNS:localhost",
      "IP Address:127.0.0.1",
      "IP Address:0:0:0:0:0:0:0:1",
      "DNS:gw.example.test",
      "IP Address:192.168.1.20",
      "IP Address:FD00:0:0:0:0:0:0:5",
    ]);
    expect(x509.checkHost("gw.example.test")).toBe("gw.example.test");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    const lifetimeDays = (Date.parse(material?.notAfter ?? "") - before) / DAY_MS;
    expect(lifetimeDays).toBeGreaterThan(824);
    expect(lifetimeDays).toBeLessThan(826);
    expect(material?.notAfter).toBe(new Date(x509.validTo).toISOString());
  });

  it("replaces a generated certificate that expires within 30 days", async () => {
    const tlsDir = join(stateDir, "tls");
    const expiring = await generateSelfSignedCertificate({ validityDays: 10 });
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(join(tlsDir, GENERATED_CERT_FILE), expiring.cert);
    writeFileSync(join(tlsDir, GENERATED_KEY_FILE), expiring.key, { mode: 0o600 });

    const renewed = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(renewed?.generated).toBe(true);
    expect(renewed?.fingerprint256).not.toBe(new X509Certificate(expiring.cert).fingerprint256);
    expect(Date.parse(renewed?.notAfter ?? "") - Date.now()).toBeGreaterThan(800 * DAY_MS);
  });

  it("keeps a generated certificate with more than 30 days left", async () => {
    const tlsDir = join(stateDir, "tls");
    const valid = await generateSelfSignedCertificate({ validityDays: 60 });
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(join(tlsDir, GENERATED_CERT_FILE), valid.cert);
    writeFileSync(join(tlsDir, GENERATED_KEY_FILE), valid.key, { mode: 0o600 });

    const kept = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(kept?.generated).toBe(false);
    expect(kept?.fingerprint256).toBe(new X509Certificate(valid.cert).fingerprint256);
  });

  it("regenerates when the key no longer matches the certificate (a crash between the two writes)", async () => {
    const first = await loadTlsMaterial({ stateDir, tls: AUTO });
    const other = await generateSelfSignedCertificate();
    writeFileSync(first?.keyPath ?? "", other.key);

    const repaired = await loadTlsMaterial({ stateDir, tls: AUTO });
    expect(repaired?.generated).toBe(true);
    expect(repaired?.fingerprint256).not.toBe(first?.fingerprint256);
    expect(statSync(repaired?.keyPath ?? "").mode & 0o777).toBe(0o600);
  });
});

describe("serving the certificate", () => {
  it("a client pinning the fingerprint connects over real TLS; a wrong pin is detected", async () => {
    const material = await loadTlsMaterial({ stateDir, tls: AUTO });
    if (material === undefined) throw new Error("expected TLS material");
    const port = await serve(material);

    const pinned = await connectPinned(port, material.fingerprint256);
    expect(pinned.peerFingerprint).toBe(material.fingerprint256);
    expect(pinned).toMatchObject({ outcome: "accepted", body: "ok" });

    // The pin also works when written as plain lowercase hex.
    const plainPin = material.fingerprint256.replaceAll(":", "").toLowerCase();
    expect((await connectPinned(port, plainPin)).outcome).toBe("accepted");

    const impostor = new X509Certificate((await generateSelfSignedCertificate()).cert).fingerprint256;
    const wrong = await connectPinned(port, impostor);
    expect(wrong).toEqual({ outcome: "refused", peerFingerprint: material.fingerprint256 });
  });
});

describe("configured certificate", () => {
  it("loads certPath, keyPath and caPath as they are", async () => {
    const pair = await writePair("configured");
    const caPath = join(root, "configured", "ca.pem");
    writeFileSync(caPath, pair.cert);
    const material = await loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: true, ...pair, caPath } });
    expect(material).toEqual({
      cert: pair.cert,
      key: pair.key,
      ca: pair.cert,
      fingerprint256: new X509Certificate(pair.cert).fingerprint256,
      certPath: pair.certPath,
      keyPath: pair.keyPath,
      generated: false,
      notAfter: new Date(new X509Certificate(pair.cert).validTo).toISOString(),
    });
    // Configured files win over autoGenerate: nothing is generated.
    expect(() => statSync(join(stateDir, "tls"))).toThrow(/ENOENT/);
    const port = await serve(material as TlsMaterial);
    expect((await connectPinned(port, material?.fingerprint256 ?? "")).outcome).toBe("accepted");
  });

  it("refuses a key that does not belong to the certificate, naming gateway.tls.keyPath", async () => {
    const pair = await writePair("a");
    const other = await writePair("b");
    const error = await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, certPath: pair.certPath, keyPath: other.keyPath } }),
      "gateway.tls.keyPath",
    );
    expect(error.message).toContain("does not match the certificate in gateway.tls.certPath");
  });

  it("names the key and the OS error when a file cannot be read", async () => {
    const pair = await writePair("configured");
    const missing = join(root, "nowhere", "cert.pem");
    const certError = await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, certPath: missing, keyPath: pair.keyPath } }),
      "gateway.tls.certPath",
    );
    expect(certError.message).toContain(missing);
    expect(certError.message).toContain("ENOENT");
    expect((certError.cause as NodeJS.ErrnoException).code).toBe("ENOENT");

    const keyError = await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, certPath: pair.certPath, keyPath: root } }),
      "gateway.tls.keyPath",
    );
    expect(keyError.message).toContain("EISDIR");

    await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, ...pair, caPath: join(root, "missing-ca.pem") } }),
      "gateway.tls.caPath",
    );
  });

  it("names the key when a file is not PEM of the right kind", async () => {
    const pair = await writePair("configured");
    await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, certPath: pair.keyPath, keyPath: pair.keyPath } }),
      "gateway.tls.certPath",
    );
    await expectConfigError(
      loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false, certPath: pair.certPath, keyPath: pair.certPath } }),
      "gateway.tls.keyPath",
    );
  });

  it("needs certPath and keyPath together", async () => {
    const pair = await writePair("configured");
    await expectConfigError(loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: true, certPath: pair.certPath } }), "gateway.tls.keyPath");
    await expectConfigError(loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: true, keyPath: pair.keyPath } }), "gateway.tls.certPath");
  });
});

describe("enabled without a certificate", () => {
  it("is refused, explaining both ways to provide one", async () => {
    const error = await expectConfigError(loadTlsMaterial({ stateDir, tls: { enabled: true, autoGenerate: false } }), "gateway.tls.enabled");
    expect(error.message).toContain("gateway.tls.certPath and gateway.tls.keyPath");
    expect(error.message).toContain("gateway.tls.autoGenerate");
    expect(() => statSync(stateDir)).toThrow(/ENOENT/);
  });
});
