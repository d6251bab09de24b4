import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, sep } from "node:path";
import { safeSegments } from "./paths.js";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
};

/** The Content-Type for a file name; unknown extensions are opaque bytes. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

/** How one static surface (canvas root or A2UI bundle) is served. */
export interface StaticSite {
  readonly root: string;
  /** Rewrites HTML bodies (script injection); other types stream untouched. */
  readonly transformHtml: (html: string) => string;
  /** Served for the root when it has no index.html; without it that is a 404. */
  readonly fallbackIndexHtml?: string;
  /** Headers added to every file and page of the site (its CSP, CORS for module scripts). */
  readonly headers?: (request: IncomingMessage) => Record<string, string>;
}

/** Where a URL path lands inside a site. */
export type Resolved =
  | { readonly kind: "file"; readonly path: string; readonly size: number }
  | { readonly kind: "directory" }
  | { readonly kind: "fallback" }
  | { readonly kind: "missing" };

function within(rootReal: string, path: string): boolean {
  return path === rootReal || path.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/** The real path of `candidate` when it is a regular file whose real path stays inside the root. */
async function containedFile(rootReal: string, candidate: string): Promise<Resolved> {
  const real = await realpathOrUndefined(candidate);
  // A symlink that leaves the root looks exactly like a missing file.
  if (real === undefined || !within(rootReal, real)) return { kind: "missing" };
  const info = await stat(real).catch(() => undefined);
  if (info === undefined) return { kind: "missing" };
  if (info.isDirectory()) return { kind: "directory" };
  return info.isFile() ? { kind: "file", path: real, size: info.size } : { kind: "missing" };
}

/**
 * Map an encoded URL remainder to a file under `root`. The spelling check refuses `..` in any
 * encoding; the realpath check refuses symlinks out of the root. `asDirectory` is set when the
 * path names a directory, so the caller can redirect to the slash form before serving its index.
 */
export async function resolveInRoot(root: string, rawRest: string, hasFallback: boolean): Promise<Resolved & { asDirectory?: boolean }> {
  const segments = safeSegments(rawRest);
  if (segments === undefined) return { kind: "missing" };
  const rootReal = await realpathOrUndefined(root);
  if (rootReal === undefined) return segments.length === 0 && hasFallback ? { kind: "fallback", asDirectory: true } : { kind: "missing" };
  const target = await containedFile(rootReal, join(rootReal, ...segments));
  if (target.kind !== "directory") return target;
  const index = await containedFile(rootReal, join(rootReal, ...segments, "index.html"));
  if (index.kind === "file") return { ...index, asDirectory: true };
  return segments.length === 0 && hasFallback ? { kind: "fallback", asDirectory: true } : { kind: "missing" };
}

function baseHeaders(contentType: string, length: number): Record<string, string | number> {
  return { "content-type": contentType, "content-length": length, "cache-control": "no-store", "x-content-type-options": "nosniff" };
}

/** Plain-text answers (404, 405, 503, …), always uncached. */
export function sendText(response: ServerResponse, status: number, text: string, extraHeaders: Record<string, string> = {}): void {
  response.writeHead(status, { ...baseHeaders("text/plain; charset=utf-8", Buffer.byteLength(text)), ...extraHeaders });
  response.end(text);
}

function sendHtml(request: IncomingMessage, response: ServerResponse, html: string, extraHeaders: Record<string, string>): void {
  const body = Buffer.from(html, "utf8");
  response.writeHead(200, { ...baseHeaders("text/html; charset=utf-8", body.length), ...extraHeaders });
  response.end(request.method === "HEAD" ? undefined : body);
}

/**
 * Serve `rawRest` (the encoded path after the surface prefix) from a site. The caller has
 * already checked auth and the method. `requestPath` is the full encoded path, for redirects.
 */
export async function serveStatic(request: IncomingMessage, response: ServerResponse, site: StaticSite, rawRest: string, requestPath: string): Promise<void> {
  const resolved = await resolveInRoot(site.root, rawRest, site.fallbackIndexHtml !== undefined);
  const extraHeaders = site.headers?.(request) ?? {};
  // Relative links in an index page only resolve against the directory's slash form.
  if (resolved.asDirectory && !rawRest.endsWith("/")) {
    const url = request.url ?? "";
    const query = url.includes("?") ? url.slice(url.indexOf("?")) : "";
    response.writeHead(301, { location: `${requestPath}/${query}`, "cache-control": "no-store", "content-length": 0 });
    response.end();
    return;
  }
  if (resolved.kind === "fallback" && site.fallbackIndexHtml !== undefined)
    return sendHtml(request, response, site.transformHtml(site.fallbackIndexHtml), extraHeaders);
  if (resolved.kind !== "file") return sendText(response, 404, "Not found");
  const contentType = contentTypeFor(resolved.path);
  if (contentType.startsWith("text/html")) return sendHtml(request, response, site.transformHtml(await readFile(resolved.path, "utf8")), extraHeaders);
  response.writeHead(200, { ...baseHeaders(contentType, resolved.size), ...extraHeaders });
  if (request.method === "HEAD" || resolved.size === 0) {
    response.end();
    return;
  }
  await new Promise<void>((resolve) => {
    // Bounded to the stat'd size so a file growing mid-send cannot overrun Content-Length.
    const stream = createReadStream(resolved.path, { start: 0, end: resolved.size - 1 });
    // Headers are out, so a read failure can only cut the response short.
    stream.on("error", () => {
      response.destroy();
      resolve();
    });
    stream.on("end", resolve);
    stream.pipe(response);
  });
}
