import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { runCli } from "../src/index.js";
import { startGateway, TOKEN } from "./helpers.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, { answerTimeoutMs: 5000 });
  return { code, out, err };
}

const ids = (out: string): string[] => JSON.parse(out).results.map((r: { id: string }) => r.id);

describe("openclaw-conformance roles and mutation flags", () => {
  let server: GatewayServer;
  beforeAll(async () => {
    server = await startGateway();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("--as node lists and runs only the node checks", async () => {
    const listed = await cli("--list", "--as", "node");
    expect(listed.code).toBe(0);
    expect(
      listed.out
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(["node.connect", "node.listed", "node.invoke-round-trip"]);

    const run = await cli("--url", server.url, "--token", TOKEN, "--as", "node", "--json", "--allow-mutations", "--admin-token", TOKEN);
    expect(run.code).toBe(0);
    expect(ids(run.out)).toEqual(["node.connect", "node.listed", "node.invoke-round-trip"]);
    expect(JSON.parse(run.out).summary).toMatchObject({ total: 3, passed: 3 });
  });

  it("the default role runs no node check", async () => {
    const listed = await cli("--list");
    expect(listed.out).toContain("pairing.new-device-waits");
    expect(listed.out).not.toMatch(/^node\./m);
  });

  it("pairing checks skip naming --admin-token and --allow-mutations when they are missing, and pass with both", async () => {
    const none = await cli("--url", server.url, "--token", TOKEN, "--only", "pairing.", "--json");
    expect(none.code).toBe(0);
    const reasons = JSON.parse(none.out).results.map((r: { status: string; reason: string }) => [r.status, r.reason.split(":")[0]]);
    expect(reasons).toEqual(Array(3).fill(["skip", "needs --admin-token and --allow-mutations"]));

    const adminOnly = await cli("--url", server.url, "--token", TOKEN, "--only", "pairing.", "--json", "--admin-token", TOKEN);
    expect(JSON.parse(adminOnly.out).results.map((r: { reason: string }) => r.reason.split(":")[0])).toEqual(Array(3).fill("needs --allow-mutations"));

    const both = await cli("--url", server.url, "--token", TOKEN, "--only", "pairing.", "--json", "--admin-token", TOKEN, "--allow-mutations");
    expect(both.code).toBe(0);
    expect(JSON.parse(both.out).summary).toMatchObject({ total: 3, passed: 3 });
  });

  it("never prints the admin token", async () => {
    const run = await cli("--url", server.url, "--token", TOKEN, "--only", "pairing.", "--admin-token", TOKEN, "--allow-mutations");
    expect(run.out).not.toContain(TOKEN);
  });
});
