import { afterEach, describe, expect, it } from "vitest";
import { startTranscriptionFake, waitFor, type TranscriptionFakeOptions } from "@openclaw/testing";
import { planReload, validateConfig, withDefaults, type ConfigIssue } from "../src/config/index.js";
import { TranscriptionError } from "../src/errors.js";
import { createOpenAiTranscriptionProvider, transcriptionFromConfig, uploadFileName, type OpenAiTranscriptionOptions } from "../src/media/transcription.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const VOICE = Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 0xff, 0x10]);

async function serve(options: TranscriptionFakeOptions, provider: Omit<OpenAiTranscriptionOptions, "baseUrl"> = {}) {
  const fake = await startTranscriptionFake(options);
  cleanups.push(() => fake.close());
  return { fake, provider: createOpenAiTranscriptionProvider({ baseUrl: `${fake.url}/v1/`, ...provider }) };
}

async function failureOf(promise: Promise<unknown>): Promise<TranscriptionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TranscriptionError);
  return error as TranscriptionError;
}

describe("the OpenAI-compatible transcription provider", () => {
  it("uploads the file as multipart with model, language and response_format, and answers the server's text", async () => {
    const { fake, provider } = await serve(
      { script: [{ kind: "text", text: " hello there \n" }] },
      { model: "whisper-large-v3", language: "de", apiKey: "sk-test" },
    );
    const result = await provider.transcribe({ data: VOICE, mime: "audio/ogg" });
    expect(result).toEqual({ text: "hello there" });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/audio/transcriptions"]);
    const [upload] = fake.uploads;
    expect(upload?.file).toEqual(VOICE);
    expect(upload?.fileName).toBe("audio.ogg");
    expect(upload?.fileType).toBe("audio/ogg");
    expect(upload?.fields).toEqual({ model: "whisper-large-v3", language: "de", response_format: "json" });
    expect(upload?.authorization).toBe("Bearer sk-test");
  });

  it("sends the file under its own name, whisper-1 by default, and no Authorization header without a key", async () => {
    const { fake, provider } = await serve({ script: [{ kind: "text", text: "song lyrics" }] });
    await provider.transcribe({ data: VOICE, mime: "audio/mpeg", fileName: "track.mp3" });
    expect(fake.uploads[0]?.fileName).toBe("track.mp3");
    expect(fake.uploads[0]?.fields).toEqual({ model: "whisper-1", response_format: "json" });
    expect(fake.uploads[0]?.authorization).toBeUndefined();
  });

  it("names the HTTP status and the server's message when the server refuses, and never the key", async () => {
    const { provider } = await serve({ script: [], apiKey: "sk-right" }, { apiKey: "sk-wrong-secret" });
    const error = await failureOf(provider.transcribe({ data: VOICE, mime: "audio/ogg" }));
    expect(error.message).toMatch(/answered HTTP 401: Incorrect API key provided\.$/);
    expect(error.message).not.toContain("sk-wrong-secret");
    expect(error.details).toEqual({ status: 401 });
    expect(error.code).toBe("TRANSCRIPTION_FAILED");

    const { provider: failing } = await serve({ script: [{ kind: "error", status: 503, message: "model is loading" }] });
    expect((await failureOf(failing.transcribe({ data: VOICE }))).message).toMatch(/answered HTTP 503: model is loading$/);
  });

  it("gives up after timeoutMs on a server that never answers, and closes the request", async () => {
    const { fake, provider } = await serve({ script: [{ kind: "hang" }] }, { timeoutMs: 1000 });
    const error = await failureOf(provider.transcribe({ data: VOICE, mime: "audio/ogg" }));
    expect(error.message).toMatch(/did not answer within 1000 ms$/);
    await expect(fake.requests[0]!.closed).resolves.toEqual({ early: true });
  });

  it("stops when the caller aborts", async () => {
    const { fake, provider } = await serve({ script: [{ kind: "hang" }] });
    const controller = new AbortController();
    const pending = provider.transcribe({ data: VOICE, signal: controller.signal });
    const settled = failureOf(pending);
    await waitFor("the upload to arrive", () => fake.requests.length > 0);
    controller.abort();
    expect((await settled).message).toBe("transcription aborted");
  });

  it("says so when nothing listens at baseUrl", async () => {
    const { fake, provider } = await serve({ script: [] });
    await fake.close();
    cleanups.pop();
    const error = await failureOf(provider.transcribe({ data: VOICE }));
    expect(error.message).toMatch(/^could not reach the transcription server at http:\/\/127\.0\.0\.1:\d+\/v1\/audio\/transcriptions: /);
  });
});

describe("upload file names", () => {
  it("come from the content type when the channel gave none, so the server can pick a decoder", () => {
    expect(uploadFileName(undefined, "audio/ogg; codecs=opus")).toBe("audio.ogg");
    expect(uploadFileName(undefined, "audio/mp4")).toBe("audio.m4a");
    expect(uploadFileName("", "audio/x-wav")).toBe("audio.wav");
    expect(uploadFileName(undefined, undefined)).toBe("audio.ogg");
    expect(uploadFileName("memo.m4a", "audio/mp4")).toBe("memo.m4a");
  });
});

function issuesOf(parsed: unknown): readonly ConfigIssue[] {
  const result = validateConfig(parsed, {});
  return result.ok ? [] : result.issues;
}

describe("messages.transcription", () => {
  it("takes baseUrl with optional model, apiKey, language, maxMb, timeoutMs and enabled, and names what is wrong", () => {
    const full = { enabled: true, baseUrl: "http://127.0.0.1:8000/v1", model: "whisper-1", apiKey: "sk-x", language: "en", maxMb: 10, timeoutMs: 30_000 };
    expect(issuesOf({ messages: { transcription: full } })).toEqual([]);
    expect(issuesOf({ messages: { transcription: { model: "whisper-1" } } })).toEqual([
      { path: "messages.transcription.baseUrl", message: "required key is missing" },
    ]);
    expect(issuesOf({ messages: { transcription: { baseUrl: "api.openai.com" } } })).toEqual([
      {
        path: "messages.transcription.baseUrl",
        message: 'expected API root URL starting with "http://" or "https://", like "https://api.openai.com/v1", got "api.openai.com"',
      },
    ]);
    expect(issuesOf({ messages: { transcription: { baseUrl: "http://x", timeoutMs: 5 } } })).toEqual([
      { path: "messages.transcription.timeoutMs", message: "expected integer 1000..600000, got 5" },
    ]);
    expect(issuesOf({ messages: { transcription: { baseUrl: "http://x", key: "sk" } } })).toEqual([
      { path: "messages.transcription.key", message: "unknown key" },
    ]);
  });

  it("is off unless configured, and off with enabled: false", () => {
    expect(withDefaults({}).messages.transcription).toBeUndefined();
    expect(transcriptionFromConfig(withDefaults({}).messages.transcription)).toBeUndefined();
    expect(transcriptionFromConfig({ baseUrl: "http://x", enabled: false })).toBeUndefined();
    expect(transcriptionFromConfig({ baseUrl: "http://x" })?.maxBytes).toBe(25 * 1024 * 1024);
    expect(transcriptionFromConfig({ baseUrl: "http://x", maxMb: 0.5 })?.maxBytes).toBe(512 * 1024);
  });

  it("applies in place, with the channels", () => {
    expect(planReload({}, { messages: { transcription: { baseUrl: "http://x" } } })).toEqual({
      changed: ["messages.transcription.baseUrl"],
      hot: ["channels"],
      restart: [],
    });
  });
});
