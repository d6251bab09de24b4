// Downloading a Discord attachment: its CDN link is signed and needs no token, so none is sent.
import { InvalidOptionError, MediaTooLargeError, readCapped, type DownloadedMedia, type InboundMediaFact } from "@openclaw/channel-kit";

/**
 * An attachment's bytes from its CDN URL, read under `maxBytes` (Discord's declared size first,
 * then the bytes as they come). The bot token never goes with it: the link itself is signed.
 */
export async function downloadDiscordAttachment(
  media: InboundMediaFact,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
): Promise<DownloadedMedia> {
  const name = media.fileName ?? "the attachment";
  let url: URL;
  try {
    url = new URL(media.url ?? "");
  } catch {
    throw new InvalidOptionError("media.url", "a Discord attachment URL", media.url);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidOptionError("media.url", "an http(s) Discord attachment URL", media.url);
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);
  const response = await fetch(url, options.signal ? { signal: options.signal } : {});
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const expired = response.status === 403 || response.status === 404;
    throw new Error(`Discord's CDN answered HTTP ${response.status} for ${name}${expired ? " (attachment links expire about a day after the message)" : ""}`);
  }
  const length = Number(response.headers.get("content-length"));
  const declared = Math.max(media.sizeBytes ?? 0, Number.isFinite(length) ? length : 0) || undefined;
  const data = await readCapped(response.body, options.maxBytes, declared);
  const served = response.headers.get("content-type") ?? undefined;
  const contentType = media.contentType ?? (served && served !== "application/octet-stream" ? served : undefined);
  return { data, ...(contentType ? { contentType } : {}) };
}
