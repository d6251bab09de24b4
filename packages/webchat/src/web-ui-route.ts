import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { contentTypeFor } from "./content-types.js";
import { securityHeaders } from "./security-headers.js";
import { normalizeBasePath, pathBelowBase, tabForPath } from "./spa-paths.js";

/** Absolute path of the built UI (`dist-ui/`, next to this package's `dist/`). */
export const WEB_UI_ROOT: string = fileURLToPath(new URL("../dist-ui/", import.meta.url));

/** Same shape as gateway-core's `HttpRoute`: answer and return true, or return false to let the next route try. */
export type WebUiRoute = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface WebUiRouteOptions {
  /** The directory holding `index.html` and `assets/`. @default WEB_UI_ROOT */
  readonly root?: string;
  /** The URL path the UI is served under (`gateway.controlUi.basePath`). @default "/" */
  readonly basePath?: string;
}

/** Hashed file names under /assets/: one path segment of safe characters, never `..`. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const ASSETS_PREFIX = "/assets/";

const NO_STORE = "no-store";
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Asset references in the built index.html, which Vite writes as `/assets/…`. */
const ASSET_REFERENCE = /(\s(?:src|href)=["']?)\/assets\//g;

/**
 * The Control UI and WebChat as an HTTP route: the tab paths (`/`, `/chat`, `/devices`, …,
 * below `basePath`) answer with index.html (never cached), `assets/*` with the hashed bundle
 * (cached for a year), each under a strict Content-Security-Policy. Any other path returns false.
 */
export function createWebUiRoute(options: WebUiRouteOptions = {}): WebUiRoute {
  const root = resolve(options.root ?? WEB_UI_ROOT);
  const assetsDir = join(root, "assets");
  const base = normalizeBasePath(options.basePath ?? "/");
  // The bundle finds its base from its own URL; index.html only needs its asset links moved.
  const rebase = (html: Buffer): Buffer => (base === "/" ? html : Buffer.from(html.toString("utf8").replace(ASSET_REFERENCE, `$1${base}assets/`)));

  return async (request, response) => {
    const fullPath = pathOf(request.url);
    const path = fullPath === undefined ? undefined : pathBelowBase(base, fullPath);
    if (path === undefined) return false;
    const isAsset = path.startsWith(ASSETS_PREFIX);
    if (!isAsset && tabForPath(path) === undefined) return false;

    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...securityHeaders(request), allow: "GET, HEAD", "content-length": "0" }).end();
      return true;
    }

    if (!isAsset) {
      const body = await readIfFile(join(root, "index.html"));
      if (body === undefined) {
        send(
          request,
          response,
          503,
          "text/plain; charset=utf-8",
          NO_STORE,
          Buffer.from("The web UI is not built: run `pnpm --filter @openclaw/webchat build`.\n"),
        );
        return true;
      }
      send(request, response, 200, "text/html; charset=utf-8", NO_STORE, rebase(body));
      return true;
    }

    const name = path.slice(ASSETS_PREFIX.length);
    const file = ASSET_NAME.test(name) && !name.includes("..") ? join(assetsDir, name) : undefined;
    // Belt and braces: whatever the name check allowed must still land inside assets/.
    const body = file !== undefined && file.startsWith(assetsDir + sep) ? await readIfFile(file) : undefined;
    if (body === undefined) {
      send(request, response, 404, "text/plain; charset=utf-8", NO_STORE, Buffer.from("not found\n"));
      return true;
    }
    send(request, response, 200, contentTypeFor(name), IMMUTABLE, body);
    return true;
  };
}

/** The path of a request target, or undefined when it is not an origin-form path. */
function pathOf(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith("/")) return undefined;
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}

function send(request: IncomingMessage, response: ServerResponse, status: number, contentType: string, cacheControl: string, body: Buffer): void {
  response.writeHead(status, {
    ...securityHeaders(request),
    "content-type": contentType,
    "cache-control": cacheControl,
    "content-length": String(body.length),
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
