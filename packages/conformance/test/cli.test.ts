import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { runCli } from "../src/index.js";
import { startBrokenGateway, startGateway, TOKEN } from "./helpers.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, { answerTimeoutMs: 2000 });
  return { code, out, err };
}

describe("openclaw-conformance", () => {
  let server: GatewayServer;
  let dir: string;

  beforeAll(async () => {
    server = await startGateway();
    dir = mkdtempSync(join(tmpdir(), "conformance-cli-"));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("--list shows ids, sections and levels without connecting", async () => {
    const { code, out } = await cli("--list", "--only", "dispatch");
    expect(code).toBe(0);
    expect(out).toMatch(/dispatch\.scope-before-lookup\s+1\.5\s+MUST/);
    expect(out).not.toContain("handshake.");
  });

  it("exits 2 on bad usage, saying what was wrong", async () => {
    expect(await cli("--url", server.url)).toMatchObject({ code: 2, err: expect.stringContaining("--token or --password is required") });
    expect(await cli("--token", "x", "--password", "y")).toMatchObject({ code: 2, err: expect.stringContaining("not both") });
    expect(await cli("--token", "x", "--only", "nothing.")).toMatchObject({ code: 2, err: expect.stringContaining("no check id starts with") });
    expect(await cli("--token", "x", "--bogus")).toMatchObject({ code: 2 });
  });

  it("exits 2 when the gateway cannot be reached", async () => {
    const gone = await startBrokenGateway({});
    await gone.close();
    expect(await cli("--url", gone.url, "--token", TOKEN)).toMatchObject({ code: 2, err: expect.stringContaining("cannot open a WebSocket") });
  });

  it("prints JSON and writes JUnit XML, exiting 0 when every MUST passes", async () => {
    const junit = join(dir, "results.xml");
    const only = ["dispatch.unknown-method", "dispatch.scope-before-lookup", "dispatch.invalid-params"].flatMap((id) => ["--only", id]);
    const { code, out } = await cli("--url", server.url, "--token", TOKEN, ...only, "--json", "--junit", junit);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.summary).toMatchObject({ total: 3, passed: 3, mustFailed: 0 });
    expect(readFileSync(junit, "utf8")).toContain('<testsuite name="openclaw-conformance" tests="3" failures="0"');
  });

  it("shows progress and a table, and exits 1 when a MUST fails", async () => {
    const broken = await startBrokenGateway({ challenge: false });
    try {
      const { code, out } = await cli("--url", broken.url, "--token", TOKEN, "--only", "handshake.challenge-first");
      expect(code).toBe(1);
      expect(out).toMatch(/\[1\/1\] FAIL MUST\s+handshake\.challenge-first/);
      expect(out).toContain("NOT CONFORMANT: 1 MUST check(s) failed");
    } finally {
      await broken.close();
    }
  });
});
