import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { HttpRoute } from "../http/routes.js";
import { a2uiBundlePresent, defaultA2uiRoot } from "./a2ui-assets.js";
import type { CanvasCapabilities } from "./capabilities.js";
import { CANVAS_SCAFFOLD_HTML, canvasClientScript, injectClientScript } from "./client-script.js";
import { LiveReload } from "./live-reload.js";
import { parseCanvasTarget, type CanvasTarget } from "./paths.js";
import { sendText, serveStatic, type StaticSite } from "./static-files.js";

export interface CanvasHostOptions {
  /** The canvas folder served at `/__openclaw__/canvas/`; created when live reload is on. */
  readonly root: string;
  /** Watch `root` and reload open pages over `/__openclaw__/ws`. @default true */
  readonly liveReload?: boolean;
  /** The A2UI renderer bundle served at `/__openclaw__/a2ui/`. @default this package's `dist-a2ui/` */
  readonly a2uiRoot?: string;
  /**
   * Gateway auth for a canvas request (loopback bind: local-only; otherwise Bearer token or
   * trusted proxy). Consulted for every request a live capability does not already cover.
   */
  readonly isAuthorized: (request: IncomingMessage) => boolean | Promise<boolean>;
  /** Node capabilities accepted under `/__openclaw__/cap/<cap>/…` and `?oc_cap=`. @default none accepted */
  readonly capabilities?: CanvasCapabilities;
  /** Watcher failures; serving continues without reloads. @default ignored */
  readonly onError?: (error: unknown) => void;
}

export interface CanvasHost {
  /** Serves `/__openclaw__/canvas/`, `/__openclaw__/a2ui/` and `/__openclaw__/cap/…`; passes on anything else. */
  readonly route: HttpRoute;
  /**
   * For the HTTP server's `upgrade` event: returns true when it took the socket
   * (`/__openclaw__/ws`, also under a capability prefix), false to let the caller handle it.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Resolves once the watcher is live (immediately without live reload). */
  readonly ready: Promise<void>;
  /** Closes the watcher, reload sockets and the debounce timer. */
  close(): Promise<void>;
}

const ALLOWED_METHODS = "GET, HEAD";

/**
 * Canvas and A2UI pages are written by agents and nodes, yet share the Control UI's origin. The
 * sandbox gives each page an opaque origin of its own: its scripts run, but cannot read the
 * UI's storage (where the gateway token lives) or call the gateway as the UI.
 */
export const CANVAS_CSP = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

/** Requests a sandboxed page makes in CORS mode (module scripts, workers, fonts), with `Origin: null`. */
const CORS_DESTINATIONS = new Set(["script", "worker", "sharedworker", "font"]);

/**
 * The sandbox's headers, plus CORS for the module scripts and fonts its own pages load. Plain
 * `fetch()` reads (destination `empty`) get no CORS header, so another site's sandboxed frame
 * cannot read canvas files.
 */
function sandboxHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = { "content-security-policy": CANVAS_CSP, "x-frame-options": "SAMEORIGIN" };
  const destination = request.headers["sec-fetch-dest"];
  if (request.headers.origin === "null" && typeof destination === "string" && CORS_DESTINATIONS.has(destination))
    headers["access-control-allow-origin"] = "null";
  return headers;
}

function requestPath(url: string): string {
  const queryAt = url.indexOf("?");
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/** The canvas host: static canvas files, the A2UI bundle, live reload and capability auth. */
export function createCanvasHost(options: CanvasHostOptions): CanvasHost {
  const liveReload = options.liveReload ?? true;
  const a2uiRoot = options.a2uiRoot ?? defaultA2uiRoot();
  const script = canvasClientScript(liveReload);
  const transformHtml = (html: string) => injectClientScript(html, script);
  const canvasSite: StaticSite = { root: options.root, transformHtml, fallbackIndexHtml: CANVAS_SCAFFOLD_HTML, headers: sandboxHeaders };
  const reload = liveReload ? new LiveReload({ root: options.root, ...(options.onError ? { onError: options.onError } : {}) }) : undefined;
  let closed = false;

  // A live capability is enough on its own (node WebViews cannot send headers); otherwise the gateway decides.
  async function authorized(request: IncomingMessage, target: CanvasTarget): Promise<boolean> {
    if (target.capability !== undefined && options.capabilities?.authorize(target.capability)) return true;
    return await options.isAuthorized(request);
  }

  const route: HttpRoute = async (request, response) => {
    const url = request.url ?? "/";
    const target = parseCanvasTarget(url);
    // A plain GET of the socket path is not ours to answer; under a capability prefix everything is.
    if (target === undefined || (target.surface === "ws" && !target.capabilityPrefixed)) return false;
    if (!(await authorized(request, target))) {
      sendText(response, 401, "Unauthorized");
      return true;
    }
    if (target.surface === undefined || target.surface === "ws") {
      sendText(response, 404, "Not found");
      return true;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      sendText(response, 405, "Method not allowed", { allow: ALLOWED_METHODS });
      return true;
    }
    if (target.surface === "canvas") {
      await serveStatic(request, response, canvasSite, target.rest, requestPath(url));
      return true;
    }
    if (a2uiRoot === undefined || !(await a2uiBundlePresent(a2uiRoot))) {
      sendText(response, 503, "A2UI assets not found");
      return true;
    }
    await serveStatic(request, response, { root: a2uiRoot, transformHtml, headers: sandboxHeaders }, target.rest, requestPath(url));
    return true;
  };

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const target = parseCanvasTarget(request.url ?? "/");
    if (reload === undefined || target?.surface !== "ws" || target.rest !== "") return false;
    socket.on("error", () => socket.destroy());
    void (async () => {
      const allowed = !closed && (await authorized(request, target).catch(() => false));
      if (allowed) return reload.accept(request, socket, head);
      socket.end(`HTTP/1.1 ${closed ? "503 Service Unavailable" : "401 Unauthorized"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    })();
    return true;
  }

  return {
    route,
    handleUpgrade,
    ready: reload?.ready ?? Promise.resolve(),
    async close() {
      closed = true;
      await reload?.close();
    },
  };
}
