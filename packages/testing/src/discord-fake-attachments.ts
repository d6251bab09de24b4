/**
 * Attachment files of the Discord fake, served as Discord's CDN serves them: at
 * `/attachments/<channel>/<id>/<name>` without any token. An attachment can declare a smaller
 * `size` than it has (then it is sent without Content-Length); unknown ones answer 404. Every
 * download is recorded.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { nextSnowflake } from "./discord-fake-history.js";
import { json } from "./discord-fake-rest.js";
import { writeFileBody } from "./file-body.js";

/** One request for an attachment's bytes. */
export interface DiscordAttachmentDownload {
  readonly path: string;
  readonly authorization: string | undefined;
}

/** `baseUrl` is this server's `http://127.0.0.1:<port>` (known once it listens). */
export function discordAttachments(baseUrl: () => string) {
  const attachmentFiles = new Map<string, { bytes: Uint8Array; withoutLength: boolean }>();
  const downloads: DiscordAttachmentDownload[] = [];
  return {
    downloads,
    /** Answers a request under `/attachments/`; false for any other path. */
    serve(request: IncomingMessage, response: ServerResponse, path: string): boolean {
      if (!path.startsWith("/attachments/")) return false;
      downloads.push({ path, authorization: request.headers.authorization });
      const file = attachmentFiles.get(path);
      if (!file) json(response, 404, { message: "404: Not Found", code: 0 });
      else writeFileBody(response, file.bytes, { withoutLength: file.withoutLength });
      return true;
    },
    /**
     * Stores an attachment's bytes and returns its attachment object (`fields` merged in:
     * content_type, width, height, duration_secs, waveform, …). `declaredSize` makes the object
     * claim that size while the full bytes are served.
     */
    add(bytes: Uint8Array, fields: Record<string, unknown> & { filename: string }, serve: { channelId?: string; declaredSize?: number } = {}) {
      const id = nextSnowflake();
      const path = `/attachments/${serve.channelId ?? "0"}/${id}/${encodeURIComponent(fields.filename)}`;
      attachmentFiles.set(path, { bytes, withoutLength: serve.declaredSize !== undefined });
      const signed = "?ex=00000000&is=00000000&hm=fake";
      return {
        id,
        size: serve.declaredSize ?? bytes.byteLength,
        url: `${baseUrl()}${path}${signed}`,
        proxy_url: `${baseUrl()}${path}${signed}`,
        ...fields,
      } as Record<string, unknown> & { id: string; url: string; filename: string };
    },
  };
}
