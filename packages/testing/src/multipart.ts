// Reads a multipart/form-data body into its fields and files, as a provider's upload endpoint does.

/** One part: a plain field has `value`; a file part has `filename` and `bytes`. */
export interface MultipartPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly bytes: Uint8Array;
  readonly value: string;
}

/** The parts of `body`, split at the boundary named in `contentType`; throws on a body that is not multipart. */
export function parseMultipart(body: Uint8Array, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new Error(`no multipart boundary in content-type ${contentType}`);
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let at = buffer.indexOf(delimiter);
  while (at !== -1) {
    let start = at + delimiter.length;
    if (buffer.subarray(start, start + 2).toString() === "--") break;
    if (buffer.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = buffer.indexOf(delimiter, start);
    if (next === -1) throw new Error("multipart body ends without its closing boundary");
    // The part ends with CRLF before the next delimiter.
    const part = buffer.subarray(start, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split === -1) throw new Error("multipart part without a header block");
    const headers = part.subarray(0, split).toString("utf8");
    const bytes = new Uint8Array(part.subarray(split + 4));
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error(`multipart part without a name: ${headers}`);
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      ...(filename ? { filename: (filename[1] ?? filename[2] ?? "").trim() } : {}),
      ...(type ? { contentType: type } : {}),
      bytes,
      value: Buffer.from(bytes).toString("utf8"),
    });
    at = next;
  }
  return parts;
}
