import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelProvider, ModelRequest } from "@openclaw/agent";
import { GatedProvider } from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { MediaStore } from "../src/media/media-store.js";
import { MEDIA_GET_MAX_BYTES } from "../src/methods/media.js";
import { RawClient, connectClient, connectParams, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
const clients: RawClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function start(options: { stateDir?: boolean } = {}) {
  const requests: ModelRequest[] = [];
  const gated = new GatedProvider<ModelRequest>(() => ["Seen."], { gated: false });
  const provider: ModelProvider = {
    id: "seeing",
    label: "seeing",
    stream: (request) => (requests.push(request), gated.stream(request)),
    supportsImages: () => true,
  };
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-uploads-"));
  dirs.push(stateDir);
  server = await startGateway({
    ...(options.stateDir === false ? {} : { stateDir }),
    agent: { resolveModel: () => ({ provider, model: "eyes" }), listModels: async () => [] },
  });
  const { client } = await connectClient(server, () => connectParams({ scopes: ["operator.read", "operator.write"] }));
  clients.push(client);
  return { client, requests };
}

describe("files a client sends with chat.send", () => {
  it("are stored, reach the model as an image, show in chat.history, and media.get gives the bytes back", async () => {
    const { client, requests } = await start();
    const sent = await client.call("chat.send", {
      sessionKey: "agent:main:web",
      message: "",
      idempotencyKey: "upload-1",
      attachments: [{ type: "image", mimeType: "image/png", fileName: "dot.png", content: PNG.toString("base64") }],
    });
    expect(sent.payload).toMatchObject({ status: "started" });
    await client.next((frame) => frame.event === "chat" && frame.payload?.state === "final");
    expect(requests[0]!.messages.at(-1)!.images).toEqual([{ mime: "image/png", data: new Uint8Array(PNG) }]);

    const history = await client.call("chat.history", { sessionKey: "agent:main:web" });
    const user = history.payload.messages.find((message: { role: string }) => message.role === "user");
    const media = user.content.find((part: { type: string }) => part.type === "media").media;
    expect(media).toEqual({
      kind: "image",
      mime: "image/png",
      sizeBytes: PNG.byteLength,
      fileName: "dot.png",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const fetched = await client.call("media.get", { sha256: media.sha256 });
    expect(fetched.payload).toEqual({ sha256: media.sha256, sizeBytes: PNG.byteLength, data: PNG.toString("base64") });
  });

  it("accepts a data: URL as the content and takes its type from it", async () => {
    const { client, requests } = await start();
    await client.call("chat.send", {
      sessionKey: "agent:main:web",
      message: "look",
      idempotencyKey: "upload-2",
      attachments: [{ content: `data:image/png;base64,${PNG.toString("base64")}` }],
    });
    await client.next((frame) => frame.event === "chat" && frame.payload?.state === "final");
    expect(requests[0]!.messages.at(-1)!.images?.[0]?.mime).toBe("image/png");
  });

  it("refuses, naming the attachment, a URL instead of content, bad base64, too many files, and a gateway without a state dir", async () => {
    const { client } = await start();
    const send = (attachments: unknown[], key: string) =>
      client.call("chat.send", { sessionKey: "agent:main:web", message: "x", idempotencyKey: key, attachments });
    expect((await send([{ url: "https://example.com/a.png" }], "u1")).error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "attachments[0]: send the file as base64 content; the gateway does not fetch attachment URLs",
    });
    expect((await send([{ content: PNG.toString("base64") }, { content: "not base64!" }], "u2")).error?.message).toBe(
      "attachments[1].content: expected base64 (or a data: URL with ;base64)",
    );
    expect(
      (
        await send(
          Array.from({ length: 5 }, () => ({ content: "AAAA" })),
          "u3",
        )
      ).error?.message,
    ).toBe("attachments: at most 4 files per message, got 5");
    const plain = await start({ stateDir: false });
    const refused = await plain.client.call("chat.send", { sessionKey: "s", message: "x", idempotencyKey: "u4", attachments: [{ content: "AAAA" }] });
    expect(refused.error?.message).toBe("attachments: this gateway keeps no files (it runs without a state dir)");
  });

  it("media.get refuses a stored file too large to answer with, naming the limit", async () => {
    const { client } = await start();
    const big = Buffer.alloc(MEDIA_GET_MAX_BYTES + 1, 7);
    // The gateway's media store is `<stateDir>/media`; the file is put there as a channel download would.
    const stored = await new MediaStore(join(dirs.at(-1)!, "media")).put(big);
    const refused = await client.call("media.get", { sha256: stored });
    expect(refused.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: `media.get: the file is ${big.byteLength} bytes; media.get answers with files up to ${MEDIA_GET_MAX_BYTES} bytes`,
    });
  });

  it("media.get says a file it does not have is not found", async () => {
    const { client } = await start();
    const missing = await client.call("media.get", { sha256: "0".repeat(64) });
    expect(missing.error).toMatchObject({ message: `media.get: no stored file ${"0".repeat(64)} (it may have been pruned)` });
    expect((await client.call("media.get", { sha256: "../../etc/passwd" })).error?.code).toBe("INVALID_REQUEST");
  });
});
