import type { ServerResponse } from "node:http";

/**
 * Answers a file download with `bytes`, in several writes so a reader sees the body arrive in
 * parts. `withoutLength` leaves Content-Length out (a chunked body, as a re-chunking proxy sends),
 * so only reading can tell how large the file is.
 */
export function writeFileBody(
  response: ServerResponse,
  bytes: Uint8Array,
  options: { readonly contentType?: string; readonly withoutLength?: boolean } = {},
): void {
  response.writeHead(200, {
    "content-type": options.contentType ?? "application/octet-stream",
    ...(options.withoutLength ? {} : { "content-length": String(bytes.byteLength) }),
  });
  const part = Math.max(1, Math.ceil(bytes.byteLength / 4));
  for (let offset = 0; offset < bytes.byteLength; offset += part) response.write(bytes.subarray(offset, offset + part));
  response.end();
}
