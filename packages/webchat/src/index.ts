// @openclaw/webchat: the Control UI and WebChat bundle, and the HTTP route that serves it.

// HTTP route
export { createWebUiRoute, WEB_UI_ROOT, type WebUiRoute, type WebUiRouteOptions } from "./web-ui-route.js";
export { contentSecurityPolicy, securityHeaders } from "./security-headers.js";
export { contentTypeFor } from "./content-types.js";

// UI paths
export { UI_TABS, SPA_PATHS, tabForPath, normalizeBasePath, pathBelowBase, pathUnderBase, basePathFromScript, type UiTabId } from "./spa-paths.js";
