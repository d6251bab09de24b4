import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { ChannelSendError, describeError, sendFailureKindForStatus, type OutboundMedia } from "@openclaw/channel-kit";

/** The media as a `data:<type>;filename=<name>;base64,…` URI. Nothing is sent when it cannot be read, so failures are permanent. */
export async function readAttachment(media: OutboundMedia, max: number): Promise<string> {
  const tooBig = (size: number) =>
    new ChannelSendError("permanent", `attachment ${media.source} is ${size} bytes; Signal accounts here take at most ${max} (mediaMaxBytes)`, { status: 413 });
  let data: Buffer;
  let type = media.contentType;
  let name = media.fileName;
  if (/^https?:\/\//i.test(media.source)) {
    let response: Response;
    try {
      response = await fetch(media.source, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new ChannelSendError(
        "transient",
        `could not download attachment ${media.source}: ${describeError((error as { cause?: unknown }).cause ?? error)}`,
        { cause: error },
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new ChannelSendError(sendFailureKindForStatus(response.status), `could not download attachment ${media.source}: HTTP ${response.status}`, {
        status: response.status,
      });
    }
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > max) {
      await response.body?.cancel().catch(() => undefined);
      throw tooBig(declared);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) throw tooBig(size);
      chunks.push(chunk);
    }
    data = Buffer.concat(chunks);
    type ??= response.headers.get("content-type")?.split(";")[0]?.trim() || undefined;
    name ??= basename(new URL(media.source).pathname) || undefined;
  } else {
    const path = media.source.startsWith("file:") ? fileURLToPath(media.source) : media.source;
    try {
      const info = await stat(path);
      if (info.size > max) throw tooBig(info.size);
      data = await readFile(path);
    } catch (error) {
      if (error instanceof ChannelSendError) throw error;
      throw new ChannelSendError("permanent", `could not read attachment ${path}: ${describeError(error)}`, { cause: error });
    }
    name ??= basename(path);
  }
  // `;` and `,` end the filename parameter in signal-cli's data URI parser.
  const filename = (name ?? "attachment").replace(/[;,\r\n]/g, "_");
  return `data:${type ?? "application/octet-stream"};filename=${filename};base64,${data.toString("base64")}`;
}
