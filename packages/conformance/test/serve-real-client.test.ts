import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { GatewayClient } from "@openclaw/client";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import { CLIENT_CHECKS, runCli, startServe } from "../src/index.js";
import { TOKEN } from "./helpers.js";

// Factor 3 keeps the delays growing well above 1.2× per close even when a busy machine fires a timer late.
const RECONNECT = { initialMs: 150, factor: 3, maxMs: 5000 };

/** Our client, as an application uses it: re-fetch health when the client reports a seq gap. */
async function connectOurClient(url: string): Promise<GatewayClient> {
  const client = await connectNode({ url, token: TOKEN, identity: createNodeIdentity(), client: { deviceFamily: "Desktop" }, reconnect: RECONNECT });
  client.on("gap", () => void client.call("health").catch(() => undefined));
  return client;
}

const dir = mkdtempSync(join(tmpdir(), "conformance-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("serve against @openclaw/client", () => {
  it("the CLI prints the URL, drives our client through the gap and three 1012 closes, and every check passes", async () => {
    let out = "";
    let err = "";
    let announced!: (url: string) => void;
    const urlPrinted = new Promise<string>((resolve) => (announced = resolve));
    const io = {
      stdout: { write: (text: string) => (out += text) },
      stderr: {
        write: (text: string) => {
          err += text;
          const match = /point your client at (ws:\/\/\S+)/.exec(text);
          if (match) announced(match[1]!);
        },
      },
    };
    const junit = join(dir, "serve.xml");
    const exit = runCli(["serve", "--token", TOKEN, "--closes", "3", "--json", "--junit", junit], io);
    const client = await connectOurClient(await urlPrinted);
    try {
      const code = await exit;
      const report = JSON.parse(out);
      expect(report.results.map((r: { id: string }) => r.id)).toEqual(CLIENT_CHECKS.map((check) => check.id));
      expect(report.results.filter((r: { status: string }) => r.status !== "pass")).toEqual([]);
      expect(code).toBe(0);
      expect(err).toContain("closed socket 3 with 1012 service restart (3/3)");
      expect(err).toContain("re-fetched with health after the gap");
      expect(readFileSync(junit, "utf8")).toContain(`<testsuite name="openclaw-conformance-serve" tests="${CLIENT_CHECKS.length}" failures="0"`);
    } finally {
      await client.close();
    }
  });

  it("records the whole script, answers the client's calls with the captured payloads, and leaves no timer behind", async () => {
    const run = await startServe({ token: TOKEN, closes: 2 });
    const client = await connectOurClient(run.url);
    try {
      const health = await client.call("health");
      expect(health.defaultAgentId).toBe("main");
      expect(client.hello?.features.methods).toEqual(["health", "status", "system-presence"]);
      const results = await run.results;
      expect(results.every((result) => result.status === "pass")).toBe(true);
      const [record] = run.records;
      // The first socket, then one per close: the second is closed after its connect, the third gets hello-ok.
      expect(record!.sockets.map((socket) => socket.closed?.end ?? "open")).toEqual(["restart", "restart", "finished"]);
      expect(record!.sockets.map((socket) => socket.connect?.proof.version)).toEqual(["v3", "v3", "v3"]);
      expect(new Set(record!.sockets.map((socket) => socket.challenge?.nonce)).size).toBe(3);
      expect(record!.gap?.refetch?.method).toBe("health");
      expect(run.pendingTimers).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("serving two clients at once tells them apart by their device and judges each", async () => {
    const run = await startServe({ token: TOKEN, clients: 2, closes: 1 });
    const clients = await Promise.all([connectOurClient(run.url), connectOurClient(run.url)]);
    try {
      const results = await run.results;
      expect(results.map((result) => result.id)).toEqual([1, 2].flatMap((n) => CLIENT_CHECKS.map((check) => `${check.id}.${n}`)));
      expect(results.filter((result) => result.status !== "pass")).toEqual([]);
      expect(run.records.map((record) => record.sockets.length)).toEqual([2, 2]);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
