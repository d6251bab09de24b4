import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { MAX_PREAUTH_PAYLOAD_BYTES, RequestFrame } from "@openclaw/protocol";
import type { GatewayServer } from "../src/index.js";
import { RawClient, connectClient, connectParams, startGateway, type Frame } from "./harness.js";

// The oracle classifies a frame by the protocol's rules for malformed input (non-JSON, oversized, not a request);
// it shares only the frame schema with the gateway.
const isRequestFrame = new Ajv({ allErrors: true }).compile(RequestFrame);

const deepNesting = fc.integer({ min: 1, max: 20_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const hugeString = fc.integer({ min: 1_000, max: 200_000 }).map((length) => JSON.stringify({ type: "req", id: "h", method: "x".repeat(length) }));
const randomBytes = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1"));
const anyJson = fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value));
const methodName = fc.oneof(
  fc.constantFrom(
    "health",
    "status",
    "system-presence",
    "connect",
    "logs.tail",
    "set-heartbeats",
    "system-event",
    "node.invoke.result",
    "no.such",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 40 }),
);
const wrongTypes = fc
  .record(
    {
      type: fc.oneof(fc.constant("req"), fc.constant("res"), fc.anything()),
      id: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
      method: fc.oneof(methodName, fc.integer(), fc.array(fc.string())),
      params: fc.anything({ maxDepth: 4 }),
      extra: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((frame) => JSON.stringify(frame));
const plausibleRequest = fc
  .record({ id: fc.string({ minLength: 1, maxLength: 12 }), method: methodName, params: fc.option(fc.anything({ maxDepth: 3 }), { nil: undefined }) })
  .map(({ id, method, params }) => JSON.stringify({ type: "req", id, method, ...(params === undefined ? {} : { params }) }));
const mutatedConnect = fc
  .record({
    path: fc.constantFrom("client", "minProtocol", "role", "scopes", "auth", "device", "client.id", "client.mode"),
    value: fc.anything({ maxDepth: 2 }),
  })
  .map(({ path, value }) => {
    const params = connectParams() as unknown as Record<string, unknown>;
    const [head, tail] = path.split(".");
    if (tail) (params[head!] as Record<string, unknown>)[tail] = value;
    else params[head!] = value;
    return JSON.stringify({ type: "req", id: "c", method: "connect", params });
  });

const anyFrame = fc.oneof(randomBytes, deepNesting, hugeString, anyJson, wrongTypes, plausibleRequest, mutatedConnect);

let server: GatewayServer;
let sentinel: RawClient;
let fuzzed: RawClient;

beforeAll(async () => {
  server = await startGateway({ policy: { maxPayload: 1_000_000 } });
  sentinel = (await connectClient(server)).client;
  fuzzed = (await connectClient(server, () => connectParams({ scopes: ["operator.admin"] }))).client;
});
afterAll(async () => {
  sentinel.close();
  fuzzed.close();
  await server.stop();
});

/** Send a frame, then a probe; everything that answers before the probe belongs to the frame. */
async function answersTo(client: RawClient, text: string, probeId: string): Promise<Frame[]> {
  client.sendRaw(text);
  client.send({ type: "req", id: probeId, method: "health" });
  const before: Frame[] = [];
  for (;;) {
    const frame = await client.next();
    if (frame.type === "res" && frame.id === probeId && frame.ok === true) return before;
    before.push(frame);
  }
}

/** `OPENCLAW_LONG_FAULTS=1` runs the long variant: 1 000 000 frames after the handshake. */
const LONG = process.env["OPENCLAW_LONG_FAULTS"] === "1";
const AFTER_HANDSHAKE_RUNS = LONG ? 1_000_000 : 2500;
const BEFORE_HANDSHAKE_RUNS = LONG ? 20_000 : 600;
const FUZZ_TIMEOUT_MS = LONG ? 24 * 3_600_000 : 120_000;

describe("frame fuzzing", () => {
  it("after the handshake: every frame gets its specified answer and the connection stays up", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    let probe = 0;
    await fc.assert(
      fc.asyncProperty(anyFrame, async (text) => {
        if (Buffer.byteLength(text) > 1_000_000) return;
        const answers = await answersTo(fuzzed, text, `probe-${++probe}`);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          expect(answers).toEqual([]);
          return;
        }
        expect(answers).toHaveLength(1);
        const [answer] = answers as [Frame];
        expect(answer.type).toBe("res");
        if (!isRequestFrame(value)) {
          const id = (value as { id?: unknown } | null)?.id;
          expect(answer.id).toBe(typeof id === "string" && id.length > 0 ? id : "invalid");
          expect(answer.error?.message).toMatch(/^invalid request frame: /);
        } else {
          expect(answer.id).toBe((value as { id: string }).id);
          if (!answer.ok) expect(answer.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }
      }),
      { numRuns: AFTER_HANDSHAKE_RUNS },
    );
    expect((await sentinel.call("health")).ok).toBe(true);
  });

  it("before the handshake: every frame gets its specified answer or close, and nothing else is disturbed", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(anyFrame, async (text) => {
        const client = await RawClient.open(server.url);
        await client.event("connect.challenge");
        client.sendRaw(text);
        // A mutation can still leave a valid connect: then the answer is hello-ok and the socket stays open.
        const first = await client.next().catch(() => undefined);
        if (first?.type === "res" && first.ok === true) {
          expect(first.payload.type).toBe("hello-ok");
          client.close();
          await client.waitClosed();
          return;
        }
        const closed = await client.waitClosed();
        const answers = first ? [first, ...client.frames] : client.frames;
        let value: unknown;
        if (Buffer.byteLength(text) > MAX_PREAUTH_PAYLOAD_BYTES) {
          expect(closed).toEqual({ code: 1009, reason: "preauth payload too large" });
          return;
        }
        try {
          value = JSON.parse(text);
        } catch {
          expect(closed.code).toBe(1000);
          expect(answers).toEqual([]);
          return;
        }
        if (!isRequestFrame(value)) {
          expect(closed).toEqual({ code: 1008, reason: "invalid request frame" });
          expect(answers).toEqual([]);
          return;
        }
        expect(answers).toHaveLength(1);
        expect(answers[0]).toMatchObject({ type: "res", id: (value as { id: string }).id, ok: false });
        expect([1002, 1008, 1013]).toContain(closed.code);
        expect(closed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: BEFORE_HANDSHAKE_RUNS },
    );
    expect((await sentinel.call("health")).ok).toBe(true);
    expect((await fuzzed.call("health")).ok).toBe(true);
  });
});
