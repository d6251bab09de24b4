import type { InboundMedia } from "@openclaw/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryTranscriptStore } from "../src/memory-transcript-store.js";
import { createAnthropicProvider } from "../src/providers/anthropic.js";
import { createOpenAiCompatibleProvider } from "../src/providers/openai-compatible.js";
import type { ModelProvider, ModelRequest } from "../src/providers/types.js";
import { AgentRuntime, type ToolHost } from "../src/runtime.js";
import { GatedProvider, startAnthropicFake, type GatedPart, startOpenAiFake, type FakeServer } from "@openclaw/testing";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const KEY = "agent:main:main";
const PHOTO_SHA = "1".repeat(64);
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01);
const PNG_URL = `data:image/png;base64,${Buffer.from(PNG).toString("base64")}`;
const photo: InboundMedia = { kind: "image", fileName: "cat.png", mime: "image/png", sizeBytes: 10, sha256: PHOTO_SHA };
const voice: InboundMedia = { kind: "voice", durationSec: 4, transcript: "is it a cat?" };

/** A runtime on `provider`/`model` whose media store holds the photo; it counts the loads. */
function runtimeWith(provider: ModelProvider, model: string, tools?: ToolHost) {
  const store = new MemoryTranscriptStore();
  const loads: string[] = [];
  const runtime = new AgentRuntime({
    store,
    resolveModel: () => ({ provider, model }),
    onEvent: () => undefined,
    loadMedia: (sha256) => (loads.push(sha256), Promise.resolve(sha256 === PHOTO_SHA ? PNG : undefined)),
    ...(tools ? { tools } : {}),
  });
  closers.push(() => runtime.close());
  const run = async (runId: string, message: string, attachments?: readonly InboundMedia[]) =>
    runtime.submit({ runId, sessionKey: KEY, agentId: "main", message, ...(attachments ? { attachments } : {}) }).run.done;
  return { store, runtime, loads, run };
}

async function openAi(replies: number): Promise<{ fake: FakeServer; provider: ModelProvider }> {
  const fake = await startOpenAiFake({ script: Array.from({ length: replies }, (_, index) => ({ kind: "text" as const, chunks: [`reply ${index}`] })) });
  closers.push(() => fake.close());
  return { fake, provider: createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1` }) };
}

const messagesOf = (fake: FakeServer, index: number) => (fake.requests[index]?.body as { messages: unknown[] }).messages;

describe("a run's attachments, through the runtime to the model's request", () => {
  it("an image reaches a model that takes images as an image_url, and the other attachments as text lines", async () => {
    const { fake, provider } = await openAi(1);
    const { store, loads, run } = runtimeWith(provider, "gpt-4o");
    expect(await run("r1", "what is this?", [photo, voice])).toMatchObject({ status: "ok", text: "reply 0" });
    expect(messagesOf(fake, 0)).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: 'what is this?\n[voice note: 4 s — transcript: "is it a cat?"]' },
          { type: "image_url", image_url: { url: PNG_URL } },
        ],
      },
    ]);
    expect(loads).toEqual([PHOTO_SHA]);
    expect(store.page(KEY, { limit: 10 }).entries[0]).toMatchObject({ role: "user", text: "what is this?", attachments: [photo, voice] });
  });

  it("the image goes as a text line to a model that takes none, and is never loaded", async () => {
    const { fake, provider } = await openAi(1);
    const { loads, run } = runtimeWith(provider, "llama3");
    await run("r1", "what is this?", [photo]);
    expect(messagesOf(fake, 0)).toEqual([{ role: "user", content: "what is this?\n[image: cat.png, image/png, 10 B]" }]);
    expect(loads).toEqual([]);
  });

  it("on the next turn the earlier image is a text line, not sent again", async () => {
    const { fake, provider } = await openAi(2);
    const { loads, run } = runtimeWith(provider, "gpt-4o");
    await run("r1", "look", [photo]);
    await run("r2", "and now?");
    expect(messagesOf(fake, 1)).toEqual([
      { role: "user", content: "look\n[image: cat.png, image/png, 10 B]" },
      { role: "assistant", content: "reply 0" },
      { role: "user", content: "and now?" },
    ]);
    expect(loads).toEqual([PHOTO_SHA]);
  });

  it("an image the media store no longer has falls back to its text line", async () => {
    const { fake, provider } = await openAi(1);
    const { run } = runtimeWith(provider, "gpt-4o");
    await run("r1", "", [{ ...photo, sha256: "2".repeat(64) }]);
    expect(messagesOf(fake, 0)).toEqual([{ role: "user", content: "[image: cat.png, image/png, 10 B]" }]);
  });

  it("the image stays on the run's own message through its tool rounds", async () => {
    const fake = await startOpenAiFake({
      script: [
        { kind: "tool_calls", calls: [{ id: "call_1", name: "clock", argumentChunks: ["{}"] }] },
        { kind: "text", chunks: ["done"] },
      ],
    });
    closers.push(() => fake.close());
    const clock: ToolHost = { tools: () => [{ name: "clock", description: "time", parameters: { type: "object" } }], call: async () => ({ text: "12:00" }) };
    const { run } = runtimeWith(createOpenAiCompatibleProvider({ baseUrl: `${fake.url}/v1` }), "gpt-4.1", clock);
    expect(await run("r1", "when was this taken?", [photo])).toMatchObject({ status: "ok" });
    expect(messagesOf(fake, 1)[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "when was this taken?" },
        { type: "image_url", image_url: { url: PNG_URL } },
      ],
    });
  });

  it("reaches an Anthropic model as an image block", async () => {
    const fake = await startAnthropicFake({ script: [{ kind: "text", chunks: ["A cat."] }] });
    closers.push(() => fake.close());
    const { run } = runtimeWith(createAnthropicProvider({ baseUrl: fake.url, apiKey: "k" }), "claude-sonnet-4-5");
    await run("r1", "what is this?", [photo]);
    expect(messagesOf(fake, 0)).toEqual([
      {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: Buffer.from(PNG).toString("base64") } },
          { type: "text", text: "what is this?" },
        ],
      },
    ]);
  });
});

type ImageRequest = ModelRequest;

/** A gated provider whose models all take images. */
function seeingGated(reply: (request: ImageRequest, index: number) => GatedPart[]) {
  const gated = new GatedProvider<ImageRequest>(reply);
  const provider: ModelProvider = { id: gated.id, label: gated.label, stream: (request) => gated.stream(request), supportsImages: () => true };
  return { gated, provider };
}

describe("attachments of messages that join another run", () => {
  it("collect: the folded messages' attachments join the run's user entry", async () => {
    const { gated, provider } = seeingGated(() => ["ok"]);
    const { store, runtime } = runtimeWith(provider, "m");
    runtime.submit({ runId: "A", sessionKey: KEY, agentId: "main", message: "first" });
    await gated.started(0);
    const host = runtime.submit({ runId: "B", sessionKey: KEY, agentId: "main", message: "b", attachments: [voice] }).run;
    runtime.submit({ runId: "C", sessionKey: KEY, agentId: "main", message: "c", queueMode: "collect", attachments: [photo] });
    gated.release(0);
    await gated.started(1);
    gated.release(1);
    await host.done;
    const entry = store.page(KEY, { limit: 10 }).entries.find((candidate) => candidate.runId === "B");
    expect(entry).toMatchObject({ role: "user", text: "b\n\nc", attachments: [voice, photo] });
    const last = gated.requests[1]!.messages.at(-1)!;
    expect(last.content).toBe('b\n\nc\n[voice note: 4 s — transcript: "is it a cat?"]');
    expect(last.images).toEqual([{ mime: "image/png", data: PNG }]);
  });

  it("steer: a steering message's image reaches the next model turn of the run it joined", async () => {
    const clock: ToolHost = { tools: () => [{ name: "clock", description: "time", parameters: { type: "object" } }], call: async () => ({ text: "12:00" }) };
    const { gated, provider } = seeingGated((_, index) =>
      index === 0 ? [{ type: "tool_call", call: { id: "c1", name: "clock", arguments: "{}" } }] : ["seen"],
    );
    const { store, runtime } = runtimeWith(provider, "m", clock);
    const host = runtime.submit({ runId: "A", sessionKey: KEY, agentId: "main", message: "time?" }).run;
    await gated.started(0);
    runtime.submit({ runId: "S", sessionKey: KEY, agentId: "main", message: "and this?", queueMode: "steer", attachments: [photo] });
    gated.release(0);
    await gated.started(1);
    gated.release(1);
    expect(await host.done).toMatchObject({ status: "ok" });
    const steered = gated.requests[1]!.messages.at(-1)!;
    expect(steered).toMatchObject({ role: "user", content: "and this?", images: [{ mime: "image/png", data: PNG }] });
    expect(store.page(KEY, { limit: 10 }).entries.find((entry) => entry.runId === "S")).toMatchObject({ attachments: [photo] });
  });
});
