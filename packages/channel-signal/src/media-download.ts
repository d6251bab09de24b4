// Fetching an inbound Signal file from the daemon: signal-cli has already downloaded and decrypted
// it, and `getAttachment` / `getSticker` answer its bytes base64-encoded in the JSON-RPC result.
import { randomUUID } from "node:crypto";
import { InvalidOptionError, MediaTooLargeError, readCapped, type DownloadedMedia, type InboundMediaFact } from "@openclaw/channel-kit";
import { parseMediaRef, SIGNAL_ATTACHMENT_PREFIX, SIGNAL_STICKER_PREFIX } from "./inbound-media.js";

/** Room for the JSON-RPC envelope around the base64 data. */
const ENVELOPE_BYTES = 4096;

/** A sticker's content type from its first bytes (signal-cli gives none): WebP, PNG/APNG or GIF. */
function sniffImageType(data: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (data[0] === 0x89 && ascii(1, 4) === "PNG") return "image/png";
  if (ascii(0, 4) === "GIF8") return "image/gif";
  return undefined;
}

export interface SignalDownloadTarget {
  readonly baseUrl: string;
  readonly account: string;
  /** @default 60 s */
  readonly timeoutMs?: number;
}

/**
 * One inbound file through `getAttachment` (or a sticker through `getSticker`), at most `maxBytes`:
 * the size signal-cli reported is checked first; the answer is read under the base64 length of
 * `maxBytes`, and the decoded file is checked again.
 */
export async function downloadSignalMedia(
  media: InboundMediaFact,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
  target: SignalDownloadTarget,
): Promise<DownloadedMedia> {
  const call = parseMediaRef(media.url);
  if (!call)
    throw new InvalidOptionError("media.url", `a ${SIGNAL_ATTACHMENT_PREFIX}<id>?recipient=… or ${SIGNAL_STICKER_PREFIX}<pack>/<id> reference`, media.url);
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
  const timeout = AbortSignal.timeout(target.timeoutMs ?? 60_000);
  const response = await fetch(`${target.baseUrl}/api/v1/rpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: call.method, params: { ...call.params, account: target.account }, id: randomUUID() }),
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`signal-cli daemon answered HTTP ${response.status} to ${call.method}`);
  }
  const encodedCap = Math.ceil(options.maxBytes / 3) * 4 + ENVELOPE_BYTES;
  const raw = await readCapped(response.body, encodedCap).catch((error: unknown) => {
    throw error instanceof MediaTooLargeError ? new MediaTooLargeError(options.maxBytes, undefined) : error;
  });
  const body = JSON.parse(new TextDecoder().decode(raw)) as { result?: { data?: unknown }; error?: { message?: string } };
  if (body.error) throw new Error(`signal-cli ${call.method} failed: ${body.error.message ?? "unknown error"}`);
  const encoded = body.result?.data;
  if (typeof encoded !== "string") throw new Error(`signal-cli ${call.method} answered without data`);
  const data = new Uint8Array(Buffer.from(encoded, "base64"));
  if (data.byteLength > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, data.byteLength);
  const contentType = media.contentType ?? (call.method === "getSticker" ? sniffImageType(data) : undefined);
  return { data, ...(contentType ? { contentType } : {}) };
}
