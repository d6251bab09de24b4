import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { ChannelSendError, MediaTooLargeError, describeError, downloadOutboundSource, type OutboundMedia } from "@openclaw/channel-kit";

/** The media as a `data:<type>;filename=<name>;base64,…` URI. Nothing is sent when it cannot be read, so failures are permanent. */
export async function readAttachment(media: OutboundMedia, max: number): Promise<string> {
  const tooBig = (size: number | undefined) =>
    new ChannelSendError(
      "permanent",
      `attachment ${media.source} is ${size === undefined ? "larger" : `${size} bytes`}; Signal accounts here take at most ${max} (mediaMaxBytes)`,
      { status: 413 },
    );
  let data: Buffer;
  let type = media.contentType;
  let name = media.fileName;
  if (/^https?:\/\//i.test(media.source)) {
    const downloaded = await downloadOutboundSource(media.source, max).catch((error: unknown) => {
      throw error instanceof MediaTooLargeError ? tooBig(error.sizeBytes) : error;
    });
    data = Buffer.from(downloaded.data.buffer, downloaded.data.byteOffset, downloaded.data.byteLength);
    type ??= downloaded.contentType;
    name ??= downloaded.fileName;
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
