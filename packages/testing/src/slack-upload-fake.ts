// Slack's three-step file upload, for the Slack fake: files.getUploadURLExternal hands out a URL on
// the fake and a file id, the bytes are posted there (raw, or multipart as the Web API client
// sends them), and files.completeUploadExternal shares the file into a channel or thread with an
// initial comment, making a message.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseMultipart } from "./multipart.js";

/** One file shared by files.completeUploadExternal. */
export interface SlackUpload {
  readonly fileId: string;
  /** The name given to files.getUploadURLExternal. */
  readonly filename: string;
  /** The `length` declared to files.getUploadURLExternal. */
  readonly length: number;
  /** What was posted to the upload URL. */
  readonly bytes: Uint8Array;
  readonly title: string | undefined;
  readonly channel: string;
  readonly initialComment: string | undefined;
  readonly threadTs: string | undefined;
  /** The message the share made. */
  readonly ts: string;
}

interface Pending {
  filename: string;
  length: number;
  bytes?: Uint8Array;
}

export function slackUploads(baseUrl: () => string, nextTs: () => string, remember: (channel: string, message: Record<string, unknown>) => void) {
  const pending = new Map<string, Pending>();
  const uploads: SlackUpload[] = [];
  let counter = 0;
  return {
    uploads,
    getUploadURL(body: Record<string, unknown>) {
      const filename = String(body["filename"] ?? "");
      const length = Number(body["length"]);
      if (filename === "" || !Number.isInteger(length) || length <= 0) return { ok: false, error: "invalid_arguments" };
      counter += 1;
      const fileId = `F0UP${String(counter).padStart(6, "0")}`;
      pending.set(fileId, { filename, length });
      return { ok: true, upload_url: `${baseUrl()}/upload/v1/${fileId}`, file_id: fileId };
    },
    /** Takes a POST to an upload URL; false when the path is not one. */
    receive(request: IncomingMessage, response: ServerResponse): boolean {
      const fileId = /^\/upload\/v1\/(F[A-Z0-9]+)$/.exec(request.url ?? "")?.[1];
      if (!fileId) return false;
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const file = pending.get(fileId);
        if (!file) return void response.writeHead(404, { "content-type": "text/plain" }).end("unknown upload");
        const raw = new Uint8Array(Buffer.concat(chunks));
        const type = request.headers["content-type"] ?? "";
        const part = /^multipart\/form-data/i.test(type) ? parseMultipart(raw, type).find((entry) => entry.filename !== undefined) : undefined;
        file.bytes = part ? part.bytes : raw;
        response.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${file.bytes.byteLength}`);
      });
      return true;
    },
    complete(body: Record<string, unknown>) {
      let files: { id: string; title?: string }[];
      try {
        files = (typeof body["files"] === "string" ? JSON.parse(body["files"]) : body["files"]) as typeof files;
      } catch {
        return { ok: false, error: "invalid_arguments" };
      }
      const channel = body["channel_id"] === undefined ? undefined : String(body["channel_id"]);
      if (!Array.isArray(files) || files.length === 0 || !channel) return { ok: false, error: "invalid_arguments" };
      for (const entry of files) {
        const file = pending.get(entry.id);
        if (!file?.bytes) return { ok: false, error: "file_not_found" };
        if (file.bytes.byteLength !== file.length) return { ok: false, error: "file_size_mismatch" };
      }
      const threadTs = body["thread_ts"] === undefined ? undefined : String(body["thread_ts"]);
      const initialComment = body["initial_comment"] === undefined ? undefined : String(body["initial_comment"]);
      const ts = nextTs();
      const answered = files.map((entry) => {
        const file = pending.get(entry.id)!;
        pending.delete(entry.id);
        uploads.push({
          fileId: entry.id,
          filename: file.filename,
          length: file.length,
          bytes: file.bytes!,
          title: entry.title,
          channel,
          initialComment,
          threadTs,
          ts,
        });
        // Slack lists a channel's shares under `public`, a DM's or private channel's under `private`.
        const scope = channel.startsWith("C") ? "public" : "private";
        return {
          id: entry.id,
          name: file.filename,
          title: entry.title ?? file.filename,
          size: file.length,
          shares: { [scope]: { [channel]: [{ ts, ...(threadTs ? { thread_ts: threadTs } : {}) }] } },
        };
      });
      remember(channel, {
        type: "message",
        subtype: "file_share",
        text: initialComment ?? "",
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        files: answered.map(({ id, name }) => ({ id, name })),
      });
      return { ok: true, files: answered };
    },
  };
}
