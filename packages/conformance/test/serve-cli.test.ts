import { afterEach, describe, expect, it } from "vitest";
import { runCli, startServe } from "../src/index.js";
import { TOKEN } from "./helpers.js";
import { startRawClient } from "./serve-raw-client.js";

let stopClient: (() => void) | undefined;
afterEach(() => {
  stopClient?.();
  stopClient = undefined;
});

/** Run the CLI; `onUrl` is called with the URL serve prints. */
async function cli(argv: string[], onUrl?: (url: string) => void): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const watch = (text: string) => {
    const match = /point your client at (ws:\/\/\S+)/.exec(text);
    if (match) onUrl?.(match[1]!);
  };
  const io = {
    stdout: { write: (text: string) => ((out += text), watch(text)) },
    stderr: { write: (text: string) => ((err += text), watch(text)) },
  };
  const code = await runCli(argv, io, { serve: { refetchWaitMs: 500 } });
  return { code, out, err };
}

describe("openclaw-conformance serve", () => {
  it("--list shows the client checks with their sections and levels", async () => {
    const { code, out } = await cli(["serve", "--list"]);
    expect(code).toBe(0);
    expect(out).toMatch(/client\.signature\s+3\.5\s+MUST/);
    expect(out).toMatch(/client\.reconnect-backoff\s+1\.7\s+SHOULD/);
    expect(out).not.toContain("handshake.");
  });

  it("exits 2 on bad usage, saying what was wrong, with serve's own usage", async () => {
    expect(await cli(["serve"])).toMatchObject({ code: 2, err: expect.stringContaining("--token is required") });
    expect(await cli(["serve", "--token", TOKEN, "--closes", "0"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--closes: expected an integer 1..10"),
    });
    expect(await cli(["serve", "--token", TOKEN, "--port", "http"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("usage: openclaw-conformance serve"),
    });
    expect(await cli(["serve", "--url", "ws://x"])).toMatchObject({ code: 2 });
  });

  it("exits 2 when the port is taken", async () => {
    const taken = await startServe({ token: TOKEN });
    try {
      const port = new URL(taken.url).port;
      expect(await cli(["serve", "--token", TOKEN, "--port", port])).toMatchObject({
        code: 2,
        err: expect.stringContaining(`cannot listen on 127.0.0.1:${port}`),
      });
    } finally {
      await taken.stop();
    }
  });

  it("exits 2 when no client connects before the timeout", async () => {
    const { code, err } = await cli(["serve", "--token", TOKEN, "--timeout-ms", "1000"]);
    expect(code).toBe(2);
    expect(err).toMatch(/no client connected to ws:\/\/127\.0\.0\.1:\d+ \(the run timed out after 1000 ms\)/);
  });

  it("prints the table and exits 1 when the client fails a MUST check", async () => {
    const { code, out } = await cli(["serve", "--token", TOKEN, "--closes", "1"], (url) => {
      stopClient = startRawClient(url, { token: TOKEN, signed: (input) => ({ ...input, deviceFamily: "" }), reconnectDelayMs: () => 100 }).stop;
    });
    expect(out).toMatch(/client\.signature\s+3\.5\s+MUST\s+FAIL\s+sockets 1, 2: device signature invalid: signed v3 with deviceFamily "" instead/);
    expect(out).toContain("NOT CONFORMANT: 1 MUST check(s) failed");
    expect(code).toBe(1);
  });
});
