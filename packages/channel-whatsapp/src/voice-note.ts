// WhatsApp plays only Ogg/Opus as a voice note. Other audio is transcoded with ffmpeg when it is
// installed (Debian's `ffmpeg` package), found on PATH or at a configured path; without it the
// audio goes as a document, which every client can open.
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** Whether `type` is already what WhatsApp plays as a voice note. */
export const isOggOpus = (type: string): boolean => /^audio\/(ogg|opus)\b/i.test(type);

/** The executable to transcode with: `configured` when given (undefined when it is not executable), else `ffmpeg` on PATH. */
export async function findFfmpeg(configured: string | undefined, path = process.env["PATH"] ?? ""): Promise<string | undefined> {
  const candidates =
    configured !== undefined
      ? [configured]
      : path
          .split(delimiter)
          .filter((dir) => isAbsolute(dir))
          .map((dir) => join(dir, "ffmpeg"));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `source` as mono Ogg/Opus bytes; rejects with ffmpeg's last error line when it cannot convert. */
export function transcodeToOggOpus(ffmpeg: string, source: string, timeoutMs = 60_000): Promise<Buffer> {
  const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", source, "-vn", "-ac", "1", "-c:a", "libopus", "-b:a", "32k", "-f", "ogg", "pipe:1"];
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        const reason = stderr.toString("utf8").trim().split("\n").at(-1) || error.message;
        return reject(new Error(`ffmpeg could not convert the audio to Ogg/Opus: ${reason}`));
      }
      resolve(stdout);
    });
  });
}
