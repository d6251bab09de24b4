import { afterEach, describe, expect, it } from "vitest";
import { exitCodeFor, startServe, type CheckResult, type ServeOptions } from "../src/index.js";
import { TOKEN } from "./helpers.js";
import { startRawClient, type RawClientBehaviour } from "./serve-raw-client.js";

let stopClient: (() => void) | undefined;
afterEach(() => {
  stopClient?.();
  stopClient = undefined;
});

/** Backoff that triples, so timer lateness on a busy machine cannot flatten it. */
const backoff = (attempt: number) => 100 * 3 ** (attempt - 1);

/** Serve one raw client through the script and return the results by check id. */
async function serveRawClient(
  behaviour: Omit<RawClientBehaviour, "token"> & { token?: string },
  options: Partial<ServeOptions> = {},
): Promise<Map<string, CheckResult>> {
  const run = await startServe({ token: TOKEN, closes: 3, ...options });
  const client = startRawClient(run.url, { token: TOKEN, ...behaviour });
  stopClient = client.stop;
  const results = await run.results;
  expect(run.pendingTimers).toBe(0);
  return new Map(results.map((result) => [result.id, result]));
}

const statuses = (results: Map<string, CheckResult>, ids: readonly string[]) => ids.map((id) => [id, results.get(id)?.status]);

describe("serve against deliberately broken clients", () => {
  it("a client that leaves the platform out of its v3 signature fails client.signature, named, and passes the rest", async () => {
    const results = await serveRawClient({ signed: (input) => ({ ...input, platform: "" }), reconnectDelayMs: backoff });
    expect(results.get("client.signature")).toMatchObject({
      status: "fail",
      level: "MUST",
      detail: 'sockets 1, 2, 3, 4: device signature invalid: signed v3 with platform "" instead of client.platform normalized ("linux") (§3.3)',
    });
    expect(results.get("client.signature-v3")).toMatchObject({ status: "skip" });
    const others = ["client.challenge-wait", "client.connect-params", "client.auth-token", "client.frames", "client.seq-gap", "client.reconnect-backoff"];
    expect(statuses(results, others)).toEqual(others.map((id) => [id, "pass"]));
    expect(exitCodeFor([...results.values()])).toBe(1);
  });

  it("a client that reconnects at once, in a tight loop, fails client.reconnect-backoff", async () => {
    // A clock that advances one tick per reading: the gaps are then a few ticks, whatever the machine's speed.
    let now = 0;
    const results = await serveRawClient({ reconnectDelayMs: () => 0 }, { clock: () => ++now });
    expect(results.get("client.reconnect-backoff")).toMatchObject({ status: "fail", level: "SHOULD", detail: expect.stringContaining("a tight loop") });
    const others = ["client.challenge-wait", "client.connect-params", "client.signature", "client.signature-v3", "client.seq-gap"];
    expect(statuses(results, others)).toEqual(others.map((id) => [id, "pass"]));
  });

  it("a client that sends connect before the challenge fails client.challenge-wait, and its guessed nonce fails client.signature", async () => {
    const results = await serveRawClient({ connectBeforeChallenge: true, reconnectDelayMs: backoff }, { closes: 1 });
    expect(results.get("client.challenge-wait")).toMatchObject({
      status: "fail",
      detail: 'sockets 1, 2: sent req "connect" before connect.challenge',
    });
    expect(results.get("client.signature")).toMatchObject({ status: "fail", detail: expect.stringContaining("expected this connection's challenge nonce") });
  });

  it("a v2 signature and no re-fetch after a gap fail their SHOULD checks, and the run still exits 0", async () => {
    const results = await serveRawClient(
      { signed: (input) => ({ ...input, version: "v2" }), refetchOnGap: false, reconnectDelayMs: backoff },
      { closes: 2, refetchWaitMs: 300 },
    );
    expect(results.get("client.signature")).toMatchObject({ status: "pass" });
    expect(results.get("client.signature-v3")).toMatchObject({ status: "fail", level: "SHOULD", detail: expect.stringContaining("verifies over v2 only") });
    expect(results.get("client.seq-gap")).toMatchObject({
      status: "fail",
      level: "SHOULD",
      detail: expect.stringContaining("no request reading state came within 300 ms"),
    });
    expect(exitCodeFor([...results.values()])).toBe(0);
  });

  it("an unknown client id, a protocol range without 4, a wrong token and a non-JSON frame fail the checks that hold them", async () => {
    const results = await serveRawClient(
      { token: "not-the-token", client: { id: "my-app" }, protocol: [3, 3], afterHello: "hello?", reconnectDelayMs: backoff },
      { closes: 1 },
    );
    expect(results.get("client.connect-params")).toMatchObject({
      status: "fail",
      detail:
        "sockets 1, 2: invalid connect params: at /client/id: must be equal to one of the allowed values; sockets 1, 2: protocol range 3..3 does not include 4 (§2.5)",
    });
    expect(results.get("client.auth-token")).toMatchObject({
      status: "fail",
      detail: "sockets 1, 2: auth.token is not the gateway's token (--token), and no device token serve issued is sent",
    });
    expect(results.get("client.frames")).toMatchObject({
      status: "fail",
      detail: "sockets 1, 2: sent a text frame that is not a JSON object; frames are text frames holding one JSON object (§1.1)",
    });
    // It signs what it sends, wrong as that is.
    expect(results.get("client.signature")).toMatchObject({ status: "pass" });
  });
});
