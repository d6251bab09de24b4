// Reading an attachment from a provider without ever holding more than the cap: the declared size is
// checked before the first byte, and the running total while reading.
import { posix } from "node:path";
import { ChannelKitError, ChannelSendError, describeError, sendFailureKindForStatus } from "./errors.js";

/** The file is larger than the account takes (`mediaMaxMb`); nothing of it was kept. */
export class MediaTooLargeError extends ChannelKitError {
  readonly code = "CHANNEL_KIT_MEDIA_TOO_LARGE";

  constructor(
    readonly maxBytes: number,
    /** The file's size when known (declared by the provider or counted up to the cap). */
    readonly sizeBytes: number | undefined,
  ) {
    super(`the file is ${sizeBytes === undefined ? "larger than" : `${sizeBytes} bytes, over`} the ${maxBytes}-byte limit`);
  }
}

/**
 * The whole body of a download, refused with {@link MediaTooLargeError} as soon as it passes
 * `maxBytes` (or at once when `declaredBytes` already does). The body's stream is cancelled then.
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number, declaredBytes?: number): Promise<Uint8Array> {
  if (declaredBytes !== undefined && declaredBytes > maxBytes) {
    await body?.cancel().catch(() => undefined);
    throw new MediaTooLargeError(maxBytes, declaredBytes);
  }
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new MediaTooLargeError(maxBytes, undefined);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** An outbound file fetched from its http(s) URL. */
export interface DownloadedSource {
  readonly data: Uint8Array;
  /** The response's content type, without parameters. */
  readonly contentType?: string;
  /** The last segment of the URL's path. */
  readonly fileName?: string;
}

/**
 * An outbound file given as an http(s) URL, downloaded under `maxBytes` (by `content-length`, then
 * while reading). Classified for the outbox: unreachable, a broken body, 429 and 5xx are
 * transient, other statuses as {@link sendFailureKindForStatus} says; a file over the cap rejects
 * with {@link MediaTooLargeError}, for the adapter to word with its own limit.
 */
export async function downloadOutboundSource(source: string, maxBytes: number, timeoutMs = 30_000): Promise<DownloadedSource> {
  let response: Response;
  try {
    response = await fetch(source, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ChannelSendError("transient", `could not download attachment ${source}: ${describeError((error as { cause?: unknown }).cause ?? error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ChannelSendError(sendFailureKindForStatus(response.status), `could not download attachment ${source}: HTTP ${response.status}`, {
      status: response.status,
    });
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const data = await readCapped(response.body, maxBytes, Number.isFinite(declared) ? declared : undefined).catch((error: unknown) => {
    if (error instanceof MediaTooLargeError) throw error;
    throw new ChannelSendError("transient", `could not download attachment ${source}: ${describeError(error)}`, { cause: error });
  });
  const contentType = response.headers.get("content-type")?.split(";")[0]?.trim() || undefined;
  const fileName = posix.basename(new URL(source).pathname) || undefined;
  return { data, ...(contentType ? { contentType } : {}), ...(fileName ? { fileName } : {}) };
}
