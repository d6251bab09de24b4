// Downloading a file shared in Slack: its private URL needs the bot token, and that token must
// never reach a host that is not Slack's, even when Slack (or something posing as it) redirects.
import { InvalidOptionError, MediaTooLargeError, readCapped, type DownloadedMedia, type InboundMediaFact } from "@openclaw/channel-kit";

/** Redirects followed before a download gives up. */
const MAX_REDIRECTS = 5;

/** Slack's own hosts: `files.slack.com`, `<team>.slack.com`, `slack-edge.com`, `slack-files.com`. */
const SLACK_HOST = /(^|\.)(slack\.com|slack-edge\.com|slack-files\.com)$/i;

/** What `downloadSlackFile` needs besides the file. */
export interface SlackDownloadOptions {
  readonly botToken: string;
  /** The Web API root the account uses; its origin is trusted with the token too (a self-hosted proxy, or a fake in tests). */
  readonly apiUrl?: string;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

/** Whether `url` may be sent the bot token: an https Slack host, or the configured Web API's own origin. */
export function isSlackOrigin(url: URL, apiUrl: string | undefined): boolean {
  if (url.protocol === "https:" && SLACK_HOST.test(url.hostname)) return true;
  if (apiUrl === undefined) return false;
  try {
    return new URL(apiUrl).origin === url.origin;
  } catch {
    return false;
  }
}

/**
 * A Slack file's bytes, read under `maxBytes` (Slack's declared size first, then the bytes as they
 * come). The token goes only to Slack: redirects are followed by hand, and once one leaves Slack
 * the rest of the chain is fetched without it. Slack answers a request it does not accept with
 * its HTML sign-in page instead of an error, so an HTML answer for a file that is not HTML is
 * refused rather than stored as the file.
 */
export async function downloadSlackFile(media: InboundMediaFact, options: SlackDownloadOptions): Promise<DownloadedMedia> {
  const name = media.fileName ?? "the file";
  let url: URL;
  try {
    url = new URL(media.url ?? "");
  } catch {
    throw new InvalidOptionError("media.url", "a Slack file URL (url_private_download)", media.url);
  }
  if (!isSlackOrigin(url, options.apiUrl)) throw new InvalidOptionError("media.url", "a URL on a Slack host (files.slack.com)", media.url);
  if (media.sizeBytes !== undefined && media.sizeBytes > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, media.sizeBytes);

  let trusted = true;
  let response: Response | undefined;
  for (let hop = 0; ; hop += 1) {
    // Once the chain has left Slack, it never gets the token back.
    trusted = trusted && isSlackOrigin(url, options.apiUrl);
    response = await fetch(url, {
      redirect: "manual",
      headers: trusted ? { authorization: `Bearer ${options.botToken}` } : {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
    if (location === null) break;
    await response.body?.cancel().catch(() => undefined);
    if (hop + 1 > MAX_REDIRECTS) throw new Error(`Slack redirected the download of ${name} more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`Slack redirected the download of ${name} to a ${url.protocol} URL`);
  }

  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(
      `Slack answered HTTP ${response.status} for ${name}${response.status === 403 || response.status === 404 ? " (check the app has the files:read scope)" : ""}`,
    );
  }
  const served = response.headers.get("content-type") ?? undefined;
  if (served?.startsWith("text/html") && !media.contentType?.startsWith("text/html")) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`Slack sent a sign-in page instead of ${name}: the bot token was not accepted for it (check the app has the files:read scope)`);
  }
  const length = Number(response.headers.get("content-length"));
  const declared = Math.max(media.sizeBytes ?? 0, Number.isFinite(length) ? length : 0) || undefined;
  const data = await readCapped(response.body, options.maxBytes, declared);
  const contentType = media.contentType ?? (served && served !== "application/octet-stream" ? served : undefined);
  return { data, ...(contentType ? { contentType } : {}) };
}
