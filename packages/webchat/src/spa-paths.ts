// Shared by the HTTP route and the browser router, so a tab the UI can show is a path the gateway serves.

/** The UI's tabs, each a path (below the base path) that serves index.html. The first is the landing page. */
export const UI_TABS = [
  { id: "overview", path: "/", label: "Overview" },
  { id: "chat", path: "/chat", label: "Chat" },
  { id: "sessions", path: "/sessions", label: "Sessions" },
  { id: "devices", path: "/devices", label: "Devices" },
  { id: "nodes", path: "/nodes", label: "Nodes" },
  { id: "channels", path: "/channels", label: "Channels" },
  { id: "logs", path: "/logs", label: "Logs" },
  { id: "cron", path: "/cron", label: "Cron" },
] as const;

export type UiTabId = (typeof UI_TABS)[number]["id"];

/** Paths (below the base path) that answer with the app's index.html (a trailing slash is tolerated). */
export const SPA_PATHS: ReadonlySet<string> = new Set<string>([...UI_TABS.map((tab) => tab.path), "/overview", "/index.html"]);

/** The tab a path (below the base path) shows, or `undefined` for a path the UI does not own. */
export function tabForPath(path: string): UiTabId | undefined {
  const normalized = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (normalized === "/overview" || normalized === "/index.html") return "overview";
  return UI_TABS.find((tab) => tab.path === normalized)?.id;
}

/** A `gateway.controlUi.basePath` as a prefix that starts and ends with `/` ("/" for the root). */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

/** The path below `base` ("/ui/chat" under "/ui/" is "/chat"), or `undefined` when it lies outside it. */
export function pathBelowBase(base: string, pathname: string): string | undefined {
  if (base === "/") return pathname;
  if (pathname === base.slice(0, -1)) return "/";
  return pathname.startsWith(base) ? `/${pathname.slice(base.length)}` : undefined;
}

/** The absolute path of a tab path under `base`: "/chat" under "/ui/" is "/ui/chat". */
export function pathUnderBase(base: string, path: string): string {
  return base === "/" ? path : `${base}${path.slice(1)}`;
}

/**
 * The base path the bundle is served under, read from its own script URL: the built entry is
 * `<base>assets/index-<hash>.js`. Anything else (the Vite dev server) is the root.
 */
export function basePathFromScript(scriptUrl: string): string {
  const path = new URL(scriptUrl).pathname;
  const at = path.lastIndexOf("/assets/");
  return at === -1 ? "/" : path.slice(0, at + 1);
}
