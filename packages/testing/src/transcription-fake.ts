import { hangUntilClosed, sendJson, startHttpFake, type FakeServer } from "./http-fake.js";

/** What the fake does for one `POST /audio/transcriptions`, in script order. */
export type TranscriptionFakeStep =
  /** Answers `{ "text": text }`. */
  | { readonly kind: "text"; readonly text: string }
  /** Answers a non-2xx status with an OpenAI error body. */
  | { readonly kind: "error"; readonly status: number; readonly message?: string }
  /** Never answers; the request stays open until the client goes away. */
  | { readonly kind: "hang" };

/** One upload, as the server's multipart parser read it. */
export interface TranscriptionUpload {
  readonly file: Uint8Array;
  readonly fileName: string;
  /** The file part's content type. */
  readonly fileType: string;
  /** Every text field of the form (`model`, `language`, `response_format`, …). */
  readonly fields: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

export interface TranscriptionFakeOptions {
  readonly script: readonly TranscriptionFakeStep[];
  /** When set, an upload without `Authorization: Bearer <apiKey>` gets 401 and uses no step. */
  readonly apiKey?: string;
}

export interface TranscriptionFake extends FakeServer {
  /** Every well-formed upload, in arrival order (refused ones included). */
  readonly uploads: TranscriptionUpload[];
}

/**
 * A fake OpenAI-compatible speech-to-text server: `POST <any prefix>/audio/transcriptions` takes a
 * multipart form with `file` and `model` and answers per the script; a request after the last step gets 500.
 */
export async function startTranscriptionFake(options: TranscriptionFakeOptions): Promise<TranscriptionFake> {
  const steps = [...options.script];
  const uploads: TranscriptionUpload[] = [];
  const server = await startHttpFake(async (request, res) => {
    if (request.method !== "POST" || !request.path.endsWith("/audio/transcriptions")) {
      return sendJson(res, 404, openAiError(`Unknown path ${request.path}`, "invalid_request_error"));
    }
    const contentType = request.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data")) {
      return sendJson(res, 400, openAiError(`expected multipart/form-data, got ${contentType || "no content type"}`, "invalid_request_error"));
    }
    // The platform's own multipart parser, so a malformed body fails here as it would on a real server.
    const form = await new Response(request.rawBody, { headers: { "content-type": contentType } }).formData();
    const file = form.get("file");
    if (file === null || typeof file === "string") return sendJson(res, 400, openAiError("the form has no file part named file", "invalid_request_error"));
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
    if (!fields["model"]) return sendJson(res, 400, openAiError("you must provide a model parameter", "invalid_request_error"));
    uploads.push({
      file: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name,
      fileType: file.type,
      fields,
      authorization: request.headers.authorization,
    });
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, openAiError("Incorrect API key provided.", "invalid_request_error"));
    }
    const step = steps.shift();
    if (!step) return sendJson(res, 500, openAiError("fake script exhausted", "server_error"));
    if (step.kind === "hang") return hangUntilClosed(request);
    if (step.kind === "error")
      return sendJson(res, step.status, openAiError(step.message ?? "The server had an error while processing your request.", "server_error"));
    sendJson(res, 200, { text: step.text });
  });
  return { ...server, uploads };
}

function openAiError(message: string, type: string) {
  return { error: { message, type, param: null, code: null } };
}
