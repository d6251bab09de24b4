// Reading an attachment from a provider without ever holding more than the cap: the declared size is
// checked before the first byte, and the running total while reading.
import { ChannelKitError } from "./errors.js";

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
