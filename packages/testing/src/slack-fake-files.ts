/**
 * Files of the Slack fake: `addFile` stores bytes and returns a Slack file object whose
 * `url_private(_download)` point at this server (`/files-pri/<team>-<id>/…`). Like Slack, a file
 * is served only with `Authorization: Bearer <bot token>`; without it the answer is an HTML
 * sign-in page (HTTP 200). A file can declare a smaller `size` than it has (then it is sent
 * without Content-Length, as a re-chunking proxy does), or redirect to another URL. Every
 * download is recorded.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { writeFileBody } from "./file-body.js";

/** One request for a file's bytes. */
export interface SlackFileDownload {
  readonly fileId: string;
  readonly authorization: string | undefined;
}

/** `baseUrl` is this server's `http://127.0.0.1:<port>` (known once it listens). */
export function slackFiles(botToken: string, baseUrl: () => string) {
  const files = new Map<string, { bytes: Uint8Array; declaredSize?: number; redirectTo?: string }>();
  const downloads: SlackFileDownload[] = [];
  let fileCounter = 0;
  return {
    downloads,
    /** Serves `/files-pri/<team>-<id>/[download/]<name>`; true when the path was a file path. */
    serve(request: IncomingMessage, response: ServerResponse): boolean {
      const id = /^\/files-pri\/T0FAKE-(F[A-Z0-9]+)\//.exec(request.url ?? "")?.[1];
      if (!id) return false;
      downloads.push({ fileId: id, authorization: request.headers.authorization });
      const file = files.get(id);
      if (request.headers.authorization !== `Bearer ${botToken}`) {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end("<!DOCTYPE html><html><body>Sign in to Fake Slack</body></html>");
        return true;
      }
      if (!file) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("file not found");
        return true;
      }
      if (file.redirectTo) {
        response.writeHead(302, { location: file.redirectTo });
        response.end();
        return true;
      }
      writeFileBody(response, file.bytes, { withoutLength: file.declaredSize !== undefined });
      return true;
    },
    /**
     * Stores a file and returns its Slack file object (`fields` are merged in: mimetype, name,
     * original_w, duration_ms, subtype, …). `declaredSize` makes the object claim that size while
     * the full bytes are served; `redirectTo` makes the download answer 302 to that URL.
     */
    add(bytes: Uint8Array, fields: Record<string, unknown> = {}, serve: { declaredSize?: number; redirectTo?: string } = {}) {
      fileCounter += 1;
      const id = `F0FAKE${String(fileCounter).padStart(4, "0")}`;
      const name = typeof fields["name"] === "string" ? fields["name"] : `file-${fileCounter}.bin`;
      files.set(id, { bytes, ...serve });
      const base = `${baseUrl()}/files-pri/T0FAKE-${id}`;
      return {
        id,
        name,
        title: name,
        mimetype: "application/octet-stream",
        filetype: "binary",
        size: serve.declaredSize ?? bytes.byteLength,
        mode: "hosted",
        is_external: false,
        url_private: `${base}/${encodeURIComponent(name)}`,
        url_private_download: `${base}/download/${encodeURIComponent(name)}`,
        ...fields,
      } as Record<string, unknown> & { id: string; url_private: string; url_private_download: string };
    },
  };
}
