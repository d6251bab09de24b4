import type { ModelProvider, ModelRequest } from "@openclaw/agent";
import type { InboundMedia } from "@openclaw/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayServer } from "../src/index.js";
import { GatedProvider } from "@openclaw/testing";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

const SHA = "9".repeat(64);
const GIF = new TextEncoder().encode("GIF89a\u0001\u0000");
const photo: InboundMedia = { kind: "image", mime: "image/gif", sizeBytes: 8, sha256: SHA, caption: "us" };
const pin: InboundMedia = { kind: "location", location: { latitude: 59.91, longitude: 10.75, name: "Oslo" } };

async function operator(gateway: GatewayServer) {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes: ["operator.read", "operator.write"] }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("a message's attachments in the gateway", () => {
  it("the gateway's loadMedia feeds the image to a model that takes images, and chat.history shows each attachment as a media part", async () => {
    const gated = new GatedProvider<ModelRequest>(() => ["A photo in Oslo."], { gated: false });
    const provider: ModelProvider = { id: "seeing", label: "seeing", stream: (request) => gated.stream(request), supportsImages: () => true };
    const loads: string[] = [];
    server = await startGateway({
      agent: {
        resolveModel: () => ({ provider, model: "eyes" }),
        listModels: async () => [],
        loadMedia: async (sha256) => (loads.push(sha256), sha256 === SHA ? GIF : undefined),
      },
    });
    const outcome = await server.agent!.runtime.submit({ runId: "r1", sessionKey: "s", agentId: "main", message: "where?", attachments: [photo, pin] }).run
      .done;
    expect(outcome).toMatchObject({ status: "ok", text: "A photo in Oslo." });
    expect(loads).toEqual([SHA]);
    expect(gated.requests[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: "where?\n[location: 59.91, 10.75 (Oslo)]",
      images: [{ mime: "image/gif", data: GIF }],
    });

    const client = await operator(server);
    const history = await client.call("chat.history", { sessionKey: "s" });
    expect(history.ok).toBe(true);
    expect(history.payload.messages.map((message: { role: string; content: unknown }) => [message.role, message.content])).toEqual([
      [
        "user",
        [
          { type: "text", text: "where?" },
          { type: "media", media: photo },
          { type: "media", media: pin },
        ],
      ],
      ["assistant", [{ type: "text", text: "A photo in Oslo." }]],
    ]);
  });
});
