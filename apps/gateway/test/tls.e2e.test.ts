import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { fingerprintsEqual } from "@openclaw/gateway-core";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Open a wss socket trusting nothing but the pinned certificate fingerprint. */
function pinnedConnect(url: string, pin: string): Promise<{ ws: WebSocket; challenge: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.once("upgrade", (response) => {
      const seen = (response.socket as TLSSocket).getPeerCertificate().fingerprint256;
      if (!fingerprintsEqual(seen, pin)) {
        ws.terminate();
        reject(new Error(`certificate fingerprint mismatch: expected ${pin}, got ${seen}`));
      }
    });
    ws.once("message", (data) => resolve({ ws, challenge: JSON.parse(data.toString()) }));
    ws.once("error", reject);
  });
}

describe("wss:// with a generated certificate", () => {
  it("prints and reports the fingerprint; a client pinning it connects, a wrong pin is refused", { timeout: 60_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-tls-"));
    dirs.push(home);
    const configPath = join(home, "openclaw.json");
    writeFileSync(configPath, JSON.stringify({ gateway: { auth: { token: "tls-test-token" }, tls: { enabled: true, autoGenerate: true } } }));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, "gateway", "run", "--port", String(port), "--log-format", "off"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: home, OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: join(home, "state") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const pin = (await printed(child, () => output, /fingerprint: ([0-9A-F:]{95})/))[1];
    expect(output).toContain(`wss://127.0.0.1:${port}`);

    const { ws, challenge } = await pinnedConnect(`wss://127.0.0.1:${port}`, pin!);
    expect(challenge).toMatchObject({ event: "connect.challenge" });
    const status = await new Promise<any>((resolve) => {
      ws.on("message", (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.id === "c") ws.send(JSON.stringify({ type: "req", id: "s", method: "status", params: {} }));
        if (frame.id === "s") resolve(frame.payload);
      });
      ws.send(
        JSON.stringify({
          type: "req",
          id: "c",
          method: "connect",
          params: {
            minProtocol: 4,
            maxProtocol: 4,
            client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
            scopes: ["operator.read"],
            auth: { token: "tls-test-token" },
          },
        }),
      );
    });
    expect(status.tls).toMatchObject({ enabled: true, fingerprint256: pin });
    ws.close();

    const wrong = pin!.replace(/^../, pin!.startsWith("00") ? "11" : "00");
    await expect(pinnedConnect(`wss://127.0.0.1:${port}`, wrong)).rejects.toThrow(/fingerprint mismatch/);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  });
});
