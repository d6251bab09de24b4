// Speech to text for voice notes and audio files. The gateway depends only on `TranscriptionProvider`;
// the one implementation here talks to any server with OpenAI's `/audio/transcriptions` endpoint
// (OpenAI's own, and the self-hosted servers that copy its API).
import { TranscriptionError } from "../errors.js";
import type { TranscriptionConfig } from "../config/schema.js";

/** One audio file to transcribe. */
export interface TranscriptionRequest {
  readonly data: Uint8Array;
  /** The file's content type, like `audio/ogg`; it also names the file when `fileName` is absent. */
  readonly mime?: string | undefined;
  readonly fileName?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface TranscriptionResult {
  readonly text: string;
}

/** Turns audio into text. @throws TranscriptionError when the server refuses, fails or times out */
export interface TranscriptionProvider {
  transcribe(request: TranscriptionRequest): Promise<TranscriptionResult>;
}

export interface OpenAiTranscriptionOptions {
  /** The API root, like `https://api.openai.com/v1`; requests go to `<baseUrl>/audio/transcriptions`. */
  readonly baseUrl: string;
  /** @default "whisper-1" */
  readonly model?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>`; servers without auth need none. */
  readonly apiKey?: string | undefined;
  /** ISO-639-1 language of the audio, like `en`; the server detects it when absent. */
  readonly language?: string | undefined;
  /** How long one request may take, upload included. @default 60000 */
  readonly timeoutMs?: number | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

export const DEFAULT_TRANSCRIPTION_MODEL = "whisper-1";
export const DEFAULT_TRANSCRIPTION_TIMEOUT_MS = 60_000;
/** OpenAI's own upload limit for `/audio/transcriptions`. */
export const DEFAULT_TRANSCRIPTION_MAX_MB = 25;

/**
 * Servers pick the decoder by the file name's extension (OpenAI refuses names it does not know), so a
 * voice note without a name is named after its content type.
 */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/ogg": "ogg",
  "audio/opus": "ogg",
  "audio/oga": "oga",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/mp4": "m4a",
  "audio/m4a": "m4a",
  "audio/x-m4a": "m4a",
  "audio/aac": "m4a",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/webm": "webm",
  "audio/flac": "flac",
  "audio/x-flac": "flac",
  "video/mp4": "mp4",
  "video/webm": "webm",
};

/** The name a file is uploaded under: its own, or `audio.<extension of its content type>`. */
export function uploadFileName(fileName: string | undefined, mime: string | undefined): string {
  if (fileName && fileName.trim() !== "") return fileName;
  const type = (mime ?? "").split(";")[0]!.trim().toLowerCase();
  return `audio.${EXTENSIONS[type] ?? "ogg"}`;
}

/** What a failed response says: OpenAI's `error.message`, FastAPI's `detail`, or the start of the body. */
async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; detail?: unknown; message?: unknown };
    const message = typeof body.error === "string" ? body.error : (body.error?.message ?? body.detail ?? body.message);
    if (typeof message === "string" && message !== "") return message;
  } catch {
    // not JSON: the text itself
  }
  const trimmed = text.trim();
  return trimmed === "" ? response.statusText || "no message" : trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** A provider for any server with OpenAI's `POST /audio/transcriptions` (multipart form, JSON answer). */
export function createOpenAiTranscriptionProvider(options: OpenAiTranscriptionOptions): TranscriptionProvider {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/audio/transcriptions`;
  const model = options.model ?? DEFAULT_TRANSCRIPTION_MODEL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRANSCRIPTION_TIMEOUT_MS;
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    async transcribe(request) {
      if (request.signal?.aborted) throw new TranscriptionError("transcription aborted before it started", { cause: request.signal.reason });
      const form = new FormData();
      const type = request.mime ?? "application/octet-stream";
      form.append("file", new Blob([request.data], { type }), uploadFileName(request.fileName, request.mime));
      form.append("model", model);
      if (options.language) form.append("language", options.language);
      form.append("response_format", "json");
      const headers: Record<string, string> = { accept: "application/json" };
      if (options.apiKey) headers["authorization"] = `Bearer ${options.apiKey}`;

      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const forwardAbort = () => controller.abort(request.signal?.reason);
      request.signal?.addEventListener("abort", forwardAbort, { once: true });
      try {
        let response: Response;
        try {
          response = await fetchFn(url, { method: "POST", headers, body: form, signal: controller.signal });
        } catch (error) {
          if (timedOut) throw new TranscriptionError(`transcription server at ${url} did not answer within ${timeoutMs} ms`, { cause: error });
          if (request.signal?.aborted) throw new TranscriptionError("transcription aborted", { cause: error });
          const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
          throw new TranscriptionError(`could not reach the transcription server at ${url}: ${reason}`, { cause: error });
        }
        if (!response.ok) {
          const message = await serverMessage(response);
          throw new TranscriptionError(`transcription server at ${url} answered HTTP ${response.status}: ${message}`, { details: { status: response.status } });
        }
        let body: unknown;
        try {
          body = await response.json();
        } catch (error) {
          if (timedOut) throw new TranscriptionError(`transcription server at ${url} did not answer within ${timeoutMs} ms`, { cause: error });
          throw new TranscriptionError(`transcription server at ${url} answered something that is not JSON; check that it speaks the OpenAI API`, {
            cause: error,
          });
        }
        const text = (body as { text?: unknown } | null)?.text;
        if (typeof text !== "string") throw new TranscriptionError(`transcription server at ${url} answered without a "text" field`);
        return { text: text.trim() };
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", forwardAbort);
      }
    },
  };
}

/** The provider and upload limit `messages.transcription` asks for; undefined when it is absent or disabled. */
export interface ConfiguredTranscription {
  readonly provider: TranscriptionProvider;
  readonly maxBytes: number;
}

/** Builds the transcription `messages.transcription` configures, or undefined when it is off. */
export function transcriptionFromConfig(config: TranscriptionConfig | undefined, fetch?: typeof globalThis.fetch): ConfiguredTranscription | undefined {
  if (!config || config.enabled === false) return undefined;
  return {
    provider: createOpenAiTranscriptionProvider({
      baseUrl: config.baseUrl,
      model: config.model,
      apiKey: config.apiKey,
      language: config.language,
      timeoutMs: config.timeoutMs,
      fetch,
    }),
    maxBytes: Math.floor((config.maxMb ?? DEFAULT_TRANSCRIPTION_MAX_MB) * 1024 * 1024),
  };
}
