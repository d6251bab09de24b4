import { afterEach, describe, expect, it } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { GatedProvider } from "@openclaw/testing";
import { RawClient, connectClient, connectParams, startGateway, type Frame } from "./harness.js";

let server: GatewayServer | undefined;
let client: RawClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.stop();
});

describe("wake", () => {
  it("two wakes in the same millisecond start two runs with distinct ids", async () => {
    const provider = new GatedProvider(() => ["noted"], { gated: false });
    // A clock that never moves: every wake happens in the same millisecond.
    server = await startGateway({ now: () => 1_700_000_000_000, agent: { resolveModel: () => ({ provider, model: "m" }), listModels: async () => [] } });
    ({ client } = await connectClient(server, () => connectParams({ scopes: ["operator.read", "operator.write"] })));
    const started = (frame: Frame) => frame.event === "agent" && frame.payload.stream === "lifecycle" && frame.payload.data.phase === "start";
    const ended = (frame: Frame) => frame.event === "agent" && frame.payload.stream === "lifecycle" && frame.payload.data.phase === "end";

    expect((await client.call("wake", { mode: "now", text: "first" })).payload).toEqual({ ok: true });
    expect((await client.call("wake", { mode: "now", text: "second" })).payload).toEqual({ ok: true });
    const runIds = [(await client.next(started)).payload.runId, (await client.next(started)).payload.runId];
    expect(new Set(runIds).size).toBe(2);
    const endedIds = [(await client.next(ended)).payload.runId, (await client.next(ended)).payload.runId];
    expect(endedIds.sort()).toEqual([...runIds].sort());
    // Both texts reached a turn.
    const seen = provider.requests.flatMap((request) => request.messages.map((message) => message.content)).join("\n");
    expect(seen).toContain("first");
    expect(seen).toContain("second");
  });
});
